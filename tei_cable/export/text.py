"""Plain text: the reading text a person would print, and the text a search index or the JSON export uses.

Layout: the header block (title, date, source line, archive link), then the body with one blank line
between blocks (paragraphs, points, headings; opener and closer lines one per line), footnote markers
``[n]`` where the notes stand, and the notes at the end under "Notes". With ``body_only=True`` only the
body is written, without note markers or notes: that text, whitespace normalised, equals the body of the
source export (the round trip).

>>> from lxml import etree
>>> tree = etree.fromstring('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>To Mao '
...     '<supplied>Zedong</supplied>:<note n="1">A note.</note></p></body></text></TEI>')
>>> export_text(tree, body_only=True)
'To Mao [Zedong]:\\n'
>>> print(export_text(tree))
To Mao [Zedong]:[1]
<BLANKLINE>
Notes
<BLANKLINE>
[1] A note.
<BLANKLINE>
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..tei import local
from .behaviours import (
    SUPPLIED_CLOSE,
    SUPPLIED_OPEN,
    Element,
    Metadata,
    Renderer,
    alternate_parts,
    collapse_space,
    gap_text,
    iter_text_roots,
    note_number,
    read_metadata,
    rule_text,
)
from .memo import memoized

#: Separators in order of strength: a pending block break is never weakened to a line break or a space.
SPACE, LINE, BLOCK = " ", "\n", "\n\n"
_STRENGTH = {"": 0, SPACE: 1, LINE: 2, BLOCK: 3}


@dataclass
class Span:
    """An element's extent in the output (offsets in code points, trimmed of surrounding whitespace)."""

    kind: str                 # the behaviour ("entity", "date", "note", "paragraph", ...)
    element: Element
    start: int
    end: int = -1
    section: str = "body"     # header, body or notes
    extra: dict[str, object] = field(default_factory=dict)


