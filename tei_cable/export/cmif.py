"""CMIF: the document's ``correspDesc`` as a Correspondence Metadata Interchange Format file for correspSearch.

A CMIF file is a TEI file whose header lists letters: each ``correspDesc`` has a sent and a received
``correspAction``; persons, organisations and places carry authority URIs in ``@ref`` (VIAF or Wikidata for
persons, GeoNames for places), the ``date`` is empty with date-only attributes (``@when``, ``@notBefore``,
``@notAfter``, ``@from``, ``@to``; times are cut off), ``@source`` points to the ``bibl`` that cites the
edition, and the file itself is licensed CC BY 4.0 (the metadata, not the translation).

>>> from lxml import etree
>>> tree = etree.fromstring('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><profileDesc><correspDesc>'
...     '<correspAction type="sent"><persName>A</persName><date when="1950-10-03T23:45:00"/></correspAction>'
...     '</correspDesc></profileDesc></teiHeader></TEI>')
>>> '<date when="1950-10-03"/>' in export_cmif(tree, published="2024-01-01")
True
"""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from .. import __version__
from ..errors import InputError
from ..tei import TEI_NS, XML_ID, E, serialize
from .behaviours import Action, DateValue, Element, Metadata, Party, Register, read_metadata, read_register

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
#: Which authority identifies a party in correspSearch, most preferred first.
AUTHORITY_ORDER: dict[str, tuple[str, ...]] = {
    "person": ("viaf", "gnd", "wikidata"),
    "org": ("viaf", "gnd", "wikidata"),
    "place": ("geonames", "wikidata"),
}
_DATE_ONLY = re.compile(r"^-?\d{4}(?:-\d{2}(?:-\d{2})?)?")
CMIF_ELEMENT = {"person": "persName", "org": "orgName", "place": "placeName"}


def date_only(value: str | None) -> str | None:
    """``1950-10-03T23:45:00`` -> ``1950-10-03``: CMIF dates take no time of day."""
    if not value:
        return None
    match = _DATE_ONLY.match(value)
    return match.group(0) if match else None


def authority_uri(party: Party, register: Register) -> str | None:
    entry = register.get(party.ref) if party.ref else None
    if entry is None:
        return None
    return next((entry.authority[k] for k in AUTHORITY_ORDER.get(party.kind, ()) if k in entry.authority), None)


def date_element(value: DateValue) -> Element | None:
    attributes = {name: date_only(v) for name, v in (("when", value.when), ("notBefore", value.not_before),
                                                        ("notAfter", value.not_after), ("from", value.from_),
                                                        ("to", value.to))}
    attributes = {k: v for k, v in attributes.items() if v}
    return E.date(**attributes) if attributes else None


def action_element(action: Action, register: Register) -> Element:
    el = E.correspAction(type=action.type)
    # CMIF orders persons/organisations, then places, then the date.
    for party in [*action.of_kind("person", "org"), *action.of_kind("place")]:
        name = etree.SubElement(el, f"{{{TEI_NS}}}{CMIF_ELEMENT[party.kind]}")
        name.text = party.name
        uri = authority_uri(party, register)
        if uri:
            name.set("ref", uri)
    if action.date is not None:
        date = date_element(action.date)
        if date is not None:
            el.append(date)
    return el


def published_date(root: Element) -> str:
    """The newest ``revisionDesc/change/@when`` (so the same TEI gives the same CMIF), else today."""
    whens = sorted(date_only(c.get("when")) or "" for c in root.iter(f"{{{TEI_NS}}}change"))
    return whens[-1] if whens and whens[-1] else dt.date.today().isoformat()


def cmif_tree(root: Element, meta: Metadata, register: Register, published: str) -> Element:
    bibl_id = meta.citation_id or "source"
    citation = meta.citation_text or meta.title or "Untitled document"
    bibl = E.bibl(f"{citation} ", E.ref(meta.url, target=meta.url), type="online") if meta.url else \
        E.bibl(citation, type="online")
    bibl.set(XML_ID, bibl_id)
    publication = E.publicationStmt(
        E.publisher(E.ref("tei-cable", target="https://pypi.org/project/tei-cable/")),
        E.idno(meta.url or meta.id or "", type="url"),
        E.date(when=published),
        E.availability(E.licence("This file is licensed under the terms of the Creative-Commons-License CC-BY 4.0",
                                 target=CC_BY)),
    )
    profile = E.profileDesc()
    if meta.correspondence:  # a record of conversation is no letter: the file then lists none
        corresp = E.correspDesc(source=f"#{bibl_id}")
        if meta.url:
            corresp.set("ref", meta.url)
        actions = {a.type: a for a in meta.correspondence}
        for type_ in ("sent", "received"):
            corresp.append(action_element(actions.get(type_, Action(type_, (), None)), register))
        profile.append(corresp)
    return E.TEI(
        E.teiHeader(
            E.fileDesc(
                E.titleStmt(E.title(f"CMIF: {meta.title}" if meta.title else "CMIF"),
                            E.editor(f"exported by tei-cable {__version__}")),
                publication,
                E.sourceDesc(bibl),
            ),
            profile,
        ),
        E.text(E.body(E.p())),
    )


def export_cmif(tree: etree._ElementTree | Element, *, published: str | None = None) -> str:
    """The CMIF file (``published``: the ISO date of ``publicationStmt/date``; default: the TEI's last change)."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    if published is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", published):
        raise InputError(f"the publication date must be YYYY-MM-DD, not {published!r}")
    meta = read_metadata(root)
    register = read_register(root)
    out = cmif_tree(root, meta, register, published or published_date(root))
    return serialize(etree.ElementTree(out)).decode("utf-8")
