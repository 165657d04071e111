"""Schematron: the dispatched stylesheet (validate/dispatch.py) reports what lxml's own stylesheet reports.

* On every document we have (fixtures, cases, held-out cases, tei_all fixtures, CMIF files) and on
  documents mutated at random where the rules are most intricate (pointers and their lists, ids,
  duplicates, nesting, dates), the failed assertions of the dispatched stylesheet (id, location, message)
  are those of ``lxml.isoschematron`` compiling the same schema, in the same order.
* Small schemas aimed at each condition of the rewrite: positional predicates, overlapping rules of one
  pattern, absolute contexts, rules that read their position, attribute contexts. What the rewrite does not
  handle falls back to lxml's stylesheet, and still reports the same.
* The compiled rules read no files (XSLT access control).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from lxml import etree, isoschematron

from tei_cable.validate import validator
from tei_cable.validate.dispatch import Unsupported, prefilter, restructure
from tei_cable.validate.grammar import schema_path
from tei_cable.validate.schematron import SchematronValidator

SVRL = "http://purl.oclc.org/dsdl/svrl"
XSL = "{http://www.w3.org/1999/XSL/Transform}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
TEI = "http://www.tei-c.org/ns/1.0"
#: A parser that keeps duplicate ids (the rules must see them) and reads no DTD.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, collect_ids=False)
POINTERS = ("ref", "who", "resp", "ana", "source", "active", "passive", "target")


def failures(report: etree._XSLTResultTree | etree._ElementTree) -> list[tuple[str | None, str | None, str]]:
    return [(f.get("id"), f.get("location"), " ".join(f.itertext()).strip())
            for f in report.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report")]


def stock(schema: Path) -> isoschematron.Schematron:
    return isoschematron.Schematron(etree.parse(str(schema)), store_report=True)


def stock_failures(schematron: isoschematron.Schematron, tree: etree._ElementTree) -> list[tuple[str | None, ...]]:
    schematron.validate(tree)
    return failures(schematron.validation_report)


def mutate(tree: etree._ElementTree, rng: random.Random) -> etree._ElementTree:
    """A few random edits of the kind the rules check: pointers (lists, odd whitespace, dangling, to an
    ancestor), ids (duplicated, dropped, with spaces), inferred dates, date ranges, moved and emptied
    elements, foreign siblings with a TEI element's local name."""
    elements = list(tree.iter("*"))
    ids = [i for e in elements if (i := e.get(XML_ID))] or ["x"]
    for _ in range(rng.randint(1, 10)):
        el = rng.choice(elements)
        parent = el.getparent()
        edit = rng.randrange(11)
        if edit == 0:
            space = rng.choice([" ", "  ", "\t", "\n"])
            el.set(rng.choice(POINTERS), space.join(f"#{rng.choice(ids)}" for _ in range(rng.randint(1, 3))))
        elif edit == 1:
            el.set(rng.choice(POINTERS), rng.choice(["#nowhere", "x", "##x", "#", "", " #x "]))
        elif edit == 2:
            el.set(XML_ID, rng.choice(ids) + rng.choice(["", "", " y", "\ty"]))
        elif edit == 3:
            for name in (XML_ID, *POINTERS):
                el.attrib.pop(name, None)
        elif edit == 4 and el.tag in (f"{{{TEI}}}date", f"{{{TEI}}}time"):
            el.set(rng.choice(["evidence", "cert"]), "internal")
            el.set("ana", rng.choice(["#conjecture", "", "#a #b", f"#{rng.choice(ids)}"]))
        elif edit == 5:
            el.set(rng.choice(["from", "notBefore"]), rng.choice(["1953", "1953-06", "1950-02-14", "x"]))
            el.set(rng.choice(["to", "notAfter"]), rng.choice(["1952", "1953-06-30", "1950"]))
        elif edit == 6 and parent is not None:
            parent.remove(el)
            elements = list(tree.iter("*"))
        elif edit == 7 and parent is not None:
            target = rng.choice(elements)
            if target is not el and el not in target.iterancestors():
                target.append(el)
        elif edit == 8:
            el.text = rng.choice([None, " "])
            for child in list(el):
                el.remove(child)
        elif edit == 9:
            own = [i for a in el.iterancestors() if (i := a.get(XML_ID))] + [el.get(XML_ID) or "x"]
            el.set(rng.choice(POINTERS), f"#{rng.choice(own)}")
        elif edit == 10 and parent is not None:
            parent.insert(parent.index(el), etree.Element(f"{{urn:x-other}}{etree.QName(el).localname}"))
    return tree


