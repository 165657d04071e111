"""Golden files for every export format of the seed and every fixture case.

The input of each export is the case's golden TEI (``expected.xml``): the exporters read TEI, whoever wrote
it, so their goldens change only when the TEI does. ``TEI_CABLE_ACCEPT=1`` rewrites them after a reviewed
change (``make accept`` for the TEI, then this file for the exports); a failure leaves ``actual.*`` beside
the golden file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CASES
from golden import check_golden
from lxml import etree

from tei_cable.export import export
from tei_cable.tei import read_xml

#: Every golden TEI (the seed and each fixture): the input of all export tests (they import these names).
TEI_FILES: dict[str, Path] = {p.parent.name: p for p in sorted(CASES.glob("*/expected.xml"))}
SEED_TEI = TEI_FILES["seed-208202"]


def load(name: str = "seed-208202") -> etree._ElementTree:
    """A fresh parse of a golden TEI file (exports must not change it, but each test gets its own)."""
    return read_xml(TEI_FILES[name])

#: Format -> (golden file name, export options). CMIF gets a fixed date so the file is byte-stable.
FORMATS: dict[str, tuple[str, dict[str, object]]] = {
    "text": ("expected.txt", {}),
    "html": ("expected.html", {}),
    "json": ("expected.json", {}),
    "cmif": ("expected.cmif.xml", {"published": "2025-01-01"}),
}


def golden_cases() -> list[str]:
    return sorted(TEI_FILES)


def test_every_fixture_has_a_golden_tei() -> None:
    names = golden_cases()
    assert "seed-208202" in names
    assert {p.parent.name for p in CASES.glob("*/input.txt")} <= set(names)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", golden_cases())
def test_export_golden(name: str, fmt: str) -> None:
    folder: Path = CASES / name
    filename, options = FORMATS[fmt]
    output = export(read_xml(folder / "expected.xml"), fmt, **options)
    check_golden(folder / filename, output.encode("utf-8"))
