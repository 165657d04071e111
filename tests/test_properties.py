"""Property-based tests: arbitrary text never crashes a stage, and what comes out is well-formed and loses nothing.

Targets: byte decoding, the layout parser, the date grammar, the entity finders, span resolution and insertion,
and the whole converter on generated exports. Exporters get their own properties elsewhere.

Every test here carries the ``fuzz`` marker. In CI the suite runs them with a small example count (fast);
``make fuzz`` runs ``pytest -m fuzz`` with ``TEI_CABLE_FUZZ=100000`` examples per target.

Characters that XML 1.0 forbids and footnotes without text are refused by the parser with an InputError
(``test_hardening_text.py`` covers them); the generators here produce legal text so that the properties
exercise conversion itself.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import os
import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from tei_cable.convert import convert_text
from tei_cable.dates import DateMatch, find_dates, is_iso_value, parse_date_line, parse_date_value
from tei_cable.entities.finders import MENTION_ELEMENTS, FindContext, find_mentions
from tei_cable.entities.register import Register
from tei_cable.errors import InputError
from tei_cable.parse import NOT_XML, decode, parse_text, source_parts
from tei_cable.spans import Span, insert, resolve
from tei_cable.tei import XML_ID, parse_xml, serialize, tei

pytestmark = pytest.mark.fuzz


def _example_count() -> int:
    """Examples per target: ``TEI_CABLE_FUZZ`` (``make fuzz`` sets 100000), else a CI-sized default."""
    raw = os.environ.get("TEI_CABLE_FUZZ", "").strip()
    if not raw:
        return 100  # the whole file then runs in about 5 s: well under a minute in CI
    try:
        count = int(raw)
    except ValueError:
        raise pytest.UsageError(f"TEI_CABLE_FUZZ must be a whole number of examples, not {raw!r}") from None
    if count < 1:
        raise pytest.UsageError(f"TEI_CABLE_FUZZ must be at least 1, not {count}")
    return count


FUZZ = settings(
    max_examples=_example_count(),
    # A conversion takes tens of milliseconds and the first one builds the register index: a per-example
    # deadline would only produce flaky failures, never find a bug.
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,  # a failure prints a @reproduce_failure line to paste into the test
)

# -- alphabets -------------------------------------------------------------------------------------

#: Characters XML 1.0 allows in text, minus surrogates (which cannot reach us from a decoded file).
XML_CHARS = st.characters(
    codec="utf-8",
    exclude_categories=("Cs",),
    exclude_characters="".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") + "\ufffe\uffff",
)
#: Arbitrary Unicode text that is legal in XML: every script, combining marks, RTL marks, emoji, NEL, U+2028.
xml_text = st.text(XML_CHARS, max_size=12)

DOC_DATE = datetime.date(1952, 8, 28)


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.default()


# -- the shape of an export -------------------------------------------------------------------------


def export(body: str, notes: list[str], *, date: str = "August 28, 1952",
           title: str = "Cable, Zhou Enlai to Mao") -> str:
    """A complete export in the Digital Archive's layout around ``body`` and its ``notes`` (texts of ^[1], ^[2] ...).

    The header is fixed and valid, so the generated bodies reach the layout rules, the finders and the encoder.
    """
    parts = [
        date, "", title, "", "Citation:", "",
        f"“{title},” {date}, History and Public Policy Program Digital Archive. Translated by Anna Field.",
        "<https://digitalarchive.wilsoncenter.org/document/4242>", "",
        "Contents:", "", "- English Translation", "", body, "",
    ]
    parts.extend(f"^[{n}] {text}\n" for n, text in enumerate(notes, start=1))
    return "\n".join(parts)


#: Pieces a translated Cold-War document is made of: register names (with titles and translator brackets),
#: dates, italics, quotations, brackets of every kind, and the odd footnote-like caret.
TOKENS = [
    "Zhou Enlai", "Chairman Mao [Zedong]", "Mao", "[Zedong]", "Comrade Stalin", "Filippov [Stalin]", "MOLOTOV",
    "Kim [Il Sung]", "Kim Il-sung", "the Soviet Union", "China", "Japan", "Lüshun Port", "Port Arthur",
    "the Central Committee", "the Soviet government", "Government of the People's Republic of China",
    "the treaty between the Soviet Union and China signed in 1945", "Sino-Soviet Treaty of Friendship",
    "August 28", "28 August 1952", "3.10.50", "28.VIII.1952", "yesterday evening", "the 1950s", "early 1968",
    "from 1 to 5 June 1953", "no later than May 1954", "by 1962", "4:10 am", "12:00 noon", "1950-1953",
    "*Pravda*", "*", "**", "*Renmin ribao", "“", "”", '"', "'", "‘", "’", "«", "»", "[", "]", "[...]", "[sic]",
    "[?]", "[illegible]", "(", ")", "^", "^[", "^[x]", "[1]", "1.", "(a)", "II.", "–", "—", "-", ";", ":", ",",
    ".", "?", "!", "…", "&", "<", ">", "&amp;", "<p>", "]]>", "<!--", "\t", "  ", "\u00a0", "\u200f", "\u202e",
    "\u2028", "\u0085", "\r", "Ⅻ", "١٩٥٢", "毛泽东", "Молотов", "Ülbricht", "e\u0301", "🇨🇳",
]
#: Labels that start a numbered point or a speaker's turn: the layout rules key on them.
PREFIXES = ["", "", "", "[1] ", "[2] ", "1. ", "2) ", "(a) ", "(ii) ", "II. ", "a) ", "- ", "• ",
            "MOLOTOV: ", "STALIN. ", "Stalin: ", "Zhou Enlai: ", "Soviet side (GROMYKO): ", "KIM IL SUNG: ",
            "Present: ", "Distributed: ", "To Chairman Mao [Zedong]:", "Dear Comrade Ulbricht,",
            "With communist greetings,", "Annex One: ", "Annex 2:", "* * *", "----------", "TOP SECRET",
            "Copy No. 2", "From PEKING", "Sent 3.10.50 23:45", "August 28", "Zhou Enlai"]

token = st.one_of(st.sampled_from(TOKENS), xml_text)
joiner = st.sampled_from([" ", " ", " ", "", ", ", ". ", "\n"])


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    words = draw(st.lists(token, max_size=10))
    glue = [draw(joiner) for _ in words]
    text = "".join(w + g for w, g in zip(words, glue, strict=True))
    return draw(st.sampled_from(PREFIXES)) + text


@st.composite
def body_with_notes(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Body paragraphs with markers ``^[1]`` .. ``^[n]`` anywhere in them, and one note per marker.

    Only the notes must be numbered in order; markers may appear in any order. A line may never *start* with
    ``^[n]``: that would begin the notes section, which is the layout's rule, not a body. Notes are never empty
    (a known crash, see the module docstring).
    """
    paras = draw(st.lists(paragraph(), min_size=1, max_size=6))
    paras = [re.sub(r"(?m)^(\s*)\^\[", r"\1^ [", p) for p in paras]
    marker_count = draw(st.integers(0, 3))
    notes: list[str] = []
    for n in range(1, marker_count + 1):
        k = draw(st.integers(0, len(paras) - 1))
        # After a blank or at the end of a paragraph, never inside an earlier marker and never at the start
        # of a line (a line that starts with ^[n] starts the notes).
        text = paras[k]
        cuts = [c for c in (len(text), *(i + 1 for i, ch in enumerate(text) if ch == " ")) if c and text[c - 1] != "\n"]
        if cuts:
            cut = draw(st.sampled_from(cuts))
            paras[k] = text[:cut] + f"^[{n}]" + text[cut:]
        else:
            paras[k] = text + f" ^[{n}]"
        note_paras = draw(st.lists(paragraph(), min_size=1, max_size=2))
        note_paras = [re.sub(r"(?m)^(\s*)\^\[", r"\1^ [", p) for p in note_paras]
        notes.append("Note " + "\n\n".join(note_paras) + draw(st.sampled_from(["", " – Charles Kraus.", " – Editor."])))
    return "\n\n".join(paras), notes


