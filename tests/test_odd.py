"""The ODD (``schema/tei_cable.odd``) says what the RELAX NG and the Schematron say, and is valid TEI.

The RELAX NG is the source of truth; the ODD describes it in TEI's terms. These tests parse both and
compare what the ODD states exactly:

* the element set: the union of the ``moduleRef/@include`` lists is the set of elements the RNG defines;
* every closed value list: for each element and attribute whose RNG value is a fixed list, an
  ``attDef`` with a ``valList type="closed"`` of the same values (``usage="req"`` where the RNG requires
  the attribute, and the RNG's rule id in its description);
* the Schematron: the ODD's constraintSpecs hold the patterns of ``tei_cable.sch`` unchanged (so the
  same rule ids), and its keys.

A failure prints what differs on each side. The ODD is also valid against ``tei_all`` (jing).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from tei_cable.validate.grammar import schema_path

RNG = "{http://relaxng.org/ns/structure/1.0}"
TC_RULE = "{urn:x-tei-cable:schema}rule"
TEI = "{http://www.tei-c.org/ns/1.0}"
SCH = "{http://purl.oclc.org/dsdl/schematron}"
XSL = "{http://www.w3.org/1999/XSL/Transform}"
#: The TEI P5 modules an ODD may refer to with moduleRef/@key (TEI P5 4.9.0).
TEI_MODULES = {"tei", "core", "header", "textstructure", "gaiji", "verse", "drama", "spoken", "cmc", "dictionaries",
               "msdescription", "transcr", "textcrit", "namesdates", "figures", "corpus", "linking", "analysis",
               "iso-fs", "nets", "certainty", "tagdocs"}

#: (element, attribute) -> (required, values in order, rule id)
ValueLists = dict[tuple[str, str], tuple[bool, tuple[str, ...], str]]


def parse(name: str) -> etree._Element:
    return etree.parse(str(schema_path(name)), etree.XMLParser(remove_comments=False)).getroot()


def diff(what: str, rng: set[object] | dict[object, object], odd: set[object] | dict[object, object]) -> str:
    """A message listing what only one side has (and, for dicts, what both have but differently)."""
    lines = [f"{what}: the ODD is out of step with the RELAX NG/Schematron"]
    lines += [f"  only in the RNG/Schematron: {k!r}" + (f" = {rng[k]!r}" if isinstance(rng, dict) else "")
              for k in sorted(set(rng) - set(odd), key=repr)]
    lines += [f"  only in the ODD:            {k!r}" + (f" = {odd[k]!r}" if isinstance(odd, dict) else "")
              for k in sorted(set(odd) - set(rng), key=repr)]
    if isinstance(rng, dict) and isinstance(odd, dict):
        lines += [f"  differs for {k!r}:\n    RNG: {rng[k]!r}\n    ODD: {odd[k]!r}"
                  for k in sorted(set(rng) & set(odd), key=repr) if rng[k] != odd[k]]
    return "\n".join(lines)


# --- what the RELAX NG says -----------------------------------------------------------------------------


class Rng:
    """The RNG's element names and closed value lists, read from the grammar itself."""

    def __init__(self) -> None:
        self.root = parse("tei_cable.rng")
        self.defines = {d.get("name"): d for d in self.root.iter(f"{RNG}define")}

    def elements(self) -> set[str]:
        return {el.get("name", "") for el in self.root.iter(f"{RNG}element")}

    def closed_values(self, node: etree._Element) -> tuple[tuple[str, ...], str] | None:
        """The values of a pattern made only of ``value``s (through refs and choices), with the rule id of
        the define that holds them; None for anything else (datatypes, lists, text)."""
        tag = etree.QName(node).localname
        if tag == "value":
            return (node.text or "",), ""
        if tag == "ref":
            found = self.closed_values(self.defines[node.get("name")])
            if found is None:
                return None
            rule = self.defines[node.get("name")].get(TC_RULE) or found[1]
            return found[0], rule
        if tag in ("define", "choice", "attribute"):
            values: list[str] = []
            rule = ""
            for child in self._patterns(node):
                found = self.closed_values(child)
                if found is None:
                    return None
                values += found[0]
                rule = rule or found[1]
            return (tuple(values), rule) if values else None
        return None

    def attributes(self, node: etree._Element, required: bool = True) -> Iterator[tuple[str, bool, etree._Element]]:
        """The attributes of an element pattern (through refs, not into child elements), and whether each
        is required (not under optional, zeroOrMore or choice)."""
        for child in self._patterns(node):
            tag = etree.QName(child).localname
            if tag == "element":
                continue
            if tag == "attribute":
                yield child.get("name", ""), required, child
            elif tag == "ref":
                yield from self.attributes(self.defines[child.get("name")], required)
            else:
                yield from self.attributes(child, required and tag not in ("optional", "zeroOrMore", "choice"))

    def value_lists(self) -> ValueLists:
        out: ValueLists = {}
        for el in self.root.iter(f"{RNG}element"):
            for name, required, attribute in self.attributes(el):
                found = self.closed_values(attribute)
                if found is not None:
                    out[(el.get("name", ""), name)] = (required, found[0], found[1])
        return out

    @staticmethod
    def _patterns(node: etree._Element) -> list[etree._Element]:
        return [c for c in node if isinstance(c.tag, str) and c.tag.startswith(RNG)]


