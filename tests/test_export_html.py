"""The HTML export: structure, links both ways, no external request, and nothing from a document escapes."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from test_export_goldens import TEI_FILES, load

from tei_cable.export import export
from tei_cable.export.behaviours import read_register
from tei_cable.export.html import BIDI_CONTROLS, load_css
from tei_cable.tei import TEI_NS, XML_ID, XML_LANG, E

VOID = {"br", "meta", "hr", "img", "input", "link", "wbr", "source", "area", "base", "col", "embed", "track"}


class Page(HTMLParser):
    """Every tag, attribute and text of a page, with a check that tags nest."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else '-'}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]

    def ids(self) -> Counter[str]:
        return Counter(a["id"] for _, a in self.tags if a.get("id"))

    def hrefs(self) -> list[str]:
        return [a["href"] or "" for _, a in self.tags if "href" in a]


def page(name: str = "seed-208202") -> tuple[str, Page]:
    html = export(load(name), "html")
    return html, Page(html)


@pytest.mark.parametrize("name", sorted(TEI_FILES))
def test_structure_links_and_no_external_requests(name: str) -> None:
    html, parsed = page(name)
    assert html.startswith("<!DOCTYPE html>\n")
    assert not parsed.errors and not parsed.stack, parsed.errors[:3]
    tags = {t for t, _ in parsed.tags}
    assert {"html", "head", "style", "article", "header", "section", "h1", "dl"} <= tags
    assert not tags & {"script", "img", "iframe", "object", "embed", "link", "form", "base", "video", "audio"}
    assert parsed.all("html")[0]["lang"] == "en"
    ids = parsed.ids()
    assert not [i for i, n in ids.items() if n > 1], "duplicate ids"
    register = read_register(load(name).getroot())
    allowed = {uri for entry in register.values() for uri in entry.authority.values()}
    for href in parsed.hrefs():
        if href.startswith("#"):
            assert href[1:] in ids, f"dangling link {href}"
        else:
            assert re.match(r"^https?://", href), href
            assert href in allowed or "digitalarchive.wilsoncenter.org" in href, href
    assert not any("src" in a or "srcset" in a or "style" in a for _, a in parsed.tags)
    assert not any(k.startswith("on") for _, a in parsed.tags for k in a)
    css = load_css()
    assert "url(" not in css and "@import" not in css
    csp = [a for a in parsed.all("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")


def test_seed_page_reads_as_the_issue_asks() -> None:
    html, parsed = page()
    # Metadata panel: sender, recipients, source citation, translator, funder, language, archive link.
    for label in ("From", "To", "Sent", "Source", "Translated by", "Funded by", "Original language", "Archive"):
        assert f"<dt>{label}</dt>" in html
    assert '<a class="archive" href="https://digitalarchive.wilsoncenter.org/document/208202"' in html
    # Footnotes both ways.
    assert '<a id="fnref-1" href="#fn-1" role="doc-noteref"' in html
    assert '<li id="fn-1" class="note editorial">' in html and 'href="#fnref-1" role="doc-backlink"' in html
    assert '<aside class="notes"' in html and '<ol class="notes">' in html
    # Names are marked and linked to their register entries; entries link to authorities and back.
    assert re.search(r'<a class="ent ent-person" id="m-\d+" href="#person-mao-zedong"', html)
    assert '<li id="person-mao-zedong" class="ent-person">' in html
    assert '<a href="http://www.wikidata.org/entity/Q5816" rel="external noreferrer">Wikidata</a>' in html
    assert '<a href="http://www.geonames.org/1814991" rel="external noreferrer">GeoNames</a>' in html
    for heading in ("Persons", "Places", "Organisations", "Treaties", "Dates"):
        assert f"<h3>{heading}</h3>" in html
    # Supplied words keep their brackets; italic titles are italic; dates carry their value.
    assert '<span class="supplied" title="Added by the translator or editor">[Zedong]</span>' in html
    assert '<i class="title">Jianguo yilai' in html
    assert '<time class="date inferred" id="d-1" datetime="1952-08-27"' in html
    text = "".join(parsed.text)
    assert "Chairman Mao [Zedong] and the Central Committee:" in text


def test_nested_names_never_nest_links() -> None:
    html, _ = page()
    # "San Francisco Peace Treaty" holds a place name: the treaty is marked and linked by a "§" after it.
    assert re.search(r'<span class="ent ent-treaty" id="m-\d+" title="Treaty of San Francisco[^"]*">'
                     r'<a class="ent ent-place"', html)
    depth = 0
    for token in re.findall(r"<a[ >]|</a>", html):
        depth += 1 if token.startswith("<a") else -1
        assert depth in (0, 1)


# -- escaping: every text and attribute value of a user's file is untrusted ------------------------------------

NASTY = [
    "<script>alert(1)</script>", '"onload="alert(1)', "' onmouseover='alert(1)", "javascript:alert(1)",
    "</style><script>alert(1)</script>", "\u202eevil\u202c", "\u2066x\u2069", "&amp;&lt;", "]]>", "<!--",
    "<img src=x onerror=alert(1)>", "data:text/html,<script>", "http://evil.example/x.js", "\n\t ",
]


def xml_char(c: str) -> bool:
    o = ord(c)
    return o in (9, 10, 13) or 0x20 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or o >= 0x10000


texts = st.one_of(st.sampled_from(NASTY), st.text(st.characters(codec="utf-8").filter(xml_char), max_size=40),
                  st.lists(st.sampled_from(NASTY), min_size=1, max_size=3).map("".join))


def hostile_tree(t: list[str]) -> etree._Element:
    """A TEI document where every text and attribute value is one of the generated strings."""
    person = E.person(E.persName(t[0], type="preferred"), E.note(t[1]), E.idno(t[2], type="wikidata"),
                      E.idno("javascript:alert(1)", type="viaf"), E.birth(when=t[3]))
    person.set(XML_ID, "p1")
    place = E.place(E.placeName(t[4]), E.idno(t[5], type="geonames"))
    place.set(XML_ID, re.sub(r"[^A-Za-z]", "", t[6]) or "x")
    para = E.p(t[7], E.persName(t[8], ref="#p1"), E.placeName(t[9], ref=t[10]), E.supplied(t[11]),
               E.gap(rend=t[12]), E.date(t[13], when=t[14], ana=t[15]), E.note(t[16], n=t[17]),
               E.hi(t[18], rend="italic"), E.seg(t[19]), E.q(t[20]))
    para.set(XML_LANG, t[21])
    div = E.div(E.head(t[22]), para, E.milestone(unit="separator", rend=t[23]), type=t[24])
    return E.TEI(
        E.teiHeader(E.fileDesc(
            E.titleStmt(E.title(t[25], type="main"), E.funder(t[26]), E.respStmt(E.resp(t[27]), E.persName(t[28]))),
            E.publicationStmt(E.idno(t[29], type="URL")),
            E.sourceDesc(E.bibl(t[30], E.title(t[31], rend="italic"))),
        ), E.profileDesc(E.correspDesc(E.correspAction(E.persName(t[32], ref="#p1"), E.date(when=t[33]),
                                                       type="sent")))),
        E.standOff(E.listPerson(person), E.listPlace(place)),
        E.text(E.body(div, E.list(E.item(E.label(t[34]), t[35], n=t[36]), type=t[37]),
                      E.sp(E.speaker(t[38]), E.p(t[39]))), **{XML_LANG: t[40]}),
    )


SLOTS = 41


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=SLOTS, max_size=SLOTS))
def test_nothing_from_the_document_escapes(values: list[str]) -> None:
    html = export(hostile_tree(values), "html")
    parsed = Page(html)
    assert not parsed.errors and not parsed.stack, parsed.errors[:3]
    assert [t for t, _ in parsed.tags].count("style") == 1
    assert html.count("</style>") == 1
    assert not {t for t, _ in parsed.tags} & {"script", "img", "iframe", "object", "embed", "link"}
    for tag, attributes in parsed.tags:
        assert not any(k.startswith("on") for k in attributes), (tag, attributes)
        assert "src" not in attributes and "style" not in attributes
        href = attributes.get("href")
        if href is not None:
            assert href.startswith("#") or re.match(r"^https?://[^\s\"'<>`]+$", href), href
    assert not BIDI_CONTROLS.search(html)
    # The words themselves survive as text (escaped in the source, intact once parsed).
    shown = "".join(parsed.text)
    for value in (values[7], values[22], values[25]):
        words = BIDI_CONTROLS.sub("\ufffd", value).split()
        assert all(w in shown for w in words)


