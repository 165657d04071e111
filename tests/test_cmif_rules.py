"""CMIF for correspSearch: ``schema/cmif.sch`` and what tei-cable exports against it.

* Every rule has an id, a severity and a message that says what is allowed; every rule has a minimal
  failing CMIF file in ``tests/invalid-cmif/<rule>.xml`` that triggers that rule and nothing else, and a
  complete, ideal CMIF file triggers nothing at all.
* Every fixture's CMIF export (``tei-cable export X.xml --to cmif``) passes: no error, and only the
  warnings listed here (each a real gap in the source document, not in the exporter).
* A CMIF file of several documents, assembled from the single exports as the corpus builder will, passes;
  merging them without giving each citation its own id does not.
* CMIF files are TEI: the exports and the assembled corpus are valid against tei_all (jing).
"""

from __future__ import annotations

import copy
import functools
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from lxml import etree
from test_export_goldens import TEI_FILES, load

from tei_cable.cli import main
from tei_cable.errors import SchemaError
from tei_cable.export import export
from tei_cable.tei import TEI_NS, XML_ID, parse_xml, read_xml
from tei_cable.validate import VALIDATORS, validate, validator
from tei_cable.validate.cmif import CmifValidator, check_cmif, cmif_validator
from tei_cable.validate.grammar import project_grammar, schema_path

INVALID = ROOT / "tests" / "invalid-cmif"
NS = {"tei": TEI_NS}
SCH = "{http://purl.oclc.org/dsdl/schematron}"
PUBLISHED = "2025-01-01"
#: Warnings a fixture's export is expected to carry, and why. Anything else fails the test.
EXPECTED_WARNINGS: dict[str, set[str]] = {
    # The title names the sender only by office ("the Soviet Trade Representative in Beijing"), so the sent
    # action has a place and a date but no persName (CMIF would write <persName>Unknown</persName>).
    "numeric-dates": {"cmif-action-party"},
}

#: A CMIF file with every field CMIF asks for, and an authority URI on every name: it triggers nothing.
COMPLETE = b"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>Letters of the tei-cable tests</title>
        <editor>tei-cable tests <email>tests@example.org</email></editor>
      </titleStmt>
      <publicationStmt>
        <publisher>tei-cable tests</publisher>
        <idno type="url">https://example.org/cmif/letters.xml</idno>
        <date when="2025-01-01T12:00:00"/>
        <availability>
          <licence target="https://creativecommons.org/licenses/by/4.0/">CC-BY 4.0</licence>
        </availability>
      </publicationStmt>
      <sourceDesc>
        <bibl type="online" xml:id="wcda">Wilson Center Digital Archive.</bibl>
        <bibl type="hybrid" xml:id="printed">A printed and online edition.</bibl>
      </sourceDesc>
    </fileDesc>
    <profileDesc>
      <correspDesc source="#wcda" ref="https://example.org/letters/1">
        <correspAction type="sent">
          <persName ref="http://www.wikidata.org/entity/Q36014">Ho Chi Minh</persName>
          <date when="1953-11-15"/>
        </correspAction>
        <correspAction type="received">
          <persName ref="http://www.wikidata.org/entity/Q5816">Mao Zedong</persName>
          <placeName ref="https://sws.geonames.org/1816670/">Beijing</placeName>
          <date notBefore="1953-11-15" notAfter="1953-12"/>
        </correspAction>
      </correspDesc>
      <!-- Invented correspondents: only the shapes of the other authority URIs matter here. -->
      <correspDesc source="#printed" key="91">
        <correspAction type="sent">
          <persName ref="http://viaf.org/viaf/123456789">Example Sender</persName>
          <orgName ref="http://d-nb.info/gnd/1234567-8">Example Committee</orgName>
          <placeName ref="http://www.wikidata.org/entity/Q956">Beijing</placeName>
          <date from="1952" to="1952-02-29"/>
        </correspAction>
        <correspAction type="received">
          <persName ref="http://id.loc.gov/authorities/names/n00000000">Example Addressee</persName>
          <persName>Unknown</persName>
        </correspAction>
      </correspDesc>
    </profileDesc>
  </teiHeader>
  <text>
    <body>
      <p/>
    </body>
  </text>
</TEI>
"""


def fixtures() -> list[Path]:
    return sorted(INVALID.glob("*.xml"))


def rules() -> dict[str, str]:
    return cmif_validator().rules


@functools.cache
def cmif_text(name: str) -> str:
    """The fixture's CMIF export (exported once per test run; each test parses its own tree)."""
    return export(load(name), "cmif", published=PUBLISHED)


