"""The authority register: TEI files of persons, places, organisations and events.

The default register ships as package data (``tei_cable/data/register/*.xml``, format in
``docs/REGISTER.md``); users merge their own files with ``--register FILE``. A register
is read once per process and is immutable afterwards.

>>> reg = Register.default()
>>> reg["mao-zedong"].preferred
'Mao Zedong'
"""

from __future__ import annotations

import copy
import functools
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from lxml import etree

from ..errors import RegisterError
from ..tei import NSMAP, XML_ID, local, parse_xml, tei

EntityKind = Literal["person", "place", "org", "event"]

#: Register element -> (kind, name element, list element). One row per kind of entry.
ENTRY_ELEMENTS: dict[str, tuple[EntityKind, str, str]] = {
    "person": ("person", "persName", "listPerson"),
    "place": ("place", "placeName", "listPlace"),
    "org": ("org", "orgName", "listOrg"),
    "event": ("event", "eventName", "listEvent"),
}
#: Name types that the finders match in running text ("adjective" forms are used only in patterns).
MATCHED_NAME_TYPES = ("preferred", "variant", "short", "pseudonym")


@dataclass(frozen=True)
class Entry:
    """One register entry; ``element`` is the TEI entry itself (copied into a document's standOff)."""

    id: str
    kind: EntityKind
    type: str  # @type of the entry: country, city, government, treaty ...
    preferred: str
    names: tuple[tuple[str, str], ...]  # (name type, form)
    country: str | None  # nationality/@key or country/@key
    when: str | None  # events: signing date (or @from)
    parties: tuple[str, ...]  # events: ids of the parties (relation name="party")
    authorities: tuple[tuple[str, str], ...]  # (idno type, URI)
    description: str
    source: str  # the file the entry came from
    element: etree._Element

    def forms(self, *types: str) -> list[str]:
        wanted = types or MATCHED_NAME_TYPES
        return [form for kind, form in self.names if kind in wanted]


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _entry(el: etree._Element, source: str) -> Entry:
    kind, name_el, _ = ENTRY_ELEMENTS[local(el)]
    entry_id = el.get(XML_ID)
    line = el.sourceline
    if not entry_id:
        raise RegisterError(f"<{local(el)}> without xml:id", path=source, line=line)
    names = tuple((n.get("type", "variant"), _text(n)) for n in el.findall(tei(name_el)))
    preferred = [form for t, form in names if t == "preferred"]
    if len(preferred) != 1:
        raise RegisterError(f"entry {entry_id!r} must have exactly one {name_el} type=\"preferred\"",
                            path=source, line=line)
    key_el = el.find(tei("nationality")) if kind == "person" else el.find(tei("country"))
    parties: list[str] = []
    for rel in el.findall(tei("relation")):
        if rel.get("name") == "party":
            parties.extend(p.lstrip("#") for p in (rel.get("active") or "").split())
    return Entry(
        id=entry_id,
        kind=kind,
        type=el.get("type", ""),
        preferred=preferred[0],
        names=names,
        country=key_el.get("key") if key_el is not None else None,
        when=el.get("when") or el.get("from"),
        parties=tuple(parties),
        authorities=tuple((i.get("type", ""), _text(i)) for i in el.findall(tei("idno"))),
        description=_text(el.find(tei("note"))),
        source=source,
        element=el,
    )


def _canonical(el: etree._Element) -> bytes:
    return etree.tostring(el, method="c14n", exclusive=True, with_comments=False)


class Register:
    """An immutable set of entries keyed by xml:id."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._entries: dict[str, Entry] = {}
        for entry in entries:
            old = self._entries.get(entry.id)
            if old is not None and _canonical(old.element) != _canonical(entry.element):
                raise RegisterError(
                    f"entry {entry.id!r} is defined differently in {old.source} and {entry.source}; "
                    "rename one of them or make them identical",
                    path=entry.source,
                    line=entry.element.sourceline,
                )
            self._entries.setdefault(entry.id, entry)

    # -- reading -------------------------------------------------------------------------------------

    @staticmethod
    def parse(data: bytes, source: str) -> list[Entry]:
        tree = parse_xml(data, source)
        entries = [
            _entry(el, source)
            for el in tree.iter(*(tei(name) for name in ENTRY_ELEMENTS))
            if el.getparent() is not None and local(el.getparent()) == ENTRY_ELEMENTS[local(el)][2]
        ]
        if not entries:
            raise RegisterError("no register entries (listPerson/listPlace/listOrg/listEvent) found", path=source)
        return entries

    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> Register:
        entries: list[Entry] = []
        for path in paths:
            try:
                data = Path(path).read_bytes()
            except OSError as err:
                raise RegisterError(f"cannot read register: {err.strerror}", path=path) from None
            entries.extend(cls.parse(data, str(path)))
        return cls(entries)

    @classmethod
    def default(cls) -> Register:
        return _default_register()

    def merged(self, paths: Iterable[str | Path]) -> Register:
        """This register plus the users' files; an id defined differently in two places is an error."""
        paths = list(paths)
        if not paths:
            return self
        return Register([*self._entries.values(), *Register.from_files(paths)._entries.values()])

    # -- access --------------------------------------------------------------------------------------

    def __getitem__(self, entry_id: str) -> Entry:
        return self._entries[entry_id]

    def get(self, entry_id: str) -> Entry | None:
        return self._entries.get(entry_id)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    @functools.cached_property
    def fingerprint(self) -> str:
        """A hash of every entry, so builds can tell when the register changed."""
        digest = hashlib.sha256()
        for entry_id in sorted(self._entries):
            digest.update(_canonical(self._entries[entry_id].element))
        return digest.hexdigest()

    def country_place(self, key: str) -> Entry | None:
        """The place entry of type country whose country key is ``key``."""
        return self._countries.get(key)

    @functools.cached_property
    def _countries(self) -> dict[str, Entry]:
        return {e.country: e for e in self if e.kind == "place" and e.type == "country" and e.country}

    def copy_element(self, entry_id: str) -> etree._Element:
        """A deep copy of the entry's TEI element, ready to be placed into a document."""
        return copy.deepcopy(self._entries[entry_id].element)


def register_files() -> list[Path]:
    folder = resources.files("tei_cable") / "data" / "register"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".xml"))


@functools.cache
def _default_register() -> Register:
    return Register.from_files(register_files())


__all__ = ["ENTRY_ELEMENTS", "NSMAP", "EntityKind", "Entry", "Register", "register_files"]