# -- helpers ----------------------------------------------------------------------------------------


def alnum(text: str) -> str:
    """Letters and digits only: what no markup may add, drop or reorder (brackets, asterisks, markers and
    whitespace legitimately change form in TEI)."""
    return "".join(ch for ch in text if ch.isalnum())


def body_text_without_notes(root: etree._Element) -> str:
    """The text of ``<text>``, skipping what sits inside ``<note>`` (notes are inserted at their markers)."""
    out: list[str] = []

    def walk(el: etree._Element) -> None:
        if el.tag == tei("note"):
            return
        out.append(el.text or "")
        for child in el:
            walk(child)
            out.append(child.tail or "")

    walk(root.find(tei("text")))
    return "".join(out)


def check_round_trip(tree: etree._ElementTree) -> bytes:
    """Serialise, parse back with the safe parser, serialise again: the bytes must not change."""
    data = serialize(tree)
    again = parse_xml(data, "<round-trip>")
    assert etree.tostring(again, encoding="UTF-8", xml_declaration=True) + b"\n" == data
    return data


def check_converted(text: str) -> etree._Element | None:
    """Convert; an ``InputError`` is an acceptable answer, anything else raised is a bug."""
    try:
        result = convert_text(text, "generated.txt")
    except InputError as err:
        event(f"refused: {err.message.split(':')[0]}")
        return None
    check_round_trip(result.tree)
    return result.tree.getroot()


