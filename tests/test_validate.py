"""The validation library: ``validate(tree, against=...) -> Report``, the table of validators, the
grammar's diagnosis and the Schematron's rules on documents built for the purpose."""

from __future__ import annotations

import copy

import pytest
from conftest import ROOT, SEED
from lxml import etree

from tei_cable.convert import convert_file
from tei_cable.errors import SchemaError, UnknownChoiceError
from tei_cable.tei import TEI_NS, parse_xml, read_xml, serialize
from tei_cable.validate import AGAINST, VALIDATORS, validate, validator
from tei_cable.validate.grammar import project_grammar
from tei_cable.validate.issues import element_path

INVALID = ROOT / "tests" / "invalid"
T = f"{{{TEI_NS}}}"


@pytest.fixture(scope="module")
def seed() -> etree._ElementTree:
    return parse_xml(serialize(convert_file(SEED).tree))


def test_project_report_says_what_was_checked(seed):
    report = validate(seed, "project", path="seed.xml")
    assert report.checked == ["relaxng", "xsd", "schematron"]
    assert [n.split(":")[0] for n in report.notes] == report.checked
    assert report.ok() and not report.ok(strict=True)  # one warning: the misdated agreement
    assert {i.path for i in report} == {"seed.xml"}


def test_validate_reports_what_it_checked(seed):
    report = validate(seed, "relaxng", path="x.xml")
    assert report.checked == ["relaxng"] and report.path == "x.xml" and report.ok()
    assert validate(seed.getroot(), "relaxng").ok()  # an element is accepted as well as a tree


def test_unknown_against_lists_the_choices(seed):
    with pytest.raises(UnknownChoiceError) as err:
        validate(seed, "dtd")
    for choice in [*AGAINST, *VALIDATORS]:
        assert choice in str(err.value)


def test_each_validator_is_built_once():
    for name in ("relaxng", "xsd", "schematron"):
        assert validator(name) is validator(name)


def test_validators_never_change_the_tree(seed):
    broken = copy.deepcopy(seed)
    broken.getroot().find(f".//{T}div").set("type", "chapter")
    for tree in (seed, broken):
        before = etree.tostring(tree)
        validate(tree, "project")
        validate(tree, "xmlschema")
        assert etree.tostring(tree) == before


def test_a_tree_built_in_memory_has_paths_but_no_lines(seed):
    tree = convert_file(SEED).tree  # never serialised: no source lines
    tree.getroot().find(f".//{T}div").set("type", "chapter")
    (issue,) = [i for i in validate(tree, "relaxng")]
    assert issue.line is None
    assert issue.xpath == "/tei:TEI/tei:text/tei:body/tei:div[1]/@type"


def test_tei_all_report_names_the_release(seed, tei_all):
    report = validate(seed, "tei-all", tei_all=tei_all)
    assert report.ok() and report.checked == ["tei-all"]
    assert "TEI P5 4.9.0" in report.notes[0]


def test_tei_all_missing_is_a_schema_error(tmp_path, monkeypatch, seed):
    monkeypatch.setenv("TEI_CABLE_CACHE", str(tmp_path))
    monkeypatch.delenv("TEI_CABLE_TEI_ALL", raising=False)
    with pytest.raises(SchemaError, match="tei-cable"):
        validate(seed, "all")


def test_tei_all_errors_come_through_the_same_issue_type(tei_all):
    tree = read_xml(INVALID / "root-element.xml")
    issues = list(validate(tree, "tei-all", tei_all=tei_all))
    assert issues and all(i.validator == "tei-all" and i.severity == "error" for i in issues)


# --- locations --------------------------------------------------------------------------------------


def test_element_path_uses_the_tei_prefix_and_positions_only_where_needed():
    tree = parse_xml(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div/><div><p/><x:y xmlns:x="urn:x"/>'
                     b'</div></body></text></TEI>')
    p = tree.find(f".//{T}p")
    assert element_path(p) == "/tei:TEI/tei:text/tei:body/tei:div[2]/tei:p"
    assert element_path(p, "{http://www.w3.org/XML/1998/namespace}id").endswith("/tei:p/@xml:id")
    foreign = p.getnext()
    assert element_path(foreign).endswith("/*[local-name()='y' and namespace-uri()='urn:x']")
    assert tree.xpath(element_path(foreign), namespaces={"tei": TEI_NS}) == [foreign]


# --- the grammar's diagnosis ------------------------------------------------------------------------


def diagnose(seed: etree._ElementTree, change) -> list[tuple[str, str]]:
    tree = copy.deepcopy(seed)
    change(tree.getroot())
    problems = project_grammar().diagnose(tree)
    return [(p.rule, p.message) for p in problems]


def test_diagnosis_of_a_valid_document_is_empty(seed):
    assert project_grammar().diagnose(seed) == []


def test_misplaced_element_says_what_was_expected(seed):
    def closer_first(root):
        div = root.find(f".//{T}div")
        div.insert(0, div.find(f"{T}closer"))

    ((rule, message),) = diagnose(seed, closer_first)
    assert rule == "element-not-allowed"
    assert message.startswith("<closer> is out of place in <div>: expected one of <gap>, <head>, <list>,")
    assert "the content of <div> is: (head | opener | milestone | gap)*" in message


def test_a_misplaced_element_is_reported_once_not_for_its_descendants(seed):
    def wrap(root):
        p = root.find(f".//{T}body//{T}p")
        p.append(etree.Element(f"{T}div", type="bogus"))  # a div (with a bad @type) inside a p

    assert [r for r, _ in diagnose(seed, wrap)] == ["element-not-allowed"]


def test_each_misplaced_child_is_reported(seed):
    def two(root):
        p = root.find(f".//{T}body//{T}p")
        p.append(etree.Element(f"{T}hi"))
        p.append(etree.Element(f"{T}item"))

    assert [r for r, _ in diagnose(seed, two)] == ["element-not-allowed", "element-not-allowed"]


def test_incomplete_content_names_the_missing_element(seed):
    def no_source(root):
        file_desc = root.find(f".//{T}fileDesc")
        file_desc.remove(file_desc.find(f"{T}sourceDesc"))

    ((rule, message),) = diagnose(seed, no_source)
    assert rule == "content-incomplete"
    assert "expected one of <notesStmt>, <sourceDesc> after its last child <publicationStmt>" in message


def test_attribute_values_are_judged_by_the_schema_datatypes():
    g = project_grammar()
    assert g.value_ok("data.date", "1952-02-29")  # a leap year
    assert not g.value_ok("data.date", "1953-02-29")
    assert g.value_ok("data.date", "1952-08-28T04:10:00")
    assert not g.value_ok("data.date", "28.08.1952")
    assert g.value_ok("values.div.type", " annex ")  # token values compare after whitespace collapsing
    assert not g.value_ok("data.pointer", "#a #b")
    assert g.value_ok("data.pointers", "#a #b")


def test_content_models_read_as_written():
    g = project_grammar()
    assert g.elements["teiHeader"].content == "fileDesc, encodingDesc?, profileDesc?, revisionDesc?"
    assert g.elements["birth"].content == "nothing (an empty element)"
    assert g.elements["p"].text and not g.elements["list"].text
    assert g.elements["note"].attributes["n"].rule == ""  # free text