def documents(patterns: list[str], mutants: int) -> Iterator[tuple[str, etree._ElementTree]]:
    paths = sorted(p for pattern in patterns for p in ROOT.glob(pattern))
    rng = random.Random(1952)  # the same mutants on every run
    for path in paths:
        try:
            tree = etree.parse(str(path), PARSER)
        except (etree.XMLSyntaxError, OSError):  # the hostile files that refuse to be read
            continue
        yield str(path.relative_to(ROOT)), tree
        for number in range(mutants if "expected" in path.name else 0):
            yield f"{path.relative_to(ROOT)} mutant {number}", mutate(etree.parse(str(path), PARSER), rng)


@pytest.mark.parametrize(("name", "patterns", "mutants"), [
    ("schematron", ["tests/invalid/*.xml", "tests/cases/*/expected.xml", "tests/heldout/*/expected.xml",
                    "tests/teiall/*/*.xml", "tests/hostile/*.xml"], 6),
    ("cmif", ["tests/invalid-cmif/*.xml", "tests/cases/*/expected.cmif.xml"], 0),
])
def test_dispatched_schematron_reports_what_lxml_stock_schematron_reports(name, patterns, mutants):
    """The rewrite of validate/dispatch.py changes how rules are reached; it must never change a finding."""
    ours = validator(name)
    assert ours.dispatch == "select"  # type: ignore[attr-defined]  # else this would compare lxml with itself
    reference = stock(schema_path(ours.schema_file))  # type: ignore[attr-defined]
    seen, found = 0, set()
    for label, tree in documents(patterns, mutants):
        expected = stock_failures(reference, tree)
        assert failures(ours.svrl(tree)) == expected, label  # type: ignore[attr-defined]
        seen += 1
        found |= {rule for rule, _, _ in expected}
    # The comparison saw many documents, and failures of most rules, not only valid documents.
    assert seen > 40 and len(found) >= 0.8 * len(ours.rules)  # type: ignore[attr-defined]


# --- small schemas aimed at the rewrite's conditions --------------------------------------------------------

DOCUMENT = f"""<TEI xmlns="{TEI}" xmlns:o="urn:x-other"><text><body>
  <div n="1"><p n="a">one</p><p>two</p><o:p/><p n="c">three</p></div>
  <div n="2"><p>four</p><p n="e"><p n="f">nested</p></p></div>
</body></text></TEI>"""


def compile_schema(tmp_path: Path, patterns: str) -> SchematronValidator:
    schema = tmp_path / "rules.sch"
    schema.write_text(f'''<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <sch:ns prefix="tei" uri="{TEI}"/>{patterns}</sch:schema>''')

    class Rules(SchematronValidator):
        schema_file = str(schema)  # an absolute path: schema_path keeps it

    return Rules()


RULE_IDS = itertools.count()


def fires(context: str, test: str = "false()", message: str = "<sch:value-of select='@n'/>") -> str:
    """A rule that fails (by default) on every node of ``context``, with a message naming the node."""
    return (f'<sch:rule context="{context}"><sch:assert id="r{next(RULE_IDS)}" test="{test}">{message} '
            f'at <sch:name/></sch:assert></sch:rule>')


