"""The CETEIcean viewer page, proven in a real browser.

Every fixture (the seed and tests/cases/*) is converted, written as a viewer page that loads the CETEIcean
npm release from tests/js/node_modules (never the network), served on 127.0.0.1 and opened in headless
Chromium. A harness page loads each viewer in an iframe and reports what arrived: every persName, placeName,
orgName, name, rs, date, time and note of the TEI text must be in the page as its CETEIcean custom element,
visible, with the same text as the plain-text export; names must link to a visible register entry; notes
must be numbered at the end with links both ways; dates must show their ISO value on hover.

The browser tests skip, naming what is missing, when Chromium or the npm package is not installed (.ci/run
installs both); the page-building tests below them need neither.
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import http.server
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, TEI_ALL, all_inputs
from lxml import etree

from tei_cable.convert import convert_file
from tei_cable.errors import InputError, OutputError
from tei_cable.export import behaviours
from tei_cable.export.behaviours import (
    ENTITY_GROUPS,
    Behaviour,
    behaviour_of,
    date_value,
    entity_kind,
    note_number,
    party_relations,
    plain_text,
    read_metadata,
    read_register,
    ref_id,
)
from tei_cable.export.ceteicean import (
    CETEICEAN_INTEGRITY,
    CETEICEAN_URL,
    CETEICEAN_VERSION,
    LEGEND,
    behaviour_codes,
    ceteicean_page,
    export_ceteicean,
    page_config,
    script_reference,
    viewer_files,
)
from tei_cable.export.html import AUTHORITY_LABELS
from tei_cable.export.text import TextRenderer
from tei_cable.tei import TEI_NS, XML_ID, local, parse_xml, serialize, tei

JS_DIR = ROOT / "tests" / "js"
CETEI_JS = JS_DIR / "node_modules" / "CETEIcean" / "dist" / "CETEI.js"
#: The elements of the text whose arrival in the page the browser test checks.
CHECKED = ("persName", "placeName", "orgName", "geogName", "name", "rs", "date", "time", "note")
WS = re.compile(r"\s+")


def case_id(path: Path) -> str:
    return "seed" if path.parent.name == "data" else path.parent.name


INPUTS = {case_id(path): path for path in all_inputs()}


@functools.cache
def converted(name: str) -> etree._ElementTree:
    return convert_file(INPUTS[name]).tree


def squash(text: str | None) -> str:
    return WS.sub(" ", text or "").strip()


class ReadingText(TextRenderer):
    """The plain-text export's words without its marks for italics (the page shows real italics)."""

    def emphasis(self, el: etree._Element) -> None:
        self.contents(el)


def reading_text(el: etree._Element) -> str:
    """What a reader of the page sees of ``el``: brackets, gaps and all, notes left out, whitespace squashed."""
    renderer = ReadingText(notes=False, report_unknown=False)
    renderer.contents(el)
    return squash(renderer.finish())


# -- the page itself (no browser needed) -------------------------------------------------------------------


def page_of(tree: etree._ElementTree, **options: object) -> str:
    files = ceteicean_page(tree, tei_filename="doc.xml", ceteicean_js=None, **options)  # type: ignore[arg-type]
    return files["doc.html"].decode("utf-8")


def island_of(page: str) -> tuple[str, str]:
    match = re.search(r'<script type="application/xml" id="tc-tei" data-encoding="(\w+)">(.*?)</script>', page,
                      re.DOTALL)
    assert match, "no TEI island in the page"
    encoding, text = match.groups()
    return encoding, base64.b64decode(text).decode("utf-8") if encoding == "base64" else text


def test_page_and_tei_side_by_side():
    tree = converted("seed")
    files = ceteicean_page(tree, tei_filename="cable-208202.xml", ceteicean_js=None)
    assert list(files) == ["cable-208202.html", "cable-208202.xml"]
    assert files["cable-208202.xml"] == serialize(copy.deepcopy(tree))  # the TEI exactly as `convert` writes it
    page = files["cable-208202.html"].decode("utf-8")
    assert 'href="cable-208202.xml"' in page
    assert "<title>Cable, Zhou Enlai to Chairman Mao [Zedong] and the Central Committee</title>" in page


def canonical(xml: bytes) -> bytes:
    return etree.tostring(parse_xml(xml).getroot(), method="c14n")


