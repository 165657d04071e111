"""Rule contexts (XSLT patterns) as the expressions that select, from the root, the nodes they match.

XSLT 1.0 (5.2) defines a pattern's matches as the nodes it selects from some ancestor, so a relative
pattern ``p`` matches exactly what ``//p`` selects from the root. :func:`select_for` writes that select
for the patterns Schematron rules use (child steps that end with an element name test) and makes it cheaper
to evaluate without changing the nodes it selects:

* ``//x[p]`` is ``/descendant-or-self::node()/child::x[p]``, which libxml2 evaluates by listing the
  children of every node; ``/descendant::x[p]`` is one walk, and the same nodes whenever ``p`` cannot
  depend on the position (:func:`xpath1.is_positional`);
* a first step ``//tei:x[p]`` is looked up in a key of all elements by local name (``key(...)[self::tei:x]``):
  built in one walk for all patterns, where each select would walk the document again;
* a last step ``x[@a or @b]`` is selected as the parents of ``x/@a`` and ``x/@b``: a few walks of the
  attributes are faster than testing every ``x`` for each attribute.

Any other pattern (an attribute, ``text()``, ``key()`` or ``id()``, an axis) raises :class:`Unsupported`.
"""

from __future__ import annotations

from .xpath1 import Token, XPathSyntaxError, is_positional, split_top, tokenize

#: The names added to a stylesheet (the key, templates, variables) live in a namespace of their own, so
#: that they cannot collide with a Schematron ``let`` or key.
NAMESPACE = "urn:x-tei-cable:schematron-dispatch"
PREFIX = "tc-dispatch"
#: The key of all elements by local name, which the selects use (declared by dispatch.restructure).
NAMES_KEY = f"{PREFIX}:local-names"
SEPARATORS = frozenset({"/", "//"})


class Unsupported(Exception):
    """Something the Schematron rewrite does not handle (the caller keeps lxml's stylesheet)."""


def tokens(expr: str) -> list[Token]:
    """:func:`xpath1.tokenize`, with what it cannot read reported as :class:`Unsupported`."""
    try:
        return tokenize(expr)
    except XPathSyntaxError as err:
        raise Unsupported(str(err)) from None


def select_for(pattern: str) -> str:
    """The expression that selects, from anywhere in a document, the nodes an XSLT pattern matches;
    only for patterns of child steps (``/``, ``//``) that end with an element name test.

    >>> select_for("tei:text//tei:note | /tei:TEI")
    "key('tc-dispatch:local-names', 'text')[self::tei:text]/descendant::tei:note | /tei:TEI"
    >>> select_for("*[@ref or @who]")
    '(/descendant::*/@ref | /descendant::*/@who)/..'
    >>> select_for("tei:note[1] | *[@n][last()]")
    '//tei:note[1] | //*[@n][last()]'
    """
    selects = []
    for alternative in split_top(tokens(pattern), frozenset({"|"})):
        if alternative and alternative[0].text == "|":
            continue
        selects.append(_select_one(pattern, alternative))
    return " | ".join(selects)


def _select_one(pattern: str, alternative: list[Token]) -> str:
    """The select of one alternative of ``pattern`` (its tokens)."""
    if [t.text for t in alternative] == ["/"]:
        return "/"
    parts = split_top(alternative, SEPARATORS)
    # A relative pattern matches wherever it selects from, so it is selected from the root with //.
    parts = [[Token("operator", "//", 0)], *parts] if parts[0] else parts[1:]
    steps = [(separator[0].text, step) for separator, step in zip(parts[::2], parts[1::2], strict=True)]
    select = ""
    for number, (separator, step) in enumerate(steps):
        predicates = _predicates(step)
        if predicates is None:
            raise Unsupported(f"a rule context with a step other than an element name test: {pattern}")
        name = step[0].text
        attributes = _attribute_tests(predicates) if number == len(steps) - 1 else None
        text = name if attributes else pattern[step[0].start:step[-1].end]
        if separator == "//" and (attributes or all(is_positional(p) is False for p in predicates)):
            if not select and not name.endswith("*"):
                # The same nodes from a key of all elements by local name: one walk for every pattern.
                select = f"key('{NAMES_KEY}', '{name.rpartition(':')[2]}')[self::{name}]{text[len(name):]}"
                continue
            separator = "/descendant::"  # the same nodes in one walk (module docstring)
        select += separator + text
    if attributes:
        # x[@a or @b] are the parents of x/@a and x/@b: a few walks of the attributes are faster than
        # testing every x for each attribute.
        select = "(" + " | ".join(f"{select}/@{attribute}" for attribute in attributes) + ")/.."
    return select


def _attribute_tests(predicates: list[list[Token]]) -> list[str] | None:
    """``[ref, who]`` for the one predicate ``[@ref or @who]`` (attribute name tests joined by ``or``)."""
    if len(predicates) != 1:
        return None
    names = []
    for term in split_top(predicates[0], frozenset({"or"})):
        if term and term[0].text == "or":
            continue
        if [t.kind for t in term] != ["@", "name"] or term[1].text.endswith("*"):
            return None
        names.append(term[1].text)
    return names


def _predicates(step: list[Token]) -> list[list[Token]] | None:
    """The predicates of a child step with an element name test (``tei:p[@n][2]``: ``[@n]``, ``[2]``);
    None for any other step (an attribute, ``text()``, ``node()``, another axis, a function)."""
    if not step or step[0].kind != "name":
        return None
    predicates: list[list[Token]] = []
    depth = 0
    for token in step[1:]:
        if depth == 0:
            if token.kind != "[":
                return None
            predicates.append([])
        elif not (depth == 1 and token.kind == "]"):
            predicates[-1].append(token)
        depth += (token.kind == "[") - (token.kind == "]")
    return predicates
