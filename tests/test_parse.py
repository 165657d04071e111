"""The export layout parser: header fields, their variants, the body's blocks and the notes."""

from __future__ import annotations

import datetime

import pytest
from conftest import SEED

from tei_cable.errors import InputError
from tei_cable.parse import decode, parse_text, parse_title

HEADER = """

{date}

{title}

Citation:

“{title},” {date}, History and Public Policy Program Digital Archive, Archive of the President of the Russian \
Federation (APRF), fond 45, opis 1, delo 331, listy 59-61. Translated by Anna Field.
<{url}>
{middle}
Contents:

- English Translation
{contents}
{body}
"""


def make(body: str = "Text of the cable.", *, date: str = "May 5, 1961", title: str = "Cable, A to B",
         url: str = "https://digitalarchive.wilsoncenter.org/document/12345", middle: str = "",
         contents: str = "") -> str:
    return HEADER.format(date=date, title=title, url=url, middle=middle, contents=contents, body=body)


def test_seed_header():
    doc = parse_text(SEED.read_text(encoding="utf-8"), SEED)
    h = doc.header
    assert h.date == datetime.date(1952, 8, 28)
    assert h.title == "Cable, Zhou Enlai to Chairman Mao [Zedong] and the Central Committee"
    assert h.url == "https://digitalarchive.wilsoncenter.org/document/208202"
    assert h.citation.startswith("“Cable, Zhou Enlai") and h.citation.endswith("Translated by David Cowhig.")
    assert h.summary[0].startswith("Zhou reports on the latest negotiations")
    assert h.credits == "This document was made possible with support from the Henry Luce Foundation."
    assert h.languages == ["Chinese"]
    assert h.contents == ["English Translation"]
    assert (h.doc_type, h.sender) == ("Cable", "Zhou Enlai")
    assert h.recipients == ["Chairman Mao [Zedong]", "the Central Committee"]
    assert doc.record_id == "208202"
    assert [n.n for n in doc.notes] == ["1", "2"]


def test_seed_structure():
    doc = parse_text(SEED.read_text(encoding="utf-8"), SEED)
    main, annex1, annex2 = doc.sections
    assert main.kind == "document" and [b.kind for b in main.opener] == ["salute"]
    assert [b.kind for b in main.closer] == ["signed", "dateline"]
    assert [b.text for b in main.postscript] == ["Annexed below are draft translations of two documents:"]
    items = [b for b in main.blocks if b.kind == "item"]
    assert [(b.label, b.n) for b in items[:3]] == [("[1]", "1"), ("[2]", "2"), ("[3]", "3")]
    assert annex1.kind == annex2.kind == "annex"
    assert annex1.head.text.startswith("Annex One: Exchange of Letters")
    # Both page breaks of the seed are rejoined into one paragraph each.
    joined = [b.text for s in doc.sections for b in s.blocks if "Soviet military materiel" in b.text
              or "Changchun Railway free of charge" in b.text]
    assert len(joined) == 2


@pytest.mark.parametrize("date", ["March 03, 1949", "May 5, 1961", "December 31, 1990"])
def test_date_line_forms(date):
    assert parse_text(make(date=date)).header.date.year in (1949, 1961, 1990)


@pytest.mark.parametrize("url", ["http://digitalarchive.wilsoncenter.org/document/119256",
                                 "https://digitalarchive.wilsoncenter.org/document/record-conversation-stalin"])
def test_url_forms(url):
    doc = parse_text(make(url=url))
    assert doc.header.url == url and doc.record_id == url.rsplit("/", 1)[1]


def test_missing_optional_fields_shift_nothing():
    doc = parse_text(make(middle="\nCredits:\n\nMade possible by the Korea Foundation.\n\n"))
    assert doc.header.summary == [] and doc.header.languages == []
    assert doc.header.credits == "Made possible by the Korea Foundation."


def test_several_contents_items_and_a_dash_line_in_the_body():
    doc = parse_text(make(contents="- Original Scan\n", body="Participants:\n\n- Stalin\n\n- Molotov\n\nText."))
    assert doc.header.contents == ["English Translation", "Original Scan"]
    kinds = [b.kind for b in doc.sections[0].blocks]
    assert kinds[0] == "participants" and kinds[1:3] == ["item", "item"]


def test_multi_paragraph_footnote():
    doc = parse_text(make(body="A point.^[1]\n\n^[1] First paragraph.\n\nSecond paragraph.\n\nThird."))
    assert doc.notes[0].paragraphs == ["First paragraph.", "Second paragraph.", "Third."]


def test_unknown_header_field_is_kept():
    doc = parse_text(make(middle="\nAssociated Places:\n\nMoscow\n\n"))
    assert doc.header.extra == [("Associated Places", "Moscow")]


@pytest.mark.parametrize(("title", "expected"), [
    ("Letter from Kim Il Sung to Stalin", ("Letter", "Kim Il Sung", ["Stalin"])),
    ("Telegram from Roshchin to Filippov [Stalin]", ("Telegram", "Roshchin", ["Filippov [Stalin]"])),
    ("Ciphered Telegram, Shtykov to Vyshinsky", ("Ciphered Telegram", "Shtykov", ["Vyshinsky"])),
    ("Memorandum of Conversation between Mao Zedong and Yudin", ("Memorandum of Conversation", None, [])),
])
def test_titles(title, expected):
    assert parse_title(title) == expected


@pytest.mark.parametrize(("text", "message", "line"), [
    ("", "the file is empty", 1),
    ("\n\nNot a date\n\nTitle\n", "the first line must be the document date", 3),
    (make().replace("Contents:", "Inhalt:"), "no 'Contents:' line", 5),
    (make(body="Text.^[1]"), "footnote marker ^[1] has no note", 16),
    (make(body="Text.^[2]\n\n^[2] Note."), "footnote marker ^[2] comes where ^[1] is expected", 16),
    (make(body="Text.\n\n^[1] Orphan note."), "note ^[1] is never referred to", 18),
])
def test_layout_errors_name_the_line(text, message, line):
    with pytest.raises(InputError) as err:
        parse_text(text, "doc.txt")
    assert message in str(err.value)
    assert err.value.line == line and err.value.path == "doc.txt"


def test_decoding():
    assert decode("\ufeffAugust 28, 1952\r\n".encode()) == "August 28, 1952\n"
    assert decode("August 28, 1952\n".encode("utf-16")) == "August 28, 1952\n"
    with pytest.raises(InputError, match="Windows-1252"):
        decode("“Cable”\n".encode("cp1252"), "x.txt")
    with pytest.raises(InputError, match="NUL"):
        decode(b"abc\x00def", "x.txt")


def test_a_rule_line_with_a_footnote_marker_is_text():
    """Found by the fuzzer: "----------^[1]" was taken for a rule line and its note was lost."""
    doc = parse_text(make(body="Zhou Enlai\n\n----------^[1]\n\n^[1] Note."))
    assert all(not s.separator for s in doc.sections)
    assert any("^[1]" in b.text for s in doc.sections for b in [*s.blocks, *s.closer, *s.postscript])