class TextRenderer(Renderer):
    """Writes the vocabulary as plain text and remembers where every element landed.

    Whitespace inside running text is collapsed the way XML whitespace is (spaces, tabs, newlines; never a
    no-break space); separators between blocks are held back until the next text arrives, so nothing
    ever ends or begins with a stray blank.
    """

    def __init__(self, *, notes: bool = True, report_unknown: bool = True) -> None:
        super().__init__(report_unknown=report_unknown)
        self.notes_enabled = notes
        self.parts: list[str] = []
        self.length = 0
        self.pending = ""
        self.run_in = False           # the next block continues the current line (after a speaker, "[n] ")
        self.glue = False             # the next text hugs what was just written (after "[" or "*")
        self.section_name = "body"
        self.spans: list[Span] = []
        self.pending_notes: list[tuple[str, Element, int]] = []  # (number, note, marker offset)
        self.note_count = 0

    # -- the writer ---------------------------------------------------------------------------------------------

    def separate(self, sep: str) -> None:
        if sep == SPACE and self.glue:
            return
        if sep == BLOCK and self.run_in:
            # A speaker's label or a note's number runs into the first block that follows it.
            self.run_in = False
            return
        if _STRENGTH[sep] > _STRENGTH[self.pending]:
            self.pending = sep

    def emit(self, chunk: str) -> None:
        """Write text that is already laid out (no whitespace handling)."""
        if not chunk:
            return
        if self.pending and self.length:
            self.parts.append(self.pending)
            self.length += len(self.pending)
        self.pending = ""
        self.run_in = False
        self.glue = False
        self.parts.append(chunk)
        self.length += len(chunk)

    def text(self, value: str) -> None:
        collapsed = collapse_space(value)
        if collapsed.startswith(" "):
            self.separate(SPACE)
        core = collapsed.strip(" ")
        if core:
            self.emit(core)
            if collapsed.endswith(" "):
                self.separate(SPACE)

    def finish(self) -> str:
        return "".join(self.parts)

    # -- spans ----------------------------------------------------------------------------------------------------

    def open_span(self, kind: str, el: Element, **extra: object) -> Span:
        span = Span(kind, el, self.length, section=self.section_name, extra=extra)  # **extra is a fresh dict
        self.spans.append(span)
        return span

    def close_span(self, span: Span) -> None:
        span.end = self.length

    def trimmed_spans(self) -> list[Span]:
        """Spans with separators and spaces at either end cut off (they were written on the way in)."""
        text = self.finish()
        for span in self.spans:
            start, end = span.start, span.end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            span.start, span.end = start, end
        return self.spans

    def blockwise(self, kind: str, el: Element, sep: str = BLOCK, **extra: object) -> None:
        self.separate(sep)
        span = self.open_span(kind, el, **extra)
        self.contents(el)
        self.close_span(span)
        self.separate(sep)

    # -- the vocabulary -------------------------------------------------------------------------------------------

    def omit(self, el: Element) -> None:
        pass

    def section(self, el: Element) -> None:
        self.separate(BLOCK)
        self.contents(el)
        self.separate(BLOCK)

    def block(self, el: Element) -> None:
        self.section(el)

    def heading(self, el: Element) -> None:
        self.blockwise("heading", el)

    def paragraph(self, el: Element) -> None:
        self.blockwise("paragraph", el)

    def line(self, el: Element) -> None:
        self.blockwise("line", el, LINE)

    def list(self, el: Element) -> None:
        self.section(el)

    def item(self, el: Element) -> None:
        self.blockwise("item", el)

    def label(self, el: Element) -> None:
        self.contents(el)

    def speech(self, el: Element) -> None:
        self.section(el)

    def speaker(self, el: Element) -> None:
        self.blockwise("speaker", el)
        # "Stalin: The treaty ...": the source prints the label at the start of the first paragraph.
        self.pending = SPACE
        self.run_in = True

    def rule(self, el: Element) -> None:
        self.separate(BLOCK)
        span = self.open_span("rule", el)
        self.emit(rule_text(el))
        self.close_span(span)
        self.separate(BLOCK)

    def note(self, el: Element) -> None:
        if not self.notes_enabled:
            return  # body-only text has neither markers nor notes
        self.note_count += 1
        number = note_number(el, self.note_count)
        marker_at = self.length + (len(self.pending) if self.pending and self.length else 0)
        self.emit(f"[{number}]")
        self.pending_notes.append((number, el, marker_at))

    def line_break(self, el: Element) -> None:
        self.separate(LINE)

    def supplied(self, el: Element) -> None:
        self.wrapped(el, SUPPLIED_OPEN, SUPPLIED_CLOSE)

    def gap(self, el: Element) -> None:
        self.emit(gap_text(el))

    def emphasis(self, el: Element) -> None:
        # The source wrote italics as *...*.
        self.wrapped(el, "*", "*")

    def wrapped(self, el: Element, opening: str, closing: str) -> None:
        """``opening`` + content + ``closing``, the marks hugging the words: spaces stay outside them."""
        if (el.text or "")[:1].isspace():
            self.separate(SPACE)
        self.emit(opening)
        self.glue = True
        self.contents(el)
        self.glue = False
        trailing = self.pending
        self.pending = ""
        self.parts.append(closing)
        self.length += len(closing)
        if trailing:
            self.separate(trailing)

    def entity(self, el: Element) -> None:
        span = self.open_span("entity", el)
        self.contents(el)
        self.close_span(span)

    def date(self, el: Element) -> None:
        span = self.open_span("date", el)
        self.contents(el)
        self.close_span(span)

    def alternate(self, el: Element) -> None:
        preferred, _ = alternate_parts(el)
        if preferred is not None:
            self.contents(preferred)

    def inline(self, el: Element) -> None:
        self.contents(el)

    # -- whole documents ------------------------------------------------------------------------------------------

    def header(self, meta: Metadata) -> None:
        """Title, date, source line and archive link, one per line."""
        self.section_name = "header"
        for kind, value in (("title", meta.title), ("date-line", meta.date_text),
                            ("source", f"Source: {meta.citation_text}" if meta.citation_text else ""),
                            ("url", meta.url or "")):
            if value:
                self.separate(LINE)
                span = self.open_span(kind, HEADER_LINE)
                self.text(value)
                self.close_span(span)
        self.separate(BLOCK)
        self.section_name = "body"

    def endnotes(self) -> None:
        """The notes, in the order of their markers (a note inside a note follows the notes before it)."""
        if not self.pending_notes:
            return
        self.section_name = "notes"
        self.separate(BLOCK)
        span = self.open_span("heading", HEADER_LINE)
        self.emit("Notes")
        self.close_span(span)
        done = 0
        while done < len(self.pending_notes):
            number, el, marker_at = self.pending_notes[done]
            done += 1
            self.separate(BLOCK)
            self.emit(f"[{number}]")
            self.pending = SPACE
            self.run_in = True
            span = self.open_span("note", el, n=number, anchor=marker_at)
            self.contents(el)
            self.close_span(span)
            self.run_in = False
        self.section_name = "body"


#: Spans of the header block and the "Notes" heading belong to no element of the document.
HEADER_LINE = etree.Element("header-line")


def render_document(tree: etree._ElementTree | Element, *, body_only: bool = False,
                    report_unknown: bool = True) -> TextRenderer:
    """Render a whole document; the renderer keeps the text and every span (the JSON export reads both).

    Inside a build's :func:`~tei_cable.export.memo.shared_reading` block, the text and JSON exports share one
    rendering of each document.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    return _render(root, body_only=body_only, report_unknown=report_unknown)


@memoized
def _render(root: Element, *, body_only: bool, report_unknown: bool) -> TextRenderer:
    renderer = TextRenderer(notes=not body_only, report_unknown=report_unknown)
    if not body_only and local(root) in ("TEI", "teiCorpus"):
        renderer.header(read_metadata(root))
    for text in iter_text_roots(root):
        renderer.separate(BLOCK)
        if local(text) == "text":
            renderer.contents(text)
        else:
            renderer.render(text)
    renderer.endnotes()
    return renderer


def export_text(tree: etree._ElementTree | Element, *, body_only: bool = False) -> str:
    """The plain-text export: header block, body, notes (``body_only``: the body alone, for the round trip)."""
    text = render_document(tree, body_only=body_only).finish()
    return text + "\n" if text else text


def note_texts(tree: etree._ElementTree | Element) -> dict[str, str]:
    """Each note's rendered text by its number (what the plain-text export prints after ``[n]``)."""
    renderer = render_document(tree, report_unknown=False)
    text = renderer.finish()
    return {str(s.extra["n"]): text[s.start:s.end] for s in renderer.trimmed_spans() if s.kind == "note"}


__all__ = ["Span", "TextRenderer", "export_text", "note_texts", "render_document"]
