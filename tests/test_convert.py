"""The converter end to end: the seed's encoding, official TEI validity, determinism and the CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import SEED, every_input
from lxml import etree

from tei_cable.cli import main
from tei_cable.convert import convert_file
from tei_cable.tei import NSMAP, serialize


@pytest.fixture(scope="module")
def seed() -> etree._Element:
    return convert_file(SEED).tree.getroot()


def refs(root: etree._Element, xpath: str) -> list[str]:
    return [el.get("ref") for el in root.xpath(xpath, namespaces=NSMAP)]


def test_seed_people_are_linked(seed):
    people = set(refs(seed, "//tei:text//tei:persName"))
    assert {"#mao-zedong", "#zhou-enlai", "#vyacheslav-molotov", "#joseph-stalin", "#yumjaagiin-tsedenbal",
            "#chiang-kai-shek"} <= people


def test_seed_places_orgs_treaties(seed):
    assert {"#soviet-union", "#china", "#japan", "#united-states", "#taiwan", "#mongolia", "#moscow",
            "#lushun", "#san-francisco"} <= set(refs(seed, "//tei:text//tei:placeName"))
    assert {"#ccp-central-committee", "#chinese-changchun-railway", "#government-soviet-union",
            "#government-china", "#government-mongolia"} <= set(refs(seed, "//tei:text//tei:orgName"))
    treaties = set(refs(seed, "//tei:text//*[@type='treaty']"))
    assert {"#treaty-san-francisco-1951", "#treaty-taipei-1952", "#treaty-sino-soviet-alliance-1950",
            "#agreement-sino-soviet-changchun-railway-1950"} <= treaties


def test_seed_structure(seed):
    xp = lambda q: seed.xpath(q, namespaces=NSMAP)  # noqa: E731
    assert xp("string(//tei:titleStmt/tei:title[@type='main'])").startswith("Cable, Zhou Enlai")
    salute = xp("//tei:opener/tei:salute")[0]
    assert salute.xpath("string(tei:persName/tei:supplied)", namespaces=NSMAP) == "Zedong"
    assert xp("//tei:closer/tei:signed/tei:persName/@ref") == ["#zhou-enlai"]
    assert xp("//tei:closer/tei:dateline/tei:date/@when") == ["1952-08-28"]
    assert [d.get("n") for d in xp("//tei:div[@type='annex']")] == ["1", "2"]
    notes = xp("//tei:note[@place='foot']")
    assert [(n.get("n"), n.get("resp")) for n in notes] == [("1", "#resp-charles-kraus"), ("2", "#wcda")]
    assert [i.get("n") for i in xp("(//tei:list)[1]/tei:item")] == ["1", "2", "3"]
    # The two paragraphs split by page breaks are one paragraph each.
    assert len(xp("//tei:p[contains(., 'tax-free status of Soviet military materiel')]")) == 1
    assert len(xp("//tei:p[contains(., 'Changchun Railway free of charge')]")) == 1


def test_seed_dates(seed):
    dates = {"".join(d.itertext()): d for d in seed.xpath("//tei:text//tei:date", namespaces=NSMAP)}
    assert dates["Yesterday evening"].get("when") == "1952-08-27"
    assert dates["Yesterday evening"].get("ana") == "#relative-to-document"
    assert dates["August 28"].get("ana") == "#year-from-document"
    assert dates["by 1962"].get("notAfter") == "1962-12-31"
    assert dates["February 14, 1950"].get("when") == "1950-02-14"


def test_seed_header(seed):
    xp = lambda q: seed.xpath(q, namespaces=NSMAP)  # noqa: E731
    assert xp("string(//tei:funder)") == "Henry Luce Foundation"
    assert xp("//tei:respStmt[tei:resp='Translated by']/tei:persName/text()") == ["David Cowhig"]
    assert xp("//tei:langUsage/tei:language/@ident") == ["en", "zh"]
    assert xp("//tei:correspAction[@type='sent']/tei:persName/@ref") == ["#zhou-enlai"]
    assert xp("//tei:correspAction[@type='received']/*/@ref") == ["#mao-zedong", "#ccp-central-committee"]
    assert xp("string(//tei:sourceDesc/tei:bibl/tei:title[@level='m'])") == "Jianguo yilai Zhou Enlai wengao"
    assert seed.get("{http://www.w3.org/XML/1998/namespace}id") == "wcda-208202"


def test_standoff_holds_exactly_what_is_used(seed):
    ids = {el.get("{http://www.w3.org/XML/1998/namespace}id")
           for el in seed.xpath("//tei:standOff/*/*[@xml:id]", namespaces=NSMAP)}
    pointed = {r.lstrip("#") for r in seed.xpath("//tei:text//@ref | //tei:correspDesc//@ref", namespaces=NSMAP)}
    parties = {p.lstrip("#") for r in seed.xpath("//tei:relation/@active", namespaces=NSMAP) for p in r.split()}
    assert ids == pointed | parties


def test_editor_warnings(seed):
    findings = convert_file(SEED).findings
    messages = " | ".join(f.message for f in findings)
    assert "Tsendenbal" in messages and "1950-02-14" in messages


@pytest.mark.parametrize("path", every_input(), ids=lambda p: p.parent.name)
def test_valid_against_tei_all(path, jing, tei_all, tmp_path):
    out = tmp_path / "doc.xml"
    out.write_bytes(serialize(convert_file(path).tree))
    result = subprocess.run([jing, str(tei_all), str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_deterministic(tmp_path):
    first = serialize(convert_file(SEED).tree)
    assert first == serialize(convert_file(SEED).tree)
    code = "import sys; from tei_cable.convert import convert_file; from tei_cable.tei import serialize; " \
           "sys.stdout.buffer.write(serialize(convert_file(sys.argv[1]).tree))"
    for seed_value in ("1", "12345"):
        out = subprocess.run([sys.executable, "-c", code, str(SEED)], capture_output=True, check=True,
                             env={"PYTHONHASHSEED": seed_value, "PATH": "/usr/bin:/bin"}).stdout
        assert out == first


def test_cli_convert_stdout_and_file(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["convert", str(SEED), "-q"])
    assert result.exit_code == 0 and result.stdout_bytes.startswith(b"<?xml")
    out = tmp_path / "seed.xml"
    result = runner.invoke(main, ["convert", str(SEED), "-o", str(out)])
    assert result.exit_code == 0 and out.read_bytes() == serialize(convert_file(SEED).tree)
    assert "warning:" in result.stderr


def test_cli_bad_input_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("\n\nNot a date\n\nTitle\n", encoding="utf-8")
    out = tmp_path / "out.xml"
    result = CliRunner().invoke(main, ["convert", str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith(f"tei-cable: error: {bad}:3: the first line must be")
    assert not out.exists()


def test_cli_refuses_to_overwrite_input(tmp_path):
    copy = tmp_path / "in.txt"
    copy.write_bytes(SEED.read_bytes())
    result = CliRunner().invoke(main, ["convert", str(copy), "-o", str(copy)])
    assert result.exit_code == 2 and "refusing to overwrite the input" in result.stderr
    assert copy.read_bytes() == SEED.read_bytes()


@pytest.mark.parametrize(("signature", "signed"), [
    ("Zhou Enlai, Chen Yun", ["Zhou Enlai, Chen Yun"]),        # a joint signature on one line
    ("Zhou Enlai and Chen Yun", ["Zhou Enlai and Chen Yun"]),
    ("Zhou Enlai\nChen Yun", ["Zhou Enlai Chen Yun"]),         # one name per line: one signature block
    ("Zhou Enlai\n\nChen Yun", ["Zhou Enlai", "Chen Yun"]),    # two blocks: two signed
])
def test_joint_signatures_name_every_signatory(signature, signed):
    from tei_cable.convert import convert_text
    from tei_cable.export.behaviours import plain_text

    text = SEED.read_text(encoding="utf-8").replace("\nZhou Enlai\n\nAugust 28\n", f"\n{signature}\n\nAugust 28\n")
    assert text.count(signature) == 1
    root = convert_text(text, "joint.txt").tree.getroot()
    closer = root.find(".//tei:body/tei:div/tei:closer", NSMAP)
    assert closer is not None
    assert [plain_text(s) for s in closer.findall("tei:signed", NSMAP)] == signed  # <lb/> reads as a space
    assert refs(closer, ".//tei:signed//tei:persName") == ["#zhou-enlai", "#chen-yun"]
    assert closer.find("tei:dateline/tei:date", NSMAP).get("when") == "1952-08-28"


@pytest.mark.parametrize(("title", "senders"), [
    ("Cable, Zhou Enlai and Chen Yun to Chairman Mao [Zedong] and the Central Committee",
     ["#zhou-enlai", "#chen-yun"]),                                                   # a joint sender
    ("Cable, Zhou Enlai to Chairman Mao [Zedong] and the Central Committee", ["#zhou-enlai"]),
    ("Report from the Soviet Embassy in Beijing to Chairman Mao [Zedong] and the Central Committee",
     [None]),                                                                         # the city is not a sender
])
def test_every_sender_of_the_title_is_an_author_and_a_sent_correspondent(title, senders):
    from tei_cable.convert import convert_text

    seed_title = "Cable, Zhou Enlai to Chairman Mao [Zedong] and the Central Committee"
    text = SEED.read_text(encoding="utf-8").replace(seed_title, title, 1)
    root = convert_text(text, "senders.txt").tree.getroot()
    sent = root.xpath("//tei:correspAction[@type='sent']/*[not(self::tei:date)]", namespaces=NSMAP)
    authors = root.xpath("//tei:titleStmt/tei:author", namespaces=NSMAP)
    registered = [None if (el.get("ref") or "").startswith("#local-") else el.get("ref") for el in sent]
    assert registered == senders  # None: a local entry, not one of the register's
    assert [a.get("ref") for a in authors] == [el.get("ref") for el in sent]
    if senders == [None]:
        assert sent[0].text == "Soviet Embassy in Beijing" and sent[0].tag.endswith("orgName")
