"""CMIF: the correspDesc as correspSearch reads it."""

from __future__ import annotations

import re

import pytest
from lxml import etree
from test_export_goldens import TEI_FILES, load

from tei_cable.errors import InputError
from tei_cable.export import export
from tei_cable.tei import TEI_NS, XML_ID, parse_xml

NS = {"t": TEI_NS}


def cmif(name: str = "seed-208202") -> etree._Element:
    return parse_xml(export(load(name), "cmif", published="2025-01-01").encode("utf-8")).getroot()


@pytest.mark.parametrize("name", sorted(TEI_FILES))
def test_cmif_shape(name: str) -> None:
    root = cmif(name)
    licence = root.xpath("//t:publicationStmt/t:availability/t:licence", namespaces=NS)
    assert licence and licence[0].get("target") == "https://creativecommons.org/licenses/by/4.0/"
    assert root.xpath("string(//t:publicationStmt/t:date/@when)", namespaces=NS) == "2025-01-01"
    bibl_ids = {b.get(XML_ID) for b in root.xpath("//t:sourceDesc/t:bibl", namespaces=NS)}
    for corresp in root.xpath("//t:correspDesc", namespaces=NS):
        assert corresp.get("source", "")[1:] in bibl_ids
        assert [a.get("type") for a in corresp.xpath("t:correspAction", namespaces=NS)] == ["sent", "received"]
        for date in corresp.xpath(".//t:date", namespaces=NS):
            assert len(date) == 0 and not (date.text or "").strip()
            for value in date.attrib.values():
                assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value), value
        for name_el in corresp.xpath(".//t:persName|.//t:orgName|.//t:placeName", namespaces=NS):
            ref = name_el.get("ref")
            assert ref is None or re.match(r"^https?://", ref)


def test_seed_letter() -> None:
    root = cmif()
    corresp = root.xpath("//t:correspDesc", namespaces=NS)[0]
    assert corresp.get("ref") == "https://digitalarchive.wilsoncenter.org/document/208202"
    sent, received = corresp.xpath("t:correspAction", namespaces=NS)
    assert sent.xpath("string(t:persName)", namespaces=NS) == "Zhou Enlai"
    assert sent.xpath("string(t:date/@when)", namespaces=NS) == "1952-08-28"
    mao = received.xpath("t:persName", namespaces=NS)[0]
    assert (mao.text, mao.get("ref")) == ("Mao Zedong", "http://www.wikidata.org/entity/Q5816")


def test_times_are_cut_to_dates() -> None:
    received = cmif("telegram-times").xpath("//t:correspAction[@type='received']/t:date", namespaces=NS)[0]
    assert received.get("when") == "1950-10-04"


def test_a_record_of_conversation_lists_no_letter() -> None:
    assert cmif("memcon-speakers").xpath("//t:correspDesc", namespaces=NS) == []


def test_published_date_is_checked() -> None:
    with pytest.raises(InputError):
        export(load(), "cmif", published="yesterday")