def test_island_is_the_tei_beside_the_page():
    files = ceteicean_page(converted("seed"), tei_filename="doc.xml", ceteicean_js=None)
    encoding, text = island_of(files["doc.html"].decode())
    assert encoding == "xml"
    assert not text.startswith("<?xml")  # DOMParser refuses a declaration that does not open the string
    assert canonical(text.encode()) == canonical(files["doc.xml"])


def test_teipublisher_pi_survives_in_the_island():
    tree = convert_file(INPUTS["seed"], teipublisher_odd="teipublisher.odd").tree
    _, text = island_of(page_of(tree))
    assert text.startswith('<?teipublisher odd="teipublisher.odd"?>')


@pytest.mark.parametrize(("hostile", "expected"), [
    ('<!-- </script><script>alert(1)</script> -->', "base64"),
    ('<?note </SCRIPT >?>', "base64"),
    ('<!-- <script> -->', "base64"),
    # "</h:script>" does not end an HTML script element (the tokenizer wants "</script"): plain XML is safe.
    ('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>', "xml"),
])
def test_island_cannot_end_the_script_early(hostile, expected):
    tree = parse_xml(f'<TEI xmlns="{TEI_NS}"><text><body><p>a{hostile}b</p></body></text></TEI>'.encode())
    files = ceteicean_page(tree, tei_filename="doc.xml", ceteicean_js=None)
    page = files["doc.html"].decode()
    encoding, text = island_of(page)
    assert encoding == expected
    assert canonical(text.encode()) == canonical(files["doc.xml"])
    body = page.split('id="tc-tei"', 1)[1]
    assert not re.search(r"</script|<!--|<script", body.split("</script>", 1)[0], re.IGNORECASE)


def test_text_that_looks_like_a_closing_tag_stays_readable():
    tree = parse_xml(f'<TEI xmlns="{TEI_NS}"><text><body><p>&lt;/script&gt; &amp;</p></body></text></TEI>'.encode())
    encoding, text = island_of(page_of(tree))
    assert encoding == "xml" and "&lt;/script&gt;" in text


def test_csp_allows_exactly_ceteicean_and_the_inline_behaviours():
    page = page_of(converted("seed"))
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    inline = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"script-src {CETEICEAN_URL} 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert f'<script src="{CETEICEAN_URL}" integrity="{CETEICEAN_INTEGRITY}" crossorigin="anonymous">' in page


def test_default_location_is_the_pinned_npm_release():
    assert f"CETEIcean@{CETEICEAN_VERSION}/dist/CETEI.js" in CETEICEAN_URL
    pinned = json.loads((JS_DIR / "package.json").read_text())["dependencies"]["CETEIcean"]
    assert pinned == CETEICEAN_VERSION, "tests/js/package.json and CETEICEAN_VERSION must name the same release"
    lock = json.loads((JS_DIR / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/CETEIcean"]["version"] == CETEICEAN_VERSION


def test_integrity_matches_the_npm_release():
    if not CETEI_JS.is_file():
        pytest.skip(f"{CETEI_JS} is missing: run `npm ci` in tests/js (.ci/run does)")
    digest = base64.b64encode(hashlib.sha384(CETEI_JS.read_bytes()).digest()).decode()
    assert f"sha384-{digest}" == CETEICEAN_INTEGRITY


def test_local_copy_is_referenced_relatively(tmp_path):
    assert script_reference(tmp_path / "vendor" / "CETEI.js", tmp_path / "out") == "../vendor/CETEI.js"
    assert script_reference(tmp_path / "my js" / "CETEI.js", tmp_path) == "my%20js/CETEI.js"
    files = viewer_files(converted("letter"), tmp_path / "out" / "letter.html",
                         ceteicean_js=tmp_path / "vendor" / "CETEI.js")
    assert sorted(files) == [tmp_path / "out" / "letter.html", tmp_path / "out" / "letter.xml"]
    page = files[tmp_path / "out" / "letter.html"].decode()
    assert '<script src="../vendor/CETEI.js"></script>' in page
    assert "script-src 'self' 'sha256-" in page and "jsdelivr" not in page


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "data:text/javascript,1", "//evil.example/x.js",
                                 'a"b.js', "https://cdn.example/x.js;script-src *"])
