"""The archive's citation line -> spans naming its parts (title, date, editors, volume, pages ...).

The citation is kept word for word inside ``sourceDesc/bibl``; these spans only tag
the parts that can be recognised. A citation that does not follow the usual pattern
simply stays untagged text: nothing is ever dropped.

    "Cable, Zhou Enlai to ...," August 28, 1952, History and Public Policy Program Digital
    Archive, <editors>, eds., <title> (<translated title>), vol. 7 (Beijing: <publisher>, 2018),
    91-94. Translated by David Cowhig.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .spans import Span

LEAD_TITLE = re.compile(r"^[“\"](?P<title>.+?),?[”\"],?\s+")
DATE = re.compile(r"(?P<date>(?:[A-Z][a-z]+\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{4}|\d{4})),\s+")
DISTRIBUTOR = re.compile(r"(?P<d>(?:History and Public Policy Program |Cold War International History Project |"
                         r"Wilson Center )?Digital Archive)(?=[,.])")
_ROLE_VERBS = (r"(?:[Oo]btained|[Cc]ontributed|[Tt]ranslated|[Tt]ranscribed|[Ee]dited|[Pp]rovided|[Dd]onated|"
               r"[Ss]elected)")
#: "Translated by A.", "Obtained and translated by A and B.", "Obtained by A and translated by B."
RESP = re.compile(
    r"(?P<phrase>" + _ROLE_VERBS + r"(?: and (?:translated|transcribed|edited|annotated))?(?: for [^.]*?)?) by "
    r"(?P<names>[^.]+?(?:\.\s?[A-Z][^.]*?)*?)"
    r"(?=,? and " + _ROLE_VERBS + r"\b|\.?\s+" + _ROLE_VERBS + r"\b|\.?\s*$)"
)
EDITED = re.compile(r"^(?P<editors>.+?),\s+eds?\.,\s+(?P<rest>.*)$")
TITLE_TRANSLATED = re.compile(r"^(?P<title>[^,(]+?)(?:\s+\((?P<translated>[^()]+)\))?(?=,|$)")
VOLUME = re.compile(r"\b(?:vol\.|volume|Vol\.)\s+(?P<n>[\w.\-]+)")
IMPRINT = re.compile(r"\((?P<place>[^():,]+):\s+(?P<publisher>[^()]+?),\s+(?P<year>\d{4})\)")
PAGES = re.compile(r"(?:,|\))\s+(?:pp?\.\s+)?(?P<pages>\d+(?:\s*[-–]\s*\d+)?)\.?\s*$")
ARCHIVE = re.compile(r"^(?P<repo>[^,]*?(?:Archive|Archives|Archiv|Library|Records|Office|Ministry|Centre|Center)"
                     r"[^,]*?),\s+(?P<signature>(?:f(?:ond)?\.?|op(?:is)?\.?|d(?:elo)?\.?|ll?\.|listy?|papka|p\.|"
                     r"box|folder|file|RG|MfS|Fond)\b.*?)\.?\s*$", re.IGNORECASE)
NAME_SPLIT = re.compile(r",\s+(?:and\s+)?|\s+and\s+")


@dataclass
class Citation:
    spans: list[Span]
    translators: list[str]  # "Translated by" names
    contributors: list[tuple[str, str]]  # (phrase, name) for every "... by" phrase


def _split_top(text: str, sep: str = " and ") -> list[tuple[int, int]]:
    """Split ``text`` on ``sep`` outside parentheses; return (start, end) pairs."""
    parts: list[tuple[int, int]] = []
    depth = start = 0
    i = 0
    while i < len(text):
        c = text[i]
        depth += (c == "(") - (c == ")")
        if depth == 0 and text.startswith(sep, i):
            parts.append((start, i))
            start = i + len(sep)
            i += len(sep)
            continue
        i += 1
    parts.append((start, len(text)))
    return parts


Add = Callable[..., None]


def parse_citation(text: str, parse_date: Callable[[str], str | None] | None = None) -> Citation:
    """Spans over ``text``; ``parse_date`` (str -> ISO or None) normalises the item's date."""
    spans: list[Span] = []
    translators: list[str] = []
    contributors: list[tuple[str, str]] = []

    def add(start: int, end: int, element: str, *attrs: tuple[str, str]) -> None:
        if start < end:
            spans.append(Span(start, end, element, tuple(attrs), rule=len(spans)))

    pos = 0
    m = LEAD_TITLE.match(text)
    if m:
        add(m.start("title"), m.end("title"), "title", ("level", "a"))
        pos = m.end()
        d = DATE.match(text, pos)
        if d:
            iso = parse_date(d.group("date")) if parse_date else None
            add(d.start("date"), d.end("date"), "date", *((("when", iso),) if iso else ()))
            pos = d.end()
    dist = DISTRIBUTOR.search(text, pos)
    resp = list(RESP.finditer(text))
    body_end = resp[0].start() if resp else len(text)
    if dist and dist.start() < body_end:
        add(dist.start("d"), dist.end("d"), "distributor")
        pos = dist.end() + 1
        while pos < len(text) and text[pos] in " ,":
            pos += 1
    source = text[pos:body_end].rstrip()
    source = source[:-1] if source.endswith(".") else source
    _source_parts(source, pos, add)
    for r in resp:
        for s, e in _names(r.group("names")):
            name = r.group("names")[s:e]
            role = "translator" if "ranslat" in r.group("phrase") else "contributor"
            add(r.start("names") + s, r.start("names") + e, "editor", ("role", role))
            phrase = r.group("phrase")
            contributors.append((f"{phrase[:1].upper()}{phrase[1:]} by", name))
            if role == "translator":
                translators.append(name)
    return Citation(spans=spans, translators=translators, contributors=contributors)


