"""Find first, insert once: character spans over plain text, and the one function that turns them into TEI.

Finders (inline markup, names, dates) each return ``Span`` objects over the same
verbatim text and know nothing of each other. ``resolve`` settles overlaps in one
place; ``insert`` builds the elements in one place.

>>> from tei_cable.tei import E
>>> p = E.p()
>>> insert(p, "To Mao [Zedong]:", [Span(3, 15, "persName", (("ref", "#mao-zedong"),), rule=1),
...                                Span(7, 15, "supplied", (("reason", "completion"),), rule=0, strip=(1, 1))])
>>> from lxml import etree
>>> etree.tostring(p[0]).decode().split(">", 1)[1]
'Mao <supplied reason="completion">Zedong</supplied></persName>:'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lxml import etree

from .tei import XML_NS, tei

#: Elements that are names of one thing: other names found inside them are dropped
#: (a placeName inside "Government of the Soviet Union" is part of the org's name).
ATOMIC_NAMES = frozenset({"persName", "placeName", "orgName"})


@dataclass(frozen=True)
class Span:
    """A stretch ``text[start:end]`` that becomes one TEI element.

    ``strip`` drops that many characters at each edge from the element's content
    (the brackets of ``[Zedong]``, the asterisks of ``*Pravda*``): renderers restore
    them. ``replace`` spans (gap, note, lb) become an element with no text from the span.
    ``rule`` is the finder's rank: on a crossing overlap the lower rule wins.
    """

    start: int
    end: int
    element: str
    attrs: tuple[tuple[str, str], ...] = ()
    rule: int = 100
    strip: tuple[int, int] = (0, 0)
    replace: bool = False
    key: str = ""  # what the finder knows: register id, note number ...
    children: tuple[Span, ...] = field(default=(), compare=False)  # sub-parts that must travel with it

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + self.strip[0], self.end - self.strip[1]

    def contains(self, other: Span) -> bool:
        """True when ``other`` fits inside this span's content (inside its stripped edges)."""
        lo, hi = self.inner
        return lo <= other.start and other.end <= hi


def _crosses(a: Span, b: Span) -> bool:
    """True when the two overlap and neither can nest inside the other."""
    if a.end <= b.start or b.end <= a.start:
        return False
    return not (a.contains(b) or b.contains(a))


NAMES = ATOMIC_NAMES | {"name", "rs"}


def resolve(spans: Iterable[Span]) -> list[Span]:
    """Keep a properly nested subset of ``spans``, sorted for ``insert``.

    On a crossing overlap the lower ``rule`` wins, then the longer span; of two spans on the same stretch with
    the same element only one is kept; a name inside an atomic name (``ATOMIC_NAMES``) is dropped unless it
    is one of that span's own ``children``. Spans are first cut into clusters that overlap nothing outside
    themselves, so the pairwise comparisons stay within a cluster (a 1 MB line is not quadratic).
    """
    result: list[Span] = []
    for cluster in _clusters(spans):
        result.extend(_resolve_cluster(cluster))
    return sorted(result, key=_order)


def _clusters(spans: Iterable[Span]) -> list[list[Span]]:
    """Groups of spans connected by overlaps (children travel with their span)."""
    clusters: list[list[Span]] = []
    end = -1
    for span in sorted(spans, key=lambda s: s.start):
        reach = max([span.end, *(c.end for c in span.children)])
        if clusters and span.start < end:
            clusters[-1].append(span)
            end = max(end, reach)
        else:
            clusters.append([span])
            end = reach
    return clusters


def _resolve_cluster(spans: list[Span]) -> list[Span]:
    ranked = sorted(spans, key=lambda s: (s.rule, -(s.end - s.start), s.start, s.element))
    kept: list[Span] = []
    for span in ranked:
        if span.start >= span.end:
            continue
        group = [span, *span.children]
        if any(_crosses(g, k) for g in group for k in kept):
            continue
        if any((k.start, k.end) == (span.start, span.end)
               and (k.element == span.element or (span.key and k.key == span.key)) for k in kept):
            continue  # the same stretch twice (one name found by two finders)
        kept.extend(group)
    owned = {id(c) for k in kept for c in k.children}
    return [
        s for s in kept
        if not (s.element in NAMES and id(s) not in owned
                and any(k is not s and k.element in ATOMIC_NAMES and k.contains(s) for k in kept))
    ]


def _order(span: Span) -> tuple[int, int, int, int]:
    # Outer elements first: earlier start, then longer, then the one whose content is not stripped
    # (a persName around "[Zedong]" holds the supplied, never the other way round), then by rule.
    return span.start, -span.end, sum(span.strip), span.rule


Factory = Callable[[Span], etree._Element]


def _element(span: Span) -> etree._Element:
    el = etree.Element(tei(span.element))
    for name, value in span.attrs:
        el.set(f"{{{XML_NS}}}{name[4:]}" if name.startswith("xml:") else name, value)
    return el


def insert(parent: etree._Element, text: str, spans: list[Span], factory: Factory | None = None) -> None:
    """Fill ``parent`` with ``text``, wrapping every span (already resolved and sorted) in its element.

    ``parent`` must be empty. ``factory`` builds an element for a span (notes need their content); the default
    makes an element from ``span.element`` and ``span.attrs``.
    """
    make = factory or _element
    ordered = sorted(spans, key=_order)

    def fill(el: etree._Element, lo: int, hi: int, members: list[Span]) -> None:
        # Text goes into el.text until the first child, then into the tail of the last child. The last child
        # is tracked here: len() of an lxml element walks its children, which made long paragraphs quadratic.
        last: etree._Element | None = None

        def put(piece: str) -> None:
            if not piece:
                return
            if last is None:
                el.text = (el.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece

        pos = lo
        i = 0
        while i < len(members):
            span = members[i]
            j = i + 1
            while j < len(members) and members[j].start < span.end:
                j += 1
            put(text[pos:span.start])
            child = make(span)
            el.append(child)
            last = child
            if not span.replace:
                inner_lo, inner_hi = span.inner
                fill(child, inner_lo, inner_hi, members[i + 1 : j])
            pos = span.end
            i = j
        put(text[pos:hi])

    fill(parent, 0, len(text), ordered)
