"""The typed model between the text layout and TEI.

``parse`` fills it from a plain-text export; ``encode`` turns it into TEI. It knows
neither files nor XML: every text field is the source text *verbatim*, inline
markup included (``Mao [Zedong]``, ``*Pravda*``, ``^[1]``), so nothing is lost
before the encoder decides what the markup means. Line numbers point back into
the source file for error messages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

#: What a block of the body is. The encoder maps each kind to TEI through a table
#: (``encode.BLOCK_ELEMENTS``); the parser decides the kind from the layout.
BlockKind = Literal[
    "p",  # an ordinary paragraph
    "salute",  # "To Chairman Mao [Zedong] and the Central Committee:", "Dear Comrade Stalin,"
    "opener-line",  # telegram header lines: classification, copy, number, from, to, sent, received
    "letterhead",  # the lines at the top of a letter
    "address",  # the addressee's lines just above the salute
    "dateline",  # "August 28", "Moscow, 3 October 1950"
    "signed",  # "Zhou Enlai", "Ambassador of the USSR\nA. Panyushkin"
    "closing",  # "With communist greetings,"
    "distribution",  # "Distributed: Malenkov, Beria"
    "participants",  # "Present: ..." (with or without a following "- " list)
    "item",  # a numbered or lettered point
    "speech",  # a speaker turn; ``label`` holds the speaker label
    "separator",  # a rule line ("----------") kept in a closer
]


@dataclass
class Block:
    """One block of the body: one paragraph of the export (or several lines kept together).

    ``text`` is verbatim, with the line breaks inside the block as "\\n" (letterheads and distribution lists
    keep them; prose never has any).
    """

    kind: BlockKind
    text: str
    line: int
    label: str = ""  # printed label of an item ("[1]", "II.", "(a)") or speaker label ("MOLOTOV.")
    n: str = ""  # the label's number or letter without punctuation ("1", "II", "a")
    style: str = ""  # the label style ("bracket", "dot", "paren", "roman", ...); lists group by style
    subtype: str = ""  # opener lines: "classification", "sent", ...; speech: the speaker's name text
    label_sep: str = " "  # the characters between the label and the text, kept for the round trip


@dataclass
class Section:
    """A division of the body: the document itself, an annex, or an enclosure."""

    kind: Literal["document", "annex", "enclosure"]
    line: int
    head: Block | None = None
    separator: str = ""  # the rule line that introduced an enclosure ("* * *"), kept verbatim
    opener: list[Block] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    closer: list[Block] = field(default_factory=list)
    postscript: list[Block] = field(default_factory=list)


@dataclass
class Footnote:
    """A trailing ``^[n] ...`` note; ``paragraphs`` keep their verbatim text."""

    n: str
    line: int
    paragraphs: list[str]


@dataclass
class Header:
    """The export's metadata fields, verbatim (``None`` where the export has none)."""

    date_line: str
    date: datetime.date | None  # for inferring what the text leaves out; None when the date line is partial
    date_value: dict[str, str]  # the date line as TEI date attributes: {"when": "1952-08-28"}, or bounds, or {}
    title: str
    citation: str | None = None
    url: str | None = None
    summary: list[str] = field(default_factory=list)
    credits: str | None = None
    languages: list[str] = field(default_factory=list)  # "Original Language:" split into names
    contents: list[str] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)  # unknown "Label:" fields, kept verbatim
    lines: dict[str, int] = field(default_factory=dict)  # field name -> source line, for messages
    # From the title, by ``parse.parse_title``: "Cable, Zhou Enlai to Chairman Mao [Zedong] and ..."
    doc_type: str | None = None  # "Cable"
    sender: str | None = None  # "Zhou Enlai"
    recipients: list[str] = field(default_factory=list)  # ["Chairman Mao [Zedong]", "the Central Committee"]


@dataclass
class Document:
    """A whole parsed export."""

    path: str
    header: Header
    sections: list[Section]
    notes: list[Footnote]

    @property
    def record_id(self) -> str | None:
        """The archive's record number or slug, from the URL's last path segment."""
        if not self.header.url:
            return None
        return self.header.url.rstrip("/").rsplit("/", 1)[-1] or None
