"""The JSON export: valid against schema/document.schema.json, and every offset exact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from test_export_goldens import TEI_FILES, load

from tei_cable.export import export

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "schema" / "document.schema.json").read_text())


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA)


def exported(name: str, **options: Any) -> dict[str, Any]:
    return json.loads(export(load(name), "json", **options))


@pytest.mark.parametrize("body_only", [False, True])
@pytest.mark.parametrize("name", sorted(TEI_FILES))
def test_valid_against_schema(name: str, body_only: bool, validator: jsonschema.Draft202012Validator) -> None:
    errors = sorted(validator.iter_errors(exported(name, body_only=body_only)), key=str)
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5])


@pytest.mark.parametrize("body_only", [False, True])
@pytest.mark.parametrize("name", sorted(TEI_FILES))
def test_every_offset_slices_back_its_text(name: str, body_only: bool) -> None:
    doc = exported(name, body_only=body_only)
    text = doc["text"]
    spans = [*doc["blocks"], *doc["dates"], *doc["notes"]]
    spans += [m for group in doc["entities"].values() for entity in group for m in entity["mentions"]]
    assert spans
    for span in spans:
        assert 0 <= span["start"] < span["end"] <= len(text)
        assert text[span["start"]:span["end"]] == span["text"]
        assert span["text"] == span["text"].strip()
    for note in doc["notes"]:
        marker = f"[{note['n']}]"
        assert text[note["anchor"]:note["anchor"] + len(marker)] == marker
        assert note["anchor"] < note["start"]


def test_text_is_the_plain_text_export() -> None:
    assert exported("seed-208202")["text"] + "\n" == export(load(), "text")
    assert exported("seed-208202", body_only=True)["text"] + "\n" == export(load(), "text", body_only=True)


def test_seed_content() -> None:
    doc = exported("seed-208202")
    assert doc["id"] == "wcda-208202"
    assert doc["metadata"]["translators"] == ["David Cowhig"]
    assert doc["metadata"]["url"] == "https://digitalarchive.wilsoncenter.org/document/208202"
    corr = doc["correspondence"]
    assert [p["ref"] for p in corr["senders"]] == ["zhou-enlai"]
    assert corr["date"]["when"] == "1952-08-28"
    assert "mao-zedong" in [p["ref"] for p in corr["recipients"]]
    persons = {e["ref"]: e for e in doc["entities"]["person"]}
    assert persons["mao-zedong"]["authority"] == {"wikidata": "http://www.wikidata.org/entity/Q5816"}
    assert {m["text"] for m in persons["mao-zedong"]["mentions"]} == {"Chairman Mao [Zedong]", "Mao Zedong"}
    assert any(e["ref"] == "treaty-san-francisco-1951" for e in doc["entities"]["treaty"])
    yesterday = next(d for d in doc["dates"] if d["text"] == "Yesterday evening")
    assert yesterday["when"] == "1952-08-27"
    assert yesterday["inferred"][0]["category"] == "relative-to-document"
    assert yesterday["inferred"][0]["description"]
    assert [n["n"] for n in doc["notes"]] == ["1", "2"]
    assert doc["notes"][0]["text"].startswith("The editors of *Jianguo yilai Zhou Enlai wengao*")
    items = [b for b in doc["blocks"] if b["type"] == "item"]
    assert items[0]["n"] == "1" and items[0]["text"].startswith("[1] A revised draft")
    assert {e["id"] for e in doc["register"]["treaty"]} >= {"treaty-san-francisco-1951"}


def test_body_only_has_no_notes_and_no_header() -> None:
    doc = exported("seed-208202", body_only=True)
    assert doc["notes"] == []
    assert {b["section"] for b in doc["blocks"]} == {"body"}
    assert doc["text"].startswith("To Chairman Mao [Zedong]")


def test_unlinked_name_is_grouped_by_its_text() -> None:
    from tei_cable.tei import parse_xml

    tree = parse_xml(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p><persName>Ivanov</persName> and '
                     b'<persName ref="#nobody">Petrov</persName></p></body></text></TEI>')
    doc = json.loads(export(tree, "json"))
    persons = doc["entities"]["person"]
    assert [(e["ref"], e["name"], e["unresolved"]) for e in persons] == [(None, "Ivanov", None),
                                                                          (None, "Petrov", "nobody")]


@pytest.mark.parametrize("name", sorted(TEI_FILES))
def test_fast_writer_equals_the_standard_library(name: str) -> None:
    """``dumps_indented`` is a speed-up only: its bytes are ``json.dumps(..., indent=2)``'s on every fixture."""
    from tei_cable.export.json_export import dumps_indented

    value = json.loads(export(load(name), "json"))
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("value", [
    {"float": 1.5, "nan-free": [0.1, -2e300]},      # floats: left to json.dumps
    {"tuple": (1, 2)}, {1: "int key"},              # a tuple, a key that is not a string
    ["\u2028", "\x00\x1f", '"\\', "😀", {"": []}],  # escapes, an astral character, empty containers
    -0, 10**30, True, None, "",
])
def test_fast_writer_matches_on_awkward_values(value: Any) -> None:
    from tei_cable.export.json_export import dumps_indented

    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)
