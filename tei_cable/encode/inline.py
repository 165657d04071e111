"""Inline markup of the export (footnote markers, italics, brackets, quotations) as spans.

Each row of ``INLINE_RULES`` finds one kind of markup and says which element it
becomes. Delimiters that renderers restore (the brackets of ``[Zedong]``, the
asterisks of ``*Pravda*``) are stripped from the element's content; quotation marks
stay in the text, because they are the translator's punctuation, which varies
(curly, straight, nested) and must survive exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..spans import Span

NOTE_MARKER = re.compile(r"\^\[(\d+)\]")
ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
GAP = re.compile(r"\[\s*(?:\.\s*){2,}\.?\s*\]|\[\s*…\s*\]")
BRACKET = re.compile(r"\[(?!\d+\])(?![\s.…]*\])([^\[\]\n]{1,300})\]")
QUOTE_CURLY = re.compile(r"“([^“”\n]{1,3000})”")
QUOTE_STRAIGHT = re.compile(r'(?<![\w"])"(?=\S)([^"\n]{1,3000}?)(?<=\S)"(?![\w"])')
LINE_BREAK = re.compile(r"\n")

#: What kind of editorial insertion a bracket holds, by its content; the first match wins.
SUPPLIED_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^sic!?$", re.IGNORECASE), "sic"),
    (re.compile(r"^(?:illegible|unclear|indecipherable|unreadable)\b", re.IGNORECASE), "illegible"),
    (re.compile(r"^(?:handwritten|stamp|signature|seal|underlined|crossed out|in the margin)\b", re.IGNORECASE),
     "description"),
    (re.compile(r"^(?:translator|editor)['’]?s?['’]? note\b", re.IGNORECASE), "comment"),
    (re.compile(r"^\?$"), "query"),
)

#: Words too common to make a quotation a title even when capitalised.
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with",
                "over", "during", "into", "under", "between", "since", "after", "before", "its", "their"}


def _reason(content: str, text: str, start: int) -> str:
    for pattern, reason in SUPPLIED_REASONS:
        if pattern.match(content.strip()):
            return reason
    before = text[:start].rstrip()
    # "Mao [Zedong]": capitalised words completing the capitalised word before them.
    if before and before[-1].isalpha() and before.split()[-1][:1].isupper() and content[:1].isupper() \
            and len(content.split()) <= 4:
        return "name-completion"
    return "clarification"


def is_title_case(content: str) -> bool:
    """True for "Summary Report on Major Developments in China": most content words capitalised."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’\-]*", content)]
    content_words = [w for w in words if w.lower() not in _SMALL_WORDS]
    if content.rstrip().endswith((".", ",")):  # "... Five Years." : US punctuation inside the quotes
        content = content.rstrip()[:-1]
    if len(content_words) < 3 or content.rstrip()[-1:] in "!?;:":
        return False
    capitalised = sum(1 for w in content_words if w[:1].isupper())
    return capitalised / len(content_words) >= 0.8


Rule = Callable[[str, str], list[Span]]  # (text, resp pointer) -> spans


def notes(text: str, resp: str) -> list[Span]:
    return [Span(m.start(), m.end(), "note", rule=0, replace=True, key=m.group(1)) for m in NOTE_MARKER.finditer(text)]


def gaps(text: str, resp: str) -> list[Span]:
    return [Span(m.start(), m.end(), "gap", (("reason", "editorial"), ("rend", m.group()), ("resp", resp)),
                 rule=1, replace=True) for m in GAP.finditer(text)]


def brackets(text: str, resp: str) -> list[Span]:
    return [Span(m.start(), m.end(), "supplied", (("reason", _reason(m.group(1), text, m.start())), ("resp", resp)),
                 rule=2, strip=(1, 1)) for m in BRACKET.finditer(text)]


def italics(text: str, resp: str) -> list[Span]:
    out = []
    for m in ITALIC.finditer(text):
        content = m.group(1)
        titled = content[:1].isupper() and len(content.split()) <= 12
        element, attrs = ("title", (("rend", "italic"),)) if titled else ("hi", (("rend", "italic"),))
        out.append(Span(m.start(), m.end(), element, attrs, rule=3, strip=(1, 1)))
    return out


def quotations(text: str, resp: str) -> list[Span]:
    out = []
    for pattern in (QUOTE_CURLY, QUOTE_STRAIGHT):
        for m in pattern.finditer(text):
            inner = m.group(1)
            element = "title" if is_title_case(inner) else "q"
            out.append(Span(m.start(1), m.end(1), element, (("type", "quoted"),) if element == "title" else (),
                            rule=4))
    return out


def line_breaks(text: str, resp: str) -> list[Span]:
    return [Span(m.start(), m.end(), "lb", rule=0, replace=True) for m in LINE_BREAK.finditer(text)]


#: The inline rules, in rank order.
INLINE_RULES: tuple[tuple[str, Rule], ...] = (
    ("note", notes),
    ("line-break", line_breaks),
    ("gap", gaps),
    ("supplied", brackets),
    ("italic", italics),
    ("quotation", quotations),
)


def inline_spans(text: str, resp: str, *, notes: bool = True) -> list[Span]:
    """All inline-markup spans of ``text``; ``resp`` points to whoever made the brackets (the translator).

    ``notes=False`` in a note's own text: a "^[1]" there is literal text, not a marker.
    """
    return [span for name, rule in INLINE_RULES if notes or name != "note" for span in rule(text, resp)]
