"""Validation against official TEI P5 (``tei_all``), fast enough to run on every document.

Example (with a file of your own)::

    from tei_cable.tei import read_xml
    v = TeiAllValidator()
    tree = read_xml("tests/teiall/invalid/wrong-place.xml")
    [(i.line, i.rule, i.xpath) for i in v.iter_issues(tree)]
    [(13, 'tei-all:RELAXNG_ERR_ELEMWRONG', '/tei:TEI/tei:text/tei:body/tei:item'), ...]

Compiling the whole of ``tei_all`` (1200 defines, 590 elements) with libxml2 takes seconds, longer than
jing takes to check a hundred files. A document uses a few dozen of those elements, so we compile a
grammar *pruned to the element names the document can contain* and cache it on disk.

Why pruning keeps every verdict (the equivalence argument)
------------------------------------------------------------
Let S be a set of element names (namespace URI + local name) and D a document all of whose elements
have names in S. Let G be tei_all and G_S the grammar in which every ``element`` pattern whose name
class contains no name of S is replaced by ``notAllowed``. Claim: D is valid against G iff against G_S.

* RELAX NG semantics (spec section 6) is a set of inference rules; "D matches G" means a finite
  derivation exists. The only rule that looks at an ``element`` pattern is the element rule, and it
  applies to an element of D only if D's element name is in the pattern's name class. A pattern whose
  name class holds no name of S can therefore never take part in a derivation for D.
* So a derivation for D against G uses only patterns that G_S keeps unchanged: it is also a derivation
  against G_S. Conversely G_S only *removes* possibilities (``notAllowed`` matches nothing, and every
  pattern operator is monotone), so a derivation against G_S is one against G. Same verdict.
* The name-class test is exact, not a guess by tag: ``name`` (written as ``@name``, possibly a QName,
  or as a ``<name>`` child), ``anyName``, ``nsName`` and ``except`` are evaluated against every name in
  S, so wildcards such as those inside ``egXML``/``xenoData`` survive exactly when D could use them.

We then simplify with rules that preserve the matched language exactly (spec 4.20 and the obvious
ones): ``choice`` drops ``notAllowed`` branches; ``group``/``interleave``/``oneOrMore``/``list``/
``mixed``/``attribute``/``element`` with a ``notAllowed`` part are ``notAllowed`` (an element whose
content matches nothing matches no element); ``optional``/``zeroOrMore`` of ``notAllowed`` are
``empty``. A ``define`` is ``notAllowed`` when no *finite* tree can match it: we compute the least
fixpoint of "productive" defines (the language of a recursive grammar is its least fixpoint, so a
define that only recurses into itself matches nothing). ``ref``s to unproductive defines become
``notAllowed`` and defines no longer reachable from ``start`` are dropped. Annotations (foreign
elements and attributes, including the embedded Schematron, which neither jing nor libxml2 runs) are
dropped. ``ns`` and ``datatypeLibrary`` are inherited attributes, so they are written explicitly where
the output's structure would otherwise inherit a different value. Grammars using constructs the pruner
does not model (``include``, ``externalRef``, nested ``grammar``, ``combine``) are compiled unpruned.

Two more steps enlarge S and so, by the same argument, cannot change a verdict; they only make
libxml2's messages point at the right element: the root elements of ``start`` are always kept (a
document with a wrong root meets a grammar that names the expected one), and an element of S whose
content would otherwise be ``notAllowed`` (``<respStmt>`` without any of the names it requires) gets
the cheapest set of names that makes it matchable (see :meth:`_Pruner._witness_names`).

libxml2 is not jing, and its compiler is fragile: it loops forever on some degenerate shapes that
tei_all itself never contains (a one-child ``group`` around a recursive ``oneOrMore``; ``group(empty,
...)``), so the output is always written in the plainest form. The tests compare verdicts with jing on
valid, invalid and randomly mutated documents; thousands of random name sets were compiled to check
that none hangs; the benchmark shows the speed.

Caching and growth
------------------
One compiled grammar serves every document whose names are a subset of its S. S starts as
:data:`BASE_ELEMENTS` plus the document's names; a document that brings a new name grows S (``S |
names``) and recompiles, or :meth:`TeiAllValidator.prepare` compiles once for a whole batch. The
pruned grammar text is cached under ``<cache>/tei-all/<schema sha>/<key>.rng`` with key =
sha256(pruner version, schema sha256, sorted S), written atomically (temporary file + rename), so later
processes skip reading the full schema and pruning and only compile. An index of recently used name
sets lets a later run start from a (modestly) larger grammar an earlier run grew, so a second run over
a corpus compiles once or twice instead of once per growth step.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from ..errors import SchemaError
from ..files import write_atomic
from ..schemas import cache_dir, find_tei_all
from ..tei import TEI_NS, XML_NS, is_tei, schema_parser
from .report import Issue

RNG_NS = "http://relaxng.org/ns/structure/1.0"

#: Bump whenever the pruned output for the same (schema, S) could change: old cache entries then
#: simply stop matching their key and are rebuilt.
PRUNER_VERSION = "1"

#: Names every compiled grammar includes besides the document's own: the skeleton any valid TEI
#: document needs. Deliberately small: libxml2's compile time grows faster than linearly with the
#: number of elements (about 1 ms for 10 names, 15 ms for 115, 70 ms for 170, 4.7 s for all 588), so
#: a broad "typical cable" base would cost more than the occasional growth it saves. Batches call
#: :meth:`TeiAllValidator.prepare` to compile once for the union of their documents instead.
BASE_ELEMENTS: frozenset[str] = frozenset(
    f"{{{TEI_NS}}}{n}"
    for n in (
        "TEI", "teiHeader", "fileDesc", "titleStmt", "title", "publicationStmt", "sourceDesc", "text", "body", "p",
    )
)

# The TEI stylesheets write "TEI Edition: P5 Version 4.9.0." with a no-break space before the number;
# a str pattern's \s matches it (a bytes pattern's would not).
_VERSION_RE = re.compile(r"TEI Edition:\s*P5\s+Version\s+([0-9][0-9A-Za-z.\-]*[0-9A-Za-z])")


def schema_version(data: bytes) -> str:
    """The TEI release named in the schema's header comment (``"4.9.0"``), or ``"unknown"``."""
    match = _VERSION_RE.search(data[:8192].decode("utf-8", errors="replace"))
    return match.group(1) if match else "unknown"


