"""The document's ``standOff``: exactly the register entries it points to, plus its local entries.

Treaty parties (``relation name="party"`` inside register events) move into one
``listRelation``, and the places they point to come along, so every pointer in the
document resolves inside the document.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from ..entities import LocalEntry
from ..entities.register import ENTRY_ELEMENTS, Register
from ..tei import XML_ID, E, tei

LOCAL_NOTE = "Not in the tei-cable register: named in this document only."


def _local_element(entry: LocalEntry) -> etree._Element:
    _, name_element, _ = ENTRY_ELEMENTS[entry.kind]  # the entry element is named like its kind
    el = etree.Element(tei(entry.kind), {XML_ID: entry.id})
    etree.SubElement(el, tei(name_element), {"type": "preferred"}).text = entry.name
    etree.SubElement(el, tei("note")).text = LOCAL_NOTE
    return el


def with_parties(register: Register, ids: Iterable[str]) -> list[str]:
    """``ids`` plus the parties of the treaties among them, in first-use order, without repeats."""
    out: list[str] = []
    for entry_id in ids:
        if entry_id not in out:
            out.append(entry_id)
        entry = register.get(entry_id)
        for party in entry.parties if entry else ():
            if party in register and party not in out:
                out.append(party)
    return out


def build_standoff(register: Register, used: list[str], local: list[LocalEntry]) -> etree._Element | None:
    """``<standOff>`` with one list per kind of entry, entries in first-use order."""
    lists: dict[str, etree._Element] = {}
    relations = E.listRelation()
    for entry_id in used:
        entry = register[entry_id]
        el = register.copy_element(entry_id)
        for rel in el.findall(tei("relation")):
            el.remove(rel)
            rel.set("passive", f"#{entry_id}")
            relations.append(rel)
        _, _, list_name = ENTRY_ELEMENTS[entry.kind]
        lists.setdefault(list_name, etree.Element(tei(list_name))).append(el)
    for entry in local:
        _, _, list_name = ENTRY_ELEMENTS[entry.kind]
        lists.setdefault(list_name, etree.Element(tei(list_name))).append(_local_element(entry))
    if not lists:
        return None
    standoff = E.standOff()
    for _, _, list_name in ENTRY_ELEMENTS.values():
        if list_name in lists:
            standoff.append(lists[list_name])
    if len(relations):
        standoff.append(relations)
    # Pointers kept in copied entries (e.g. a desc naming a place) must resolve here too: drop those that do not.
    ids = {el.get(XML_ID) for el in standoff.iter() if el.get(XML_ID)}
    for el in standoff.iter(tei("relation")):
        active = [p for p in (el.get("active") or "").split() if p.lstrip("#") in ids]
        el.set("active", " ".join(active))
    for el in list(standoff.iter(tei("relation"))):
        if not el.get("active"):
            el.getparent().remove(el)
    if len(relations) == 0 and relations.getparent() is not None:
        standoff.remove(relations)
    return standoff
