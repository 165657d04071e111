"""What EVT (Edition Visualization Technology) needs to link names to registers, checked on every fixture.

EVT 3 (evt-viewer-angular) reads a name in the text as a link only through ``@ref`` on the name element, strips
every ``#`` from the value and looks the rest up as one entity id; it builds its lists of persons, places and
organisations from ``listPerson``/``listPlace``/``listOrg`` (``listEvent`` for events), keys each entry by its
``xml:id`` and labels it with the first ``persName``/``placeName``/``orgName`` inside it. So a document that
validates can still show names that lead nowhere in EVT: a ``@corresp`` link, two pointers in one ``@ref``, a
register entry without an id, or an entry whose first name is a variant.

Each rule has an id; ``evt_problems`` returns ``"rule-id: message"`` lines, and each rule has a minimal
document below that breaks exactly that rule.
"""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path

import pytest
from conftest import all_inputs
from lxml import etree

from tei_cable.convert import convert_file
from tei_cable.tei import NSMAP, TEI_NS, XML_ID, local, parse_xml

#: Names in the text that EVT (and tei-cable) link to a register entry, with the entry elements they may name.
MENTIONS: dict[str, tuple[str, ...]] = {
    "persName": ("person", "personGrp"),
    "placeName": ("place",),
    "geogName": ("place",),
    "orgName": ("org",),
    "name": ("person", "personGrp", "place", "org", "event"),   # treaties are events; other names any entry
    "rs": ("person", "personGrp", "place", "org", "event"),
}
#: Register lists and the entries EVT reads from them; the first name of this kind labels the entry.
REGISTERS: dict[str, tuple[str, str]] = {
    "listPerson": ("person", "persName"),
    "listPlace": ("place", "placeName"),
    "listOrg": ("org", "orgName"),
    "listEvent": ("event", "eventName"),
}
TREATY_TYPES = ("treaty",)


def case_id(path: Path) -> str:
    return "seed" if path.parent.name == "data" else path.parent.name


INPUTS = {case_id(path): path for path in all_inputs()}


@functools.cache
def converted(name: str) -> etree._Element:
    return convert_file(INPUTS[name]).tree.getroot()


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _registers(root: etree._Element) -> dict[str, etree._Element]:
    """Entry id -> entry, for the entries of register lists inside standOff."""
    entries: dict[str, etree._Element] = {}
    for standoff in root.iter(f"{{{TEI_NS}}}standOff"):
        for list_name, (entry_name, _) in REGISTERS.items():
            for entry in standoff.iter(f"{{{TEI_NS}}}{entry_name}", f"{{{TEI_NS}}}personGrp"):
                if any(local(a) == list_name for a in entry.iterancestors()) and entry.get(XML_ID):
                    entries[entry.get(XML_ID)] = entry
    return entries


def evt_problems(root: etree._Element) -> list[str]:
    """Every way in which ``root`` breaks a rule EVT's named-entity linking depends on."""
    problems: list[str] = []
    entries = _registers(root)

    ids = Counter(el.get(XML_ID) for el in root.iter(etree.Element) if el.get(XML_ID))
    problems += [f"evt-id-unique: xml:id {ident!r} is used {n} times; EVT finds an entity by its id, so each id "
                 "must be unique" for ident, n in ids.items() if n > 1]

    for list_name, (entry_name, label_name) in REGISTERS.items():
        for register in root.iter(f"{{{TEI_NS}}}{list_name}"):
            if not any(local(a) == "standOff" for a in register.iterancestors()):
                problems.append(f"evt-registers-in-standoff: <{list_name}> outside <standOff>; tei-cable keeps "
                                "every register in the standOff (EVT 3 reads it there; the header is metadata)")
            for entry in register.iter(f"{{{TEI_NS}}}{entry_name}"):
                if not entry.get(XML_ID):
                    problems.append(f"evt-entry-id: a <{entry_name}> in <{list_name}> has no xml:id; EVT then "
                                    "invents an XPath id that no @ref can reach")
                names = entry.findall(f"{{{TEI_NS}}}{label_name}")
                if entry_name == "event":
                    continue  # EVT 3 labels events from <label>; our treaties use eventName (see PUBLISHING.md)
                if not names or not _text(names[0]):
                    problems.append(f"evt-entry-label: <{entry_name} xml:id={entry.get(XML_ID)!r}> has no "
                                    f"<{label_name}> to label it in EVT's list")
                elif names[0].get("type") not in (None, "preferred"):
                    problems.append(f"evt-entry-label: the first <{label_name}> of {entry.get(XML_ID)!r} is a "
                                    f"{names[0].get('type')} name; EVT labels the entry with the first one, so the "
                                    "preferred name must come first")

    for text in root.iter(f"{{{TEI_NS}}}text"):
        for el in text.iter(*(f"{{{TEI_NS}}}{name}" for name in MENTIONS)):
            name = local(el)
            where = f"<{name}> {_text(el)!r}"
            ref = el.get("ref")
            for attribute in ("corresp", "key", "sameAs"):
                if el.get(attribute) is not None:
                    problems.append(f"evt-ref-only: {where} links with @{attribute}; EVT follows @ref only "
                                    "(one way to link: @ref=\"#id\")")
            if ref is None:
                problems.append(f"evt-ref-present: {where} has no @ref; EVT shows it as plain text")
                continue
            pointers = ref.split()
            if len(pointers) != 1 or not pointers[0].startswith("#") or len(pointers[0]) < 2:
                problems.append(f"evt-ref-single-local: {where} has @ref={ref!r}; EVT strips every '#' and "
                                "reads the rest as one id, so @ref must be exactly one '#id'")
                continue
            target = pointers[0][1:]
            entry = entries.get(target)
            if entry is None:
                problems.append(f"evt-ref-resolves: {where} points to #{target}, which is not an entry of a "
                                "listPerson/listPlace/listOrg/listEvent in the standOff")
                continue
            allowed = MENTIONS[name]
            if name in ("name", "rs") and el.get("type") in TREATY_TYPES:
                allowed = ("event",)
            if local(entry) not in allowed:
                problems.append(f"evt-ref-kind: {where} points to a <{local(entry)}>; EVT looks a <{name}> up "
                                f"among {'/'.join(allowed)} entries")
    return problems