def clark(ns: str, local: str) -> str:
    """``{ns}local``, or bare ``local`` for no namespace: the form lxml uses for ``element.tag``."""
    return f"{{{ns}}}{local}" if ns else local


def _ns_of(name: str) -> str:
    return name[1:].partition("}")[0] if name.startswith("{") else ""


def element_names(tree: etree._ElementTree | etree._Element) -> frozenset[str]:
    """Clark names of all elements in a document (comments and PIs have no name)."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    return frozenset(el.tag for el in root.iter(etree.Element))  # type: ignore[arg-type]


class Unprunable(Exception):
    """The grammar uses a construct the pruner does not model; it is compiled whole instead."""


# --- the grammar model ------------------------------------------------------------------------------

# Name classes, evaluated against a set of Clark names:
#   ("name", clark) | ("any", except_or_None) | ("ns", uri, except_or_None) | ("choice", [nc, ...])
NameClass = tuple[object, ...]


def _nc_contains(nc: NameClass, name: str) -> bool:
    kind = nc[0]
    if kind == "name":
        return nc[1] == name
    if kind == "any":
        exc = nc[1]
        return exc is None or not _nc_contains(exc, name)  # type: ignore[arg-type]
    if kind == "ns":
        exc = nc[2]
        return _ns_of(name) == nc[1] and (exc is None or not _nc_contains(exc, name))  # type: ignore[arg-type]
    return any(_nc_contains(c, name) for c in nc[1])  # type: ignore[attr-defined]


@dataclass(eq=False)
class _Node:
    """One RELAX NG element of the source grammar, with annotations removed and inheritance resolved.

    ``ns``/``dl`` are the *effective* ``ns`` and ``datatypeLibrary`` at this element (own attribute,
    else inherited), so output can be written anywhere without depending on its ancestors.
    """

    kind: str  # local name in the RELAX NG namespace: "element", "ref", "choice", ...
    attrs: dict[str, str]  # the element's own unqualified attributes (name, type, combine, ...)
    ns: str
    dl: str
    text: str = ""  # for value, param and name
    children: list[_Node] = field(default_factory=list)
    nc: NameClass | None = None  # element/attribute patterns: their name class
    name_attr: str = ""  # element/attribute: how to write @name (local name, or "xml:..." verbatim)
    name_ns: str | None = None  # element/attribute: explicit ns for @name (None: write none)


_NAME_CLASS_KINDS = frozenset(("name", "anyName", "nsName", "choice"))


def _split_qname(qname: str, nsmap: dict[str | None, str], default_ns: str) -> tuple[str, str, bool]:
    """(ns, local, prefixed) for a QName in a schema; an unbound prefix makes the grammar unprunable."""
    qname = qname.strip()
    if ":" not in qname:
        return default_ns, qname, False
    prefix, local = qname.split(":", 1)
    if prefix == "xml":
        return XML_NS, local, True
    uri = nsmap.get(prefix)
    if uri is None:
        raise Unprunable(f"unbound prefix {prefix!r} in {qname!r}")
    return uri, local, True


class _Grammar:
    """The full tei_all grammar, parsed once per process (and only when the cache misses)."""

    def __init__(self, data: bytes) -> None:
        try:
            root = etree.fromstring(data, parser=schema_parser())
        except etree.XMLSyntaxError as err:
            raise SchemaError(f"the tei_all schema is not well-formed XML: {err.msg}") from None
        if root.tag != f"{{{RNG_NS}}}grammar":
            raise Unprunable("the schema's root is not a RELAX NG <grammar>")
        self.root_ns = root.get("ns", "")
        self.root_dl = root.get("datatypeLibrary", "")
        self.defines: dict[str, _Node] = {}
        self.start: _Node | None = None
        self._collect(root, self.root_ns, self.root_dl)
        if self.start is None:
            raise Unprunable("the grammar has no <start>")
        #: define name -> names of the defines that refer to it (to re-check them when it changes)
        self.users: dict[str, set[str]] = {name: set() for name in self.defines}
        #: every element pattern with a single name, in document order
        self.named_elements: list[_Node] = []
        for owner, body in [("", self.start), *self.defines.items()]:
            for node in _iter_kind(body, "ref", "element"):
                if node.kind == "element":
                    if node.nc is not None and node.nc[0] == "name":
                        self.named_elements.append(node)
                    continue
                target = node.attrs.get("name", "").strip()
                if target not in self.defines:
                    raise SchemaError(f"the tei_all schema refers to an undefined pattern {target!r}")
                node.attrs["name"] = target
                if owner:
                    self.users[target].add(owner)

    # grammar-level content: start, define, div (include is not modelled)
    def _collect(self, el: etree._Element, ns: str, dl: str) -> None:
        for child in el.iterchildren(etree.Element):
            if not isinstance(child.tag, str) or not child.tag.startswith(f"{{{RNG_NS}}}"):
                continue  # annotation
            kind = child.tag.rpartition("}")[2]
            cns, cdl = child.get("ns", ns), child.get("datatypeLibrary", dl)
            if kind == "div":
                self._collect(child, cns, cdl)
            elif kind in ("start", "define"):
                if child.get("combine") is not None:
                    raise Unprunable("combine= is not modelled")
                node = _Node(kind, dict(child.attrib), cns, cdl)
                node.children = self._patterns(child, cns, cdl)
                if kind == "start":
                    if self.start is not None:
                        raise Unprunable("more than one <start>")
                    self.start = node
                else:
                    name = child.get("name", "").strip()
                    if name in self.defines:
                        raise Unprunable(f"define {name!r} appears twice")
                    self.defines[name] = node
            else:
                raise Unprunable(f"<{kind}> in a grammar is not modelled")

    def _patterns(self, el: etree._Element, ns: str, dl: str) -> list[_Node]:
        out: list[_Node] = []
        for child in el.iterchildren(etree.Element):
            if not isinstance(child.tag, str) or not child.tag.startswith(f"{{{RNG_NS}}}"):
                continue
            out.append(self._node(child, ns, dl))
        return out

    def _node(self, el: etree._Element, ns: str, dl: str) -> _Node:
        kind = el.tag.rpartition("}")[2]  # type: ignore[union-attr]
        own = {k: v for k, v in el.attrib.items() if not k.startswith("{")}
        ns, dl = own.get("ns", ns), own.get("datatypeLibrary", dl)
        node = _Node(kind, own, ns, dl)
        if kind in ("externalRef", "grammar", "parentRef", "include"):
            raise Unprunable(f"<{kind}> is not modelled")
        if kind in ("value", "param"):
            node.text = el.text or ""  # whitespace in a value is significant: keep it exactly
            if kind == "param":
                return node
        children = [c for c in el.iterchildren(etree.Element) if str(c.tag).startswith(f"{{{RNG_NS}}}")]
        if kind in ("element", "attribute"):
            if "name" in own:
                # An attribute's @name takes no inherited ns (spec 4.8): "" unless given or prefixed.
                default = ns if kind == "element" else own.get("ns", "")
                uri, local, prefixed = _split_qname(own["name"], el.nsmap, default)
                node.nc = ("name", clark(uri, local))
                if prefixed and uri == XML_NS:
                    node.name_attr, node.name_ns = own["name"].strip(), None  # xml: is always bound
                elif kind == "element" or prefixed or "ns" in own:
                    node.name_attr, node.name_ns = local, uri
                else:
                    node.name_attr, node.name_ns = local, None
            else:
                if not children:
                    raise SchemaError(f"<{kind}> without a name in the tei_all schema")
                first, children = children[0], children[1:]
                node.children.append(self._name_class(first, ns))
                node.nc = _compile_nc(node.children[0])
        if kind == "data":
            # data's children are param and except (of data/value/choice); copied verbatim
            node.children = [self._node(c, ns, dl) for c in children]
            return node
        if kind == "value":
            return node
        node.children.extend(self._node(c, ns, dl) for c in children)
        return node

    def _name_class(self, el: etree._Element, ns: str) -> _Node:
        kind = el.tag.rpartition("}")[2]  # type: ignore[union-attr]
        if kind not in _NAME_CLASS_KINDS and kind != "except":
            raise Unprunable(f"<{kind}> is not a name class")
        own = {k: v for k, v in el.attrib.items() if not k.startswith("{")}
        ns = own.get("ns", ns)
        node = _Node(kind, own, ns, "")
        if kind == "name":
            uri, local, _ = _split_qname(el.text or "", el.nsmap, ns)
            node.text, node.ns = local, uri
            return node
        for child in el.iterchildren(etree.Element):
            if str(child.tag).startswith(f"{{{RNG_NS}}}"):
                node.children.append(self._name_class(child, ns))
        return node


def _compile_nc(node: _Node) -> NameClass:
    if node.kind == "name":
        return ("name", clark(node.ns, node.text))
    exc = next((c for c in node.children if c.kind == "except"), None)
    exc_nc: NameClass | None = None
    if exc is not None:
        parts = [_compile_nc(c) for c in exc.children]
        exc_nc = parts[0] if len(parts) == 1 else ("choice", parts)
    if node.kind == "anyName":
        return ("any", exc_nc)
    if node.kind == "nsName":
        return ("ns", node.ns, exc_nc)
    return ("choice", [_compile_nc(c) for c in node.children])


def _iter_kind(node: _Node, *kinds: str) -> Iterator[_Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.kind in kinds:
            yield n
        stack.extend(reversed(n.children))


def _pattern_children(node: _Node) -> list[_Node]:
    """The content patterns of an element/attribute (its name class, if a child, comes first)."""
    if node.kind in ("element", "attribute") and "name" not in node.attrs:
        return node.children[1:]
    return node.children


# --- pruning ----------------------------------------------------------------------------------------

Witness = frozenset[str]


class _Pruner:
    """Prune one grammar to one name set S; see the module docstring for why verdicts are kept."""

    def __init__(self, grammar: _Grammar, names: Iterable[str]) -> None:
        self.g = grammar
        self.names: set[str] = set(names)
        self._keep_memo: dict[int, bool] = {}
        # Root elements are always kept, so a document with a wrong root element still meets a
        # grammar whose start is not empty, and libxml2 names the root it expected.
        assert grammar.start is not None
        for el in _iter_elements_no_descend(grammar.start, grammar.defines):
            if el.nc is not None and el.nc[0] == "name":
                self.names.add(str(el.nc[1]))
        self.productive = self._productive_defines()
        missing = self._witness_names()
        if missing:
            self.names |= missing
            self._keep_memo.clear()
            self.productive = self._productive_defines()

    def keeps(self, el: _Node) -> bool:
        """Does this element pattern's name class contain a name of S? (exact, wildcards included)"""
        key = id(el)
        hit = self._keep_memo.get(key)
        if hit is None:
            nc = el.nc
            assert nc is not None
            hit = nc[1] in self.names if nc[0] == "name" else any(_nc_contains(nc, n) for n in self.names)
            self._keep_memo[key] = hit
        return hit

    def _productive_defines(self) -> set[str]:
        """Least fixpoint of "some finite tree over S matches this define" (a worklist: a define is
        re-checked only when one it refers to has just become productive)."""
        productive: set[str] = set()
        queue = list(reversed(self.g.defines))
        while queue:
            name = queue.pop()
            if name in productive or not self._ok(self.g.defines[name], productive):
                continue
            productive.add(name)
            queue.extend(u for u in self.g.users[name] if u not in productive)
        return productive

    def _ok(self, node: _Node, productive: set[str]) -> bool:
        """Can some finite tree over S match this pattern, given the defines known productive?"""
        kind = node.kind
        if kind == "ref":
            return node.attrs["name"] in productive
        if kind == "notAllowed":
            return False
        if kind in ("empty", "text", "value", "data", "optional", "zeroOrMore"):
            return True
        if kind == "element" and not self.keeps(node):
            return False
        if kind == "choice":
            return any(self._ok(c, productive) for c in node.children)
        # group, interleave, oneOrMore, list, mixed, define, start, element and attribute content
        return all(self._ok(c, productive) for c in _pattern_children(node))

    # --- better messages: make every element of S matchable -------------------------------------

    def _witness_names(self) -> set[str]:
        """Names to add to S so that every element pattern named in S can match something.

        This never changes a verdict (any S containing the document's names gives the same one),
        but it places libxml2's message well: if a document has ``<respStmt><resp/></respStmt>``,
        S lacks every name that respStmt requires, respStmt's pattern would become notAllowed and
        the error would surface at an ancestor ("did not expect respStmt"). With a witness such as
        ``name`` added, libxml2 reports "expecting an element" at respStmt itself, as jing does.
        Runs only when some element of S is unmatchable, i.e. for some invalid documents.
        """
        starved = [
            el
            for el in self.g.named_elements
            if el.nc is not None and el.nc[1] in self.names and not self._ok(el, self.productive)
        ]
        if not starved:
            return set()
        best = self._cheapest_witnesses()
        missing: set[str] = set()
        for el in starved:
            w = self._witness(el, best)
            if w is not None:
                missing |= w - self.names
        return missing

    def _cheapest_witnesses(self) -> dict[str, Witness]:
        """For each define, a small set of element names with which it can match a finite tree
        (shortest-derivation fixpoint: a define's witness only ever gets cheaper, so it ends)."""
        best: dict[str, Witness] = {}
        changed = True
        while changed:
            changed = False
            for name, define in self.g.defines.items():
                w = self._witness(define, best)
                if w is None:
                    continue
                old = best.get(name)
                if old is None or len(w - self.names) < len(old - self.names):
                    best[name] = w
                    changed = True
        return best

    def _witness(self, node: _Node, best: dict[str, Witness]) -> Witness | None:
        kind = node.kind
        if kind == "ref":
            return best.get(node.attrs["name"])
        if kind == "notAllowed":
            return None
        if kind in ("empty", "text", "value", "data", "optional", "zeroOrMore"):
            return frozenset()
        if kind == "choice":
            options = [w for w in (self._witness(c, best) for c in node.children) if w is not None]
            return min(options, key=lambda w: len(w - self.names)) if options else None
        own: Witness = frozenset()
        if kind == "element":
            assert node.nc is not None
            if node.nc[0] == "name":
                own = frozenset((str(node.nc[1]),))
            elif not self.keeps(node):
                return None  # a wildcard matching no name of S: no cheap witness
        out = own
        for child in _pattern_children(node):
            w = self._witness(child, best)
            if w is None:
                return None
            out |= w
        return out

    # --- output: the pruned grammar as text ----------------------------------------------------

    def serialise(self, header: str) -> bytes:
        """The pruned grammar; ``header`` goes into a leading comment (no ``--`` allowed)."""
        g = self.g
        assert g.start is not None
        self._queue: list[str] = []
        self._emitted: set[str] = set()
        start = self._group(g.start.children)
        parts = [
            f"<?xml version='1.0' encoding='UTF-8'?>\n<!--{header}-->\n",
            f"<grammar xmlns={quoteattr(RNG_NS)} ns={quoteattr(g.root_ns)}"
            f" datatypeLibrary={quoteattr(g.root_dl)}>",
            f"<start>{_or_empty(start)}</start>",
        ]
        while self._queue:
            name = self._queue.pop()
            body = self._group(g.defines[name].children)
            parts.append(f"<define name={quoteattr(name)}>{_or_empty(body)}</define>")
        parts.append("</grammar>\n")
        return "".join(parts).encode("utf-8")

    def _group(self, children: list[_Node]) -> str | None:
        """An implicit group (content of element, define, oneOrMore...): None is notAllowed, "" empty."""
        parts = self._parts(children)
        return None if parts is None else "".join(parts)

    def _parts(self, children: list[_Node]) -> list[str] | None:
        out: list[str] = []
        for child in children:
            text = self._emit(child)
            if text is None:
                return None  # one part matching nothing: the whole group matches nothing
            if text:
                out.append(text)  # an empty part adds nothing to a group
        return out

    def _emit(self, n: _Node) -> str | None:  # one branch per pattern kind, kept together on purpose
        kind = n.kind
        if kind == "ref":
            name = n.attrs["name"]
            if name not in self.productive:
                return None
            if name not in self._emitted:
                self._emitted.add(name)
                self._queue.append(name)
            return f"<ref name={quoteattr(name)}/>"
        if kind in ("element", "attribute"):
            if kind == "element" and not self.keeps(n):
                return None
            content = _pattern_children(n)
            body = self._group(content) if content else ""
            if body is None:
                return None  # an element (attribute) whose content matches nothing matches nothing
            if not body and (kind == "element" or content):
                body = "<empty/>"  # no pattern child would mean text for an attribute, error for element
            return f"<{kind}{self._name_attrs(n)}>{self._nc_text(n)}{body}</{kind}>"
        if kind == "choice":
            alts: list[str] = []
            nullable = False
            for child in n.children:
                text = self._emit(child)
                if text == "":
                    nullable = True
                elif text is not None and text not in alts:
                    alts.append(text)
            # Spell the result in the plainest form (empty, X, optional X, choice): libxml2's
            # compiler can loop forever on degenerate shapes such as group(empty, recursion).
            if not alts:
                return "" if nullable else None
            body = alts[0] if len(alts) == 1 else f"<choice>{''.join(alts)}</choice>"
            return f"<optional>{body}</optional>" if nullable else body
        if kind in ("group", "interleave"):
            parts = self._parts(n.children)
            if parts is None or len(parts) < 2:
                # never a one-child group: libxml2 loops on one around a recursive oneOrMore
                return parts[0] if parts else ("" if parts is not None else None)
            return f"<{kind}>{''.join(parts)}</{kind}>"
        if kind in ("optional", "zeroOrMore", "oneOrMore", "mixed", "list"):
            body = self._group(n.children)
            if body is None:
                # optional/zeroOrMore of nothing is empty; the others match nothing
                return "" if kind in ("optional", "zeroOrMore") else None
            if not body:
                return {"mixed": "<text/>", "list": "<list><empty/></list>"}.get(kind, "")
            return f"<{kind}>{body}</{kind}>"
        if kind == "notAllowed":
            return None
        if kind == "empty":
            return ""
        if kind == "text":
            return "<text/>"
        if kind in ("value", "data"):
            return self._verbatim(n)
        raise Unprunable(f"<{kind}> is not modelled")

    def _name_attrs(self, n: _Node) -> str:
        if not n.name_attr:
            return ""
        ns = f" ns={quoteattr(n.name_ns)}" if n.name_ns is not None else ""
        return f" name={quoteattr(n.name_attr)}{ns}"

    def _nc_text(self, n: _Node) -> str:
        return "" if n.name_attr else _name_class_text(n.children[0])

    def _verbatim(self, n: _Node) -> str:
        """value/data/param/except copied as they are, with ``datatypeLibrary`` (and a value's ``ns``)
        made explicit wherever the output's root would give an inherited value the source did not."""
        attrs = dict(n.attrs)
        if n.kind in ("value", "data") and (n.dl != self.g.root_dl or "datatypeLibrary" in n.attrs):
            attrs["datatypeLibrary"] = n.dl
        if n.kind == "value" and (n.ns != self.g.root_ns or "ns" in n.attrs):
            attrs["ns"] = n.ns
        attr_text = "".join(f" {k}={quoteattr(v)}" for k, v in sorted(attrs.items()))
        if n.kind in ("value", "param"):
            return f"<{n.kind}{attr_text}>{escape(n.text)}</{n.kind}>"
        inner = "".join(self._verbatim(c) for c in n.children)
        return f"<{n.kind}{attr_text}>{inner}</{n.kind}>" if inner else f"<{n.kind}{attr_text}/>"