def _names(names: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for piece in NAME_SPLIT.split(names):
        start = names.index(piece, pos)
        if piece.strip():
            out.append((start, start + len(piece)))
        pos = start + len(piece)
    return out


def _source_parts(source: str, offset: int, add: Add) -> None:
    """Tag an edited volume ("X and Y, eds., Title (Translation), vol. 7 (Place: Publisher, 2018), 91-94")
    or an archive signature ("APRF, fond 45, opis 1, delo 331, listy 59-61")."""
    archive = ARCHIVE.match(source)
    if archive:
        add(offset + archive.start("repo"), offset + archive.end("repo"), "orgName", ("role", "repository"))
        add(offset + archive.start("signature"), offset + archive.end("signature"), "idno", ("type", "archive"))
        return
    edited = EDITED.match(source)
    if not edited:
        return
    for s, e in _split_top(edited.group("editors")):
        add(offset + s, offset + e, "editor")
    rest_at = edited.start("rest")
    rest = edited.group("rest")
    t = TITLE_TRANSLATED.match(rest)
    if t:
        add(offset + rest_at + t.start("title"), offset + rest_at + t.end("title"), "title", ("level", "m"))
        if t.group("translated"):
            add(offset + rest_at + t.start("translated"), offset + rest_at + t.end("translated"), "title",
                ("type", "translated"))
    v = VOLUME.search(rest)
    if v:
        add(offset + rest_at + v.start(), offset + rest_at + v.end(), "biblScope", ("unit", "volume"),
            ("n", v.group("n")))
    i = IMPRINT.search(rest)
    if i:
        add(offset + rest_at + i.start("place"), offset + rest_at + i.end("place"), "pubPlace")
        add(offset + rest_at + i.start("publisher"), offset + rest_at + i.end("publisher"), "publisher")
        add(offset + rest_at + i.start("year"), offset + rest_at + i.end("year"), "date", ("when", i.group("year")))
    p = PAGES.search(rest)
    if p:
        pages = re.split(r"\s*[-–]\s*", p.group("pages"))
        attrs = [("unit", "page"), ("from", pages[0]), ("to", pages[-1])]
        add(offset + rest_at + p.start("pages"), offset + rest_at + p.end("pages"), "biblScope", *attrs)
