"""The project's integrity rules (``schema/tei_cable.sch``), run by lxml's ISO Schematron (libxslt).

Each failed assertion in the SVRL report becomes one :class:`Issue`: rule id = the assertion's
``@id``, severity = its ``@role``. SVRL names the failing node by an XPath (``@location``); it is
evaluated on the document to find the node again, and so its source line. The rules' contexts are
elements, never attributes: lxml's XSLT 1.0 skeleton writes an attribute's location without its
parent's path (``/@ref``), which could not be traced back to a line.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree, isoschematron

from ..errors import SchemaError
from ..tei import schema_parser
from .grammar import schema_path
from .issues import element_path
from .report import Issue, Severity

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
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
            # store_report: iter_issues reads the SVRL report to turn each failed assert into an Issue.
            self._schematron = isoschematron.Schematron(doc, store_report=True)
        except (etree.XMLSyntaxError, etree.SchematronParseError, etree.XSLTError) as err:
            raise SchemaError(f"the {self.what} Schematron does not compile: {err}", path=path) from None
        #: rule id -> severity, for every assertion in the schema (tests check each has a fixture)
        self.rules: dict[str, Severity] = {
            el.get("id", ""): SEVERITIES.get(el.get("role", "error"), "error")
            for el in doc.iter(f"{{{SCH_NS}}}assert", f"{{{SCH_NS}}}report")
        }
        self.description = f"{self.what} {path.name} (ISO Schematron, XPath 1.0, libxslt)"

    def iter_issues(self, tree: etree._ElementTree) -> Iterator[Issue]:
        if self._schematron.validate(tree):
            return
        report = self._schematron.validation_report
        for failure in report.iter(f"{{{SVRL_NS}}}failed-assert", f"{{{SVRL_NS}}}successful-report"):
            rule = failure.get("id") or "schematron"
            severity = SEVERITIES.get(failure.get("role") or "error", "error")
            message = " ".join((failure.findtext(f"{{{SVRL_NS}}}text") or "").split())
            element = _locate(tree, failure.get("location") or "")
            yield Issue(line=element.sourceline if element is not None else None, validator=self.name, rule=rule,
                        severity=severity, message=message,
                        xpath=element_path(element) if element is not None else failure.get("location") or "")


def _locate(tree: etree._ElementTree, location: str) -> etree._Element | None:
    """The element SVRL's location XPath names."""
    try:
        found = tree.xpath(location) if location else []
    except etree.XPathError:
        return None
    node = found[0] if isinstance(found, list) and found else None
    return node if isinstance(node, etree._Element) else None