@pytest.mark.parametrize(("patterns", "dispatch"), [
    # Positional predicates: //tei:p[1] is not /descendant::tei:p[1] (the first p of each parent, not of all).
    (f'<sch:pattern>{fires("tei:p[1]")}</sch:pattern><sch:pattern>{fires("tei:div/tei:p[last()]")}</sch:pattern>'
     f'<sch:pattern>{fires("tei:body//tei:p[2][@n]")}</sch:pattern>', "select"),
    # Overlapping rules of one pattern: a node goes to the first rule only; the others see the rest.
    (f'<sch:pattern>{fires("tei:p[@n]")}{fires("tei:p")}'
     f'{fires("*")}</sch:pattern>', "select"),
    # Absolute contexts, the root node, nested matches, a foreign element with a TEI local name.
    (f'<sch:pattern>{fires("/")}</sch:pattern><sch:pattern>{fires("/*")}</sch:pattern>'
     f'<sch:pattern>{fires("tei:p//tei:p | tei:div[@n = 2]//*")}</sch:pattern>', "select"),
    # Elements by their attributes (selected as the parents of the attributes), and by local name
    # (a key of all elements: the foreign o:p shares the local name of tei:p).
    (f'<sch:pattern>{fires("*[@n or @xml:id]")}</sch:pattern><sch:pattern>{fires("tei:body/tei:div[@n or @m]")}'
     f'</sch:pattern><sch:pattern>{fires("tei:p | tei:div/tei:p")}</sch:pattern>', "select"),
    # Lets, written into the prefilter or not (read twice, read in a predicate), and a report.
    ('<sch:pattern><sch:rule context="tei:p"><sch:let name="a" value="string-length(.)"/>'
     '<sch:let name="b" value="$a + 1"/><sch:assert id="once" test="$b &lt; 5">long</sch:assert>'
     '<sch:assert id="twice" test="$a &lt; 4 and $a &gt; 0">mid</sch:assert>'
     '<sch:report id="inside" test="../tei:p[string-length(.) = $a][@n]">same length</sch:report>'
     '</sch:rule></sch:pattern>', "select"),
    # What the rewrite refuses: rules that read their position, attribute contexts, key() patterns.
    (f'<sch:pattern>{fires("tei:p", test="position() &gt; 1")}</sch:pattern>', "walk"),
    (f'<sch:pattern>{fires("tei:p/@n")}</sch:pattern>', "walk"),
    ('<xsl:key xmlns:xsl="http://www.w3.org/1999/XSL/Transform" name="k" match="tei:p" use="@n"/>'
     f'<sch:pattern>{fires("key(&apos;k&apos;, &apos;c&apos;)")}</sch:pattern>', "walk"),
])
def test_small_schemas_report_what_stock_reports(tmp_path, patterns, dispatch):
    rules = compile_schema(tmp_path, patterns)
    tree = etree.ElementTree(etree.fromstring(DOCUMENT))
    expected = stock_failures(stock(Path(rules.schema_file)), tree)
    assert expected  # the rules fire, so there is something to compare
    assert rules.dispatch == dispatch
    assert failures(rules.svrl(tree)) == expected


def test_the_prefilter_writes_variables_in_only_where_that_keeps_their_meaning(tmp_path):
    rules = compile_schema(tmp_path, '<sch:pattern><sch:rule context="tei:p"><sch:let name="a" value="@n"/>'
                                     '<sch:assert id="x" test="$a">x</sch:assert></sch:rule></sch:pattern>'
                                     '<sch:pattern><sch:rule context="tei:p"><sch:let name="a" value="@n"/>'
                                     '<sch:assert id="y" test="$a = $a">y</sch:assert></sch:rule></sch:pattern>'
                                     '<sch:pattern><sch:rule context="tei:p"><sch:let name="a" value="@n"/>'
                                     '<sch:assert id="z" test="*[@n = $a]">z</sch:assert></sch:rule></sch:pattern>')
    compiled = isoschematron.Schematron(etree.parse(rules.schema_file), store_xslt=True,
                                        compile_params={"generate-fired-rule": "false()"})
    templates = [t for t in restructure(compiled.validator_xslt).getroot().iter(f"{XSL}template") if t.get("name")]
    assert [prefilter(t) for t in templates] == ["not((@n))", None, None]


def test_a_stylesheet_the_skeleton_did_not_write_is_refused():
    stylesheet = etree.ElementTree(etree.XML(f'<xsl:stylesheet xmlns:xsl="{XSL[1:-1]}" version="1.0">'
                                             '<xsl:template match="*"/></xsl:stylesheet>'))
    with pytest.raises(Unsupported):
        restructure(stylesheet)


# --- access control ---------------------------------------------------------------------------------------


def test_schematron_transform_reads_no_files(tmp_path):
    """The compiled rules run with XSLT access control: a document() call in a rule could not read a file."""
    secret = tmp_path / "secret.xml"
    secret.write_text("<secret>leaked</secret>")
    rules = compile_schema(tmp_path, f'''<sch:pattern><sch:rule context="/*"><sch:assert id="leak" test="false()">
      <sch:value-of select="document('{secret.as_uri()}')"/></sch:assert></sch:rule></sch:pattern>''')
    assert rules.dispatch == "select"  # the rewritten stylesheet is the one that runs under access control
    with pytest.raises(etree.XSLTApplyError):
        list(rules.iter_issues(etree.ElementTree(etree.fromstring("<doc/>"))))