# --- what the ODD says ----------------------------------------------------------------------------------


class Odd:
    def __init__(self) -> None:
        self.root = parse("tei_cable.odd")
        (self.spec,) = self.root.iter(f"{TEI}schemaSpec")

    def module_refs(self) -> dict[str, list[str]]:
        return {ref.get("key", ""): ref.get("include", "").split() for ref in self.spec.iter(f"{TEI}moduleRef")}

    def value_lists(self) -> ValueLists:
        out: ValueLists = {}
        for spec in self.spec.iter(f"{TEI}elementSpec"):
            for att in spec.iter(f"{TEI}attDef"):
                val_list = att.find(f"{TEI}valList")
                if val_list is None or val_list.get("type") != "closed":
                    continue
                rule = att.findtext(f"{TEI}desc/{TEI}ident[@type='rule']") or ""
                values = tuple(item.get("ident", "") for item in val_list.iter(f"{TEI}valItem"))
                out[(spec.get("ident", ""), att.get("ident", ""))] = (att.get("usage") == "req", values, rule)
        return out

    def constraints(self) -> dict[str, etree._Element]:
        return {c.get("ident", ""): c.find(f"{TEI}constraint") for c in self.spec.iter(f"{TEI}constraintSpec")}


def shape(node: etree._Element) -> tuple[object, ...]:
    """A node's markup with insignificant whitespace (indentation) normalised: the ODD indents the copied
    Schematron more deeply than tei_cable.sch, which changes whitespace only."""
    def norm(text: str | None) -> str:
        return " ".join((text or "").split())
    tag = "#comment" if isinstance(node, etree._Comment) else node.tag
    attributes = () if isinstance(node, etree._Comment) else tuple(sorted(node.attrib.items()))
    return (tag, attributes, norm(node.text), tuple((shape(c), norm(c.tail)) for c in node))


def schematron_ids(node: etree._Element) -> set[str]:
    return {a.get("id", "") for a in node.iter(f"{SCH}assert", f"{SCH}report")}


@pytest.fixture(scope="module")
def rng() -> Rng:
    return Rng()


@pytest.fixture(scope="module")
def odd() -> Odd:
    return Odd()


# --- the element set --------------------------------------------------------------------------------------


def test_the_odd_includes_exactly_the_rng_elements(rng: Rng, odd: Odd) -> None:
    refs = odd.module_refs()
    included = [name for names in refs.values() for name in names]
    assert len(included) == len(set(included)), "an element included by two moduleRefs"
    assert set(included) == rng.elements(), diff("elements", rng.elements(), set(included))