def test_hostile_authority_urls_are_not_linked() -> None:
    values = ["x"] * SLOTS
    values[2] = "javascript:alert(1)"
    values[29] = "javascript:alert(2)"
    html = export(hostile_tree(values), "html")
    assert "javascript:" not in "".join(a.get("href") or "" for _, a in Page(html).tags)


def test_bidi_controls_are_neutralised_in_text_and_attributes() -> None:
    values = ["a"] * SLOTS
    values[7] = "price \u202e0001$"
    values[24] = "annex\u202e"
    html = export(hostile_tree(values), "html")
    assert "\u202e" not in html and "price \ufffd0001$" in html


def test_unknown_elements_fall_back_and_are_reported_once() -> None:
    tree = etree.fromstring(f'<TEI xmlns="{TEI_NS}"><text><body><x:box xmlns:x="urn:x"><p>one <x:w>two</x:w>'
                            "</p><p><x:w>three</x:w></p></x:box></body></text></TEI>")
    with pytest.warns(UserWarning) as caught:
        html = export(tree, "html")
    messages = [str(w.message) for w in caught]
    assert messages == ["element <{urn:x}box> is not in the behaviours table; shown as block",
                        "element <{urn:x}w> is not in the behaviours table; shown as inline"]
    assert "one two" in "".join(Page(html).text) and "three" in "".join(Page(html).text)
