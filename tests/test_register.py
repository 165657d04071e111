"""The shipped register: valid TEI, unique ids, authority ids in their URI form and each one confirmed."""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from tei_cable.entities.register import Register, register_files
from tei_cable.errors import RegisterError
from tei_cable.tei import TEI_NS, XML_ID

AUTHORITY_PATTERNS = {
    "wikidata": re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9]\d*$"),
    "viaf": re.compile(r"^http://viaf\.org/viaf/[1-9]\d*$"),
    "geonames": re.compile(r"^http://www\.geonames\.org/[1-9]\d*$"),
}
NS = {"t": TEI_NS}


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.default()


def test_size_and_kinds(register):
    kinds = {k: sum(1 for e in register if e.kind == k) for k in ("person", "place", "org", "event")}
    assert len(register) >= 400, kinds
    assert all(n >= 50 for n in kinds.values()), kinds


def test_every_register_file_is_valid_tei(jing, tei_all):
    files = [str(p) for p in register_files()]
    result = subprocess.run([jing, str(tei_all), *files], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_ids_unique_across_files():
    seen: dict[str, str] = {}
    for path in register_files():
        for el in etree.parse(str(path)).iter():
            entry_id = el.get(XML_ID)
            if entry_id:
                assert entry_id not in seen, f"{entry_id} in {path.name} and {seen[entry_id]}"
                seen[entry_id] = path.name


def test_authority_ids_match_their_pattern(register):
    checked = 0
    for entry in register:
        for kind, uri in entry.authorities:
            assert kind in AUTHORITY_PATTERNS, f"{entry.id}: unknown idno type {kind}"
            assert AUTHORITY_PATTERNS[kind].match(uri), f"{entry.id}: {uri}"
            checked += 1
    assert checked > 100


def test_every_authority_id_was_confirmed(register):
    """Each idno has exactly one row in an authorities-*.tsv (where it was confirmed), and no row is stale."""
    folder = register_files()[0].parent
    rows: dict[tuple[str, str, str], int] = {}
    for tsv in sorted(folder.glob("authorities-*.tsv")):
        with tsv.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                key = (row["id"], row["type"], row["value"])
                rows[key] = rows.get(key, 0) + 1
                assert row["source"].strip() and row["evidence"].strip(), key
    idnos = {(e.id, kind, uri) for e in register for kind, uri in e.authorities}
    assert set(rows) == idnos, (set(rows) ^ idnos)
    assert all(count == 1 for count in rows.values())


def test_relations_point_to_entries(register):
    for entry in register:
        for party in entry.parties:
            assert party in register, f"{entry.id}: party {party} is not in the register"


@pytest.mark.parametrize("entry_id", [
    "mao-zedong", "zhou-enlai", "vyacheslav-molotov", "joseph-stalin", "yumjaagiin-tsedenbal", "chiang-kai-shek",
    "soviet-union", "china", "japan", "united-states", "taiwan", "mongolia", "moscow", "lushun", "san-francisco",
    "ccp-central-committee", "chinese-changchun-railway", "government-soviet-union", "government-china",
    "government-mongolia", "treaty-san-francisco-1951", "treaty-taipei-1952", "treaty-sino-soviet-alliance-1950",
])
def test_seed_entities_are_registered(register, entry_id):
    assert entry_id in register


def test_user_register_merges_and_conflicts_are_errors(register, tmp_path: Path):
    extra = tmp_path / "mine.xml"
    extra.write_text(f"""<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>x</title></titleStmt>
<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
<standOff><listPerson><person xml:id="anna-field"><persName type="preferred">Anna Field</persName></person>
</listPerson></standOff></TEI>""", encoding="utf-8")
    merged = register.merged([extra])
    assert merged["anna-field"].preferred == "Anna Field" and len(merged) == len(register) + 1
    clash = tmp_path / "clash.xml"
    clash.write_text(extra.read_text(encoding="utf-8").replace('"anna-field"', '"mao-zedong"'), encoding="utf-8")
    with pytest.raises(RegisterError, match=r"mao-zedong.*defined differently"):
        register.merged([clash])