def test_module_refs_name_tei_modules(odd: Odd) -> None:
    refs = odd.module_refs()
    assert set(refs) <= TEI_MODULES, f"unknown modules: {set(refs) - TEI_MODULES}"
    assert refs.get("tei") == [], "the tei module (classes and datatypes) is needed, whole"
    assert all(names for key, names in refs.items() if key != "tei"), "a moduleRef without include takes all of it"


def test_included_elements_are_tei_elements(odd: Odd, tei_all: Path) -> None:
    grammar = etree.parse(str(tei_all)).getroot()
    tei_elements = {el.get("name") for el in grammar.iter(f"{RNG}element") if el.get("name")}
    included = {name for names in odd.module_refs().values() for name in names}
    assert included <= tei_elements, f"not TEI P5 elements: {sorted(included - tei_elements)}"


# --- the closed value lists -------------------------------------------------------------------------------


def test_every_closed_value_list_is_in_the_odd(rng: Rng, odd: Odd) -> None:
    expected, stated = rng.value_lists(), odd.value_lists()
    assert len(expected) >= 30
    assert stated == expected, diff("closed value lists (required, values, rule id)", expected, stated)


def test_every_spec_explains_itself(odd: Odd) -> None:
    for spec in odd.spec.iter(f"{TEI}elementSpec"):
        assert spec.get("mode") == "change", spec.get("ident")
        assert "".join(spec.find(f"{TEI}remarks").itertext()).strip(), f"{spec.get('ident')}: no remarks"
        for att in spec.iter(f"{TEI}attDef"):
            assert att.get("mode") == "change" and att.findtext(f"{TEI}desc"), (spec.get("ident"), att.get("ident"))
        for item in spec.iter(f"{TEI}valItem"):
            assert "".join(item.find(f"{TEI}desc").itertext()).strip(), (spec.get("ident"), item.get("ident"))


# --- the Schematron ---------------------------------------------------------------------------------------


def test_the_odd_has_the_schematron_rule_ids(odd: Odd) -> None:
    sch = parse("tei_cable.sch")
    stated = set().union(*(schematron_ids(c) for c in odd.constraints().values()))
    assert stated == schematron_ids(sch), diff("Schematron rule ids", schematron_ids(sch), stated)


def test_each_pattern_is_copied_unchanged(odd: Odd) -> None:
    sch = parse("tei_cable.sch")
    patterns = {p.get("id", ""): shape(p) for p in sch.iter(f"{SCH}pattern")}
    copies = {ident: shape(c.find(f"{SCH}pattern")) for ident, c in odd.constraints().items()
              if c.find(f"{SCH}pattern") is not None}
    assert set(copies) == set(patterns), diff("Schematron patterns (constraintSpec/@ident)", set(patterns), set(copies))
    changed = sorted(ident for ident in patterns if copies[ident] != patterns[ident])
    assert not changed, (f"these patterns differ from schema/tei_cable.sch: {changed}; copy each pattern of "
                         "tei_cable.sch unchanged into <constraintSpec ident=\"ID\"><constraint> in the ODD")
    for ident, constraint in odd.constraints().items():
        spec = constraint.getparent()
        assert spec.get("scheme") == "schematron" and spec.findtext(f"{TEI}desc"), ident


def test_the_keys_and_namespace_are_declared(odd: Odd) -> None:
    sch = parse("tei_cable.sch")
    declared = [shape(el) for el in sch if el.tag in (f"{SCH}ns", f"{XSL}key")]
    stated = [shape(el) for c in odd.constraints().values() for el in c if el.tag in (f"{SCH}ns", f"{XSL}key")]
    assert stated == declared


# --- the ODD is TEI ---------------------------------------------------------------------------------------


def test_the_odd_is_valid_against_tei_all(jing: str, tei_all: Path) -> None:
    result = subprocess.run([jing, str(tei_all), str(schema_path("tei_cable.odd"))],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