# -- decoding bytes ---------------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=400))
def test_decode_arbitrary_bytes_gives_text_or_input_error(data: bytes) -> None:
    try:
        text = decode(data, "any.txt")
    except InputError as err:
        assert err.path == "any.txt" and err.message
        return
    assert "\r" not in text and "\x00" not in text


@FUZZ
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"), max_size=200),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom"]))
def test_decode_round_trips_every_supported_encoding(text: str, encoding: str) -> None:
    """UTF-8 with or without BOM and UTF-16 with either BOM give back exactly the text (line ends normalised)."""
    if encoding == "utf-8" and text.startswith("\ufeff"):
        text = text[1:]  # a leading U+FEFF *is* a BOM: decode rightly drops it
    if encoding.endswith("-bom"):
        codec = encoding[: -len("-bom")]
        data = "\ufeff".encode(codec) + text.encode(codec)
    else:
        data = text.encode(encoding)
    if NOT_XML.search(text):
        # Characters no XML document may hold are refused with the line, never passed on.
        with pytest.raises(InputError):
            decode(data)
        return
    assert decode(data) == text.replace("\r\n", "\n").replace("\r", "\n")


# -- the layout parser ------------------------------------------------------------------------------

HEADER_LINES = ["August 28, 1952", "28 August 1952", "March 03, 1949", "Cable, A to B", "Citation:", "Summary:",
                "Credits:", "Original Language:", "Contents:", "Associated Places:", "- English Translation",
                "- Original Scan", "<https://digitalarchive.wilsoncenter.org/document/1>", "^[1] A note.",
                "^[2]", "Text.^[1]", "Text.^[2]", "", "", "", " ", "\t"]


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(HEADER_LINES), xml_text), max_size=25))
def test_parser_never_crashes_on_header_like_lines(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        doc = parse_text(text, "lines.txt")
    except InputError as err:
        # Every refusal names the file, and a line inside it when it gives one.
        assert err.path == "lines.txt"
        assert err.line is None or 1 <= err.line <= text.count("\n") + 1
        return
    assert doc.sections and doc.header.contents
    source_parts(text, "lines.txt")  # a text the parser accepts can always be cut for the round trip


@FUZZ
@given(st.text(XML_CHARS, max_size=300))
def test_parser_never_crashes_on_arbitrary_text(text: str) -> None:
    with contextlib.suppress(InputError):
        parse_text(text, "any.txt")


@FUZZ
@given(body_with_notes())
def test_parser_keeps_every_body_and_note_character(generated: tuple[str, list[str]]) -> None:
    """The parsed model keeps the body's letters and digits in order, and each note's text."""
    body, notes = generated
    text = export(body, notes)
    try:
        doc = parse_text(text, "gen.txt")
    except InputError:
        return
    parts = source_parts(text, "gen.txt")
    assert alnum(parts.body) == alnum(re.sub(r"\^\[\d+\]", "", body))
    assert {n: alnum(t) for n, t in parts.notes.items()} == {str(k): alnum(t) for k, t in enumerate(notes, 1)}
    assert [n.n for n in doc.notes] == [str(k) for k in range(1, len(notes) + 1)]


# -- the date grammar -------------------------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DATE_WORDS = [*MONTHS, "Jan.", "Sept.", "AUGUST", "Monday", "the", "of", "from", "to", "till", "until", "and",
              "between", "since", "by", "before", "after", "no later than", "not earlier than", "early", "mid",
              "late", "the end of", "the beginning of", "the first half of", "spring", "summer", "winter", "autumn",
              "yesterday", "today", "tomorrow", "evening", "morning", "night", "ago", "days", "weeks", "last",
              "next", "this", "year", "month", "week", "1950s", "'53", "fifties", "twentieth century", "AM",
              "p.m.", "noon", "midnight", "Moscow time", "GMT", "No.", "pp.", "vol.", "st", "nd", "th",
              "I", "IV", "VIII", "XII", "XIII", "x"]