def _or_empty(body: str | None) -> str:
    if body is None:
        return "<notAllowed/>"
    return body or "<empty/>"


def _name_class_text(n: _Node) -> str:
    """Name classes are written with an explicit ``ns`` everywhere, so they mean the same anywhere."""
    if n.kind == "name":
        return f"<name ns={quoteattr(n.ns)}>{escape(n.text)}</name>"
    inner = "".join(_name_class_text(c) for c in n.children)
    ns = f" ns={quoteattr(n.ns)}" if n.kind == "nsName" else ""
    return f"<{n.kind}{ns}>{inner}</{n.kind}>" if inner else f"<{n.kind}{ns}/>"


def _iter_elements_no_descend(node: _Node, defines: dict[str, _Node]) -> Iterator[_Node]:
    """Element patterns reachable from ``node`` through refs without entering an element."""
    seen: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if n.kind == "element":
            yield n
        elif n.kind == "ref":
            name = n.attrs["name"]
            if name not in seen:
                seen.add(name)
                stack.append(defines[name])
        else:
            stack.extend(n.children)


def prune(schema: bytes, names: Iterable[str], header: str = " pruned tei_all ") -> bytes:
    """The text of RELAX NG grammar ``schema`` pruned to the element names ``names`` (Clark notation).

    Raises :class:`Unprunable` for grammars using constructs the pruner does not model.
    """
    return _Pruner(_Grammar(schema), names).serialise(header)