def test_script_locations_that_are_refused(bad):
    with pytest.raises(InputError):
        ceteicean_page(converted("seed"), tei_filename="a.xml", ceteicean_js=bad)


@pytest.mark.parametrize("name", ["", "../a.xml", "dir/a.xml", "a.html"])
def test_file_names_that_are_refused(name):
    with pytest.raises(OutputError):
        ceteicean_page(converted("seed"), tei_filename=name, ceteicean_js=None,
                       page_filename="a.html" if name == "a.html" else None)


def test_the_tree_is_not_changed_and_the_page_is_deterministic():
    tree = converted("memcon-speakers")
    before = etree.tostring(tree)
    first = ceteicean_page(tree, tei_filename="m.xml", ceteicean_js=None)
    assert etree.tostring(tree) == before
    assert ceteicean_page(tree, tei_filename="m.xml", ceteicean_js=None) == first


def test_export_function_fits_the_exporters_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page = export_ceteicean(converted("seed"), output="out/cable.html", ceteicean_js="vendor/CETEI.js")
    assert page.startswith("<!DOCTYPE html>") and '<script src="../vendor/CETEI.js"></script>' in page
    assert 'href="cable.xml"' in page
    page = export_ceteicean(converted("seed"), output=None, ceteicean_js="https://example.org/CETEI.js")
    assert '<script src="https://example.org/CETEI.js"></script>' in page and 'href="document.xml"' in page
    assert CETEICEAN_URL in export_ceteicean(converted("seed"))


def test_one_behaviour_code_per_element_from_the_shared_table():
    tree = parse_xml(f'<TEI xmlns="{TEI_NS}"><text><body><p><choice><sic>teh</sic><corr>the</corr></choice> '
                     f'<persName ref="#x">X</persName><pb/></p></body></text></TEI>'.encode())
    root = tree.getroot()
    names = [LEGEND[int(code, 36)] for code in behaviour_codes(root)]
    elements = list(root.iter(etree.Element))
    assert len(names) == len(elements)
    assert dict(zip((local(e) for e in elements), names, strict=True)) == {
        "TEI": "block", "text": "block", "body": "block", "p": "paragraph", "choice": "alternate",
        "sic": "omit", "corr": "inline", "persName": "entity", "pb": "omit"}
    for el, name in zip(converted("seed").getroot().iter(etree.Element),
                        (LEGEND[int(c, 36)] for c in behaviour_codes(converted("seed").getroot())), strict=True):
        assert name == behaviour_of(el).value


# -- Python is the only place that knows TEI: the script gets finished data, and knows no element names ------

BEHAVIOURS_JS = ROOT / "tei_cable" / "data" / "ceteicean" / "behaviours.js"