@pytest.mark.parametrize("name", list(INPUTS))
def test_fixture_follows_the_evt_rules(name):
    assert evt_problems(converted(name)) == []


@pytest.mark.parametrize("name", list(INPUTS))
def test_every_register_entry_is_reachable_from_the_text_or_a_treaty(name):
    """EVT lists every entry; an entry nothing points to would be a dead end in its lists."""
    root = converted(name)
    pointed = {p[1:] for el in root.iter(etree.Element) for attr in ("ref", "active", "passive", "mutual")
               for p in (el.get(attr) or "").split() if p.startswith("#")}
    assert sorted(set(_registers(root)) - pointed) == []


# -- one minimal document per rule ---------------------------------------------------------------------------

def doc(standoff: str, body: str) -> etree._Element:
    return parse_xml(f"""<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title type="main">T</title>
</titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>
<standOff>{standoff}</standOff><text><body><p>{body}</p></body></text></TEI>""".encode()).getroot()


MAO = '<listPerson><person xml:id="mao"><persName type="preferred">Mao Zedong</persName></person></listPerson>'
CHINA = '<listPlace><place xml:id="china"><placeName type="preferred">China</placeName></place></listPlace>'
TREATY = ('<listEvent><event xml:id="t" type="treaty"><eventName type="preferred">Treaty</eventName></event>'
          '</listEvent>')

BROKEN = {
    "evt-ref-present": (MAO, "<persName>Mao</persName>"),
    "evt-ref-only": (MAO, '<persName ref="#mao" corresp="#mao">Mao</persName>'),
    "evt-ref-single-local": (MAO + CHINA, '<persName ref="#mao #china">Mao</persName>'),
    "evt-ref-resolves": (MAO, '<persName ref="#zhou">Zhou</persName>'),
    "evt-ref-kind": (MAO + CHINA, '<persName ref="#china">China</persName>'),
    "evt-entry-id": ('<listPerson><person><persName>Mao</persName></person></listPerson>', "Mao"),
    "evt-entry-label": ('<listPerson><person xml:id="mao"><persName type="variant">Mao Tse-tung</persName>'
                        '<persName type="preferred">Mao Zedong</persName></person></listPerson>',
                        '<persName ref="#mao">Mao</persName>'),
}


def test_a_valid_minimal_document_passes():
    assert evt_problems(doc(MAO + CHINA + TREATY, '<persName ref="#mao">Mao</persName> signed the '
                                                 '<name type="treaty" ref="#t">Treaty</name> for '
                                                 '<placeName ref="#china">China</placeName>')) == []


@pytest.mark.parametrize("rule", list(BROKEN))
def test_each_rule_catches_its_own_breach(rule):
    standoff, body = BROKEN[rule]
    found = {problem.partition(":")[0] for problem in evt_problems(doc(standoff, body))}
    assert found == {rule}


def test_duplicate_ids_are_reported():
    """The parser already refuses a file with a duplicate xml:id; a tree built in code can still have one."""
    root = doc(MAO, '<persName ref="#mao">Mao</persName>')
    root.find(f".//{{{TEI_NS}}}p").set(XML_ID, "mao")
    assert [p.partition(":")[0] for p in evt_problems(root)] == ["evt-id-unique"]


def test_registers_outside_the_standoff_are_reported():
    root = parse_xml(f"""<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
<publicationStmt><p>p</p></publicationStmt><sourceDesc>{MAO}</sourceDesc></fileDesc></teiHeader>
<text><body><p><persName ref="#mao">Mao</persName></p></body></text></TEI>""".encode()).getroot()
    rules = {problem.partition(":")[0] for problem in evt_problems(root)}
    assert rules == {"evt-registers-in-standoff", "evt-ref-resolves"}


def test_treaty_names_point_to_events():
    root = doc(MAO + TREATY, '<name type="treaty" ref="#mao">the treaty</name>')
    assert [p.partition(":")[0] for p in evt_problems(root)] == ["evt-ref-kind"]


def test_the_seed_links_what_evt_shows():
    root = converted("seed")
    people = {el.get("ref") for el in root.xpath("//tei:text//tei:persName", namespaces=NSMAP)}
    assert "#mao-zedong" in people and "#zhou-enlai" in people
    assert root.xpath("count(//tei:standOff/tei:listPerson/tei:person[@xml:id='mao-zedong'])", namespaces=NSMAP) == 1