_GRAMMARS: dict[str, _Grammar] = {}


def _parsed_grammar(schema: bytes, sha256: str) -> _Grammar:
    """The full grammar, parsed on the first cache miss and then kept for the process (by hash, so
    every validator of the same schema shares it: parsing 1 MB of RELAX NG takes ~50 ms)."""
    grammar = _GRAMMARS.get(sha256)
    if grammar is None:
        grammar = _GRAMMARS[sha256] = _Grammar(schema)
    return grammar


# --- the on-disk cache ------------------------------------------------------------------------------


def grammar_cache_dir(root: Path | None = None) -> Path:
    """Where pruned grammars are cached: ``<cache>/tei-all`` (see :func:`tei_cable.schemas.cache_dir`)."""
    return (root if root is not None else cache_dir()) / "tei-all"


def cache_key(schema_sha256: str, names: Iterable[str]) -> str:
    """The cache key of a pruned grammar: what it was pruned from, by which pruner, to which names.

    JSON keeps the parts apart unambiguously (a namespace URI may contain any character).
    """
    material = json.dumps([PRUNER_VERSION, schema_sha256, sorted(names)], separators=(",", ":"))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass
class CacheStats:
    """What a validator did, for tests and the benchmark."""

    pruned: int = 0  # grammars built from the full schema (cache misses)
    cache_hits: int = 0  # grammars read from the disk cache
    compiled: int = 0  # libxml2 compilations
    grown: int = 0  # times a document brought names outside the current grammar


