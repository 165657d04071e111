"""The project's integrity rules (``schema/tei_cable.sch``), run by lxml's ISO Schematron (libxslt).

Each failed assertion in the SVRL report becomes one :class:`Issue`: rule id = the assertion's
``@id``, severity = its ``@role``. SVRL names the failing node by an XPath (``@location``); it is
evaluated on the document to find the node again, and so its source line. The rules' contexts are
elements, never attributes: lxml's XSLT 1.0 skeleton writes an attribute's location without its
parent's path (``/@ref``), which could not be traced back to a line.

Speed: lxml compiles the schema with the ISO skeleton, whose stylesheet walks the whole document twice per
pattern: once in the default mode inside each ``svrl:active-pattern`` (the walk finds nothing: the skeleton
drops every text node) and once in the pattern's own mode, visiting attributes as well as elements. Our
rules' contexts are elements, so :func:`_trim` removes the first walk and the attributes of the second, and
the SVRL carries no ``fired-rule`` elements (``generate-fired-rule``: nothing here reads them). The seed's
rules then take 3.7 ms instead of 7.0; ``tests/test_schematron.py`` compares the failed assertions of the
trimmed and the untrimmed stylesheet on every fixture.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

from lxml import etree, isoschematron

from ..errors import SchemaError
from ..tei import schema_parser
from .grammar import schema_path
from .issues import element_path
from .report import Issue, Severity

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
#: Schematron roles -> severities (ISO Schematron leaves role names to the schema; these are ours).
SEVERITIES: dict[str, Severity] = {"error": "error", "fatal": "error", "warning": "warning", "info": "info"}


class SchematronValidator:
    """A compiled Schematron (an XSLT 1.0 stylesheet), built once per instance.

    Subclasses name another schema file in ``schema/`` through the class attributes (``cmif.CmifValidator``).
    """

    name = "schematron"
    schema_file = "tei_cable.sch"
    what = "project rules"

    def __init__(self) -> None:
        path = schema_path(self.schema_file)
        try:
            doc = etree.parse(str(path), schema_parser())
            compiled = isoschematron.Schematron(doc, store_xslt=True,
                                                compile_params={"generate-fired-rule": "false()"})
            stylesheet = compiled.validator_xslt
            if stylesheet is None:  # pragma: no cover - store_xslt=True always keeps it
                raise etree.XSLTError("lxml kept no compiled stylesheet")
            trimmed = _trim(stylesheet, doc)
            # The rules read the document alone: no document(), no files, no network.
            self._transform = etree.XSLT(trimmed, access_control=etree.XSLTAccessControl.DENY_ALL)
        except (etree.XMLSyntaxError, etree.SchematronParseError, etree.XSLTError) as err:
            raise SchemaError(f"the {self.what} Schematron does not compile: {err}", path=path) from None
        #: rule id -> severity, for every assertion in the schema (tests check each has a fixture)
        self.rules: dict[str, Severity] = {
            el.get("id", ""): SEVERITIES.get(el.get("role", "error"), "error")
            for el in doc.iter(f"{{{SCH_NS}}}assert", f"{{{SCH_NS}}}report")
        }
        self.description = f"{self.what} {path.name} (ISO Schematron, XPath 1.0, libxslt)"

    def svrl(self, tree: etree._ElementTree) -> etree._ElementTree:
        """The SVRL report of ``tree`` (without ``fired-rule`` elements: see the module docstring)."""
        return self._transform(tree)

    def iter_issues(self, tree: etree._ElementTree) -> Iterator[Issue]:
        report = self.svrl(tree)
        for failure in report.iter(f"{{{SVRL_NS}}}failed-assert", f"{{{SVRL_NS}}}successful-report"):
            rule = failure.get("id") or "schematron"
            severity = SEVERITIES.get(failure.get("role") or "error", "error")
            message = " ".join((failure.findtext(f"{{{SVRL_NS}}}text") or "").split())
            element = _locate(tree, failure.get("location") or "")
            yield Issue(line=element.sourceline if element is not None else None, validator=self.name, rule=rule,
                        severity=severity, message=message,
                        xpath=element_path(element) if element is not None else failure.get("location") or "")


def _trim(stylesheet: etree._XSLTResultTree | etree._ElementTree, schema: etree._ElementTree) -> etree._ElementTree:
    """The compiled stylesheet without the walks our rules cannot need (module docstring).

    The attribute visits are kept when some rule context could match an attribute (an ``@`` or an
    ``attribute::`` axis outside a predicate): trimming must never hide a rule.
    """
    trimmed = etree.ElementTree(copy.deepcopy(stylesheet.getroot()))
    for pattern in trimmed.iter(f"{{{SVRL_NS}}}active-pattern"):
        for walk in pattern.findall(f"{{{XSL_NS}}}apply-templates"):
            if walk.get("select") is None and walk.get("mode") is None:
                pattern.remove(walk)
    if not any(_may_match_attributes(rule.get("context", "")) for rule in schema.iter(f"{{{SCH_NS}}}rule")):
        for walk in trimmed.iter(f"{{{XSL_NS}}}apply-templates"):
            if walk.get("select") == "@*|*":
                walk.set("select", "*")
    return trimmed


def _may_match_attributes(context: str) -> bool:
    """Whether a rule context has an attribute step outside its predicates.

    >>> _may_match_attributes("tei:persName[@ref] | tei:date[@when]"), _may_match_attributes("tei:note/@n")
    (False, True)
    """
    outside, depth = [], 0
    for char in context:
        depth += char == "["
        if depth == 0:
            outside.append(char)
        depth -= char == "]" and depth > 0
    steps = "".join(outside)
    return "@" in steps or "attribute::" in steps


def _locate(tree: etree._ElementTree, location: str) -> etree._Element | None:
    """The element SVRL's location XPath names."""
    try:
        found = tree.xpath(location) if location else []
    except etree.XPathError:
        return None
    node = found[0] if isinstance(found, list) and found else None
    return node if isinstance(node, etree._Element) else None
