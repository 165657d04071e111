"""Just enough of XPath 1.0's grammar to rewrite Schematron rule contexts safely.

:mod:`tei_cable.validate.contexts` turns each rule context (an XSLT pattern) into a select expression
and :mod:`tei_cable.validate.dispatch` writes a rule's variables into its tests. That needs the tokens of
an expression (a ``|`` or ``/`` inside a string or a predicate is not an operator), whether a predicate can
depend on the context position, and where a variable is read. This module tokenizes by the
rules of XPath 1.0 section 3.7 (including its disambiguation of ``*`` and of operator names) and answers
those questions conservatively: when in doubt, it says no, and the caller keeps the slower, plain form.

>>> [t.text for t in tokenize("tei:a[@n = 'x|y'] | *[2 * 3]")]
['tei:a', '[', '@', 'n', '=', "'x|y'", ']', '|', '*', '[', '2', '*', '3', ']']
>>> [t.kind for t in tokenize("*[2 * 3]")]
['name', '[', 'number', 'operator', 'number', ']']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: One token: ``kind`` is ``literal``, ``number``, ``variable``, ``name`` (a name test: QName, ``*`` or
#: ``prefix:*``), ``function``, ``nodetype``, ``axis``, ``operator``, or the punctuation itself
#: (``(``, ``)``, ``[``, ``]``, ``.``, ``..``, ``@``, ``,``, ``::``).
_LEXEME = re.compile(r"""
    (?P<space>\s+)
  | (?P<literal>"[^"]*"|'[^']*')
  | (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<punct>\.\.|::|[()\[\].@,])
  | (?P<operator>//|!=|<=|>=|[/|+\-=<>*])
  | (?P<variable>\$[^\W\d][\w.\-]*(?::[^\W\d][\w.\-]*)?)
  | (?P<name>[^\W\d][\w.\-]*(?::(?:\*|[^\W\d][\w.\-]*))?)
""", re.VERBOSE)
NODE_TYPES = frozenset({"comment", "text", "processing-instruction", "node"})
OPERATOR_NAMES = frozenset({"and", "or", "mod", "div"})
#: After these, ``*`` is a name test and a name is a name (XPath 1.0, 3.7); after anything else, an operator.
_OPERAND_EXPECTED = frozenset({"@", "::", "(", "[", ",", "operator"})
#: Core functions whose value is never a number: as a predicate, they cannot select by position.
NON_NUMERIC_FUNCTIONS = frozenset({
    "not", "true", "false", "boolean", "contains", "starts-with", "lang", "string", "concat", "substring",
    "substring-before", "substring-after", "normalize-space", "translate", "local-name", "namespace-uri", "name",
    "id", "key", "current", "generate-id",
})
BOOLEAN_OPERATORS = frozenset({"or", "and", "=", "!=", "<", "<=", ">", ">="})
NUMERIC_OPERATORS = frozenset({"+", "-", "*", "div", "mod"})


class XPathSyntaxError(ValueError):
    """An expression this module cannot read (the caller then leaves it as it is)."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int  # offset in the expression, so that callers can rewrite it by slices

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def tokenize(expr: str) -> list[Token]:
    """The tokens of ``expr``; raises :class:`XPathSyntaxError` on a character XPath 1.0 does not have."""
    raw: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(expr):
        match = _LEXEME.match(expr, pos)
        if match is None:
            raise XPathSyntaxError(f"cannot read the XPath {expr!r} at {expr[pos:pos + 20]!r}")
        kind = match.lastgroup or ""
        if kind != "space":
            raw.append((kind, match.group(), pos))
        pos = match.end()
    tokens: list[Token] = []
    for i, (kind, text, start) in enumerate(raw):
        following = raw[i + 1][1] if i + 1 < len(raw) else ""
        previous = tokens[-1] if tokens else None
        operand_expected = previous is None or previous.kind in _OPERAND_EXPECTED
        if kind == "punct":
            kind = text
        elif kind == "operator" and text == "*" and operand_expected:
            kind = "name"
        elif kind == "name" and not operand_expected and text in OPERATOR_NAMES:
            kind = "operator"
        elif kind == "name" and following == "(" and not text.endswith("*"):
            kind = "nodetype" if text in NODE_TYPES else "function"
        elif kind == "name" and following == "::":
            kind = "axis"
        tokens.append(Token(kind, text, start))
    return tokens


def depths(tokens: list[Token], opening: str = "([", closing: str = ")]") -> Iterator[tuple[int, Token]]:
    """Each token with its nesting depth in ``opening``/``closing`` brackets (the brackets themselves
    count as outside)."""
    depth = 0
    for token in tokens:
        if token.kind in closing:
            depth -= 1
        yield depth, token
        if token.kind in opening:
            depth += 1
        if depth < 0:
            raise XPathSyntaxError("unbalanced brackets")
    if depth:
        raise XPathSyntaxError("unbalanced brackets")


def split_top(tokens: list[Token], operators: frozenset[str]) -> list[list[Token]]:
    """``tokens`` cut at each outermost operator in ``operators``, the operators themselves kept as parts
    of one token each: ``a/b[c/d]`` cut at ``/`` is ``[[a], [/], [b, [, c, /, d, ]]]``."""
    parts: list[list[Token]] = [[]]
    for depth, token in depths(tokens):
        if depth == 0 and token.kind == "operator" and token.text in operators:
            parts += [[token], []]
        else:
            parts[-1].append(token)
    return parts


def is_positional(predicate: list[Token]) -> bool | None:
    """Whether a predicate (its tokens, without the brackets) may depend on the context position:
    False when it surely cannot (its value is not a number, and it calls neither ``position()`` nor
    ``last()`` outside inner predicates), None when this module cannot tell (treat it as True).

    >>> is_positional(tokenize("@type = 'treaty'")), is_positional(tokenize("ancestor::*[1]/@ref"))
    (False, False)
    >>> is_positional(tokenize("1")), is_positional(tokenize("last() - 1")), is_positional(tokenize("$n"))
    (None, None, None)
    """
    outside = [t for depth, t in depths(predicate, "[", "]") if depth == 0]
    if any(t.kind == "function" and t.text in ("position", "last") for t in outside):
        return None
    top = [t.text for depth, t in depths(predicate) if depth == 0 and t.kind == "operator"]
    if any(op in BOOLEAN_OPERATORS for op in top):
        return False  # the outermost operator is a comparison or a connective: a boolean
    if any(op in NUMERIC_OPERATORS for op in top):
        return None
    if "|" in top:
        return False  # a union of node-sets
    first = predicate[0] if predicate else None
    if first is None or first.kind in ("number", "variable", "("):
        return None
    if first.kind == "function":
        return False if first.text in NON_NUMERIC_FUNCTIONS else None
    return False  # a literal or a location path (a step, an axis, @, ., .., /)


def inline(expr: str, values: dict[str, str]) -> tuple[str, list[str]] | None:
    """``expr`` with each reference to a variable of ``values`` replaced by its expression in parentheses,
    and the names replaced (in order, once per reference); None when a reference stands inside a
    predicate, where the context node differs from the one the variable was evaluated for.

    >>> inline("$a and foo[@n = $b]/@m = $c", {"a": "@x = 1", "c": "count(*)"})
    ('(@x = 1) and foo[@n = $b]/@m = (count(*))', ['a', 'c'])
    >>> inline("foo[@n = $a]", {"a": "1"}) is None
    True
    """
    if "$" not in expr:
        return expr, []
    out, used, last = [], [], 0
    for depth, token in depths(tokenize(expr), "[", "]"):
        name = token.text[1:]
        if token.kind != "variable" or name not in values:
            continue
        if depth:
            return None
        out += [expr[last:token.start], f"({values[name]})"]
        used.append(name)
        last = token.end
    return "".join([*out, expr[last:]]), used
