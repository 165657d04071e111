"""The project schema as XSD (``schema/tei_cable.xsd``, generated from the RELAX NG), two engines.

* ``xsd``: libxml2 (through lxml). Compiles in milliseconds, so it is the one the CLI runs.
* ``xmlschema``: the pure-Python reference implementation of XSD 1.0, for users who validate with
  it in their own pipelines. Importing it and building the schema take about half a second, so it is
  only used when asked for (``validate(tree, against="xmlschema")``) and by the tests, which require
  both engines and the RELAX NG to agree on every fixture.

Both report through the grammar's diagnosis, so they use the RELAX NG validator's rule ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree

from ..errors import SchemaError
from ..tei import schema_parser
from .grammar import project_grammar, schema_path
from .issues import schema_issues
from .report import Issue


class XSDValidator:
    """libxml2's XSD 1.0 validator with the generated project XSD."""

    name = "xsd"

    def __init__(self) -> None:
        path = schema_path("tei_cable.xsd")
        try:
            # parse() with the file's own URL, so the import of xml.xsd next to it resolves (no network).
            self._schema = etree.XMLSchema(etree.parse(str(path), schema_parser()))
        except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as err:
            raise SchemaError(f"the project XSD does not compile: {err}", path=path) from None
        self.description = f"project schema {path.name} (XSD 1.0, libxml2)"

    def iter_issues(self, tree: etree._ElementTree) -> Iterator[Issue]:
        if self._schema.validate(tree):
            return
        messages = [(e.line or None, e.message) for e in self._schema.error_log]
        yield from schema_issues(self.name, project_grammar(), tree, messages)


class XmlschemaValidator:
    """The ``xmlschema`` package's XSD 1.0 validator with the generated project XSD."""

    name = "xmlschema"

    def __init__(self) -> None:
        import xmlschema  # a heavy import (0.2 s): only when this validator is asked for

        path = schema_path("tei_cable.xsd")
        try:
            self._schema: Any = xmlschema.XMLSchema10(str(path))
        except xmlschema.XMLSchemaException as err:
            raise SchemaError(f"the project XSD does not compile with xmlschema: {err}", path=path) from None
        self.description = f"project schema {path.name} (XSD 1.0, xmlschema {xmlschema.__version__})"

    def iter_issues(self, tree: etree._ElementTree) -> Iterator[Issue]:
        errors = list(self._schema.iter_errors(tree))
        if not errors:
            return
        messages = [(getattr(e, "sourceline", None), str(e.reason)) for e in errors]
        yield from schema_issues(self.name, project_grammar(), tree, messages)
