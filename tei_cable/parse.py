"""The Digital Archive's plain-text export -> the typed model (``model.Document``).

The export looks like this (blank lines separate everything)::

    August 28, 1952                      <- date line
    Cable, Zhou Enlai to Chairman Mao    <- title
    Citation:                            <- header fields, each a label line
    "Cable, ...," August 28, 1952, ...   <- ... followed by its paragraphs
    <https://digitalarchive.wilsoncenter.org/document/208202>
    Summary: / Credits: / Original Language:   (any of them may be missing)
    Contents:
    - English Translation                <- one or more items
    To Chairman Mao [Zedong] ...:^[1]    <- the body
    ...
    ^[1] The editors of ...              <- the notes, to the end of the file

This module knows that layout and nothing about XML. Body blocks get a *kind*
from ordered rule tables (``layout.py``); inline markup stays verbatim in the text.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import layout
from .dates import parse_date_line, parse_date_value
from .errors import InputError
from .files import read_limited
from .model import Block, Document, Footnote, Header

#: Header labels the archive uses, mapped to ``Header`` fields. A label line
#: that is not in this table is kept verbatim in ``Header.extra``.
HEADER_LABELS: dict[str, str] = {
    "Citation:": "citation",
    "Summary:": "summary",
    "Credits:": "credits",
    "Original Language:": "languages",
    "Original Languages:": "languages",
    "Contents:": "contents",
}

#: Any other "Label:" line between the title and "Contents:" (e.g. "Associated Places:").
GENERIC_LABEL = re.compile(r"^[A-Z][\w'’]*(?: (?:[A-Z][\w'’]*|&|and|of|the|in|for))*:$")
URL_LINE = re.compile(r"^<?(https?://[^\s<>]+)>?$")
NOTE_START = re.compile(r"^\^\[(\d+)\][ \t]?")
#: Items of "Contents:" name parts of the archive record, not body text.
CONTENTS_ITEM = re.compile(
    r"^- +(.*\b(Translation|Transcription|Transcript|Scan|Original|Text|Summary|Document|Version)s?\b.*)$",
    re.IGNORECASE,
)
LANGUAGE_SPLIT = re.compile(r"\s*(?:,|;|/|\band\b|&)\s*")
#: A known header label with its value on the same line: "Original Language: German".
INLINE_LABEL = re.compile(r"^(?P<label>Citation|Summary|Credits|Original Languages?|Contents):[ \t]+(?P<value>\S.*)$")
#: Date lines of undated documents.
UNDATED = re.compile(r"^(?:undated|no date|n\.\s?d\.|date unknown)$", re.IGNORECASE)


def read_date_line(text: str, path: str, line: int) -> tuple[datetime.date | None, dict[str, str]]:
    """The document date for inference, and the TEI attributes of the date line's value.

    A full date ("August 28, 1952") gives both. A partial or approximate one ("August 1952", "1952",
    "August 28-29, 1952") gives its TEI value and no inference date: "yesterday" in a document of "August
    1952" has no value rather than a wrong one. "Undated" gives neither.
    """
    try:
        return parse_date_line(text), {"when": parse_date_line(text).isoformat()}
    except ValueError as err:
        reason = str(err)
    if UNDATED.match(text):
        return None, {}
    found = parse_date_value(text)
    if found is not None and found.kind == "date":
        attrs = {tei: value for name, tei in (("when", "when"), ("not_before", "notBefore"), ("not_after", "notAfter"),
                                             ("from_", "from"), ("to", "to")) if (value := getattr(found, name))}
        if attrs:
            return None, attrs
    raise InputError(f"the first line must be the document date (such as 'August 28, 1952'): {reason}",
                     path=path, line=line)


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the source file
    text: str


# -- reading bytes ---------------------------------------------------------------------------------

MAX_TEXT_BYTES = 50 * 1024 * 1024


def decode(data: bytes, path: str | Path = "<input>") -> str:
    """Decode an export: UTF-8 (with or without BOM) or UTF-16 with a BOM; refuse anything else.

    We never guess an 8-bit code page: a wrong guess turns "Lüshun" into mojibake
    that would then be published. A refusal names the first bad byte's line.
    """
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(f"file is larger than {MAX_TEXT_BYTES // (1024 * 1024)} MB; refusing to read it", path=path)
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        _refuse_binary(data, path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise InputError(f"invalid UTF-16 text: {err.reason}", path=path) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            hint = ""
            if any(b in data for b in (b"\x92", b"\x93", b"\x94", b"\x96", b"\x97")):
                hint = " (it looks like Windows-1252: re-save it as UTF-8, e.g. iconv -f cp1252 -t utf-8)"
            raise InputError(
                f"not UTF-8 text: byte 0x{data[err.start]:02x} cannot be decoded{hint}", path=path, line=line
            ) from None
    # Normalise line ends; keep everything else exactly as written.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_characters(text, path)
    return text


#: File signatures of formats people mistake for text exports.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"), (b"%PDF", "a PDF file"), (b"PK\x03\x04", "a ZIP archive (perhaps a .docx)"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office file"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"{\\rtf", "an RTF document"),
)


def _refuse_binary(data: bytes, path: str | Path) -> None:
    """Refuse files that are not text at all, saying what they look like (before any decoding hint)."""
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"a binary file ({kind}), not a plain-text export", path=path, line=1)
    head = data[:8192]
    if head and head.count(0) * 3 >= len(head):
        # Every other byte NUL: UTF-16 text that lost its byte order mark.
        raise InputError("the file looks like UTF-16 without a byte order mark; re-save it as UTF-8", path=path,
                         line=1)
    if b"\x00" in head:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise InputError("binary data (a NUL byte): this is not a plain-text export", path=path, line=line)


#: Characters XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def check_characters(text: str, path: str | Path) -> None:
    """Refuse text with characters no XML document may contain, naming the line and the code point."""
    m = NOT_XML.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        what = "a NUL character" if m.group() == "\x00" else f"the character U+{ord(m.group()):04X}"
        raise InputError(f"{what} cannot appear in XML (a control character or a broken encoding); remove it",
                         path=path, line=line)


def read_source(path: str | Path) -> str:
    return decode(read_limited(path, MAX_TEXT_BYTES, "file"), path)


# -- the header ------------------------------------------------------------------------------------


def _paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Group lines into paragraphs separated by blank lines."""
    paras: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.text.strip():
            current.append(line)
        elif current:
            paras.append(current)
            current = []
    if current:
        paras.append(current)
    return paras


