"""The project schema: RELAX NG (source), generated XSD, Schematron; fixtures, agreement, TEI conformance.

* The committed XSD is exactly what the generator writes from the RELAX NG.
* Every rule (grammar constraint or Schematron assertion) has a minimal failing document in
  ``tests/invalid/<rule>.xml`` that triggers that rule and nothing else, on every engine.
* RELAX NG (libxml2), XSD (libxml2) and XSD (xmlschema) give the same verdict and the same rule ids
  on every document we have: the fixtures, the converted cases, the tei_all fixtures.
* Every converted case and the seed are valid against all three and against tei_all; the seed
  carries exactly one warning (the misdated agreement of 1950).
* The grammar is a subset of TEI P5: random documents generated from it are valid against tei_all.
"""

from __future__ import annotations

import itertools
import random
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, all_inputs
from lxml import etree

from tei_cable.convert import convert_file
from tei_cable.errors import SchemaError
from tei_cable.tei import TEI_NS, XML_NS, serialize
from tei_cable.validate import validate, validator
from tei_cable.validate.grammar import FALLBACK_RULE, Grammar, Node, project_grammar, schema_path
from tei_cable.validate.rng2xsd import generate

INVALID = ROOT / "tests" / "invalid"
SCHEMA_ENGINES = ("relaxng", "xsd", "xmlschema")
#: A parser like tei.safe_parser but without libxml2's own xml:id bookkeeping, which would refuse a
#: duplicate id at parse time; the validators are what must report it (the id-unique rule).
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, collect_ids=False)


def load(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), PARSER)


def fixtures() -> list[Path]:
    return sorted(INVALID.glob("*.xml"))


def schematron_rules() -> dict[str, str]:
    return validator("schematron").rules  # type: ignore[attr-defined]


def grammar_rules() -> set[str]:
    return set(project_grammar().rules)


@pytest.fixture(scope="module")
def converted() -> dict[str, etree._ElementTree]:
    """The seed and every case, converted now and read back from their serialisation (real line numbers)."""
    out = {}
    for path in all_inputs():
        name = path.parent.name if path.name == "input.txt" else "seed"
        out[name] = etree.ElementTree(etree.fromstring(serialize(convert_file(path).tree), PARSER))
    return out


# --- the generated XSD -------------------------------------------------------------------------------


def test_committed_xsd_is_what_the_generator_writes():
    for name, data in generate().items():
        committed = schema_path(name).read_bytes()
        assert committed == data, f"schema/{name} is stale: run `python -m tei_cable.validate.rng2xsd`"


def test_xsd_compiles_with_both_engines():
    import xmlschema

    etree.XMLSchema(etree.parse(str(schema_path("tei_cable.xsd"))))
    xmlschema.XMLSchema10(str(schema_path("tei_cable.xsd")))


@pytest.mark.parametrize("construct", [
    '<interleave><ref name="p"/><ref name="p"/></interleave>',
    '<element><anyName/><empty/></element>',
    '<externalRef href="other.rng"/>',
])
def test_grammar_refuses_what_the_generator_cannot_translate(construct):
    rng = (f'<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="{TEI_NS}" '
           'datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">'
           '<start><ref name="TEI"/></start>'
           f'<define name="TEI"><element name="TEI">{construct}</element></define>'
           '<define name="p"><element name="p"><text/></element></define></grammar>')
    with pytest.raises(SchemaError):
        Grammar(rng.encode())


# --- one minimal failing document per rule ----------------------------------------------------------


def test_every_rule_has_a_fixture_and_every_fixture_a_rule():
    rules = grammar_rules() | set(schematron_rules())
    names = {p.stem for p in fixtures()}
    assert rules - names == set(), "rules without a minimal failing document in tests/invalid/"
    assert names - rules == set(), "fixtures in tests/invalid/ that name no rule"
    assert FALLBACK_RULE not in rules
    assert not grammar_rules() & set(schematron_rules()), "a rule id used by both the grammar and Schematron"


def test_every_schematron_rule_has_an_id_severity_and_message():
    sch = etree.parse(str(schema_path("tei_cable.sch")))
    asserts = sch.findall(".//{http://purl.oclc.org/dsdl/schematron}assert")
    assert asserts
    for a in asserts:
        assert a.get("id") and a.get("role") in ("error", "warning"), etree.tostring(a)[:80]
        assert len("".join(a.itertext()).split()) >= 8, f"{a.get('id')}: say what is wrong and what is allowed"