date_piece = st.one_of(
    st.sampled_from(DATE_WORDS),
    st.integers(0, 2100).map(str),
    st.integers(0, 99).map(lambda n: f"{n:02d}"),
    st.sampled_from([" ", " ", ", ", ".", "/", "-", "–", "—", ":", "\n", "\n\n", "'", "(", ")", "th", ""]),
    st.text(XML_CHARS, max_size=3),
)
date_text = st.lists(date_piece, max_size=16).map("".join)
doc_dates = st.one_of(st.none(), st.dates(datetime.date(1900, 1, 1), datetime.date(2030, 12, 31)))


def check_date_match(m: DateMatch, text: str) -> None:
    assert 0 <= m.start < m.end <= len(text)
    assert text[m.start : m.end] == m.text
    assert m.kind in ("date", "time")
    values = {"when": m.when, "notBefore": m.not_before, "notAfter": m.not_after, "from": m.from_, "to": m.to}
    for name, value in values.items():
        assert value is None or is_iso_value(value), f"@{name}={value!r} is not an ISO value for {m.text!r}"
    for lo, hi in ((m.not_before, m.not_after), (m.from_, m.to)):
        if lo and hi and len(lo) == len(hi):  # same precision: plain string order is date order
            assert lo <= hi, f"{lo} > {hi} for {m.text!r}"
    assert m.cert in (None, "high", "medium", "low")


@FUZZ
@given(date_text, doc_dates)
def test_find_dates_gives_ordered_valid_matches(text: str, document_date: datetime.date | None) -> None:
    matches = find_dates(text, document_date)
    for m in matches:
        check_date_match(m, text)
    for a, b in itertools.pairwise(matches):
        assert a.end <= b.start, f"{a.text!r} overlaps {b.text!r}"


@FUZZ
@given(st.text(XML_CHARS, max_size=200), doc_dates)
def test_find_dates_never_crashes_on_arbitrary_text(text: str, document_date: datetime.date | None) -> None:
    for m in find_dates(text, document_date):
        check_date_match(m, text)


@FUZZ
@given(date_text, doc_dates)
def test_parse_date_value_reads_the_whole_string_or_nothing(text: str, document_date: datetime.date | None) -> None:
    m = parse_date_value(text, document_date)
    if m is not None:
        check_date_match(m, text)
        assert text[: m.start].strip() == "" and text[m.end :].strip().strip(".,;:") == ""


@FUZZ
@given(date_text)
def test_parse_date_line_gives_a_date_or_value_error(text: str) -> None:
    try:
        value = parse_date_line(text)
    except ValueError as err:
        assert str(err)
        return
    assert isinstance(value, datetime.date)


@FUZZ
@given(st.dates(datetime.date(1900, 1, 1), datetime.date(2030, 12, 31)),
       st.sampled_from(["{month} {day}, {year}", "{month} {day:02d}, {year}", "{day} {month} {year}"]))