class _CacheIndex:
    """The name sets of the most recently used cached grammars (``index.json``), newest last.

    It lets a run start from a grammar an earlier run grew: a second ``tei-cable validate`` over a
    corpus then compiles once instead of once per growth step. Only a modestly larger superset is
    taken (libxml2's compile time grows faster than the grammar), and the cache keeps only the
    :data:`INDEX_SIZE` most recent grammars, so it stays a few megabytes. The index is a hint: if a
    concurrent process loses an update, we only miss a shortcut; grammars are found by exact key.
    """

    INDEX_SIZE = 64

    def __init__(self, directory: Path) -> None:
        self.path = directory / "index.json"
        self._entries: list[tuple[str, frozenset[str]]] | None = None

    def entries(self) -> list[tuple[str, frozenset[str]]]:
        if self._entries is None:
            self._entries = []
            with contextlib.suppress(OSError, ValueError, TypeError):
                data = json.loads(self.path.read_bytes())
                if data.get("pruner") == PRUNER_VERSION:
                    self._entries = [(str(k), frozenset(map(str, n))) for k, n in data["entries"]]
        return self._entries

    def superset(self, names: frozenset[str]) -> frozenset[str] | None:
        """The largest recorded name set containing ``names`` and at most max(2n, n + 100) long."""
        limit = max(2 * len(names), len(names) + 100)
        fits = [n for _, n in self.entries() if len(n) <= limit and names <= n]
        return max(fits, key=len) if fits else None

    def record(self, key: str, names: frozenset[str]) -> None:
        entries = [(k, n) for k, n in self.entries() if k != key]
        if self._entries and self._entries[-1][0] == key:
            return  # already the newest: no write
        entries.append((key, names))
        evicted, self._entries = entries[: -self.INDEX_SIZE], entries[-self.INDEX_SIZE :]
        data = {"pruner": PRUNER_VERSION, "entries": [[k, sorted(n)] for k, n in self._entries]}
        with contextlib.suppress(OSError):
            write_atomic(self.path, json.dumps(data, separators=(",", ":")).encode("utf-8"), parents=True)
            for old_key, _ in evicted:
                (self.path.parent / f"{old_key}.rng").unlink(missing_ok=True)


