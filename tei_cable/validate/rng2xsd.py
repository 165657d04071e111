"""Generate the project XSD from the project RELAX NG: ``python -m tei_cable.validate.rng2xsd [--check]``.

The RELAX NG file is the source of truth; the XSD is written from it by this module, so the two
cannot drift apart (a test regenerates it and compares with the committed files, and another test
validates every fixture with both and requires the same verdict). Two files are written:

* ``schema/tei_cable.xsd``: the TEI namespace. Only ``TEI`` is a global element, so, as in the RELAX
  NG, no other element can be a document's root. Every other element is declared locally with a named
  complex type of its own name, which is possible because the grammar defines each element once.
* ``schema/xml.xsd``: the attributes of the XML namespace that the grammar uses (``xml:id``,
  ``xml:lang``). XSD can only declare them in a schema for that namespace; shipping our own keeps
  validation offline and gives both engines the same types.

The translation, pattern by pattern (the subset :class:`~tei_cable.validate.grammar.Grammar` accepts):

=====================================  ========================================================
RELAX NG                               XSD
=====================================  ========================================================
define with ``tc:rule`` (a value)      named ``simpleType`` (``choice`` of ``value``: enumeration;
                                       ``data`` + ``param``: restriction with facets; ``choice``
                                       of ``data``: union; ``list``: list with ``minLength`` 1)
define of attributes only              ``attributeGroup``
define of content (``model.*``)        ``group``; a define holding ``mixed``/``text`` is inlined
element                                ``complexType`` named like the element (``mixed`` when
                                       the content has text)
group, choice                          ``sequence``, ``choice``
optional, zeroOrMore, oneOrMore        ``minOccurs``/``maxOccurs`` on the particle
=====================================  ========================================================

The grammar's content models are written deterministically, so the result satisfies XSD's Unique
Particle Attribution rule; both xmlschema and libxml2 compile it (tested).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lxml import etree

from ..errors import SchemaError
from ..tei import TEI_NS, XML_NS
from .grammar import Grammar, Node, project_grammar, schema_path

XS_NS = "http://www.w3.org/2001/XMLSchema"
XS = f"{{{XS_NS}}}"
#: The generated files, next to the RELAX NG source.
XSD_NAME = "tei_cable.xsd"
XML_XSD_NAME = "xml.xsd"
HEADER = (" GENERATED from tei_cable.rng by tei_cable/validate/rng2xsd.py: do not edit by hand; change the"
          " RELAX NG and run python -m tei_cable.validate.rng2xsd ")

#: RELAX NG ``value`` types (the built-in library's ``token``/``string``) as XSD types.
VALUE_TYPES = {"token": "xs:token", "string": "xs:string"}
#: RELAX NG ``param`` names that are XSD facets (all of them are, by definition of the XSD library).
FACETS = frozenset({"length", "minLength", "maxLength", "pattern", "enumeration", "whiteSpace", "maxInclusive",
                    "maxExclusive", "minInclusive", "minExclusive", "totalDigits", "fractionDigits"})


def _el(parent: etree._Element | None, tag: str, **attrs: str) -> etree._Element:
    el = etree.Element(XS + tag) if parent is None else etree.SubElement(parent, XS + tag)
    for key, value in attrs.items():
        el.set(key.rstrip("_"), value)
    return el


class _Writer:
    """One pass over the grammar's defines, writing XSD components in the defines' order."""

    def __init__(self, grammar: Grammar) -> None:
        self.g = grammar
        self.schema = etree.Element(XS + "schema", nsmap={"xs": XS_NS, "tei": TEI_NS, "xml": XML_NS})
        self.schema.set("targetNamespace", TEI_NS)
        self.schema.set("elementFormDefault", "qualified")
        self.schema.set("attributeFormDefault", "unqualified")
        self.xml_attributes: dict[str, str] = {}  # local name ("id") -> the value define it uses

    def write(self) -> tuple[bytes, bytes]:
        g = self.g
        self.schema.append(etree.Comment(HEADER))
        _el(self.schema, "import", namespace=XML_NS, schemaLocation=XML_XSD_NAME)
        _el(self.schema, "element", name=g.root_element, type=f"tei:{g.root_element}")
        for define in g.defines.values():
            if g.is_value_define(define.name):
                self.simple_type(self.schema, define.body, name=define.name)
            elif g.is_attribute_define(define.name):
                group = _el(self.schema, "attributeGroup", name=define.name)
                self.attributes(group, define.body, required=True)
            elif g.is_element_define(define.name):
                self.complex_type(define.body[0])
            elif not g.is_text_macro(define.name):
                group = _el(self.schema, "group", name=define.name)
                node = self._as_group(define.body)
                if node.kind not in ("group", "choice"):
                    node = Node("group", children=(node,))  # a named group's model group takes no occurs
                self.particle(group, node, top=True)
        return self._serialise(self.schema), self._xml_schema()

    # --- simple types ------------------------------------------------------------------------------

    def simple_type(self, parent: etree._Element, body: tuple[Node, ...], name: str = "") -> None:
        st = _el(parent, "simpleType", **({"name": name} if name else {}))
        if len(body) != 1:
            raise SchemaError(f"value define {name!r} must hold exactly one pattern", path=self.g.source)
        node = body[0]
        values = node.children if node.kind == "choice" else (node,)
        if all(v.kind == "value" for v in values):
            types = {v.params[0][1] for v in values}
            if len(types) != 1 or next(iter(types)) not in VALUE_TYPES:
                raise SchemaError(f"the values of {name!r} must share one type: token or string", path=self.g.source)
            restriction = _el(st, "restriction", base=VALUE_TYPES[types.pop()])
            for v in values:
                _el(restriction, "enumeration", value=v.text)
        elif all(v.kind in ("data", "ref") for v in values) and node.kind == "choice":
            _el(st, "union", memberTypes=" ".join(self._type_name(v) for v in values))
        elif node.kind == "data":
            restriction = _el(st, "restriction", base=f"xs:{node.text}")
            for facet, value in node.params:
                if facet not in FACETS:
                    raise SchemaError(f"param {facet!r} is not an XSD facet", path=self.g.source, line=node.line)
                _el(restriction, facet, value=value)
        elif node.kind == "list" and len(node.children) == 1 and node.children[0].kind == "oneOrMore":
            item = node.children[0].children
            if len(item) != 1:
                raise SchemaError("a list must repeat exactly one datatype", path=self.g.source, line=node.line)
            restriction = _el(st, "restriction")
            inner = _el(restriction, "simpleType")
            _el(inner, "list", itemType=self._type_name(item[0]))
            _el(restriction, "minLength", value="1")
        else:
            raise SchemaError(f"value define {name!r}: unsupported pattern <{node.kind}>", path=self.g.source,
                              line=node.line)

    def _type_name(self, node: Node) -> str:
        if node.kind == "data" and not node.params:
            return f"xs:{node.text}"
        if node.kind == "ref" and self.g.is_value_define(node.name):
            return f"tei:{node.name}"
        raise SchemaError("a union or list member must be a plain <data> or a ref to a value define",
                          path=self.g.source, line=node.line)

    # --- attributes --------------------------------------------------------------------------------

    def attributes(self, parent: etree._Element, nodes: tuple[Node, ...], required: bool) -> None:
        for node in nodes:
            if node.kind == "optional":
                self.attributes(parent, node.children, required=False)
            elif node.kind == "ref":
                _el(parent, "attributeGroup", ref=f"tei:{node.name}")
                if not required:
                    raise SchemaError(f"an attribute group ({node.name}) cannot be optional; make its attributes "
                                      "optional inside the define", path=self.g.source, line=node.line)
            elif node.kind == "attribute":
                use = "required" if required else "optional"
                value = node.children
                if node.name.startswith("xml:"):
                    local = node.name[4:]
                    self._note_xml_attribute(local, value, node)
                    _el(parent, "attribute", ref=f"xml:{local}", use=use)
                    continue
                attrs = {"name": node.name, "use": use}
                if value and value[0].kind == "ref":
                    attrs["type"] = f"tei:{value[0].name}"
                elif value and value[0].kind != "text":
                    raise SchemaError("attribute values must be a ref to a value define", path=self.g.source,
                                      line=node.line)
                else:
                    attrs["type"] = "xs:string"
                _el(parent, "attribute", **attrs)

    def _note_xml_attribute(self, local: str, value: tuple[Node, ...], node: Node) -> None:
        define = value[0].name if value and value[0].kind == "ref" else ""
        if not define:
            raise SchemaError(f"xml:{local} needs a value define", path=self.g.source, line=node.line)
        if self.xml_attributes.setdefault(local, define) != define:
            raise SchemaError(f"xml:{local} must have the same type everywhere (it is one global declaration)",
                              path=self.g.source, line=node.line)

    # --- content -----------------------------------------------------------------------------------

    def complex_type(self, element: Node) -> None:
        g = self.g
        content = g.expand(element.children)
        attrs = tuple(n for n in content if g.is_attribute_pattern(n))
        particles = [n for n in content if not g.is_attribute_pattern(n)]
        ct = _el(self.schema, "complexType", name=element.name)
        mixed = False
        if len(particles) == 1 and particles[0].kind == "mixed":
            mixed, particles = True, list(particles[0].children)
        elif len(particles) == 1 and particles[0].kind == "text":
            mixed, particles = True, []
        elif particles and particles[0].kind == "empty":
            particles = []
        if any(n.kind in ("text", "mixed", "empty") for n in particles):
            raise SchemaError(f"<{element.name}>: text must be the whole content (<text/>) or <mixed> around it",
                              path=g.source, line=element.line)
        if mixed:
            ct.set("mixed", "true")
        if particles:
            self.particle(ct, self._as_group(tuple(particles)), top=True)
        self.attributes(ct, attrs, required=True)

    @staticmethod
    def _as_group(nodes: tuple[Node, ...]) -> Node:
        return nodes[0] if len(nodes) == 1 else Node("group", children=nodes)

    def particle(self, parent: etree._Element, node: Node, top: bool = False, occurs: tuple[str, str] = ("1", "1"),
                 ) -> None:
        """Write ``node`` as a particle. ``top``: directly in a complexType or group, which need a model
        group (sequence/choice), not an element or group reference."""
        kind = node.kind
        if kind in ("optional", "zeroOrMore", "oneOrMore"):
            low = "1" if kind == "oneOrMore" else "0"
            high = "1" if kind == "optional" else "unbounded"
            self.particle(parent, self._as_group(node.children), top, (low, high))
            return
        if kind == "ref" and not top:
            tag, attrs = ("element", {"name": node.name, "type": f"tei:{node.name}"}) \
                if self.g.is_element_define(node.name) else ("group", {"ref": f"tei:{node.name}"})
            self._occurs(_el(parent, tag, **attrs), occurs)
            return
        if kind == "ref" or (top and kind not in ("group", "choice")):
            node = Node("group", children=(node,))  # a lone particle at the top: wrap it in a sequence
            kind = "group"
        if kind in ("group", "choice"):
            model = _el(parent, "sequence" if kind == "group" else "choice")
            self._occurs(model, occurs)
            for child in node.children:
                self.particle(model, child)
            return
        raise SchemaError(f"<{kind}> is not supported in content", path=self.g.source, line=node.line)

    @staticmethod
    def _occurs(el: etree._Element, occurs: tuple[str, str]) -> None:
        low, high = occurs
        if low != "1":
            el.set("minOccurs", low)
        if high != "1":
            el.set("maxOccurs", high)

    # --- output ------------------------------------------------------------------------------------

    def _xml_schema(self) -> bytes:
        schema = etree.Element(XS + "schema", nsmap={"xs": XS_NS, "tei": TEI_NS})
        schema.set("targetNamespace", XML_NS)
        schema.append(etree.Comment(HEADER))
        for local, define in sorted(self.xml_attributes.items()):
            attribute = _el(schema, "attribute", name=local)
            # Inline copy of the value type: a schema for the XML namespace cannot see tei: types
            # without importing the main schema, which imports this one.
            self.simple_type(attribute, self._inline(self.g.defines[define].body))
        return self._serialise(schema)

    def _inline(self, body: tuple[Node, ...]) -> tuple[Node, ...]:
        node = body[0]
        if node.kind == "ref":
            return self._inline(self.g.defines[node.name].body)
        return body

    @staticmethod
    def _serialise(root: etree._Element) -> bytes:
        etree.indent(root, space="  ")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def generate(grammar: Grammar | None = None) -> dict[str, bytes]:
    """The generated schema files, by file name (``tei_cable.xsd``, ``xml.xsd``)."""
    main, xml = _Writer(grammar or project_grammar()).write()
    return {XSD_NAME: main, XML_XSD_NAME: xml}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed XSD differs from a fresh one")
    parser.add_argument("--out", type=Path, default=None, help="directory to write to (default: the schema folder)")
    args = parser.parse_args(argv)
    out_dir = args.out or schema_path("tei_cable.rng").parent
    stale = []
    for name, data in generate().items():
        target = out_dir / name
        if args.check:
            if not target.is_file() or target.read_bytes() != data:
                stale.append(name)
        else:
            target.write_bytes(data)
            print(f"wrote {target}")
    if stale:
        print(f"out of date: {', '.join(stale)}; run `python -m tei_cable.validate.rng2xsd`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
