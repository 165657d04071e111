"""What TEI Publisher reads from a document, checked on every fixture.

TEI Publisher (eXist-db) indexes ``/TEI/text`` and fills its index fields and facets from the header with
fixed paths (``modules/index.xql``, ``idx:get-metadata``): the title from ``titleStmt/title[@type='main']``
(its browse list links the *first* ``titleStmt/title``), authors from ``correspDesc/correspAction/persName``,
the date from the first ``correspAction/date/@when`` (else the citation's ``bibl/date/@when``), the language
facet from the first ``langUsage/language/@ident``. The ``<?teipublisher odd="..."?>`` processing instruction,
read with the pattern ``([^\\s]+)\\s*=\\s*"(.*?)"`` from the document node, chooses the ODD. A document that
validates can still show an empty title, an unknown date or a wrong language there.

Each rule has an id; ``teipublisher_problems`` returns ``"rule-id: message"`` lines, and each rule has a
minimal document below that breaks exactly that rule.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED, all_inputs
from lxml import etree

from tei_cable.cli import main
from tei_cable.convert import convert_file
from tei_cable.tei import TEI_NS, XML_ID, XML_LANG, local, parse_xml, serialize

T = f"{{{TEI_NS}}}"
#: TEI Publisher's own reading of its processing instruction (tei-publisher-app, ``tpu:parse-pi``).
PI_PAIR = re.compile(r'([^\s]+)\s*=\s*"(.*?)"')
#: xs:date-like values that sort as dates in TEI Publisher's index ("1952", "1952-08", "1952-08-28").
ISO_DATE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?$")
BCP47 = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
ODD = "teipublisher.odd"


def case_id(path: Path) -> str:
    return "seed" if path.parent.name == "data" else path.parent.name


INPUTS = {case_id(path): path for path in all_inputs()}


@functools.cache
def converted(name: str, odd: str | None = None) -> etree._ElementTree:
    return convert_file(INPUTS[name], teipublisher_odd=odd).tree


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _first(root: etree._Element, path: str) -> etree._Element | None:
    found = root.xpath(path, namespaces={"t": TEI_NS})
    return found[0] if found else None


def publisher_date(root: etree._Element) -> str | None:
    """The date TEI Publisher's index takes: the first of these that exists (``idx:get-metadata`` 'date')."""
    for path in ("t:teiHeader//t:correspDesc/t:correspAction/t:date/@when",
                 "t:teiHeader//t:sourceDesc/t:bibl/t:publicationStmt/t:date",
                 "t:teiHeader//t:sourceDesc/t:bibl/t:date/@when"):
        found = root.xpath(path, namespaces={"t": TEI_NS})
        if found:
            value = found[0]
            return str(value) if isinstance(value, str) else _text(value)
    return None


def teipublisher_pis(tree: etree._ElementTree) -> list[etree._Element]:
    root = tree.getroot()
    around = [*root.itersiblings(preceding=True), *root.itersiblings()]
    return [node for node in around if isinstance(node, etree._ProcessingInstruction) and node.target == "teipublisher"]