def _next_content(lines: list[Line], i: int) -> int:
    while i < len(lines) and not lines[i].text.strip():
        i += 1
    return i


#: Titles that name a sender and recipients, most specific first. The sender runs to the *last* " to " (a sender
#: may be "Soviet Ambassador to the DPRK Shtykov"), unless what follows it starts in lower case.
TITLE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(?P<type>[^,]+?)\s+from\s+(?P<sender>.+)\s+to\s+(?P<recipients>(?:the\s+)?[A-Z\[].*)$"),
    re.compile(r"^(?P<type>[^,]+?)\s+from\s+(?P<sender>.+?)\s+to\s+(?P<recipients>.+)$"),
    re.compile(r"^(?P<type>[^,]+?),\s+(?P<sender>.+)\s+to\s+(?P<recipients>(?:the\s+)?[A-Z\[].*)$"),
    re.compile(r"^(?P<type>[^,]+?),\s+(?P<sender>.+?)\s+to\s+(?P<recipients>.+)$"),
)
#: Kinds of document whose title names no correspondents, longest first ("Record of Conversation ...").
DOCUMENT_TYPES = (
    "Record of a Conversation", "Record of Conversation", "Memorandum of Conversation", "Minutes of Conversation",
    "Minutes of a Conversation", "Minutes of the Meeting", "Minutes of a Meeting", "Transcript of Conversation",
    "Summary of Conversation", "Notes of Conversation", "Record of Meeting", "Record of the Meeting",
    "Memorandum", "Minutes", "Record", "Report", "Transcript", "Notes", "Note", "Resolution", "Decree", "Decision",
    "Directive", "Instruction", "Statement", "Speech", "Diary", "Journal", "Draft", "Summary", "Information",
)
TRAILING_DATE = re.compile(
    r",\s*(?:\d{1,2}\s+)?[A-Z][a-z]+\.?\s+\d{1,2}(?:,\s*\d{4})?$|,\s*\d{1,2}\s+[A-Z][a-z]+\s+\d{4}$"
)
RECIPIENT_SPLIT = re.compile(r",\s+(?:and\s+)?|\s+and\s+(?=(?:the\s+)?[A-Z])")