def test_every_grammar_value_rule_says_what_is_allowed():
    g = project_grammar()
    for define in g.defines.values():
        if define.rule:
            assert define.doc, f"define {define.name} (rule {define.rule}) has no a:documentation"


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda p: p.stem)
def test_fixture_triggers_exactly_its_rule(fixture):
    rule = fixture.stem
    tree = load(fixture)
    found = {name: {i.rule for i in validate(tree, name)} for name in (*SCHEMA_ENGINES, "schematron")}
    if rule in grammar_rules():
        # The grammar's constraint: every schema engine reports it, alone; Schematron has nothing to add.
        assert found == {**{name: {rule} for name in SCHEMA_ENGINES}, "schematron": set()}
    else:
        assert found == {**{name: set() for name in SCHEMA_ENGINES}, "schematron": {rule}}
        issues = list(validate(tree, "schematron"))
        assert {i.severity for i in issues} == {schematron_rules()[rule]}


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda p: p.stem)
def test_fixture_issues_point_at_a_line_and_a_node(fixture):
    tree = load(fixture)
    for issue in validate(tree, "project"):
        assert issue.line, issue
        nodes = tree.xpath(issue.xpath, namespaces={"tei": TEI_NS})
        assert nodes, f"{issue.xpath} finds nothing"
        node = nodes[0]
        element = node if isinstance(node, etree._Element) else node.getparent()
        assert element.sourceline == issue.line


def test_seed_fixture_messages_say_what_is_allowed():
    issues = {i.rule: i.message for i in validate(load(INVALID / "div-type.xml"), "relaxng")}
    assert issues == {"div-type": '@type="chapter" on <div> is not valid: one of: document, annex, enclosure'}
    (misplaced,) = validate(load(INVALID / "element-not-allowed.xml"), "xsd")
    assert "<hi> is not an element of tei-cable's TEI; <p> may contain one of <date>," in misplaced.message


# --- the engines agree -------------------------------------------------------------------------------


def agreement_documents() -> list[Path]:
    return [*fixtures(), *sorted((ROOT / "tests" / "cases").glob("*/expected.xml")),
            *sorted((ROOT / "tests" / "teiall").glob("*/*.xml"))]