# --- the validator ----------------------------------------------------------------------------------


class TeiAllValidator:
    """Validate against official TEI P5 ``tei_all``; verdicts equal jing's (see the module docstring).

        v = TeiAllValidator()
        v.prepare(trees)              # optional: one compile for a batch
        issues = [list(v.iter_issues(t)) for t in trees]

    ``schema``: the tei_all ``.rng`` (default: :func:`tei_cable.schemas.find_tei_all`).
    ``base``: names every grammar includes (:data:`BASE_ELEMENTS`). ``cache``: ``False`` to neither
    read nor write the disk cache; ``cache_root`` overrides the cache directory.
    """

    name = "tei-all"

    def __init__(
        self,
        schema: Path | str | None = None,
        *,
        base: Iterable[str] = BASE_ELEMENTS,
        cache: bool = True,
        cache_root: Path | None = None,
    ) -> None:
        self.schema_path = find_tei_all(Path(schema) if schema is not None else None)
        try:
            self._schema = self.schema_path.read_bytes()
        except OSError as err:
            raise SchemaError(f"cannot read the tei_all schema: {err.strerror}", path=self.schema_path) from None
        self.schema_sha256 = hashlib.sha256(self._schema).hexdigest()
        #: the TEI release of the schema ("4.9.0"), for reports
        self.version = schema_version(self._schema)
        self.base = frozenset(base)
        self.cache = cache
        self.cache_dir = grammar_cache_dir(cache_root) / self.schema_sha256[:16]
        self._index = _CacheIndex(self.cache_dir)
        self.stats = CacheStats()
        self.names: frozenset[str] | None = None  # S of the compiled grammar (None: nothing compiled)
        self._rng: etree.RelaxNG | None = None
        self._whole = False  # True once the grammar turned out unprunable: compiled whole

    @property
    def description(self) -> str:
        """What this validator checks against, for reports (``describe()`` in tei_cable.validate)."""
        return f"official TEI P5 {self.version} tei_all ({self.schema_path.name}, sha256 {self.schema_sha256[:12]})"

    # -- public API --

    def prepare(self, documents: Iterable[etree._ElementTree | etree._Element]) -> None:
        """Compile once for every element name used in ``documents`` (call before a batch)."""
        names: set[str] = set()
        for doc in documents:
            names |= element_names(doc)
        self._ensure(frozenset(names))

    def is_valid(self, tree: etree._ElementTree | etree._Element) -> bool:
        return self._ensure(element_names(tree)).validate(tree)

    def iter_issues(self, tree: etree._ElementTree | etree._Element) -> Iterator[Issue]:
        """Yield one error per libxml2 message; nothing when ``tree`` is valid against tei_all."""
        rng = self._ensure(element_names(tree))
        if rng.validate(tree):
            return
        doc = tree if isinstance(tree, etree._ElementTree) else tree.getroottree()
        seen: set[tuple[int, str, str]] = set()
        for entry in rng.error_log:
            key = (entry.line, entry.type_name, entry.message)
            if key in seen:
                continue  # libxml2 repeats some messages while backtracking
            seen.add(key)
            yield _issue(self.name, doc, entry)

    # -- compiling and caching --

    def _ensure(self, doc_names: frozenset[str]) -> etree.RelaxNG:
        """The compiled grammar, grown (recompiled) if ``doc_names`` is not covered by it."""
        if self._rng is not None and (self._whole or (self.names is not None and doc_names <= self.names)):
            return self._rng
        names = (self.names or self.base) | doc_names
        if self._rng is not None:
            self.stats.grown += 1
        if self.cache:
            names = self._index.superset(names) or names
        self._rng = self._compile(names)
        self.names = names
        if self.cache and not self._whole:
            self._index.record(cache_key(self.schema_sha256, names), names)
        return self._rng

    def _compile(self, names: frozenset[str]) -> etree.RelaxNG:
        key = cache_key(self.schema_sha256, names)
        path = self.cache_dir / f"{key}.rng"
        header = f" tei-cable pruned tei_all: key {key}; pruner {PRUNER_VERSION}; {len(names)} names "
        text = self._read_cache(path, header) if self.cache else None
        if text is not None:
            rng = self._try_compile(text)
            if rng is not None:
                self.stats.cache_hits += 1
                return rng
            with contextlib.suppress(OSError):
                path.unlink()  # unreadable entry: rebuild it below
        try:
            text = _Pruner(_parsed_grammar(self._schema, self.schema_sha256), names).serialise(header)
        except Unprunable:
            return self._compile_whole()
        self.stats.pruned += 1
        rng = self._try_compile(text)
        if rng is None:
            # The pruned grammar should always compile; if libxml2 disagrees, the whole schema is
            # the correct (slow) answer rather than an error.
            return self._compile_whole()
        if self.cache:
            with contextlib.suppress(OSError):  # a read-only cache slows us down, nothing more
                write_atomic(path, text, parents=True)
        return rng

    def _read_cache(self, path: Path, header: str) -> bytes | None:
        try:
            text = path.read_bytes()
        except OSError:
            return None
        # The header repeats the key, so a truncated, foreign or colliding file is never used.
        return text if header.encode("utf-8") in text[:400] and text.rstrip().endswith(b"</grammar>") else None

    def _try_compile(self, text: bytes) -> etree.RelaxNG | None:
        try:
            rng = etree.RelaxNG(etree.fromstring(text, parser=schema_parser()))
        except (etree.XMLSyntaxError, etree.RelaxNGParseError):
            return None
        self.stats.compiled += 1
        return rng

    def _compile_whole(self) -> etree.RelaxNG:
        try:
            rng = etree.RelaxNG(etree.fromstring(self._schema, parser=schema_parser()))
        except (etree.XMLSyntaxError, etree.RelaxNGParseError) as err:
            raise SchemaError(f"cannot compile the tei_all schema: {err}", path=self.schema_path) from None
        self.stats.compiled += 1
        self._whole = True
        return rng