def parse_title(title: str) -> tuple[str | None, str | None, list[str]]:
    """Split a title into (document type, sender, recipients).

    >>> parse_title("Cable, Zhou Enlai to Chairman Mao [Zedong] and the Central Committee")
    ('Cable', 'Zhou Enlai', ['Chairman Mao [Zedong]', 'the Central Committee'])
    >>> parse_title("Cable from Soviet Ambassador to the DPRK Shtykov to Vyshinsky")
    ('Cable', 'Soviet Ambassador to the DPRK Shtykov', ['Vyshinsky'])
    >>> parse_title("Record of Conversation between Stalin and Zhou Enlai")
    ('Record of Conversation', None, [])
    """
    text = TRAILING_DATE.sub("", title.strip())
    for pattern in TITLE_PATTERNS:
        m = pattern.match(text)
        if m:
            recipients = [r.strip() for r in RECIPIENT_SPLIT.split(m.group("recipients")) if r.strip()]
            return m.group("type").strip(), m.group("sender").strip(), recipients
    doc_type = next((t for t in DOCUMENT_TYPES if text.lower().startswith(t.lower())), None)
    return (text[: len(doc_type)] if doc_type else None), None, []


def parse_header(lines: list[Line], path: str) -> tuple[Header, int]:
    """Parse the header; return it and the index of the first body line."""
    i = _next_content(lines, 0)
    if i >= len(lines):
        raise InputError("the file is empty: expected a date line such as 'August 28, 1952'", path=path, line=1)
    date_line = lines[i]
    date, date_value = read_date_line(date_line.text.strip(), path, date_line.number)
    i = _next_content(lines, i + 1)
    if i >= len(lines) or lines[i].text.strip() in HEADER_LABELS:
        raise InputError("expected the document title after the date line", path=path, line=date_line.number)
    title_line = lines[i]
    title = title_line.text.strip()
    header = Header(date_line=date_line.text.strip(), date=date, date_value=date_value, title=title)
    header.lines = {"date": date_line.number, "title": title_line.number}
    header.doc_type, header.sender, header.recipients = parse_title(title)

    # Collect "Label:" sections up to and including "Contents:".
    i += 1
    fields: dict[str, list[Line]] = {}
    label: str | None = None
    seen_contents = False
    while i < len(lines):
        text = lines[i].text.strip()
        inline = INLINE_LABEL.match(text)  # "Original Language: German" on one line
        if text in HEADER_LABELS or inline or (not seen_contents and GENERIC_LABEL.match(text)):
            if seen_contents:
                break
            label = f"{inline.group('label')}:" if inline else text
            if label in fields:
                raise InputError(f"the header field {label!r} appears twice", path=path, line=lines[i].number)
            fields[label] = [Line(lines[i].number, inline.group("value"))] if inline else []
            header.lines[HEADER_LABELS.get(label, label)] = lines[i].number
            seen_contents = HEADER_LABELS.get(label) == "contents"
            i += 1
            if seen_contents:
                break
            continue
        if label is None:
            if text:
                raise InputError(
                    f"expected a header field such as 'Citation:' or 'Contents:' after the title, found {text[:60]!r}",
                    path=path,
                    line=lines[i].number,
                )
        else:
            fields[label].append(lines[i])
        i += 1
    if not seen_contents:
        raise InputError(
            "no 'Contents:' line: the export must list its contents before the document body",
            path=path,
            line=title_line.number,
        )
    # Contents items: one block of "- English Translation" lines; the first blank line after them ends the
    # header, so a "- " list that opens the body (participants) is never taken for contents.
    j = _next_content(lines, i)
    if j < len(lines) and CONTENTS_ITEM.match(lines[j].text.strip()):
        while j < len(lines) and lines[j].text.strip().startswith("- "):
            header.contents.append(lines[j].text.strip()[2:].strip())
            j += 1
        i = j
    if not header.contents:
        raise InputError("'Contents:' must be followed by at least one '- ' item", path=path,
                         line=header.lines["contents"])
    for name, field_lines in fields.items():
        paras = [" ".join(line.text.strip() for line in p) for p in _paragraphs(field_lines)]
        key = HEADER_LABELS.get(name)
        if key == "citation":
            citation_lines = [line for line in field_lines if line.text.strip()]
            rest = []
            for line in citation_lines:
                m = URL_LINE.match(line.text.strip())
                if m and header.url is None:
                    header.url = m.group(1)
                else:
                    rest.append(line.text.strip())
            header.citation = " ".join(rest) or None
        elif key == "summary":
            header.summary = paras
        elif key == "credits":
            header.credits = " ".join(paras) or None
        elif key == "languages":
            header.languages = [x for x in LANGUAGE_SPLIT.split(" ".join(paras)) if x]
        elif key is None and paras:
            header.extra.append((name.rstrip(":"), "\n\n".join(paras)))
    return header, i


# -- notes -----------------------------------------------------------------------------------------