def test_parse_date_line_reads_every_archive_date(value: datetime.date, shape: str) -> None:
    line = shape.format(month=MONTHS[value.month - 1], day=value.day, year=value.year)
    assert parse_date_line(line) == value


# -- the entity finders -----------------------------------------------------------------------------


@st.composite
def finder_text(draw: st.DrawFn, forms: list[str]) -> str:
    pieces = draw(st.lists(st.one_of(st.sampled_from(forms), st.sampled_from(TOKENS), xml_text), max_size=12))
    return "".join(p + draw(joiner) for p in pieces)


def _forms() -> list[str]:
    # Titles and role words in front of names, plus every form the register matches.
    return sorted({f for e in Register.default() for f in e.forms()} | {"Comrade", "Chairman", "interpreter",
                                                                        "Ambassador", "Premier", "Mr.", "Dr."})


FORMS = _forms()


@FUZZ
@given(finder_text(FORMS), doc_dates)
def test_find_mentions_gives_spans_inside_the_text(register: Register, text: str,
                                                   document_date: datetime.date | None) -> None:
    for m in find_mentions(text, FindContext(register, document_date)):
        assert 0 <= m.start < m.end <= len(text), m
        assert m.kind in MENTION_ELEMENTS
        assert all(c in register for c in m.candidates), m.candidates
        assert len(set(m.candidates)) == len(m.candidates)
        if m.role is not None:
            assert m.start <= m.role[0] < m.role[1] <= m.end, m


@FUZZ
@given(st.text(XML_CHARS, max_size=200))
def test_find_mentions_never_crashes_on_arbitrary_text(register: Register, text: str) -> None:
    for m in find_mentions(text, FindContext(register, DOC_DATE)):
        assert 0 <= m.start < m.end <= len(text)


# -- span resolution and insertion ------------------------------------------------------------------

ELEMENTS = ["persName", "placeName", "orgName", "name", "rs", "date", "supplied", "title", "gap", "hi"]


@st.composite
def spans_over(draw: st.DrawFn) -> tuple[str, list[Span]]:
    text = draw(st.text(XML_CHARS, min_size=1, max_size=40))
    spans = []
    for _ in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        left = draw(st.integers(0, min(2, end - start)))
        right = draw(st.integers(0, min(2, end - start - left)))
        spans.append(Span(start, end, draw(st.sampled_from(ELEMENTS)), rule=draw(st.integers(0, 5)),
                          strip=(left, right), replace=draw(st.booleans()), key=draw(st.sampled_from(["", "a", "b"]))))
    return text, spans


def _nested_or_apart(a: Span, b: Span) -> bool:
    return a.end <= b.start or b.end <= a.start or a.contains(b) or b.contains(a)


@FUZZ
@given(spans_over())
def test_resolve_keeps_a_properly_nested_subset(generated: tuple[str, list[Span]]) -> None:
    _, spans = generated
    kept = resolve(spans)
    assert all(any(k is s for s in spans) for k in kept), "resolve invented a span"
    for i, a in enumerate(kept):
        for b in kept[i + 1 :]:
            assert _nested_or_apart(a, b), f"{a} crosses {b}"


@FUZZ
@given(spans_over())
def test_insert_keeps_every_character_not_stripped_or_replaced(generated: tuple[str, list[Span]]) -> None:
    text, spans = generated
    kept = resolve(spans)
    parent = etree.Element(tei("p"))
    insert(parent, text, kept)
    # Characters that legitimately leave the text: a replaced span's whole stretch, a span's stripped edges.
    dropped = [False] * len(text)
    for s in kept:
        ranges = [(s.start, s.end)] if s.replace else [(s.start, s.inner[0]), (s.inner[1], s.end)]
        for lo, hi in ranges:
            for k in range(lo, hi):
                dropped[k] = True
    assert "".join(parent.itertext()) == "".join(ch for ch, gone in zip(text, dropped, strict=True) if not gone)
    # One element per kept span, except spans swallowed by a replace span (their text is gone too).
    # ``kept`` is in insertion order: an element comes before the elements nested inside it.
    swallowed = sum(1 for i, s in enumerate(kept) if any(r.replace and r.contains(s) for r in kept[:i]))
    assert len(parent.xpath(".//*")) == len(kept) - swallowed
    parse_xml(etree.tostring(parent))  # well-formed


