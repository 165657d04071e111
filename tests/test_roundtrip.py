"""The round trip: the plain-text export of the body says exactly what the source body says.

For the seed and every fixture, ``export(tree, "text", body_only=True)`` with whitespace normalised equals
the source body normalised the same way, and each note's rendered text equals the source note. Markup may
not lose, add or reorder a single character of text. The source body is cut out of the file here by plain
line rules (``reference``), not by the parser under test, so a line the parser swallows shows up.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import all_inputs, every_input

from tei_cable.convert import convert_file
from tei_cable.export import export
from tei_cable.export.text import note_texts
from tei_cable.parse import read_source

NOTE_LINE = re.compile(r"^\^\[(\d+)\] ?")
MARKER = re.compile(r"\^\[\d+\]")


def reference(text: str) -> tuple[str, dict[str, str]]:
    """The body (markers removed) and the notes of an export: everything after the block of "- " lines that
    follows "Contents:", up to the first line that starts a note; each note runs to the next."""
    lines = text.split("\n")
    k = next(i for i, line in enumerate(lines) if line.strip() == "Contents:") + 1
    while not lines[k].strip():
        k += 1
    while lines[k].startswith("- "):
        k += 1
    end = next((i for i in range(k, len(lines)) if NOTE_LINE.match(lines[i])), len(lines))
    notes: dict[str, list[str]] = {}
    current = ""
    for line in lines[end:]:
        m = NOTE_LINE.match(line)
        if m:
            current = m.group(1)
            line = line[m.end():]
        notes.setdefault(current, []).append(line)
    return MARKER.sub("", "\n".join(lines[k:end])), {n: "\n".join(v) for n, v in notes.items()}

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
    body, _ = reference(read_source(path))
    assert normalise(export(tree, "text", body_only=True)) == normalise(body)


@pytest.mark.parametrize("path", params())
def test_notes_round_trip(path: Path) -> None:
    tree = convert_file(path).tree
    _, notes = reference(read_source(path))
    rendered = note_texts(tree)
    assert sorted(rendered, key=int) == sorted(notes, key=int)
    for n, text in notes.items():
        assert normalise(rendered[str(n)]) == normalise(text), f"note {n}"


def test_body_only_has_no_markers_or_notes() -> None:
    path = all_inputs()[0]
    body = export(convert_file(path).tree, "text", body_only=True)
    assert "[1]" not in body.split("\n")[0]  # the salute's note marker is gone
    assert "Notes" not in body.splitlines()
    assert "The editors of" not in body