def config_of(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="tc-config">(.*?)</script>', page, re.DOTALL)
    assert match, "no config in the page"
    return json.loads(match.group(1))


def panels(config: dict, kind: str) -> list[dict]:
    return [data for data in config["elements"].values() if data.get("panel") == kind]


def test_the_config_is_what_the_shared_readers_say():
    root = converted("seed").getroot()
    config = config_of(page_of(converted("seed")))
    assert config == json.loads(json.dumps({**config, **page_config(root)}))  # the page carries page_config()
    elements = list(root.iter(etree.Element))
    register, meta = read_register(root), read_metadata(root)
    # Every name: its index group and its register link, from entity_kind() and ref_id().
    names = 0
    for i, el in enumerate(elements):
        data = config["elements"].get(str(i), {})
        if behaviour_of(el) is Behaviour.ENTITY:
            names += 1
            assert data["group"] == entity_kind(el, register), plain_text(el)
            target = ref_id(el)
            assert data.get("href") == (f"#{target}" if target in register else None), plain_text(el)
        elif behaviour_of(el) is Behaviour.DATE:
            assert data["title"].startswith(date_value(el).normalised or "no normalised value")
    assert names > 50
    notes = [config["elements"][str(i)] for i, el in enumerate(elements) if local(el) == "note" and str(i) in
             config["elements"]]
    tei_notes = [el for el in root.iter(tei("note")) if any(local(a) == "text" for a in el.iterancestors())]
    assert [n["number"] for n in notes] == [note_number(el, k) for k, el in enumerate(tei_notes, 1)]
    # The header: read_metadata().
    [header] = panels(config, "metadata")
    assert header["title"] == meta.title
    assert [p[0] for p in header["from"]] == [p.name for p in meta.action("sent").parties]
    assert [p[0] for p in header["to"]] == [p.name for p in meta.action("received").parties]
    facts = {fact["label"]: fact for fact in header["facts"]}
    assert facts["Date"]["datetime"] == meta.date.when and facts["Source"]["text"] == meta.citation_text
    assert facts["Archive record"]["href"] == meta.url
    # The register: read_register() in the groups and with the headings of ENTITY_GROUPS, parties from the
    # listRelation, authority links labelled as in the HTML export.
    [index] = panels(config, "register")
    assert [(g["group"], g["heading"]) for g in index["groups"]] == [
        (group, heading) for group, heading in ENTITY_GROUPS.items() if register.group(group)]
    parties = party_relations(root)
    for group in index["groups"]:
        assert [e["id"] for e in group["entries"]] == [e.id for e in register.group(group["group"])]
        for entry in group["entries"]:
            source = register[entry["id"]]
            assert entry["name"] == source.name and entry.get("description", "") == source.description
            assert entry.get("authority", []) == [[AUTHORITY_LABELS[k], uri] for k, uri in source.authority.items()]
            assert [p[-1] for p in entry.get("parties", [])] == parties.get(source.id, [])
    assert parties, "the seed names treaty parties"


def test_a_change_in_python_reaches_the_page_without_touching_the_script(monkeypatch):
    monkeypatch.setitem(ENTITY_GROUPS, "person", "People named")
    monkeypatch.setitem(AUTHORITY_LABELS, "wikidata", "WD")
    [index] = panels(page_config(converted("seed").getroot()), "register")
    assert index["groups"][0]["heading"] == "People named"
    labels = {link[0] for group in index["groups"] for e in group["entries"] for link in e.get("authority", [])}
    assert "WD" in labels and "Wikidata" not in labels


def test_mentions_link_both_ways():
    root = converted("seed").getroot()
    elements = list(root.iter(etree.Element))
    data = page_config(root)["elements"]
    [index] = panels({"elements": data}, "register")
    back = {e["id"]: e.get("mentions", []) for group in index["groups"] for e in group["entries"]}
    forward: dict[str, list[str]] = {}
    for i, el in enumerate(elements):
        mention = data.get(str(i), {}).get("mention")
        if mention:
            forward.setdefault(ref_id(el), []).append(mention)
    assert forward and all(back[target] == anchors for target, anchors in forward.items())
    assert len({a for anchors in forward.values() for a in anchors}) == sum(map(len, forward.values()))


def js_code(source: str) -> str:
    """``source`` with its comments blanked out (strings, template literals and regex literals kept)."""
    out: list[str] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if source.startswith("//", i) or source.startswith("/*", i):
            end = source.find("\n", i) if source[i + 1] == "/" else source.find("*/", i + 2) + 2
            end = n if end < (i + 2) else end
            out.append(re.sub(r"[^\n]", " ", source[i:end]))
            i = end
            continue
        previous = "".join(out).rstrip()[-1:] if char == "/" else ""
        if char in "'\"`" or (char == "/" and (not previous or previous in "(,=:[!&|?{};+-*%<>~^")):
            quote, j, in_class = char, i + 1, False
            while j < n and (source[j] != quote or in_class):
                if source[j] == "\\":
                    j += 1
                elif quote == "/" and source[j] in "[]":
                    in_class = source[j] == "["
                elif quote == "/" and source[j] == "\n":
                    raise AssertionError(f"unterminated regex literal at {i}")
                j += 1
            assert j < n, f"unterminated literal at {i}"
            out.append(source[i:j + 1])
            i = j + 1
            continue
        out.append(char)
        i += 1
    return "".join(out)


#: Lower-case TEI names that the script's old tables and readers used (register entries and their parts, the
#: header's facts); camelCase TEI names are all checked, ordinary words ("text", "name", "p") are not.
PLAIN_TEI_NAMES = ("person", "place", "org", "event", "object", "relation", "category", "idno", "birth", "death",
                   "bibl", "funder", "abstract", "keywords", "resp", "term")


@functools.cache
def tei_names() -> frozenset[str]:
    """TEI element names: the behaviours table, the register's names, the fixtures, the project schema, and all
    of TEI P5 where the official schema is installed (conftest.TEI_ALL)."""
    names = set(behaviours.BEHAVIOURS) | set(behaviours.NAME_ELEMENTS) | set(behaviours.REGISTER_ENTRIES)
    names |= set(behaviours.ENTITY_KINDS)
    for name in INPUTS:
        names |= {local(el) for el in converted(name).getroot().iter(etree.Element)}
    for schema in (ROOT / "schema" / "tei_cable.rng", TEI_ALL):
        if schema.is_file():
            names |= set(re.findall(r'<element name="([A-Za-z]+)"', schema.read_text(encoding="utf-8")))
    return frozenset(names)


def element_knowledge(source: str) -> list[str]:
    """What in a script's code (comments aside) names a TEI element or reads a TEI attribute."""
    code = js_code(source)
    found = []
    for name in sorted(tei_names() | set(PLAIN_TEI_NAMES)):
        camel = re.search(r"[a-z][A-Z]", name) is not None
        if not camel and name not in PLAIN_TEI_NAMES:
            continue
        before = r"(?<![\w$-])" if camel else r"(?<![\w$.-])"   # a camelCase TEI name is never a JS property
        if re.search(before + re.escape(name) + r"(?![\w$-])", code):
            found.append(name)
        if re.search(rf"tei-{re.escape(name.lower())}(?![\w-])", code, re.IGNORECASE):
            found.append(f"tei-{name.lower()}")   # the CETEIcean custom element of a TEI element
    for call in re.finditer(r"\b(?:get|has)Attribute(NS)?\(\s*([^)]*)\)", code):
        argument = call.group(2).strip()
        own = re.fullmatch(r"""(["'])(data-[\w-]+)\1""", argument)
        if call.group(1) or own is None or own.group(2) == "data-origname":
            found.append(f"reads {call.group(0)}")
    return found


def test_the_script_knows_no_tei_element_or_attribute():
    """The vocabulary, the register and the header reach the script only through #tc-config (see above)."""
    assert element_knowledge(BEHAVIOURS_JS.read_text(encoding="utf-8")) == []


def test_the_guard_finds_element_knowledge():
    """The check above is not vacuous: the tables and readers the script used to have are found."""
    old_style = """
      // persName and "listPerson" in a comment are fine, and so are "tc-person" and the TEI namespace:
      const NS = "http://www.tei-c.org/ns/1.0"; el.classList.add("tc-person");
      const ENTRY_ELEMENTS = { person: "person", personGrp: "person", place: "place", org: "org", event: "event" };
      const NAME_ELEMENTS = new Set(["persName", "placeName", "orgName", "eventName", "objectName"]);
      const when = /^\\d{4}/.test(el.getAttribute("notBefore")) ? "'" : `${xmlEl.getAttributeNS(XML_NS, "id")}`;
      if (isTei(xmlEl, "teiHeader")) { find(["profileDesc", "correspDesc", "correspAction"]); }
      document.querySelectorAll("tei-standoff"); elt.getAttribute("data-origname");
    """
    found = element_knowledge(old_style)
    for expected in ("person", "place", "org", "event", "persName", "placeName", "eventName", "teiHeader",
                     "profileDesc", "correspDesc", "correspAction", "tei-standoff"):
        assert expected in found, expected
    assert "listPerson" not in found  # only in the comment
    assert [f for f in found if f.startswith("reads")] == [
        'reads getAttribute("notBefore")', 'reads getAttributeNS(XML_NS, "id")', 'reads getAttribute("data-origname")']


# -- the browser ---------------------------------------------------------------------------------------------

HARNESS = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>tei-cable viewer probe</title></head>
<body><pre id="tc-probe">pending</pre>
<script>
const PAGES = %(pages)s;
const CHECKED = new Set(%(checked)s);
const results = {};
function visible(el) {
  return !!el && el.checkVisibility({opacityProperty: true, visibilityProperty: true}) &&
    el.getClientRects().length > 0;
}
function probe(name, doc) {
  const out = {rendered: doc.documentElement.getAttribute("data-tc-rendered"), items: [], title: null};
  const h1 = doc.querySelector(".tc-meta h1");
  out.title = h1 ? h1.textContent : null;
  out.facts = Array.from(doc.querySelectorAll(".tc-meta dt"),
                         (dt) => [dt.textContent, dt.nextElementSibling.textContent]);
  out.headings = Array.from(doc.querySelectorAll(".tc-register h3"), (h) => h.textContent);
  out.entries = Array.from(doc.querySelectorAll(".tc-register li.tc-entry"), (li) => [li.id, li.className]);
  for (const el of doc.querySelectorAll("tei-text [data-origname]")) {
    const tag = el.getAttribute("data-origname");
    if (!CHECKED.has(tag) || el.closest("cetei-original")) continue;
    const item = {tag, ref: el.getAttribute("ref"), n: el.getAttribute("n"), text: el.innerText,
                  visible: visible(el), title: el.getAttribute("title"), links: [],
                  custom: el.localName === "tei-" + tag.toLowerCase()};
    for (const a of el.querySelectorAll(":scope > a.tc-ref")) {
      const href = a.getAttribute("href");
      const target = href.startsWith("#") ? doc.getElementById(href.slice(1)) : null;
      item.links.push({href, visible: visible(a), target: !!target,
        entry: !!target && target.matches("li.tc-entry"), targetVisible: visible(target),
        targetName: target && target.querySelector("strong") ? target.querySelector("strong").textContent : null});
    }
    if (tag === "note") {
      const li = el.closest("li.tc-note");
      const back = li ? li.querySelector(":scope > a.tc-noteback") : null;
      const marker = back ? doc.getElementById(back.getAttribute("href").slice(1)) : null;
      item.note = {inList: !!li && !!li.closest("section.tc-notes"), li: li ? li.id : null,
        back: back ? back.getAttribute("href") : null, backText: back ? back.textContent : null,
        marker: marker ? marker.getAttribute("href") : null, markerText: marker ? marker.textContent : null,
        markerVisible: visible(marker), markerInBody: !!marker && !!marker.closest("tei-body")};
    }
    out.items.push(item);
  }
  return out;
}
let pending = PAGES.length;
for (const name of PAGES) {
  const frame = document.createElement("iframe");
  frame.style.width = "1200px";
  frame.style.height = "800px";
  frame.addEventListener("load", () => {
    try {
      results[name] = probe(name, frame.contentDocument);
    } catch (error) {
      results[name] = {error: String(error)};
    }
    try {
      results[name].pwned = frame.contentWindow.__tc_pwned === true;
    } catch (error) {
      results[name].pwned = null;
    }
    pending -= 1;
    if (pending === 0) {
      document.getElementById("tc-probe").textContent = JSON.stringify(results);
    }
  });
  frame.src = name + ".html";
  document.body.appendChild(frame);
}
</script></body></html>
"""

#: A hand-edited TEI that tries to run script four ways (an autofocused event handler, a comment that ends the
#: page's script, an XHTML script, an image's error handler); the page must render it and run none of them.
HOSTILE = f"""<TEI xmlns="{TEI_NS}" xmlns:h="http://www.w3.org/1999/xhtml">
<teiHeader><fileDesc><titleStmt><title type="main">Hostile</title></titleStmt>
<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
<text><body><p tabindex="0" autofocus="" onfocus="window.__tc_pwned = true">Text with <!-- </script><script>
window.__tc_pwned = true;</script> --> a <persName ref="#nobody">name</persName> and a note<note n="1">Note
<h:script>window.__tc_pwned = true;</h:script><h:img src="x" onerror="window.__tc_pwned = true"/>text</note>.</p>
</body></text></TEI>"""


def chromium() -> str:
    for candidate in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(candidate)
        if path:
            return path
    pytest.skip("Chromium is not installed (Debian package 'chromium'; .ci/run installs it): "
                "the CETEIcean viewer cannot be tested in a browser")


def chromium_args(binary: str, profile: Path) -> list[str]:
    return [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # the test output stays readable
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[Path, str]]:
    """A folder with a viewer page per fixture and the local CETEIcean, served on 127.0.0.1."""
    if not CETEI_JS.is_file():
        pytest.skip(f"the CETEIcean npm package is not installed ({CETEI_JS} is missing): "
                    "run `npm ci` in tests/js (.ci/run does)")
    folder = tmp_path_factory.mktemp("viewer")
    (folder / "vendor").mkdir()
    shutil.copy(CETEI_JS, folder / "vendor" / "CETEI.js")
    trees = {name: converted(name) for name in INPUTS}
    trees["hostile"] = parse_xml(HOSTILE.encode())
    for name, tree in trees.items():
        files = viewer_files(tree, folder / f"{name}.html", ceteicean_js=folder / "vendor" / "CETEI.js")
        for path, data in files.items():
            path.write_bytes(data)
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def dump_dom(binary: str, url: str, profile: Path) -> str:
    command = [*chromium_args(binary, profile), "--virtual-time-budget=30000", "--dump-dom", url]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"Chromium did not finish within 180 s: {' '.join(command)}")
    if done.returncode != 0 or not done.stdout:
        pytest.fail(f"Chromium failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


@pytest.fixture(scope="module")
def probed(site, tmp_path_factory) -> dict[str, dict]:
    """What arrived in each viewer page, as reported by the harness page running in Chromium."""
    binary = chromium()
    folder, base = site
    pages = [*INPUTS, "hostile"]
    (folder / "harness.html").write_text(HARNESS % {"pages": json.dumps(pages), "checked": json.dumps(CHECKED)},
                                         encoding="utf-8")
    dom = dump_dom(binary, f"{base}/harness.html", tmp_path_factory.mktemp("profile"))
    match = re.search(r'<pre id="tc-probe">(.*?)</pre>', dom, re.DOTALL)
    assert match, "the harness page did not report"
    text = match.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    assert text != "pending", "the viewer pages did not all load in Chromium"
    return json.loads(text)


def expected_items(tree: etree._ElementTree) -> list[etree._Element]:
    """The checked elements in the order the page shows them: the text, then each note with its content."""
    root = tree.getroot()
    texts = [t for t in root.iter(tei("text")) if not any(local(a) == "text" for a in t.iterancestors())]
    body: list[etree._Element] = []
    notes: list[etree._Element] = []
    for text in texts:
        for el in text.iter(*(tei(name) for name in CHECKED)):
            in_note = any(local(a) == "note" for a in el.iterancestors())
            if local(el) == "note" and not in_note:
                notes.append(el)
            elif not in_note:
                body.append(el)
    ordered = list(body)
    for note in notes:
        ordered.append(note)
        ordered.extend(el for el in note.iter(*(tei(name) for name in CHECKED)) if el is not note)
    return ordered


def own_text(el: etree._Element) -> str:
    """The words of a name outside the names and notes nested in it (those carry their own links)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and behaviour_of(child) not in (Behaviour.ENTITY, Behaviour.NOTE) and not any(
                behaviour_of(d) in (Behaviour.ENTITY, Behaviour.NOTE) for d in child.iterdescendants(etree.Element)):
            parts.append(plain_text(child))
        parts.append(child.tail or "")
    return squash("".join(parts))


@pytest.mark.parametrize("name", list(INPUTS))
def test_every_name_date_and_note_arrives(name, probed):
    result = probed[name]
    assert "error" not in result, result.get("error")
    assert result["rendered"] == "true"
    tree = converted(name)
    items = result["items"]
    expected = expected_items(tree)
    assert [i["tag"] for i in items] == [local(el) for el in expected], "elements missing or out of place"
    for item, el in zip(items, expected, strict=True):
        where = f"{local(el)} {plain_text(el)!r}"
        assert item["custom"], f"{where} did not become a CETEIcean custom element"
        assert item["visible"], f"{where} is not visible"
        assert squash(item["text"]) == reading_text(el), f"{where} reads differently in the page"


@pytest.mark.parametrize("name", list(INPUTS))
def test_names_link_to_their_register_entry(name, probed):
    tree = converted(name)
    root = tree.getroot()
    register = {el.get(XML_ID): el for el in root.iter(tei("person"), tei("place"), tei("org"), tei("event"))}
    checked = 0
    for item, el in zip(probed[name]["items"], expected_items(tree), strict=True):
        if behaviour_of(el) is not Behaviour.ENTITY or ref_id(el) is None:
            continue
        target = ref_id(el)
        where = f"{local(el)} {plain_text(el)!r} -> #{target}"
        assert target in register, f"{where}: no register entry (the EVT test names the rule)"
        if not own_text(el):
            continue  # all its words are nested names, which carry their own links
        assert item["links"], f"{where} is not a link"
        for link in item["links"]:
            assert link["href"] == f"#{target}" and link["visible"], f"{where}: {link}"
            assert link["entry"] and link["targetVisible"], f"{where}: the register entry is not shown"
            preferred = next((c for c in register[target] if c.get("type") == "preferred"), None)
            if preferred is not None:
                assert link["targetName"] == squash("".join(preferred.itertext())), where
        checked += 1
    assert checked > 0


@pytest.mark.parametrize("name", list(INPUTS))
def test_notes_are_numbered_footnotes_with_links_both_ways(name, probed):
    notes = [item for item in probed[name]["items"] if item["tag"] == "note"]
    tei_notes = [el for el in expected_items(converted(name)) if local(el) == "note"]
    assert len(notes) == len(tei_notes)
    for item, el in zip(notes, tei_notes, strict=True):
        info = item["note"]
        number = (el.get("n") or "").strip()
        where = f"note {number}"
        assert info["inList"], f"{where} is not in the notes at the end"
        assert info["markerInBody"] and info["markerVisible"], f"{where} has no visible marker in the text"
        assert info["marker"] == f"#{info['li']}", f"{where}: the marker does not link to the note"
        assert info["back"] and info["back"].startswith("#tc-noteref-"), f"{where}: no link back to the text"
        assert info["markerText"] == number and info["backText"] == number
        assert squash(item["text"]), f"{where} is empty in the page"


@pytest.mark.parametrize("name", list(INPUTS))
def test_dates_show_their_iso_value_on_hover(name, probed):
    tree = converted(name)
    root = tree.getroot()
    taxonomy = {c.get(XML_ID): squash("".join(c.itertext())) for c in root.iter(tei("category"))}
    dates = [(item, el) for item, el in zip(probed[name]["items"], expected_items(tree), strict=True)
             if local(el) in ("date", "time")]
    for item, el in dates:
        value = date_value(el)
        title = item["title"] or ""
        assert title.startswith(value.normalised or "no normalised value"), f"{plain_text(el)!r}: {title!r}"
        for key, _ in value.inferred:
            assert taxonomy.get(key, key) in title, f"{plain_text(el)!r} does not say why it was inferred"


@pytest.mark.parametrize("name", list(INPUTS))
def test_header_panel_shows_the_main_title(name, probed):
    title = converted(name).getroot().find(f".//{tei('titleStmt')}/{tei('title')}[@type='main']")
    assert squash(probed[name]["title"]) == squash("".join(title.itertext()))


@pytest.mark.parametrize("name", list(INPUTS))
def test_header_and_register_show_what_python_read(name, probed):
    """The panels hold exactly the facts, groups and headings of the shared readers (no table of the script's)."""
    root = converted(name).getroot()
    register = read_register(root)
    [header] = panels(page_config(root), "metadata")
    assert probed[name]["facts"] == [[fact["label"], fact["text"]] for fact in header["facts"]]
    shown = [e.id for so in root.iter(tei("standOff")) for e in read_register(so).values()]
    assert probed[name]["headings"] == [heading for group, heading in ENTITY_GROUPS.items()
                                        if any(register[i].group == group for i in shown)]
    assert probed[name]["entries"] == [[e.id, f"tc-entry tc-{e.group}"] for group in ENTITY_GROUPS
                                       for e in register.values() if e.group == group and e.id in shown]


def test_hostile_tei_renders_without_running_script(probed):
    result = probed["hostile"]
    assert result["rendered"] == "true"
    assert result["pwned"] is False
    tags = [item["tag"] for item in result["items"]]
    assert tags == ["persName", "note"]
    persname = result["items"][0]
    assert persname["links"] == [] and "not in the register" in (persname["title"] or "")


def test_page_works_from_a_file_url_too(site, tmp_path):
    """Browsers block fetch() from file:// pages; the embedded TEI is why the viewer still renders."""
    binary = chromium()
    folder, _ = site
    dom = dump_dom(binary, (folder / "seed.html").as_uri(), tmp_path / "profile")
    assert 'data-tc-rendered="true"' in dom
    assert "<tei-persname" in dom and 'class="tc-note"' in dom