def cmif_export(name: str) -> etree._ElementTree:
    """The fixture's CMIF export, read back from its serialisation (so issues have real line numbers)."""
    return parse_xml(cmif_text(name).encode("utf-8"))


def findings(tree: etree._ElementTree) -> dict[str, set[str]]:
    """Severity -> the rule ids found."""
    out: dict[str, set[str]] = {"error": set(), "warning": set(), "info": set()}
    for issue in check_cmif(tree):
        out[issue.severity].add(issue.rule)
    return out


def describe(tree: etree._ElementTree) -> list[tuple[str, str, int | None, str]]:
    return [(i.severity, i.rule, i.line, i.message) for i in check_cmif(tree)]


# --- the rules ---------------------------------------------------------------------------------------


def test_every_rule_has_a_fixture_and_every_fixture_a_rule() -> None:
    names = {p.stem for p in fixtures()}
    assert set(rules()) - names == set(), "rules without a minimal failing document in tests/invalid-cmif/"
    assert names - set(rules()) == set(), "fixtures in tests/invalid-cmif/ that name no rule"


def test_every_rule_has_an_id_severity_and_message() -> None:
    sch = etree.parse(str(schema_path("cmif.sch")))
    asserts = sch.findall(f".//{SCH}assert") + sch.findall(f".//{SCH}report")
    assert len(asserts) == len(rules()) >= 25, "an assert without an id, or two asserts with one id"
    for a in asserts:
        assert a.get("id", "").startswith("cmif-"), etree.tostring(a)[:80]
        assert a.get("role") in ("error", "warning", "info"), a.get("id")
        assert len("".join(a.itertext()).split()) >= 12, f"{a.get('id')}: say what is wrong and what is allowed"


def test_cmif_rule_ids_are_not_project_rule_ids() -> None:
    # A report may mix both (one CLI run over a TEI file and its CMIF): a rule id must name one rule.
    project = set(validator("schematron").rules) | set(project_grammar().rules)  # type: ignore[attr-defined]
    assert not project & set(rules())


def test_a_complete_cmif_file_has_no_findings() -> None:
    tree = parse_xml(COMPLETE)
    assert describe(tree) == []


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda p: p.stem)
def test_fixture_triggers_exactly_its_rule(fixture: Path) -> None:
    rule = fixture.stem
    issues = list(check_cmif(read_xml(fixture)))
    assert {i.rule for i in issues} == {rule}, [(i.rule, i.message) for i in issues]
    assert {i.severity for i in issues} == {rules()[rule]}
    assert all(i.validator == "cmif" for i in issues)


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda p: p.stem)
def test_fixture_issues_point_at_a_line_and_a_node(fixture: Path) -> None:
    tree = read_xml(fixture)
    for issue in check_cmif(tree, path=str(fixture)):
        assert issue.line and issue.path == str(fixture), issue
        (node,) = tree.xpath(issue.xpath, namespaces=NS)
        assert node.sourceline == issue.line


def test_fixture_comment_names_its_rule() -> None:
    for fixture in fixtures():
        first = fixture.read_text(encoding="utf-8").splitlines()[1]
        assert first.startswith(f"<!-- {fixture.stem}: "), f"{fixture.name}: say which rule it breaks and how"


def test_messages_name_the_offending_value() -> None:
    (issue,) = check_cmif(read_xml(INVALID / "cmif-date-format.xml"))
    assert issue.message.startswith('@when="1953-11-15T23:45:00" on the date of the sent action')
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in issue.message
    (issue,) = check_cmif(read_xml(INVALID / "cmif-licence.xml"))
    assert "by-nc/4.0" in issue.message and "https://creativecommons.org/licenses/by/4.0/" in issue.message


# --- what tei-cable exports ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TEI_FILES))
def test_every_fixture_export_passes(name: str) -> None:
    found = findings(cmif_export(name))
    assert found["error"] == set(), describe(cmif_export(name))
    assert found["warning"] == EXPECTED_WARNINGS.get(name, set()), describe(cmif_export(name))


def test_a_document_that_is_no_letter_exports_an_empty_list() -> None:
    assert findings(cmif_export("memcon-speakers")) == {"error": set(), "warning": set(), "info": {"cmif-no-letters"}}