def teipublisher_problems(tree: etree._ElementTree, *, odd: str | None = None) -> list[str]:
    """Every way in which ``tree`` breaks a rule TEI Publisher's browse list, facets or views depend on."""
    problems: list[str] = []
    root = tree.getroot()
    if root.tag != f"{T}TEI" or root.find(f"{T}text") is None:
        problems.append("tp-root: the root must be <TEI> with a <text> child: TEI Publisher indexes /TEI/text, and a "
                        "document without it is missing from browse and search")

    titles = root.findall(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title")
    main = [t for t in titles if t.get("type") == "main"]
    if not main or not _text(main[0]):
        problems.append("tp-title: fileDesc/titleStmt has no non-empty title[@type='main']; TEI Publisher shows an "
                        "empty title (and cannot open a document without one)")
    elif titles[0] is not main[0]:
        problems.append("tp-title: the main title must be the first title of titleStmt: the browse list links "
                        "title[1]")

    languages = root.findall(f"{T}teiHeader/{T}profileDesc/{T}langUsage/{T}language")
    idents = [lang.get("ident") for lang in languages if lang.get("ident")]
    text = root.find(f"{T}text")
    text_lang = text.get(XML_LANG) if text is not None else None
    if not idents:
        problems.append("tp-lang: profileDesc/langUsage/language[@ident] is missing; TEI Publisher's language facet "
                        "reads the first @ident")
    elif not BCP47.match(idents[0]) or (text_lang and idents[0] != text_lang):
        problems.append(f"tp-lang: the first langUsage/language/@ident is {idents[0]!r}; the language facet reads it, "
                        f"so it must be the language of the text ({text_lang!r}) as a BCP 47 code")

    register = {el.get(XML_ID) for el in root.iter(f"{T}person", f"{T}personGrp", f"{T}place", f"{T}org")
                if el.get(XML_ID) and any(local(a) == "standOff" for a in el.iterancestors())}
    actions = root.findall(f"{T}teiHeader/{T}profileDesc/{T}correspDesc/{T}correspAction")
    if actions:
        if actions[0].get("type") != "sent":
            problems.append("tp-corresp-order: the first correspAction must be type='sent': TEI Publisher takes the "
                            "document date from the first correspAction/date/@when")
        sent = [a for a in actions if a.get("type") == "sent"]
        if not sent or sent[0].find(f"{T}date") is None:
            problems.append("tp-corresp-date: correspAction[@type='sent'] has no date; the browse list cannot sort "
                            "the document by date")
    for action in actions:
        for party in action:
            if not isinstance(party.tag, str) or local(party) not in ("persName", "orgName", "placeName"):
                continue
            where = f"correspAction[@type={action.get('type')!r}]/{local(party)} {_text(party)!r}"
            ref = (party.get("ref") or "").split()
            if not _text(party):
                problems.append(f"tp-corresp-refs: {where} is empty; the author facet would show a blank")
            if len(ref) != 1 or not ref[0].startswith("#") or ref[0][1:] not in register:
                problems.append(f"tp-corresp-refs: {where} must point with @ref to its standOff entry (TEI Publisher's "
                                "author facet and the register views join on it)")
        for date in action.findall(f"{T}date"):
            values = [date.get(a) for a in ("when", "notBefore", "notAfter", "from", "to") if date.get(a)]
            if not values or not all(ISO_DATE.match(v) for v in values) or _text(date):
                problems.append(f"tp-corresp-date: correspAction[@type={action.get('type')!r}]/date must be empty "
                                "with ISO values in @when (or @notBefore/@notAfter/@from/@to)")

    when = publisher_date(root)
    if when is None or not ISO_DATE.match(when):
        problems.append(f"tp-date: TEI Publisher would read the document date as {when!r}; give correspAction "
                        "(or the citation's bibl/date) an ISO @when")

    pis = teipublisher_pis(tree)
    if odd is None and pis:
        problems.append("tp-pi: a <?teipublisher?> instruction without --teipublisher-odd")
    if odd is not None:
        values = [dict(PI_PAIR.findall(pi.text or "")) for pi in pis]
        before_root = list(root.itersiblings(preceding=True))
        if len(pis) != 1 or values[0].get("odd") != odd or pis[0] not in before_root:
            problems.append(f"tp-pi: expected one <?teipublisher odd=\"{odd}\"?> before the root, read by TEI "
                            f"Publisher as odd={odd!r}; found {[pi.text for pi in pis]}")
    return problems


# -- every fixture -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(INPUTS))
def test_fixture_follows_the_teipublisher_rules(name):
    assert teipublisher_problems(converted(name)) == []


@pytest.mark.parametrize("name", list(INPUTS))
def test_teipublisher_sorts_by_the_document_date(name):
    root = converted(name).getroot()
    sent = _first(root, "t:teiHeader//t:correspAction[@type='sent']/t:date/@when")
    cited = _first(root, "t:teiHeader//t:sourceDesc/t:bibl[@xml:id='source']/t:date/@when")
    assert publisher_date(root) == (sent or cited), "TEI Publisher would sort by another date than the document's"


@pytest.mark.parametrize("name", list(INPUTS))
def test_teipublisher_odd_adds_the_processing_instruction(name):
    tree = converted(name, ODD)
    assert [p for p in teipublisher_problems(tree, odd=ODD) if p.startswith("tp-pi")] == []
    data = serialize(tree)
    assert data.index(b'<?teipublisher odd="teipublisher.odd"?>') < data.index(b"<TEI ")
    reread = parse_xml(data)
    assert [pi.text for pi in teipublisher_pis(reread)] == [f'odd="{ODD}"']


def test_cli_writes_the_instruction(tmp_path):
    out = tmp_path / "seed.xml"
    result = CliRunner().invoke(main, ["convert", "-q", str(SEED), "-o", str(out), "--teipublisher-odd", ODD])
    assert result.exit_code == 0, result.output
    assert teipublisher_problems(parse_xml(out.read_bytes()), odd=ODD) == []


@pytest.mark.parametrize("bad", ['my"odd.odd', "x?>y.odd", "two words.odd"])
def test_cli_refuses_odd_names_teipublisher_cannot_read(bad, tmp_path):
    result = CliRunner().invoke(main, ["convert", "-q", str(SEED), "-o", str(tmp_path / "x.xml"),
                                       "--teipublisher-odd", bad])
    assert result.exit_code == 2
    assert result.output.startswith("tei-cable: error:") and "Traceback" not in result.output


# -- one minimal document per rule ---------------------------------------------------------------------------

GOOD = f"""<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title type="main">Cable</title></titleStmt>
<publicationStmt><p>p</p></publicationStmt><sourceDesc><bibl xml:id="source"><date when="1952-08-28">August 28,
1952</date></bibl></sourceDesc></fileDesc><profileDesc><langUsage><language ident="en">English</language>
</langUsage><correspDesc><correspAction type="sent"><persName ref="#zhou">Zhou Enlai</persName>
<date when="1952-08-28"/></correspAction><correspAction type="received"><persName ref="#mao">Mao Zedong</persName>
</correspAction></correspDesc></profileDesc></teiHeader><standOff><listPerson><person xml:id="zhou"><persName>Zhou
Enlai</persName></person><person xml:id="mao"><persName>Mao Zedong</persName></person></listPerson></standOff>
<text xml:lang="en"><body><p>Text</p></body></text></TEI>"""

BROKEN = {
    "tp-root": ("<text xml:lang=\"en\"><body><p>Text</p></body></text>", ""),
    "tp-title": ('<title type="main">Cable</title>', '<title type="main"> </title>'),
    "tp-lang": ('<language ident="en">English</language>', '<language ident="zh">Chinese</language>'),
    "tp-corresp-order": ('<correspAction type="sent"><persName ref="#zhou">Zhou Enlai</persName>\n'
                         '<date when="1952-08-28"/></correspAction><correspAction type="received">'
                         '<persName ref="#mao">Mao Zedong</persName>\n</correspAction>',
                         '<correspAction type="received"><persName ref="#mao">Mao Zedong</persName>\n'
                         '</correspAction><correspAction type="sent"><persName ref="#zhou">Zhou Enlai</persName>\n'
                         '<date when="1952-08-28"/></correspAction>'),
    "tp-corresp-refs": ('<persName ref="#zhou">Zhou Enlai</persName>', "<persName>Zhou Enlai</persName>"),
    "tp-corresp-date": ('<date when="1952-08-28"/>', '<date when="28.8.1952"/>'),
}


def broken(rule: str) -> etree._ElementTree:
    old, new = BROKEN[rule]
    assert old in GOOD, rule
    return parse_xml(GOOD.replace(old, new, 1).encode())


def test_a_valid_minimal_document_passes():
    assert teipublisher_problems(parse_xml(GOOD.encode())) == []


@pytest.mark.parametrize("rule", list(BROKEN))
def test_each_rule_catches_its_own_breach(rule):
    found = {problem.partition(":")[0] for problem in teipublisher_problems(broken(rule))}
    if rule == "tp-corresp-date":
        found.discard("tp-date")  # the bad value is also the date TEI Publisher would sort by
    assert found == {rule}


def test_a_document_without_any_date_is_reported():
    tree = parse_xml(GOOD.replace('<date when="1952-08-28"/>', "").replace(' when="1952-08-28"', "").encode())
    assert {p.partition(":")[0] for p in teipublisher_problems(tree)} == {"tp-corresp-date", "tp-date"}


def test_the_instruction_is_checked_both_ways():
    tree = parse_xml(GOOD.encode())
    assert [p.partition(":")[0] for p in teipublisher_problems(tree, odd=ODD)] == ["tp-pi"]
    tree.getroot().addprevious(etree.ProcessingInstruction("teipublisher", f'odd="{ODD}"'))
    assert teipublisher_problems(tree, odd=ODD) == []
    assert [p.partition(":")[0] for p in teipublisher_problems(tree)] == ["tp-pi"]
    assert [p.partition(":")[0] for p in teipublisher_problems(tree, odd="other.odd")] == ["tp-pi"]