@pytest.mark.parametrize("path", agreement_documents(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_relaxng_and_both_xsd_engines_agree(path):
    tree = load(path)
    verdicts = {name: sorted({(i.rule, i.line) for i in validate(tree, name)}) for name in SCHEMA_ENGINES}
    assert verdicts["relaxng"] == verdicts["xsd"] == verdicts["xmlschema"]
    assert all(rule != FALLBACK_RULE for rule, _ in verdicts["relaxng"])


# --- converted documents ----------------------------------------------------------------------------


def test_converted_documents_are_valid_against_the_project_schema(converted):
    assert len(converted) == len(all_inputs()) >= 16  # the seed and every case
    for name, tree in converted.items():
        for engine in (*SCHEMA_ENGINES, "schematron"):
            report = validate(tree, engine)
            assert report.ok(), f"{name} / {engine}: {[(i.rule, i.line, i.message) for i in report.errors]}"


def test_the_seed_has_exactly_the_treaty_date_warning(converted):
    tree = converted["seed"]
    issues = list(validate(tree, "project"))
    assert [(i.rule, i.severity, i.validator) for i in issues] == [("treaty-date", "warning", "schematron")]
    (date,) = tree.xpath("//tei:rs[@type='treaty']/tei:date[@when='1952-02-14']", namespaces={"tei": TEI_NS})
    assert issues[0].line == date.sourceline
    assert "1950-02-14" in issues[0].message and "February 14, 1952" in issues[0].message


def test_converted_documents_are_valid_against_tei_all(converted, tei_all):
    for name, tree in converted.items():
        report = validate(tree, "tei-all", tei_all=tei_all)
        assert report.ok(), f"{name}: {[(i.rule, i.line, i.message) for i in report.errors]}"
        assert any("4.9.0" in note for note in report.notes), report.notes


# --- the grammar is a subset of TEI P5 ---------------------------------------------------------------

#: Sample values for each value define that is not a closed list (closed lists use all their values).
SAMPLES: dict[str, list[str]] = {
    "data.pointer": ["#doc"],
    "data.pointers": ["#doc", "#doc #doc"],
    "data.date": ["1952", "1952-08", "1952-08-28", "1952-08-28T04:10:00"],
    "data.time": ["04:10:00", "23:45:00Z"],
    "data.language": ["en", "zh", "ru-Latn"],
    "data.languages": ["zh", "zh ru"],
    "data.country": ["CN", "SU"],
    "data.version": ["0.1.0", "4"],
    "data.name": ["tei-cable"],
    "data.word": ["91", "[...]"],
    "data.words": ["italic", "[...] x"],
}
MAX_DEPTH = 9


class RandomDocuments:
    """Documents generated from the grammar: random where the grammar lets them vary, cycling through
    every value of every closed list, shallow once deep enough (the cheapest branch of each choice)."""

    def __init__(self, grammar: Grammar, seed: int) -> None:
        self.g = grammar
        self.random = random.Random(seed)
        self.ids = itertools.count(1)
        self.values: dict[str, itertools.cycle[str]] = {}
        for name, define in grammar.defines.items():
            if define.rule and name != "data.id":
                self.values[name] = itertools.cycle(grammar.closed_values(name) or SAMPLES[name])
        self.cost = self._costs()

    def _costs(self) -> dict[str, float]:
        """Fewest elements an instance of each element needs (least fixpoint)."""
        cost = dict.fromkeys(self.g.element_defines, float("inf"))
        changed = True
        while changed:
            changed = False
            for name in cost:
                c = 1 + self._node_cost(self.g.element(name).children, cost)
                if c < cost[name]:
                    cost[name], changed = c, True
        return cost

    def _node_cost(self, nodes: tuple[Node, ...], cost: dict[str, float]) -> float:
        total = 0.0
        for n in nodes:
            if n.kind == "ref":
                total += cost[n.name] if n.name in cost else self._node_cost(self.g.defines[n.name].body, cost)
            elif n.kind == "choice":
                total += min(self._node_cost((c,), cost) for c in n.children)
            elif n.kind in ("group", "oneOrMore", "mixed"):
                total += self._node_cost(n.children, cost)
        return total

    def document(self) -> etree._Element:
        root = self.element(self.g.root_element, 0)
        root.set(f"{{{XML_NS}}}id", "doc")
        return root

    def element(self, name: str, depth: int) -> etree._Element:
        el = etree.Element(f"{{{TEI_NS}}}{name}")
        self.fill(el, self.g.element(name).children, depth)
        if self.g.elements[name].text:
            el.text = self.random.choice(["", "Text ", "Zhou "])
            for child in el:
                child.tail = self.random.choice(["", " and ", ", then "])
        return el

    def fill(self, el: etree._Element, nodes: tuple[Node, ...], depth: int) -> None:
        for node in nodes:
            self.pattern(el, node, depth)

    def pattern(self, el: etree._Element, node: Node, depth: int) -> None:
        kind, deep = node.kind, depth >= MAX_DEPTH
        if kind == "attribute":
            value_define = node.children[0].name if node.children else ""
            value = f"id{next(self.ids)}" if value_define == "data.id" else \
                next(self.values[value_define]) if value_define else "free text"
            name = f"{{{XML_NS}}}{node.name[4:]}" if node.name.startswith("xml:") else node.name
            el.set(name, value)
        elif kind == "ref" and self.g.is_element_define(node.name):
            el.append(self.element(node.name, depth + 1))
        elif kind == "ref":
            self.fill(el, self.g.defines[node.name].body, depth)
        elif kind in ("group", "mixed"):
            self.fill(el, node.children, depth)
        elif kind == "choice":
            options = list(node.children)
            pick = min(options, key=lambda c: self._node_cost((c,), self.cost)) if deep else \
                self.random.choice(options)
            self.pattern(el, pick, depth)
        elif kind == "optional":
            if not deep and self.random.random() < 0.75:  # mostly present: every attribute gets its turn
                self.fill(el, node.children, depth)
        elif kind in ("zeroOrMore", "oneOrMore"):
            low = 1 if kind == "oneOrMore" else 0
            for _ in range(low if deep else self.random.randint(low, 2)):
                self.fill(el, node.children, depth)


def test_random_documents_of_the_grammar_are_valid_tei(tmp_path, jing, tei_all):
    g = project_grammar()
    docs = [RandomDocuments(g, seed).document() for seed in range(40)]
    seen_elements = {etree.QName(e).localname for d in docs for e in d.iter()}
    seen_attributes = {(etree.QName(e).localname, a) for d in docs for e in d.iter() for a in e.attrib}
    assert seen_elements == set(g.elements), "the generator missed elements: raise the number of documents"
    wanted_attributes = {(e, a if not a.startswith("xml:") else f"{{{XML_NS}}}{a[4:]}")
                         for e, info in g.elements.items() for a in info.attributes}
    assert wanted_attributes <= seen_attributes
    paths = []
    for n, doc in enumerate(docs):
        tree = etree.ElementTree(doc)
        assert validate(tree, "relaxng").ok(), [i.message for i in validate(tree, "relaxng")]
        assert validate(tree, "xsd").ok()
        paths.append(tmp_path / f"random-{n}.xml")
        paths[-1].write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    result = subprocess.run([jing, str(tei_all), *map(str, paths)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[:3000]
