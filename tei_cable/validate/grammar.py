"""The project schema (``schema/tei_cable.rng``) read as data: what each element allows, and why not.

The RELAX NG file is the source of truth, and this module is the one place that reads its structure.
Three things are built on it:

* the XSD generator (:mod:`tei_cable.validate.rng2xsd`), which walks the same defines;
* the diagnosis of invalid documents (:meth:`Grammar.diagnose`). libxml2 and xmlschema decide *whether*
  a document is valid, but say what is wrong in their own words, and libxml2's RELAX NG messages are
  often beside the point ("Expecting an element persName, got nothing" for a bad attribute value).
  So once an engine has said "invalid", the grammar checks the document itself: each attribute
  against its define, each element's children against its content model (a regular expression over
  element names, matched with Brzozowski derivatives, which also name what was expected at the
  point of failure). Every problem gets the rule id of the constraint it breaks: the define's
  ``tc:rule`` for values, one of :data:`STRUCTURAL_RULES` otherwise; and a message saying what is
  allowed. Both engines report through it, so they speak one vocabulary;
* the tests, which check that every rule id has a minimal failing document in ``tests/invalid/``.

>>> g = project_grammar()
>>> g.elements["div"].attributes["type"].rule
'div-type'
>>> sorted(g.elements["list"].children)
['head', 'item']
>>> g.elements["list"].content
'head?, item+'

Only the RELAX NG subset the project schema uses is understood (``grammar``, ``start``, ``define``,
``ref``, ``element``, ``attribute``, implied ``group``, ``choice``, ``optional``, ``zeroOrMore``,
``oneOrMore``, ``mixed``, ``text``, ``empty``, ``data`` with ``param``, ``value``, ``list``); anything
else raises :class:`~tei_cable.errors.SchemaError`, so the schema cannot drift into constructs the
XSD generator would mistranslate.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from lxml import etree

from ..errors import SchemaError
from ..tei import TEI_NS, XML_NS, schema_parser

RNG_NS = "http://relaxng.org/ns/structure/1.0"
ANNOTATION_NS = "http://relaxng.org/ns/compatibility/annotations/1.0"
#: Namespace of tei-cable's own annotations in the schema (``tc:rule``); never used in documents.
TC_NS = "urn:x-tei-cable:schema"
XSD_DATATYPES = "http://www.w3.org/2001/XMLSchema-datatypes"

#: Rule ids for structural problems, which no single define owns. Value constraints take their ids
#: from the schema (``tc:rule``); :attr:`Grammar.rules` holds both.
STRUCTURAL_RULES: dict[str, str] = {
    "root-element": "the document element must be <TEI> in the TEI namespace",
    "element-not-allowed": "an element stands where its parent does not allow it (unknown, misplaced or out of order)",
    "content-incomplete": "an element lacks a child element it requires",
    "text-not-allowed": "text stands directly inside an element that holds only elements",
    "attribute-not-allowed": "an attribute that the element does not take",
    "attribute-required": "an element lacks an attribute it requires",
    "id-unique": "two elements share one xml:id",
}
#: Reported only if an engine calls a document invalid and the diagnosis finds nothing: a gap between
#: the grammar tables and the engines, which the tests make sure never happens on known documents.
FALLBACK_RULE = "schema-invalid"

#: The pattern elements this module (and so the XSD generator) understands.
PATTERN_KINDS = frozenset({
    "ref", "element", "attribute", "group", "choice", "optional", "zeroOrMore", "oneOrMore", "mixed", "text",
    "empty", "data", "value", "list",
})


@dataclass(frozen=True)
class Node:
    """One pattern of the schema: ``kind`` is the RELAX NG element name; ``name`` the @name of an
    element, attribute or ref; ``text`` a value's text or a data's type; ``params`` a data's facets."""

    kind: str
    name: str = ""
    text: str = ""
    children: tuple[Node, ...] = ()
    params: tuple[tuple[str, str], ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Define:
    name: str
    body: tuple[Node, ...]
    rule: str = ""  # tc:rule: the id reported when a value breaks this define
    doc: str = ""  # a:documentation: what is allowed, in words


@dataclass(frozen=True)
class AttributeInfo:
    """An attribute as one element declares it."""

    name: str  # "type", or "xml:id" for the XML namespace
    required: bool
    define: str  # the value define ("" for free text)
    rule: str  # the value constraint's rule id ("" for free text)
    allowed: str  # what values are allowed, in words


@dataclass
class ElementInfo:
    """What one element allows: its attributes, child elements, whether it takes text."""

    name: str
    attributes: dict[str, AttributeInfo] = field(default_factory=dict)
    children: frozenset[str] = frozenset()
    text: bool = False
    content: str = ""  # the content model in a compact notation, for messages
    model: Regex = ("eps",)  # the content model as a regular expression over child element names

    def attribute_list(self) -> str:
        names = sorted(self.attributes, key=lambda n: (n.startswith("xml:"), n))
        return ", ".join(f"@{n}" for n in names) if names else "no attributes"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a document, found by :meth:`Grammar.diagnose`: ``element`` is where it is,
    ``attribute`` the attribute concerned (its name as the schema writes it, or "")."""

    rule: str
    element: etree._Element
    message: str
    attribute: str = ""


# --- regular expressions over element names (content models) ----------------------------------------
#
# ("eps",) matches nothing but the empty sequence, ("null",) matches nothing at all, ("sym", name) one
# element, ("seq", a, b), ("alt", frozenset), ("star", a). The smart constructors keep expressions
# small, so derivatives of a Kleene star (mixed content) stay the same size however long the text.

Regex = tuple[object, ...]
EPS: Regex = ("eps",)
NULL: Regex = ("null",)


def _seq(a: Regex, b: Regex) -> Regex:
    if NULL in (a, b):
        return NULL
    if a == EPS:
        return b
    if b == EPS:
        return a
    return ("seq", a, b)


def _alt(*options: Regex) -> Regex:
    flat: set[Regex] = set()
    for r in options:
        if r[0] == "alt":
            flat |= r[1]  # type: ignore[arg-type]
        elif r != NULL:
            flat.add(r)
    if not flat:
        return NULL
    return next(iter(flat)) if len(flat) == 1 else ("alt", frozenset(flat))


def _star(a: Regex) -> Regex:
    if a in (EPS, NULL):
        return EPS
    return a if a[0] == "star" else ("star", a)


@functools.cache
def _nullable(r: Regex) -> bool:
    kind = r[0]
    if kind in ("eps", "star"):
        return True
    if kind == "seq":
        return _nullable(r[1]) and _nullable(r[2])  # type: ignore[arg-type]
    if kind == "alt":
        return any(_nullable(x) for x in r[1])  # type: ignore[attr-defined]
    return False


@functools.cache
def _derive(r: Regex, name: str) -> Regex:
    """What is left of ``r`` after one element called ``name``."""
    kind = r[0]
    if kind == "sym":
        return EPS if r[1] == name else NULL
    if kind == "seq":
        a, b = r[1], r[2]
        first = _seq(_derive(a, name), b)  # type: ignore[arg-type]
        return _alt(first, _derive(b, name)) if _nullable(a) else first  # type: ignore[arg-type]
    if kind == "alt":
        return _alt(*(_derive(x, name) for x in r[1]))  # type: ignore[attr-defined]
    if kind == "star":
        return _seq(_derive(r[1], name), r)  # type: ignore[arg-type]
    return NULL


@functools.cache
def _first(r: Regex) -> frozenset[str]:
    """The element names ``r`` can start with (what is expected at this point)."""
    kind = r[0]
    if kind == "sym":
        return frozenset((str(r[1]),))
    if kind == "seq":
        a, b = r[1], r[2]
        return _first(a) | _first(b) if _nullable(a) else _first(a)  # type: ignore[arg-type]
    if kind == "alt":
        return frozenset().union(*(_first(x) for x in r[1]))  # type: ignore[attr-defined]
    if kind == "star":
        return _first(r[1])  # type: ignore[arg-type]
    return frozenset()


# --- the grammar ------------------------------------------------------------------------------------


def _is_rng(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and el.tag.startswith(f"{{{RNG_NS}}}")


def _local(el: etree._Element) -> str:
    return str(el.tag).rpartition("}")[2]


def _tag(el: etree._Element) -> str:
    """``<p>`` for TEI elements, ``<{uri}x>`` for others: how messages name an element."""
    qname = etree.QName(el)
    if qname.namespace == TEI_NS:
        return f"<{qname.localname}>"
    return f"<{{{qname.namespace}}}{qname.localname}>" if qname.namespace else f"<{qname.localname}> (in no namespace)"


def _attribute_name(clark: str) -> str:
    """The schema's spelling of an attribute name: ``type``, ``xml:id``, or ``{uri}name``."""
    if clark.startswith(f"{{{XML_NS}}}"):
        return "xml:" + clark.rpartition("}")[2]
    return clark


def _names(names: frozenset[str] | set[str]) -> str:
    listed = [f"<{n}>" for n in sorted(names)]
    if not listed:
        return "no element"
    return listed[0] if len(listed) == 1 else "one of " + ", ".join(listed)


class Grammar:
    """The project's RELAX NG grammar as tables (parsed once; see :func:`project_grammar`)."""

    def __init__(self, data: bytes, source: str = "tei_cable.rng") -> None:
        self.source = source
        try:
            root = etree.fromstring(data, parser=schema_parser())
        except etree.XMLSyntaxError as err:
            raise SchemaError(f"the project schema is not well-formed XML: {err.msg}", path=source) from None
        if root.tag != f"{{{RNG_NS}}}grammar":
            raise SchemaError("the project schema's root must be a RELAX NG <grammar>", path=source)
        # The generator writes every name in the TEI namespace and every datatype as XSD's: the schema
        # must say so once, on the grammar, and nowhere else.
        if root.get("ns") != TEI_NS or root.get("datatypeLibrary") != XSD_DATATYPES:
            raise SchemaError(f"the <grammar> must set ns='{TEI_NS}' and datatypeLibrary='{XSD_DATATYPES}'",
                              path=source)
        self._root = root
        self.defines: dict[str, Define] = {}
        self.start: tuple[Node, ...] = ()
        for child in root.iterchildren(etree.Element):
            if not _is_rng(child):
                continue
            kind = _local(child)
            if kind == "start":
                self.start = self._patterns(child)
            elif kind == "define":
                name = child.get("name", "")
                if name in self.defines or child.get("combine"):
                    raise SchemaError(f"define {name!r} is given twice or combined", path=source,
                                      line=child.sourceline)
                doc = child.findtext(f"{{{ANNOTATION_NS}}}documentation") or ""
                self.defines[name] = Define(name, self._patterns(child), child.get(f"{{{TC_NS}}}rule", ""),
                                            " ".join(doc.split()))
            else:
                raise SchemaError(f"<{kind}> in the grammar is not supported", path=source, line=child.sourceline)
        for node in self.walk_all():
            if node.kind == "ref" and node.name not in self.defines:
                raise SchemaError(f"reference to an undefined pattern {node.name!r}", path=source, line=node.line)
        #: element name -> its define (every element is defined once, in a define of its own name)
        self.element_defines: dict[str, Define] = {}
        for define in self.defines.values():
            if len(define.body) == 1 and define.body[0].kind == "element":
                element = define.body[0]
                if element.name != define.name:
                    raise SchemaError(f"element <{element.name}> must be defined in a define named {element.name!r}",
                                      path=source, line=element.line)
                self.element_defines[element.name] = define
        for node in self.walk_all():
            if node.kind == "element" and node.name not in self.element_defines:
                raise SchemaError(f"element <{node.name}> must be the only pattern of its own define",
                                  path=source, line=node.line)
        if len(self.start) != 1 or self.start[0].kind != "ref" or self.start[0].name not in self.element_defines:
            raise SchemaError("<start> must be a single ref to an element define", path=source)
        self.root_element = self.start[0].name
        #: rule id -> what it checks (structural rules and every tc:rule of the schema)
        self.rules: dict[str, str] = dict(STRUCTURAL_RULES)
        for define in self.defines.values():
            if define.rule:
                self.rules.setdefault(define.rule, define.doc)
        self.elements: dict[str, ElementInfo] = {name: self._element_info(name) for name in self.element_defines}

    # --- parsing -----------------------------------------------------------------------------------

    def _patterns(self, el: etree._Element) -> tuple[Node, ...]:
        return tuple(self._node(c) for c in el.iterchildren(etree.Element) if _is_rng(c))

    def _node(self, el: etree._Element) -> Node:
        kind = _local(el)
        line = el.sourceline or 0
        if kind not in PATTERN_KINDS:
            raise SchemaError(f"<{kind}> is not in the RELAX NG subset tei-cable's tools support", path=self.source,
                              line=line)
        if any(a in el.attrib for a in ("ns", "datatypeLibrary")):
            raise SchemaError(f"<{kind}> may not set ns or datatypeLibrary (set them on <grammar> only)",
                              path=self.source, line=line)
        if kind == "value":
            return Node(kind, text=el.text or "", params=(("type", el.get("type", "token")),), line=line)
        if kind == "data":
            params = tuple((p.get("name", ""), p.text or "") for p in el.iterchildren(f"{{{RNG_NS}}}param"))
            if any(_is_rng(c) and _local(c) != "param" for c in el.iterchildren(etree.Element)):
                raise SchemaError("<data> may hold only <param>", path=self.source, line=line)
            return Node(kind, text=el.get("type", ""), params=params, line=line)
        name = el.get("name", "").strip()
        if kind in ("element", "attribute", "ref") and not name:
            raise SchemaError(f"<{kind}> needs a name attribute (name classes are not supported)", path=self.source,
                              line=line)
        if kind == "attribute" and ":" in name and not name.startswith("xml:"):
            raise SchemaError(f"attribute {name!r}: only the xml: prefix is supported", path=self.source, line=line)
        return Node(kind, name=name, children=self._patterns(el), line=line)

    def walk_all(self) -> list[Node]:
        """Every pattern node of the grammar (start and all defines), depth first."""
        out: list[Node] = []
        stack = [*self.start, *(n for d in self.defines.values() for n in d.body)]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(node.children)
        return out

    # --- kinds of define ---------------------------------------------------------------------------

    def is_element_define(self, name: str) -> bool:
        return name in self.element_defines

    def is_value_define(self, name: str) -> bool:
        return bool(self.defines[name].rule)

    def is_attribute_pattern(self, node: Node) -> bool:
        if node.kind == "attribute":
            return True
        if node.kind == "optional":
            return all(self.is_attribute_pattern(c) for c in node.children)
        return node.kind == "ref" and self.is_attribute_define(node.name)

    def is_attribute_define(self, name: str) -> bool:
        body = self.defines[name].body
        return bool(body) and all(self.is_attribute_pattern(n) for n in body)

    def is_text_macro(self, name: str) -> bool:
        """A content define that holds text (``macro.inline``): inlined into its elements, because an
        element's mixedness is a property of the element in XSD, not of a group."""
        return not (self.is_element_define(name) or self.is_attribute_define(name) or self.is_value_define(name)) \
            and any(n.kind in ("mixed", "text") for n in _flatten(self.defines[name].body))

    def expand(self, nodes: tuple[Node, ...]) -> tuple[Node, ...]:
        """``nodes`` with refs to text macros replaced by their content (recursively)."""
        out: list[Node] = []
        for node in nodes:
            if node.kind == "ref" and self.is_text_macro(node.name):
                out.extend(self.expand(self.defines[node.name].body))
            else:
                out.append(node)
        return tuple(out)

    # --- tables ------------------------------------------------------------------------------------

    def element(self, name: str) -> Node:
        return self.element_defines[name].body[0]

    def _element_info(self, name: str) -> ElementInfo:
        info = ElementInfo(name)
        self._collect_attributes(self.element(name).children, info, required=True)
        content = tuple(c for c in self.expand(self.element(name).children) if not self.is_attribute_pattern(c))
        info.model = self._regex(content)
        info.children = self._symbols(info.model)
        info.text = any(n.kind in ("text", "mixed") for n in content)
        info.content = self.describe(content) or "nothing (an empty element)"
        return info

    def _collect_attributes(self, nodes: tuple[Node, ...], info: ElementInfo, required: bool) -> None:
        for node in nodes:
            if node.kind == "attribute":
                define, rule, allowed = self._value_constraint(node)
                info.attributes[node.name] = AttributeInfo(node.name, required, define, rule, allowed)
            elif node.kind == "optional":
                self._collect_attributes(node.children, info, required=False)
            elif node.kind == "ref" and self.is_attribute_define(node.name):
                self._collect_attributes(self.defines[node.name].body, info, required)

    def _value_constraint(self, attribute: Node) -> tuple[str, str, str]:
        """(define, rule id, allowed values in words) of an attribute; ("", "", "any text") if free."""
        if not attribute.children or attribute.children[0].kind == "text":
            return "", "", "any text"
        node = attribute.children[0]
        if node.kind != "ref" or not self.is_value_define(node.name):
            raise SchemaError(f"attribute {attribute.name!r}: a value must be free text or a ref to a define with "
                              "a tc:rule", path=self.source, line=node.line)
        define = self.defines[node.name]
        values = self.closed_values(node.name)
        return define.name, define.rule, ("one of: " + ", ".join(values)) if values else define.doc

    def closed_values(self, define: str) -> list[str]:
        """The values of a closed list (a ``value`` or a ``choice`` of them), else []."""
        body = self.defines[define].body
        options = body[0].children if body and body[0].kind == "choice" else body
        if options and all(n.kind == "value" for n in options):
            return [n.text.strip() for n in options]
        return []

    def _regex(self, nodes: tuple[Node, ...]) -> Regex:
        out = EPS
        for node in nodes:
            out = _seq(out, self._regex_node(node))
        return out

    def _regex_node(self, node: Node) -> Regex:
        kind = node.kind
        if kind == "ref":
            if self.is_element_define(node.name):
                return ("sym", node.name)
            if self.is_attribute_define(node.name) or self.is_value_define(node.name):
                return EPS
            return self._regex(self.defines[node.name].body)
        if kind in ("group", "mixed"):
            return self._regex(node.children)
        if kind == "choice":
            return _alt(*(self._regex_node(c) for c in node.children))
        if kind == "optional":
            return _alt(self._regex(node.children), EPS)
        if kind == "zeroOrMore":
            return _star(self._regex(node.children))
        if kind == "oneOrMore":
            inner = self._regex(node.children)
            return _seq(inner, _star(inner))
        return EPS  # text, empty, attribute

    @staticmethod
    def _symbols(r: Regex) -> frozenset[str]:
        if r[0] == "sym":
            return frozenset((str(r[1]),))
        parts = r[1] if r[0] == "alt" else r[1:]
        return frozenset().union(*(Grammar._symbols(x) for x in parts if isinstance(x, tuple)))  # type: ignore

    # --- descriptions for messages -----------------------------------------------------------------

    def describe(self, nodes: tuple[Node, ...] | list[Node]) -> str:
        """A content model in compact notation: ``fileDesc, encodingDesc?, (p | list)+``, text as ``text``."""
        parts = [self._describe(n) for n in nodes if not self.is_attribute_pattern(n)]
        return ", ".join(p for p in parts if p)

    def _describe(self, node: Node) -> str:
        kind = node.kind
        if kind == "ref":
            if self.is_element_define(node.name):
                return node.name
            return self._group_text(self.defines[node.name].body)
        if kind == "text":
            return "text"
        if kind == "choice":
            return "(" + " | ".join(self._alternatives(node)) + ")"
        if kind == "mixed":
            inner = self._group_text(node.children)
            if inner.endswith("*") and inner.startswith("("):
                return "(text | " + inner[1:]
            return f"text and {inner}" if inner else "text"
        if kind in ("optional", "zeroOrMore", "oneOrMore"):
            mark = {"optional": "?", "zeroOrMore": "*", "oneOrMore": "+"}[kind]
            inner = self._group_text(node.children)
            single = len(node.children) == 1 and (inner.startswith("(") or inner.isidentifier())
            return f"{inner}{mark}" if single else f"({inner}){mark}"
        if kind == "group":
            return f"({self._group_text(node.children)})"
        return ""  # empty, attribute

    def _alternatives(self, node: Node) -> list[str]:
        """The branches of a choice, with nested choices (``model.inline`` in ``item``) flattened."""
        out: list[str] = []
        for child in node.children:
            target = child
            if child.kind == "ref" and not self.is_element_define(child.name):
                body = self.defines[child.name].body
                target = body[0] if len(body) == 1 else child
            if target.kind == "choice":
                out.extend(a for a in self._alternatives(target) if a not in out)
            elif (text := self._describe(child)) not in out:
                out.append(text)
        return out

    def _group_text(self, nodes: tuple[Node, ...]) -> str:
        parts = [self._describe(n) for n in nodes if not self.is_attribute_pattern(n)]
        parts = [p for p in parts if p]
        return parts[0] if len(parts) == 1 else ", ".join(parts)

    # --- values ------------------------------------------------------------------------------------

    @functools.cached_property
    def _value_checker(self) -> etree.RelaxNG:
        """A RELAX NG schema whose root may be any element named after a value define, with that
        define as the type of its attribute ``v``: ``<data.date v="1952-02-30"/>`` is invalid. Built
        from the schema's own defines, so a value is judged by exactly the datatype libxml2 uses."""
        grammar = etree.Element(self._root.tag, nsmap=self._root.nsmap)
        for key in ("ns", "datatypeLibrary"):
            grammar.set(key, self._root.get(key, ""))
        start = etree.SubElement(etree.SubElement(grammar, f"{{{RNG_NS}}}start"), f"{{{RNG_NS}}}choice")
        for define in self._root.iterchildren(f"{{{RNG_NS}}}define"):
            if define.get(f"{{{TC_NS}}}rule"):
                grammar.append(copy.deepcopy(define))
                element = etree.SubElement(start, f"{{{RNG_NS}}}element", name=define.get("name", ""))
                attribute = etree.SubElement(element, f"{{{RNG_NS}}}attribute", name="v")
                etree.SubElement(attribute, f"{{{RNG_NS}}}ref", name=define.get("name", ""))
        return etree.RelaxNG(grammar)

    def value_ok(self, define: str, value: str) -> bool:
        """Does ``value`` satisfy the value define ``define`` (ID uniqueness aside)?"""
        return self._value_ok(define, value)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one grammar per process; values repeat (#ids, dates)
    def _value_ok(self, define: str, value: str) -> bool:
        closed = self.closed_values(define)
        if closed:
            return " ".join(value.split()) in closed  # token values compare after whitespace collapsing
        probe = etree.Element(f"{{{TEI_NS}}}{define}", v=value)
        return bool(self._value_checker.validate(etree.ElementTree(probe)))

    # --- diagnosis ---------------------------------------------------------------------------------

    def diagnose(self, tree: etree._ElementTree | etree._Element) -> list[Problem]:
        """Every violation of the grammar in ``tree``, in document order.

        Like the engines, it does not look inside an element that is itself not allowed where it is,
        so one misplaced element yields one problem, not one per descendant.
        """
        root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
        problems: list[Problem] = []
        if root.tag != f"{{{TEI_NS}}}{self.root_element}":
            problems.append(Problem("root-element", root, (
                f"the root element is {_tag(root)}; a tei-cable document is <{self.root_element}> in the TEI "
                f'namespace: <{self.root_element} xmlns="{TEI_NS}">')))
            return problems
        ids: dict[str, etree._Element] = {}
        stack = [root]
        while stack:
            el = stack.pop()
            info = self.elements[etree.QName(el).localname]
            problems.extend(self._attribute_problems(el, info, ids))
            content, allowed = self._content_problems(el, info)
            problems.extend(content)
            stack.extend(reversed(allowed))
        return problems

    def _attribute_problems(self, el: etree._Element, info: ElementInfo,
                            ids: dict[str, etree._Element]) -> Iterator[Problem]:
        name = _tag(el)
        for clark, value in el.attrib.items():
            attr = _attribute_name(clark)
            spec = info.attributes.get(attr)
            if spec is None:
                yield Problem("attribute-not-allowed", el,
                              f"@{attr} is not allowed on {name}; {name} takes {info.attribute_list()}", attr)
            elif spec.define and not self.value_ok(spec.define, value):
                yield Problem(spec.rule, el, f'@{attr}="{value}" on {name} is not valid: {spec.allowed}', attr)
            elif attr == "xml:id":
                first = ids.setdefault(value, el)
                if first is not el:
                    where = f"line {first.sourceline}" if first.sourceline else "an earlier element"
                    yield Problem("id-unique", el, (
                        f'xml:id="{value}" on {name} is already used by {_tag(first)} on {where}; every xml:id must '
                        "be unique in the document"), attr)
        for attr, spec in info.attributes.items():
            if spec.required and el.get(_clark(attr)) is None:
                # No attribute to point at: the problem is located at the element.
                yield Problem("attribute-required", el, f"{name} lacks @{attr}, which it requires ({spec.allowed})")

    def _content_problems(self, el: etree._Element, info: ElementInfo) -> tuple[list[Problem], list[etree._Element]]:
        """Problems with ``el``'s text and children, and the children allowed where they are (to visit)."""
        problems: list[Problem] = []
        name = _tag(el)
        if not info.text:
            stray = next((t for t in [el.text, *(c.tail for c in el)] if t and t.strip()), None)
            if stray is not None:
                snippet = " ".join(stray.split())
                snippet = snippet if len(snippet) <= 40 else snippet[:39] + "…"
                holds = f"holds only elements: {info.content}" if info.children else "must be empty"
                problems.append(Problem("text-not-allowed", el, f'{name} contains the text "{snippet}" but {holds}'))
        state = info.model
        allowed: list[etree._Element] = []
        for child in el.iterchildren(etree.Element):
            qname = etree.QName(child)
            symbol = qname.localname if qname.namespace == TEI_NS and qname.localname in self.elements else ""
            after = _derive(state, symbol) if symbol else NULL
            if after == NULL:
                problems.append(Problem("element-not-allowed", child, self._misplaced(child, symbol, el, info, state)))
                continue  # skip it and go on, as if it were not there
            state = after
            allowed.append(child)
        if not _nullable(state):
            where = f"after its last child {_tag(allowed[-1])}" if allowed else "inside it"
            problems.append(Problem("content-incomplete", el, (
                f"{name} is incomplete: expected {_names(_first(state))} {where}; the content of {name} "
                f"is: {info.content}")))
        return problems, allowed

    def _misplaced(self, child: etree._Element, symbol: str, parent: etree._Element, info: ElementInfo,
                   state: Regex) -> str:
        name, where = _tag(child), _tag(parent)
        if etree.QName(child).namespace != TEI_NS:
            return f"{name} is not a TEI element; tei-cable documents use only elements of the TEI namespace ({TEI_NS})"
        if not symbol:
            return f"{name} is not an element of tei-cable's TEI; {where} may contain {_names(info.children)}"
        if symbol not in info.children:
            return f"{name} is not allowed in {where}, which may contain {_names(info.children)}"
        expected = _first(state)
        here = f"{_names(expected)} or the end of {where}" if _nullable(state) else _names(expected)
        if not expected:
            here = f"the end of {where}"
        return f"{name} is out of place in {where}: expected {here} here; the content of {where} is: {info.content}"


def _flatten(nodes: tuple[Node, ...]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        out.append(node)
        out.extend(_flatten(node.children))
    return out


def _clark(attr: str) -> str:
    return f"{{{XML_NS}}}{attr[4:]}" if attr.startswith("xml:") else attr


def schema_path(name: str) -> Path:
    """A file of the project schema as shipped in the package (``tei_cable/schema/<name>``)."""
    ref = resources.files("tei_cable").joinpath("schema", name)
    with resources.as_file(ref) as path:  # a real file for an installed package or a source tree
        if not path.is_file():
            raise SchemaError("the project schema is missing from the installation; reinstall tei-cable",
                              path=str(path))
        return Path(path)


@functools.cache
def project_grammar() -> Grammar:
    """The project grammar, read once per process."""
    path = schema_path("tei_cable.rng")
    return Grammar(path.read_bytes(), str(path))