_ATTR_MESSAGE = re.compile(r"^Invalid attribute (\S+) for element (\S+)$")


def _issue(validator: str, doc: etree._ElementTree, entry: etree._LogEntry) -> Issue:
    """An Issue from one libxml2 message, placed like every other validator's (``element_path``).

    libxml2 names the element with a path such as ``/*/*[2]/*/*`` (it does not know our prefixes);
    we evaluate it to find the element, then write the conventional ``/tei:TEI/tei:text/...`` path.
    """
    from .issues import element_path  # the one way tei-cable writes a place

    message = " ".join(entry.message.split())
    element: etree._Element | None = None
    if entry.path:
        with contextlib.suppress(etree.XPathError):
            found = doc.xpath(entry.path)
            if isinstance(found, list) and found and isinstance(found[0], etree._Element):
                element = found[0]
    attribute = ""
    match = _ATTR_MESSAGE.match(message)
    if match and element is not None:
        # libxml2 gives the attribute's local name only; quote the value, which is what is wrong
        names = [a for a in element.attrib if str(a).rpartition("}")[2] == match.group(1)]
        if len(names) == 1:
            attribute = str(names[0])
            message = f"{message}: {element.get(attribute)!r} is not allowed here"
    if element is not None and message.startswith("Did not expect element") and not is_tei(element):
        ns = etree.QName(element).namespace
        where = f"namespace {ns}" if ns else "no namespace"
        message = f"{message} (it is in {where}; TEI elements are in {TEI_NS})"
    if message.startswith("Expecting an element , got nothing"):
        message = "a required child element is missing (libxml2: expecting an element, got nothing)"
    line = element.sourceline if element is not None and element.sourceline else (entry.line or None)
    return Issue(
        line=line,
        validator=validator,
        rule=f"tei-all:{entry.type_name or 'RELAXNG_ERR'}",
        severity="error",
        message=message,
        xpath=element_path(element, attribute) if element is not None else (entry.path or ""),
    )

