"""A TEI file corrected by hand: every export follows the correction (the TEI is the master)."""

from __future__ import annotations

import json

from conftest import SEED
from lxml import etree

from tei_cable.convert import convert_file
from tei_cable.export import EXPORTERS, export
from tei_cable.tei import TEI_NS, XML_ID, parse_xml, serialize, tei

NS = {"t": TEI_NS}
REMOVED = "The revised draft on rubber technology cooperation is still being translated."


def edited_seed() -> etree._ElementTree:
    """The converted seed, edited the way an editor would: saved, changed, saved again."""
    tree = parse_xml(serialize(convert_file(SEED).tree))
    root = tree.getroot()
    # 1. Add a note to the paragraph that asks for instructions.
    para = root.xpath("//t:body//t:p[starts-with(., 'We request instructions')]", namespaces=NS)[0]
    note = etree.SubElement(para, tei("note"), n="3", place="foot", type="editorial")
    note.set(XML_ID, "fn3")
    note.text = "Added by hand: the reply is in the same file."
    # 2. Rename a person: the register entry and one mention in the text.
    entry = root.xpath("//t:person[@xml:id='vyacheslav-molotov']/t:persName[@type='preferred']", namespaces=NS)[0]
    entry.text = "Vyacheslav Skryabin"
    mention = root.xpath("//t:body//t:persName[@ref='#vyacheslav-molotov']", namespaces=NS)[0]
    mention[0].tail = " Skryabin"  # after <roleName>Comrade</roleName>
    sender = root.xpath("//t:correspAction[@type='sent']/t:persName", namespaces=NS)[0]
    sender.text = "Chou En-lai"
    # 3. Remove a paragraph.
    gone = root.xpath(f"//t:body//t:p[starts-with(., '{REMOVED}')]", namespaces=NS)[0]
    gone.getparent().remove(gone)
    return parse_xml(serialize(tree))


def test_every_format_follows_the_edits() -> None:
    tree = edited_seed()
    outputs = {fmt: export(tree, fmt) for fmt in EXPORTERS}

    text = outputs["text"]
    assert "proposal.[2][3]" in text and "[3] Added by hand: the reply is in the same file." in text
    assert "Comrade Skryabin then replied" in text
    assert REMOVED not in text

    html = outputs["html"]
    assert 'href="#fn-3" role="doc-noteref"' in html and "Added by hand: the reply is in the same file." in html
    assert '<span class="idx-name">Vyacheslav Skryabin</span>' in html and "Comrade Skryabin</a>" in html
    assert "Chou En-lai</a>" in html  # the sender in the metadata panel
    assert REMOVED not in html

    doc = json.loads(outputs["json"])
    note = next(n for n in doc["notes"] if n["n"] == "3")
    assert note["text"] == "Added by hand: the reply is in the same file."
    assert doc["text"][note["anchor"]:note["anchor"] + 3] == "[3]"
    molotov = next(e for e in doc["entities"]["person"] if e["ref"] == "vyacheslav-molotov")
    assert molotov["name"] == "Vyacheslav Skryabin" and molotov["mentions"][0]["text"] == "Comrade Skryabin"
    assert REMOVED not in doc["text"]
    assert doc["correspondence"]["senders"][0]["name"] == "Chou En-lai"

    assert "<persName>Chou En-lai</persName>" in outputs["cmif"]


def test_the_unedited_seed_says_otherwise() -> None:
    """The control: the same checks fail on the fresh conversion, so the test above proves something."""
    text = export(convert_file(SEED).tree, "text")
    assert REMOVED in text and "Skryabin" not in text and "[3]" not in text.split("Notes")[1]
