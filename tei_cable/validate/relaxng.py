"""The project schema in RELAX NG (``schema/tei_cable.rng``), checked by libxml2.

>>> from tei_cable.tei import parse_xml
>>> tree = parse_xml(b'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="d"><text/></TEI>')
>>> for issue in RelaxNGValidator().iter_issues(tree):
...     print(issue.rule, issue.xpath)
element-not-allowed /tei:TEI/tei:text
content-incomplete /tei:TEI

libxml2 gives the verdict; what is wrong, and the rule id, come from the grammar's diagnosis
(:meth:`tei_cable.validate.grammar.Grammar.diagnose`), shared with the XSD validators.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ..errors import SchemaError
from ..tei import schema_parser
from .grammar import project_grammar, schema_path
from .issues import schema_issues
from .report import Issue


class RelaxNGValidator:
    """libxml2's RELAX NG validator with the project grammar, compiled once per instance."""

    name = "relaxng"

    def __init__(self) -> None:
        path = schema_path("tei_cable.rng")
        try:
            self._schema = etree.RelaxNG(etree.parse(str(path), schema_parser()))
        except (etree.RelaxNGParseError, etree.XMLSyntaxError) as err:
            raise SchemaError(f"the project RELAX NG schema does not compile: {err}", path=path) from None
        self.description = f"project schema {path.name} (RELAX NG, libxml2)"

    def iter_issues(self, tree: etree._ElementTree) -> Iterator[Issue]:
        if self._schema.validate(tree):
            return
        messages = [(e.line or None, e.message) for e in self._schema.error_log]
        yield from schema_issues(self.name, project_grammar(), tree, messages)
