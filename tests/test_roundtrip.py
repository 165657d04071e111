"""The round trip: the plain-text export of the body says exactly what the source body says.

For the seed and every fixture, ``export(tree, "text", body_only=True)`` with whitespace normalised equals
the source body (``parse.source_parts``) normalised the same way, and each note's rendered text equals the
source note. Markup may not lose, add or reorder a single character of text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import all_inputs, every_input

from tei_cable.convert import convert_file
from tei_cable.export import export
from tei_cable.export.text import note_texts
from tei_cable.parse import read_source, source_parts

#: Cases whose converter output loses, adds or reorders text: case name -> reason (reported to the lead).
CONVERTER_FAILURES: dict[str, str] = {}


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def case_id(path: Path) -> str:
    return "seed" if path.parent.name == "data" else path.parent.name


def params() -> list[object]:
    out = []
    for path in every_input():
        reason = CONVERTER_FAILURES.get(case_id(path))
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        out.append(pytest.param(path, id=case_id(path), marks=marks))
    return out


@pytest.mark.parametrize("path", params())
def test_body_round_trip(path: Path) -> None:
    tree = convert_file(path).tree
    source = source_parts(read_source(path), path)
    assert normalise(export(tree, "text", body_only=True)) == normalise(source.body)


@pytest.mark.parametrize("path", params())
def test_notes_round_trip(path: Path) -> None:
    tree = convert_file(path).tree
    source = source_parts(read_source(path), path)
    rendered = note_texts(tree)
    assert sorted(rendered, key=int) == sorted(source.notes, key=int)
    for n, text in source.notes.items():
        assert normalise(rendered[str(n)]) == normalise(text), f"note {n}"


def test_body_only_has_no_markers_or_notes() -> None:
    path = all_inputs()[0]
    body = export(convert_file(path).tree, "text", body_only=True)
    assert "[1]" not in body.split("\n")[0]  # the salute's note marker is gone
    assert "Notes" not in body.splitlines()
    assert "The editors of" not in body