# -- the whole converter ----------------------------------------------------------------------------


def _check_ids(root: etree._Element) -> None:
    ids = [el.get(XML_ID) for el in root.iter() if el.get(XML_ID) is not None]
    assert len(ids) == len(set(ids)), f"duplicate xml:id: {sorted({i for i in ids if ids.count(i) > 1})}"
    known = set(ids)
    for el in root.iter():
        for attr in ("ref", "who", "resp", "ana", "source"):
            for pointer in (el.get(attr) or "").split():
                if pointer.startswith("#"):
                    assert pointer[1:] in known, f"@{attr}={pointer} points nowhere"


def _check_nothing_lost(root: etree._Element, text: str) -> None:
    parts = source_parts(text, "generated.txt")
    assert alnum(body_text_without_notes(root)) == alnum(parts.body)
    notes = {el.get("n"): alnum("".join(el.itertext())) for el in root.iter(tei("note")) if el.get("place") == "foot"}
    assert notes == {n: alnum(t) for n, t in parts.notes.items()}


@FUZZ
@given(body_with_notes())
def test_convert_generated_exports(generated: tuple[str, list[str]]) -> None:
    """Well-formed TEI that round-trips through lxml, with unique ids, resolving pointers and no text lost;
    or an InputError. Never anything else."""
    body, notes = generated
    text = export(body, notes)
    root = check_converted(text)
    if root is not None:
        _check_ids(root)
        _check_nothing_lost(root, text)


PLAIN = st.characters(codec="ascii", categories=("Lu", "Ll", "Nd", "Zs"), include_characters=",.;'\"()-?!")


@FUZZ
@given(st.lists(st.text(PLAIN, min_size=1, max_size=60).filter(str.strip), min_size=1, max_size=5))
def test_convert_plain_prose_is_never_refused(paras: list[str]) -> None:
    """Ordinary prose in a valid export always converts: the converter must not refuse documents it
    merely does not understand (this keeps the property above from passing on refusals alone)."""
    text = export("\n\n".join(paras), [])
    root = check_converted_strict(text)
    _check_ids(root)
    _check_nothing_lost(root, text)


def check_converted_strict(text: str) -> etree._Element:
    result = convert_text(text, "generated.txt")
    check_round_trip(result.tree)
    return result.tree.getroot()


@FUZZ
@given(st.text(XML_CHARS, max_size=400))
def test_convert_arbitrary_text(text: str) -> None:
    check_converted(text)



#: A header line must stay one non-blank line that is not itself a label: that is the layout, not a bug.
one_line = st.lists(st.one_of(st.sampled_from(TOKENS), xml_text), min_size=1, max_size=8).map(" ".join).map(
    lambda s: " ".join(s.split())).filter(lambda s: s and not s.endswith(":") and not s.startswith(("- ", "^[")))


@FUZZ
@given(title=one_line, citation=one_line, summary=st.one_of(st.none(), one_line),
       languages=st.one_of(st.none(), one_line), slug=st.text(XML_CHARS, max_size=20).map(lambda s: "".join(s.split())),
       body=st.lists(paragraph(), min_size=1, max_size=3).map("\n\n".join).filter(str.strip))
def test_convert_generated_headers(title: str, citation: str, summary: str | None, languages: str | None,
                                   slug: str, body: str) -> None:
    """Arbitrary titles (sender and recipients are read from them), citations (parsed into a bibl), summaries,
    languages and record URLs."""
    lines = ["August 28, 1952", "", title, "", "Citation:", "", citation, f"<https://digitalarchive.wilsoncenter.org/"
             f"document/{slug}>", ""]
    if summary is not None:
        lines += ["Summary:", "", summary, ""]
    if languages is not None:
        lines += ["Original Language:", "", languages, ""]
    lines += ["Contents:", "", "- English Translation", "", re.sub(r"(?m)^(\s*)\^\[", r"\1^ [", body), ""]
    root = check_converted("\n".join(lines))
    if root is not None:
        _check_ids(root)
