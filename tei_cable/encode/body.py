"""Sections and blocks of the model -> the skeleton of ``<text>``, with text slots to fill later.

The skeleton is built first and its texts are filled in one pass afterwards
(``encode.fill``), because names are resolved across the whole document. Which TEI
element a block kind becomes is said once, in ``BLOCK_ELEMENTS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..model import Block, Footnote, Section
from ..spans import Span
from ..tei import XML_ID, tei

#: Block kind -> (TEI element, attributes). Opener lines carry their subtype as @type.
BLOCK_ELEMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "p": ("p", {}),
    "salute": ("salute", {}),
    "dateline": ("dateline", {}),
    "letterhead": ("seg", {"type": "letterhead"}),
    "address": ("seg", {"type": "address"}),
    "opener-line": ("seg", {}),
    "signed": ("signed", {}),
    "closing": ("salute", {}),
    "distribution": ("seg", {"type": "distribution"}),
}
#: Section kind -> div @type.
DIV_TYPES = {"document": "document", "annex": "annex", "enclosure": "enclosure"}
#: Item label styles that are bullets rather than numbers.
BULLETS = {"dash"}
#: Outline levels of label styles: a style of a deeper level after an item nests inside it ("1." then
#: "a)"); a style of the same or a higher level closes the deeper lists ("(3)" then "II.").
STYLE_LEVELS = {"roman": 0, "dot": 1, "bracket": 1, "paren": 2, "rparen": 2, "alpha": 3, "paren-alpha": 3,
                "alpha-dot": 3, "paren-roman": 4, "dash": 5}


@dataclass
class TextSlot:
    """An element waiting for its text; ``spans`` are what the layout already knows (item labels)."""

    element: etree._Element
    text: str
    line: int
    kind: str = "text"  # "text"; "speaker" or "signed" (the text names a person); "note" (a note's own text)
    spans: tuple[Span, ...] = ()


@dataclass
class Skeleton:
    slots: list[TextSlot] = field(default_factory=list)
    notes: dict[str, etree._Element] = field(default_factory=dict)

    def add(self, parent: etree._Element, name: str, text: str, line: int, attrs: dict[str, str] | None = None,
            kind: str = "text", spans: tuple[Span, ...] = ()) -> etree._Element:
        el = etree.SubElement(parent, tei(name), attrs or {})
        self.slots.append(TextSlot(el, text, line, kind, spans))
        return el


def _block(skeleton: Skeleton, parent: etree._Element, block: Block) -> etree._Element:
    if block.kind == "separator":
        return etree.SubElement(parent, tei("milestone"), {"unit": "separator", "rend": block.text})
    name, attrs = BLOCK_ELEMENTS[block.kind]
    if block.kind == "opener-line":
        attrs = {"type": block.subtype}
    kind = "signed" if block.kind == "signed" else "text"  # a signature always names a person
    return skeleton.add(parent, name, block.text, block.line, dict(attrs), kind=kind)


def _labelled(block: Block) -> tuple[str, tuple[Span, ...]]:
    """Item text with its printed label in front, and the span that tags the label."""
    text = f"{block.label}{block.label_sep}{block.text}"
    return text, (Span(0, len(block.label), "label", rule=0),)


class _Lists:
    """Open lists, nested by label style ("1." items holding "a)" items)."""

    def __init__(self, skeleton: Skeleton) -> None:
        self.skeleton = skeleton
        self.stack: list[tuple[str, etree._Element]] = []

    def close(self) -> None:
        self.stack.clear()

    def open_participants(self, parent: etree._Element, block: Block) -> None:
        lines = block.text.split("\n")
        lst = etree.SubElement(parent, tei("list"), {"type": "participants"})
        head_text, sep, rest = lines[0].partition(":")
        self.skeleton.add(lst, "head", head_text + sep, block.line)
        if rest.strip():
            self.skeleton.add(lst, "item", rest.lstrip(), block.line)
        for offset, line in enumerate(lines[1:], 1):
            self.skeleton.add(lst, "item", line, block.line + offset)
        self.stack = [("dash", lst)]

    def item(self, parent: etree._Element, block: Block) -> None:
        level = STYLE_LEVELS.get(block.style, 5)
        # Close the open lists that are not shallower than this item, unless they have its style.
        while self.stack and self.stack[-1][0] != block.style and STYLE_LEVELS.get(self.stack[-1][0], 5) >= level:
            self.stack.pop()
        if self.stack and self.stack[-1][0] == block.style and any(
                item.get("n") == block.n for item in self.stack[-1][1] if block.style not in BULLETS):
            # "I." again after "III.": a new list, not a second item I in the same one.
            self.stack.pop()
        if not self.stack or self.stack[-1][0] != block.style:
            # A new list: inside the last item of the open list (a deeper level), or in the div.
            holder = self.stack[-1][1][-1] if self.stack else parent
            kind = "bulleted" if block.style in BULLETS else "ordered"
            self.stack.append((block.style, etree.SubElement(holder, tei("list"), {"type": kind})))
        text, spans = _labelled(block)
        attrs = {} if block.style in BULLETS else {"n": block.n}
        self.skeleton.add(self.stack[-1][1], "item", text, block.line, attrs, spans=spans)


def _body_blocks(skeleton: Skeleton, div: etree._Element, blocks: list[Block]) -> None:
    lists = _Lists(skeleton)
    speech: etree._Element | None = None
    for block in blocks:
        container = speech if speech is not None and block.kind in ("speech", "item") else div
        if block.kind == "speech" and block.label:
            speech = etree.SubElement(div, tei("sp"))
            skeleton.add(speech, "speaker", block.label, block.line, kind="speaker")
            skeleton.add(speech, "p", block.text, block.line)
            lists.close()
        elif block.kind == "speech":
            # A continued speech; should the turn it continues be missing, it is an ordinary paragraph.
            skeleton.add(speech if speech is not None else div, "p", block.text, block.line)
            lists.close()
        elif block.kind == "item":
            lists.item(container, block)
        elif block.kind == "participants":
            speech = None
            lists.open_participants(div, block)
        else:
            speech = None
            lists.close()
            _block(skeleton, div, Block(kind="p", text=block.text, line=block.line))


def build_section(skeleton: Skeleton, body: etree._Element, section: Section, n: int) -> etree._Element:
    attrs = {"type": DIV_TYPES[section.kind]}
    if section.kind != "document":
        attrs["n"] = str(n)
    div = etree.SubElement(body, tei("div"), attrs)
    if section.separator:
        etree.SubElement(div, tei("milestone"), {"unit": "separator", "rend": section.separator})
    # Head and opener keep the source's order: "TOP SECRET" may stand above "RECORD OF CONVERSATION", and a
    # place and date or a salute below it (then the div has an opener on either side of its head).
    def add_opener(blocks: list[Block]) -> None:
        if blocks:
            opener = etree.SubElement(div, tei("opener"))
            for block in blocks:
                _block(skeleton, opener, block)

    if section.head is None:
        add_opener(section.opener)
    else:
        add_opener([b for b in section.opener if b.line < section.head.line])
        skeleton.add(div, "head", section.head.text, section.head.line)
        add_opener([b for b in section.opener if b.line > section.head.line])
    _body_blocks(skeleton, div, section.blocks)
    if section.closer:
        closer = etree.SubElement(div, tei("closer"))
        for block in section.closer:
            _block(skeleton, closer, block)
    if section.postscript:
        postscript = etree.SubElement(div, tei("postscript"))
        for block in section.postscript:
            _block(skeleton, postscript, block)
    return div


def build_note(skeleton: Skeleton, footnote: Footnote, attrs: dict[str, str]) -> etree._Element:
    """A ``<note>``: one paragraph stays inline; several become ``<p>`` children."""
    note = etree.Element(tei("note"), {"n": footnote.n, "place": "foot", **attrs})
    note.set(XML_ID, f"fn{footnote.n}")
    if len(footnote.paragraphs) == 1:
        skeleton.slots.append(TextSlot(note, footnote.paragraphs[0], footnote.line, kind="note"))
    else:
        for paragraph in footnote.paragraphs:
            skeleton.add(note, "p", paragraph, footnote.line, kind="note")
    skeleton.notes[footnote.n] = note
    return note
