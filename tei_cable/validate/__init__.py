"""Validation: the project schema (RELAX NG, XSD, Schematron) and official TEI P5 (``tei_all``).

Example (with a file of your own)::

    from tei_cable.tei import read_xml
    report = validate(read_xml("cable.xml"), against="project")
    report.ok(), [(i.rule, i.line) for i in report]
    (True, [('treaty-date', 612)])

Every validator implements one protocol (:class:`Validator`: a ``name`` and ``iter_issues(tree)``)
and yields one :class:`Issue` type; :func:`validate` runs the validators that ``against`` names and
collects their issues in a :class:`Report`. Validators never change the tree.

Each validator is built (its schema compiled) once per process, on first use, by :func:`validator`:
compiling is most of the cost of validating one document, and a CI run validates many.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from ..errors import UnknownChoiceError
from .report import Issue, Report, Severity, Validator

__all__ = ["AGAINST", "VALIDATORS", "Issue", "Report", "Severity", "Validator", "prepare", "validate", "validator"]

#: Validator name -> ``module:Class``. Imported on first use, so asking for the project schema never
#: loads the tei_all machinery and asking for tei_all never loads xmlschema.
VALIDATORS: dict[str, str] = {
    "relaxng": "tei_cable.validate.relaxng:RelaxNGValidator",
    "xsd": "tei_cable.validate.xsd:XSDValidator",
    "schematron": "tei_cable.validate.schematron:SchematronValidator",
    "tei-all": "tei_cable.validate.teiall:TeiAllValidator",
    "xmlschema": "tei_cable.validate.xsd:XmlschemaValidator",
    "cmif": "tei_cable.validate.cmif:CmifValidator",
}
#: What ``against`` may name besides a single validator: the sets ``tei-cable validate --against`` offers.
AGAINST: dict[str, tuple[str, ...]] = {
    "project": ("relaxng", "xsd", "schematron"),
    "tei-all": ("tei-all",),
    "all": ("relaxng", "xsd", "schematron", "tei-all"),
    "cmif": ("cmif",),  # a CMIF file is not an edition: never part of "project" or "all"
}


def validator_names(against: str) -> tuple[str, ...]:
    """The validators that ``against`` (a set of :data:`AGAINST` or one name of :data:`VALIDATORS`) runs."""
    if against in AGAINST:
        return AGAINST[against]
    if against in VALIDATORS:
        return (against,)
    raise UnknownChoiceError("validation", against, [*AGAINST, *VALIDATORS])


def validator(name: str, tei_all: str | Path | None = None) -> Validator:
    """The validator called ``name``, built once per process (per tei_all schema for ``tei-all``).

    ``tei_all`` is the official schema to use; None looks it up as :func:`tei_cable.schemas.find_tei_all`
    does ($TEI_CABLE_TEI_ALL, then the cache that ``tei-cable schema fetch`` fills).
    """
    if name not in VALIDATORS:
        raise UnknownChoiceError("validator", name, VALIDATORS)
    if name != "tei-all":
        return _build(name, None)
    from ..schemas import find_tei_all

    return _build(name, str(find_tei_all(Path(tei_all) if tei_all is not None else None).resolve()))


@functools.cache
def _build(name: str, schema: str | None) -> Validator:
    module_name, _, class_name = VALIDATORS[name].partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    built: Validator = cls(Path(schema)) if schema is not None else cls()
    return built


def describe(v: Validator) -> str:
    """One line on what a validator checks against (the TEI release for tei-all), for reports."""
    text = getattr(v, "description", "")
    version = getattr(v, "version", "")
    if version and "TEI" not in text:
        text = f"{text} TEI P5 {version}".strip()
    return f"{v.name}: {text}" if text else v.name


def prepare(trees: Iterable[etree._ElementTree | etree._Element], against: str = "all", *,
            tei_all: str | Path | None = None) -> None:
    """Get ready for a batch: validators that can (``tei-all``: one grammar for the union of the
    documents' element names) use it; the others have nothing to prepare. Optional, for speed only."""
    docs = list(trees)
    for name in validator_names(against):
        hook = getattr(validator(name, tei_all), "prepare", None)
        if hook is not None:
            hook(docs)


def validate(tree: etree._ElementTree | etree._Element, against: str = "all", *,
             tei_all: str | Path | None = None, path: str = "") -> Report:
    """Validate one document; the report lists what was checked (``checked``, ``notes``) and found.

    ``against``: ``"project"`` (RELAX NG, XSD and Schematron), ``"tei-all"``, ``"all"`` (both), or the
    name of one validator (``"relaxng"``, ``"xsd"``, ``"schematron"``, ``"tei-all"``, ``"xmlschema"``).
    ``path`` is recorded in the report and its issues.
    """
    doc = tree if isinstance(tree, etree._ElementTree) else tree.getroottree()
    report = Report(path=path)
    for name in validator_names(against):
        v = validator(name, tei_all)
        report.checked.append(name)
        report.notes.append(describe(v))
        report.extend(dataclasses.replace(i, path=path) if path else i for i in v.iter_issues(doc))
    return report