def test_the_cli_export_passes(tmp_path: Path) -> None:
    target = tmp_path / "seed.cmif.xml"
    result = CliRunner().invoke(main, ["export", str(TEI_FILES["seed-208202"]), "--to", "cmif", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    report = check_cmif(read_xml(target))
    assert report.ok(strict=True), [(i.rule, i.message) for i in report]


def letters() -> list[str]:
    """The fixtures whose export lists a letter."""
    return [name for name in sorted(TEI_FILES) if cmif_export(name).xpath("//tei:correspDesc", namespaces=NS)]


def assemble(names: list[str], *, own_ids: bool = True) -> etree._ElementTree:
    """One CMIF file listing the letters of several exports, as a corpus builder makes it.

    The header is the first export's, with the corpus's own title and URL; ``sourceDesc`` gets every
    document's citation and ``profileDesc`` every ``correspDesc``. Each export calls its citation
    ``source``, so ``own_ids`` renames it ``source-<name>`` (and the letters' ``@source`` with it).
    """
    exports = {name: cmif_export(name).getroot() for name in names}
    root = copy.deepcopy(exports[names[0]])
    root.find(".//tei:titleStmt/tei:title", NS).text = "Letters from the tei-cable test cases"
    root.find(".//tei:publicationStmt/tei:idno", NS).text = "https://example.org/tei-cable/cmif.xml"
    source_desc = root.find(".//tei:sourceDesc", NS)
    profile = root.find(".//tei:profileDesc", NS)
    for parent in (source_desc, profile):
        for child in list(parent):
            parent.remove(child)
    for name, export_root in exports.items():
        new_id = f"source-{name}" if own_ids else "source"
        for bibl in export_root.iterfind(".//tei:sourceDesc/tei:bibl", NS):
            bibl = copy.deepcopy(bibl)
            bibl.set(XML_ID, new_id)
            source_desc.append(bibl)
        for corresp in export_root.iterfind(".//tei:correspDesc", NS):
            corresp = copy.deepcopy(corresp)
            corresp.set("source", f"#{new_id}")
            profile.append(corresp)
    # Serialise and read back: the checks then see real line numbers, as they would in the built file.
    return parse_xml(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def test_a_cmif_of_several_documents_passes() -> None:
    names = letters()
    assert len(names) >= 6
    corpus = assemble(names)
    assert len(corpus.xpath("//tei:correspDesc", namespaces=NS)) == len(names)
    assert len(corpus.xpath("//tei:sourceDesc/tei:bibl", namespaces=NS)) == len(names)
    found = findings(corpus)
    assert found["error"] == set(), describe(corpus)
    assert found["warning"] == set().union(*(EXPECTED_WARNINGS.get(n, set()) for n in names)), describe(corpus)
    assert "cmif-no-letters" not in found["info"]


def test_merging_without_own_citation_ids_is_refused() -> None:
    found = findings(assemble(letters(), own_ids=False))
    assert found["error"] == {"cmif-bibl-id-unique"}


def test_a_citation_without_letters_is_flagged_in_a_corpus() -> None:
    corpus = assemble([*letters(), "memcon-speakers"])
    found = findings(corpus)
    assert found["error"] == set()
    assert "cmif-bibl-cited" in found["warning"]
    flagged = [i for i in check_cmif(corpus) if i.rule == "cmif-bibl-cited"]
    assert [i.message.split('"')[1] for i in flagged] == ["source-memcon-speakers"]


def test_wired_into_validate() -> None:
    assert "cmif" in VALIDATORS
    tree = read_xml(INVALID / "cmif-date-order.xml")
    assert [i.rule for i in validate(tree, "cmif")] == [i.rule for i in check_cmif(tree)] == ["cmif-date-order"]


# --- CMIF is TEI ------------------------------------------------------------------------------------------


def test_exports_and_corpus_are_valid_tei(tmp_path: Path, jing: str, tei_all: Path) -> None:
    files = []
    for name in sorted(TEI_FILES):
        files.append(tmp_path / f"{name}.cmif.xml")
        files[-1].write_bytes(etree.tostring(cmif_export(name), xml_declaration=True, encoding="UTF-8"))
    files.append(tmp_path / "corpus.cmif.xml")
    files[-1].write_bytes(etree.tostring(assemble(letters()), xml_declaration=True, encoding="UTF-8"))
    files.append(tmp_path / "complete.cmif.xml")
    files[-1].write_bytes(COMPLETE)
    result = subprocess.run([jing, str(tei_all), *map(str, files)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_schematron_is_a_schema_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.sch"
    broken.write_text('<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron"><sch:pattern>'
                      '<sch:rule context="tei:p["><sch:assert test="1">x</sch:assert></sch:rule>'
                      "</sch:pattern></sch:schema>", encoding="utf-8")
    monkeypatch.setattr("tei_cable.validate.schematron.schema_path", lambda name: broken)
    with pytest.raises(SchemaError, match=r"the CMIF rules \(correspSearch\) Schematron does not compile"):
        CmifValidator()
