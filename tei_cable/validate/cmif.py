"""CMIF: does a Correspondence Metadata Interchange Format file keep the rules correspSearch applies?

Example (with a file of your own)::

    from tei_cable.export import export
    from tei_cable.tei import parse_xml, read_xml
    cmif = parse_xml(export(read_xml("cable.xml"), "cmif").encode())
    report = check_cmif(cmif)
    report.ok(), sorted({i.rule for i in report})
    (True, ['cmif-ref-missing'])

A CMIF file is not a tei-cable edition (it is a TEI header listing letters, with an empty text), so the
project schema does not apply to it; ``schema/cmif.sch`` does. Its findings are ordinary :class:`Issue`
objects from the validator named ``cmif``, with severity ``info`` for what CMIF only recommends (such as an
authority URI on every name).

The rules are ISO Schematron like the project's own, so :class:`CmifValidator` is the project's
:class:`SchematronValidator` with another schema: it inherits ``iter_issues`` (SVRL to issues, lines
found again from SVRL locations) and only compiles ``cmif.sch`` instead of ``tei_cable.sch``.
"""

from __future__ import annotations

import dataclasses
import functools

from lxml import etree

from .report import Report
from .schematron import SchematronValidator

#: The schema file in ``schema/`` (shipped as package data like the project schema).
CMIF_SCHEMA = "cmif.sch"


class CmifValidator(SchematronValidator):
    """The CMIF rules (``schema/cmif.sch``), compiled once per instance; yields issues named ``cmif``."""

    name = "cmif"
    schema_file = CMIF_SCHEMA
    what = "CMIF rules (correspSearch)"


@functools.cache
def cmif_validator() -> CmifValidator:
    """The CMIF validator, built once per process (compiling the schema is most of the cost of a check)."""
    return CmifValidator()


def check_cmif(tree: etree._ElementTree | etree._Element, *, path: str = "") -> Report:
    """Check one CMIF file; the report lists every finding (``report.ok()``: nothing correspSearch refuses).

    ``path`` is recorded in the report and its issues, as :func:`tei_cable.validate.validate` does.
    """
    doc = tree if isinstance(tree, etree._ElementTree) else tree.getroottree()
    v = cmif_validator()
    report = Report(path=path, checked=[v.name], notes=[f"{v.name}: {v.description}"])
    report.extend(dataclasses.replace(i, path=path) if path else i for i in v.iter_issues(doc))
    return report