def split_notes(lines: list[Line], path: str) -> tuple[list[Line], list[Footnote]]:
    """Cut the trailing ``^[n]`` notes off the body lines."""
    start = next((k for k, line in enumerate(lines) if NOTE_START.match(line.text)), len(lines))
    notes: list[Footnote] = []
    current: list[Line] = []
    for line in lines[start:]:
        m = NOTE_START.match(line.text)
        if m:
            if current:
                notes.append(_footnote(current))
            current = [Line(line.number, line.text)]
        else:
            current.append(line)
    if current:
        notes.append(_footnote(current))
    return lines[:start], notes


def _footnote(lines: list[Line]) -> Footnote:
    m = NOTE_START.match(lines[0].text)
    assert m is not None
    first = Line(lines[0].number, lines[0].text[m.end() :])
    paras = ["\n".join(line.text.strip() for line in p) for p in _paragraphs([first, *lines[1:]])]
    if not paras:
        raise InputError(f"note ^[{m.group(1)}] has no text", line=lines[0].number)
    return Footnote(n=m.group(1), line=lines[0].number, paragraphs=paras)


MARKER = re.compile(r"\^\[(\d+)\]")


def check_markers(doc: Document) -> None:
    """Every marker has exactly one note and every note a marker, numbered 1, 2, 3 ... in reading order.

    Markers are looked for in the body only: a "^[1]" inside a note's text stays literal text there.
    """
    seen: dict[str, int] = {}
    for block in iter_blocks(doc):
        for m in MARKER.finditer(block.text):
            if m.group(1) in seen:
                raise InputError(f"footnote marker ^[{m.group(1)}] is used twice", path=doc.path, line=block.line)
            if m.group(1) != str(len(seen) + 1):
                raise InputError(f"footnote marker ^[{m.group(1)}] comes where ^[{len(seen) + 1}] is expected: "
                                 "markers must be numbered 1, 2, 3 ... in reading order", path=doc.path,
                                 line=block.line)
            seen[m.group(1)] = block.line
    notes = {note.n: note for note in doc.notes}
    for n, line in seen.items():
        if n not in notes:
            raise InputError(f"footnote marker ^[{n}] has no note '^[{n}] ...' at the end of the file",
                             path=doc.path, line=line)
    for note in doc.notes:
        if note.n not in seen:
            raise InputError(f"note ^[{note.n}] is never referred to by a marker in the text",
                             path=doc.path, line=note.line)
    for k, note in enumerate(doc.notes, 1):
        if note.n != str(k):
            raise InputError(f"note ^[{note.n}] comes where ^[{k}] is expected: notes must be numbered 1, 2, 3 "
                             "... in order", path=doc.path, line=note.line)


def iter_blocks(doc: Document) -> Iterator[Block]:
    for section in doc.sections:
        if section.head:
            yield section.head
        yield from section.opener
        yield from section.blocks
        yield from section.closer
        yield from section.postscript


# -- the whole document ----------------------------------------------------------------------------


def parse_text(text: str, path: str | Path = "<input>") -> Document:
    """Parse a whole export into a ``Document``; raise ``InputError`` (with file and line) on bad layout."""
    path = str(path)
    check_characters(text, path)
    lines = [Line(k + 1, t) for k, t in enumerate(text.split("\n"))]
    header, body_start = parse_header(lines, path)
    try:
        body_lines, notes = split_notes(lines[body_start:], path)
    except InputError as err:
        raise err.located(path) from None
    blocks = [
        layout.RawBlock(line=p[0].number, lines=[line.text.strip() for line in p]) for p in _paragraphs(body_lines)
    ]
    if not blocks:
        raise InputError("the document has no body text after 'Contents:'", path=path,
                         line=header.lines.get("contents"))
    sections = layout.build_sections(blocks, header.date)
    doc = Document(path=path, header=header, sections=sections, notes=notes)
    check_markers(doc)
    return doc


@dataclass(frozen=True)
class SourceParts:
    """The raw body and notes of an export, for round-trip checks against the TEI."""

    body: str  # the body text verbatim, footnote markers removed
    notes: dict[str, str]  # note number -> the note's text verbatim (paragraphs joined by blank lines)


def source_parts(text: str, path: str | Path = "<input>") -> SourceParts:
    """Cut an export into its raw body and notes, exactly as written (no layout decisions)."""
    lines = [Line(k + 1, t) for k, t in enumerate(text.split("\n"))]
    _, body_start = parse_header(lines, str(path))
    body_lines, notes = split_notes(lines[body_start:], str(path))
    body = MARKER.sub("", "\n".join(line.text for line in body_lines))
    return SourceParts(body=body, notes={n.n: "\n\n".join(n.paragraphs) for n in notes})


def parse_file(path: str | Path) -> Document:
    return parse_text(read_source(path), path)
