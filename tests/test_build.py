"""``tei_cable.build``: a corpus folder from many inputs, incremental, parallel, and safe to interrupt."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CASES, ROOT, SEED, case_names
from lxml import etree

from tei_cable.build import BuildResult, DocReport, build
from tei_cable.build.corpus import canonical
from tei_cable.build.progress import Progress, auto_mode, duration
from tei_cable.build.state import META_DIR, OutDir
from tei_cable.errors import InputError, OutputError
from tei_cable.export import export
from tei_cable.tei import NSMAP, XML_ID, parse_xml, read_xml
from tei_cable.validate.cmif import check_cmif

sys.path.insert(0, str(ROOT / "benchmarks"))
import gen_corpus

PUBLISHED = "2025-01-01"  # the CMIF date, so that two builds on different days compare equal


#: How many documents ``sources`` gives: the seed and every fixture case.
DOCS = len([name for name in case_names() if name != "seed-208202"]) + 1


def sources(folder: Path) -> Path:
    """The seed and every fixture case as ``<case>.txt`` in one folder."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED, folder / SEED.name)
    for name in case_names():
        if name != "seed-208202":
            shutil.copy(CASES / name / "input.txt", folder / f"{name}.txt")
    return folder


def run(src: Path | list[Path], out: Path, **options) -> BuildResult:
    options.setdefault("jobs", 1)
    options.setdefault("published", PUBLISHED)
    paths = src if isinstance(src, list) else [src]
    return build(paths, out, **options)


def outputs(out: Path) -> dict[str, bytes]:
    """Every file the build wrote (its own state folder aside)."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def comparable(report: bytes) -> dict:
    """report.json without what differs between two runs of one build (timings, job count)."""
    data = json.loads(report)
    data.pop("run")
    for doc in data["documents"]:
        doc.pop("timings_ms")
    return data


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path, BuildResult]:
    """One cold build of the fixtures with two workers, shared by the read-only tests below."""
    base = tmp_path_factory.mktemp("corpus")
    src = sources(base / "src")
    out = base / "out"
    return src, out, run(src, out, jobs=2)


# -- a cold build ------------------------------------------------------------------------------------------


def test_every_document_gets_four_files_and_the_corpus_pages(corpus):
    _, out, result = corpus
    assert result.ok and result.exit_code == 0
    counts = result.counts()
    assert counts == {"documents": DOCS, "built": DOCS, "unchanged": 0, "failed": 0, "invalid": 0, "removed": 0}
    names = set(outputs(out))
    for doc in result.documents:
        assert doc.outputs == [f"{doc.id}.{ext}" for ext in ("html", "json", "txt", "xml")]
        assert set(doc.outputs) <= names
    assert {"index.html", "register.xml", "register.html", "cmif.xml", "report.json"} <= names
    assert len(names) == DOCS * 4 + 5
    assert not list((out / META_DIR).glob("tmp/*"))


def test_outputs_equal_the_single_document_commands(corpus):
    """The build writes what `tei-cable convert` and `tei-cable export` write, byte for byte."""
    from tei_cable.convert import convert_file
    from tei_cable.tei import serialize

    _, out, _ = corpus
    tei = serialize(convert_file(SEED).tree)
    assert (out / "wcda-208202.xml").read_bytes() == tei
    tree = parse_xml(tei)
    for fmt, ext in (("text", "txt"), ("html", "html"), ("json", "json")):
        assert (out / f"wcda-208202.{ext}").read_text(encoding="utf-8") == export(tree, fmt)


def test_report_lists_status_issues_and_timings(corpus):
    src, out, _ = corpus
    report = json.loads((out / "report.json").read_text())
    assert report["summary"]["built"] == DOCS and report["validate"] == "project"
    seed = next(d for d in report["documents"] if d["id"] == "wcda-208202")
    assert seed["status"] == "built" and seed["valid"] is True
    assert seed["input"] == str(src / SEED.name)
    # The seed's known discrepancy: a Schematron warning with its line in wcda-208202.xml.
    issue = next(i for i in seed["issues"] if i["rule"] == "treaty-date")
    assert issue["severity"] == "warning" and issue["validators"] == ["schematron"]
    line = (out / "wcda-208202.xml").read_text().splitlines()[issue["line"] - 1]
    assert "February 14, 1952" in line
    assert any("Tsendenbal" in w["message"] for w in seed["warnings"])
    assert {"convert", "validate", "export-html", "export-json", "export-text"} <= set(seed["timings_ms"])
    assert set(report["run"]["stages_ms"]) >= {"convert", "validate"}


def test_index_lists_every_document_with_links(corpus):
    _, out, result = corpus
    page = (out / "index.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    for doc in result.documents:
        assert f'href="{doc.id}.html"' in page and f'href="{doc.id}.xml"' in page
    assert "Cable, Zhou Enlai to Chairman Mao [Zedong] and the Central Committee" in page
    assert "August 28, 1952" in page and "Zhou Enlai → Mao Zedong" in page
    # The years come in order, the documents by date within a year.
    years = [y for y in ("1949", "1950", "1952", "1953", "1954", "1956", "1958", "1960", "1965")
             if f"<h3>{y}</h3>" in page]
    assert years == sorted(years) and len(years) >= 8
    assert '<a href="register.html">Register</a>' in page
    assert page.index("wcda-300117.html") < page.index("wcda-208202.html")  # 1950 before 1952


def test_corpus_register_is_the_union_of_the_standoffs(corpus):
    _, out, result = corpus
    tree = read_xml(out / "register.xml")
    ids = [el.get(XML_ID) for el in tree.iter() if el.get(XML_ID)]
    assert len(ids) == len(set(ids))
    union: set[str] = set()
    for doc in result.documents:
        union |= {el.get(XML_ID) for el in read_xml(out / f"{doc.id}.xml").xpath(
            "//tei:standOff//*[@xml:id]", namespaces=NSMAP)}
    assert set(ids) == union
    mao = tree.xpath("//tei:person[@xml:id='mao-zedong']", namespaces=NSMAP)[0]
    refs = mao.xpath("tei:note[@type='mentions']/tei:list/tei:item/tei:ref", namespaces=NSMAP)
    docs_with_mao = [d.id for d in result.documents
                     if read_xml(out / f"{d.id}.xml").xpath("//tei:standOff//tei:person[@xml:id='mao-zedong']",
                                                            namespaces=NSMAP)]
    assert sorted(r.text for r in refs) == sorted(docs_with_mao)
    seed_ref = next(r for r in refs if r.text == "wcda-208202")
    assert seed_ref.get("target") == "wcda-208202.html"
    seed = read_xml(out / "wcda-208202.xml")
    assert int(seed_ref.get("n")) == len(seed.xpath("//*[not(ancestor::tei:standOff)][@ref='#mao-zedong']",
                                                    namespaces=NSMAP))
    # The entry itself is the document's, unchanged but for the note.
    entry = seed.xpath("//tei:person[@xml:id='mao-zedong']", namespaces=NSMAP)[0]
    mao.remove(mao.xpath("tei:note[@type='mentions']", namespaces=NSMAP)[0])
    assert canonical(mao) == canonical(entry)
    assert tree.xpath("count(//tei:listRelation/tei:relation)", namespaces=NSMAP) >= 4


def test_register_page_escapes_and_links(corpus):
    _, out, _ = corpus
    page = (out / "register.html").read_text()
    assert '<li id="mao-zedong" class="ent-person"><span class="idx-name">Mao Zedong</span>' in page
    assert 'href="http://www.wikidata.org/entity/Q5816"' in page
    assert 'href="wcda-208202.html"' in page
    assert "<h3>Persons (" in page and "<h3>Places (" in page and "<h3>Treaties (" in page
    assert "Dang&#x27;anguan" in page or "&#x27;" in page  # apostrophes are escaped like everything else


def test_corpus_cmif_has_every_letter(corpus):
    _, out, result = corpus
    tree = read_xml(out / "cmif.xml")
    corresp = tree.xpath("//tei:correspDesc", namespaces=NSMAP)
    letters = [d for d in result.documents
               if read_xml(out / f"{d.id}.xml").xpath("//tei:correspDesc", namespaces=NSMAP)]
    assert len(corresp) == len(letters) > 3
    bibl_ids = {b.get(XML_ID) for b in tree.xpath("//tei:sourceDesc/tei:bibl", namespaces=NSMAP)}
    assert {c.get("source")[1:] for c in corresp} == bibl_ids
    assert tree.xpath("string(//tei:publicationStmt/tei:date/@when)", namespaces=NSMAP) == PUBLISHED
    # Each letter's correspDesc is the one the CMIF exporter writes for that document.
    single = parse_xml(export(read_xml(out / "wcda-208202.xml"), "cmif", published=PUBLISHED).encode())
    expected = single.xpath("//tei:correspDesc", namespaces=NSMAP)[0]
    got = tree.xpath("//tei:correspDesc[@source='#source-wcda-208202']", namespaces=NSMAP)[0]
    expected.set("source", "#source-wcda-208202")
    assert canonical(got) == canonical(expected)


def test_corpus_cmif_passes_the_cmif_rules(corpus, tmp_path):
    """correspSearch's rules (schema/cmif.sch): no errors once the corpus has a published URL (--base-url: the
    CMIF file must name the absolute URL it is registered under); the only warnings are the known ones."""
    src, _, _ = corpus
    out = tmp_path / "site"
    run(src, out, jobs=2, base_url="https://example.org/cold-war/")
    report = check_cmif(read_xml(out / "cmif.xml"), path="cmif.xml")
    assert report.errors == [], [f"{i.rule}: {i.message}" for i in report.errors]
    # Expected: numeric-dates names its sender only by office (no person in the sent action).
    assert {i.rule for i in report.warnings} <= {"cmif-action-party", "cmif-bibl-cited"}


def test_corpus_files_are_valid_tei(corpus, jing, tei_all):
    _, out, _ = corpus
    files = [out / "register.xml", out / "cmif.xml"]
    result = subprocess.run([jing, str(tei_all), *map(str, files)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


# -- parallel and deterministic ----------------------------------------------------------------------------


def test_jobs_2_writes_the_same_bytes_as_jobs_1(corpus, tmp_path):
    src, out2, _ = corpus
    out1 = tmp_path / "out1"
    run(src, out1, jobs=1)
    one, two = outputs(out1), outputs(out2)
    assert set(one) == set(two)
    for name in one:
        if name == "report.json":
            assert comparable(one[name]) == comparable(two[name])
        else:
            assert one[name] == two[name], name


# -- incremental -------------------------------------------------------------------------------------------


def mtimes(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}


def test_rebuild_skips_unchanged_documents_and_rewrites_only_what_changed(tmp_path):
    src = sources(tmp_path / "src")
    out = tmp_path / "out"
    run(src, out)
    (out / "notes-of-the-editors.txt").write_text("mine")  # a file the build did not write
    before = mtimes(out)

    again = run(src, out)
    assert again.counts()["unchanged"] == DOCS and again.counts()["built"] == 0
    assert not again.corpus_written
    after = mtimes(out)
    assert {n for n in after if after[n] != before[n]} == {"report.json"}
    assert all(d.status == "unchanged" and d.timings == {} for d in again.documents)
    assert json.loads((out / "report.json").read_text())["documents"][0]["status"] == "unchanged"

    letter = src / "letter.txt"
    letter.write_text(letter.read_text().replace("Dear Comrade Ulbricht", "Dear Comrade Walter Ulbricht"))
    changed = run(src, out)
    assert [d.input for d in changed.documents if d.status == "built"] == [str(letter)]
    assert changed.corpus_written
    rewritten = {n for n, t in mtimes(out).items() if t != after[n]}
    assert rewritten == {"wcda-300452.xml", "wcda-300452.txt", "wcda-300452.html", "wcda-300452.json",
                         "index.html", "register.xml", "register.html", "cmif.xml", "report.json"}
    assert "Walter Ulbricht" in (out / "wcda-300452.txt").read_text()

    (src / "letter.txt").unlink()
    removed = run(src, out)
    assert removed.removed == ["wcda-300452.html", "wcda-300452.json", "wcda-300452.txt", "wcda-300452.xml"]
    assert not (out / "wcda-300452.xml").exists() and "wcda-300452" not in (out / "index.html").read_text()
    assert (out / "notes-of-the-editors.txt").read_text() == "mine"  # never touched
    assert removed.counts()["unchanged"] == DOCS - 1


def test_register_or_options_change_rebuilds_everything(tmp_path):
    src = sources(tmp_path / "src")
    out = tmp_path / "out"
    run(src, out)
    extra = tmp_path / "extra.xml"
    extra.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>x</title></titleStmt>'
        "<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>"
        '<standOff><listPerson><person xml:id="local-test-person"><persName type="preferred">Ivan Testov'
        "</persName></person></listPerson></standOff></TEI>")
    assert run(src, out, registers=[extra]).counts()["built"] == DOCS
    assert run(src, out, registers=[extra]).counts()["unchanged"] == DOCS
    assert run(src, out, registers=[extra], validate="none").counts()["built"] == DOCS
    assert run(src, out, registers=[extra], validate="none", force=True).counts()["built"] == DOCS


def test_a_deleted_or_truncated_output_is_rebuilt(tmp_path):
    src = sources(tmp_path / "src")
    out = tmp_path / "out"
    run(src, out)
    (out / "wcda-208202.html").unlink()
    (out / "wcda-300117.json").write_text("{")
    (out / "index.html").unlink()
    again = run(src, out)
    assert sorted(d.id for d in again.documents if d.status == "built") == ["wcda-208202", "wcda-300117"]
    assert (out / "wcda-208202.html").is_file() and json.loads((out / "wcda-300117.json").read_text())
    assert (out / "index.html").is_file()


def test_a_lost_state_rebuilds_everything(tmp_path):
    src = sources(tmp_path / "src")
    out = tmp_path / "out"
    run(src, out)
    (out / META_DIR / "state.json").write_text("{not json")
    assert run(src, out).counts()["built"] == DOCS


# -- bad inputs ---------------------------------------------------------------------------------------------


def test_a_bad_input_is_reported_and_the_others_are_built(tmp_path):
    src = sources(tmp_path / "src")
    (src / "zz-broken.txt").write_text("August 28, 1952\n\nA title\n\nCitation:\n")
    (src / "zz-binary.txt").write_bytes(b"August 28, 1952\n\x93quoted\x94\n")
    out = tmp_path / "out"
    seen: list[DocReport] = []
    result = run(src, out, on_document=seen.append)
    assert result.exit_code == 1 and not result.ok
    assert result.counts()["built"] == DOCS and result.counts()["failed"] == 2
    assert [d.input for d in seen] == [d.input for d in result.documents]  # reported as they finish, in order
    binary = next(d for d in result.documents if d.input.endswith("zz-binary.txt"))
    assert binary.status == "failed" and binary.failure.line == 2 and "Windows-1252" in binary.failure.message
    broken = next(d for d in result.documents if d.input.endswith("zz-broken.txt"))
    assert broken.failure.path.endswith("zz-broken.txt") and broken.failure.message
    report = json.loads((out / "report.json").read_text())
    failed = [d for d in report["documents"] if d["status"] == "failed"]
    assert {d["error"]["path"] for d in failed} == {str(src / "zz-binary.txt"), str(src / "zz-broken.txt")}
    assert "2 failed to build" in (out / "index.html").read_text()


def test_a_document_that_breaks_loses_its_old_outputs(tmp_path):
    src = sources(tmp_path / "src")
    out = tmp_path / "out"
    run(src, out)
    (src / "letter.txt").write_text("not an export")
    result = run(src, out)
    assert result.counts()["failed"] == 1 and not (out / "wcda-300452.html").exists()
    assert "wcda-300452.html" in result.removed


def hand_edited(path: Path, doc_id: str, title: str = "Edited by hand") -> Path:
    tree = read_xml(CASES / "letter" / "expected.xml")
    root = tree.getroot()
    root.set(XML_ID, doc_id)
    root.xpath("//tei:titleStmt/tei:title[@type='main']", namespaces=NSMAP)[0].text = title
    path.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    return path


def test_xml_inputs_are_validated_and_exported_not_converted(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    edited = hand_edited(src / "edited.xml", "letter-edited")
    out = tmp_path / "out"
    result = run(src, out)
    doc = result.documents[0]
    assert doc.status == "built" and doc.id == "letter-edited" and doc.valid is True
    assert "convert" not in doc.timings
    assert (out / "letter-edited.xml").read_bytes() == edited.read_bytes()  # the editor's file, untouched
    assert "Edited by hand" in (out / "letter-edited.html").read_text()


@pytest.mark.parametrize(("doc_id", "message"), [
    ("../escape", "cannot name a file"),
    ("index", "name of a corpus page"),
    ("", "has no xml:id"),
])
def test_unsafe_or_missing_ids_are_refused(tmp_path, doc_id, message):
    src = tmp_path / "src"
    src.mkdir()
    bad = hand_edited(src / "bad.xml", "x")
    text = bad.read_text().replace('xml:id="x"', f'xml:id="{doc_id}"' if doc_id else "", 1)
    bad.write_text(text)
    out = tmp_path / "out"
    result = run(src, out)
    assert result.documents[0].status == "failed" and message in result.documents[0].failure.message
    assert not (tmp_path / "escape.xml").exists() and not (out / "index.xml").exists()


def test_not_tei_and_not_xml_are_failures(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.xml").write_text("<html/>")
    (src / "b.xml").write_text("<TEI><unclosed></TEI>")
    result = run(src, tmp_path / "out")
    a, b = result.documents
    assert "not a TEI document" in a.failure.message
    assert "not well-formed" in b.failure.message and b.failure.line == 1


def test_two_inputs_with_one_id_the_second_is_an_error(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED, src / "a-seed.txt")
    hand_edited(src / "b-same-id.xml", "wcda-208202", title="Not the seed")
    out = tmp_path / "out"
    result = run(src, out)
    first, second = result.documents
    assert first.status == "built" and second.status == "failed"
    assert "duplicate document id 'wcda-208202'" in second.failure.message
    assert "a-seed.txt" in second.failure.message
    assert "Not the seed" not in (out / "wcda-208202.html").read_text()
    # The same holds in a rebuild, when the first is unchanged and the second is new.
    assert run(src, out).documents[1].status == "failed"


def test_a_differently_defined_entry_is_kept_twice_and_reported(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    hand_edited(src / "a.xml", "doc-a")
    b = hand_edited(src / "b.xml", "doc-b")
    tree = read_xml(b)
    entry = tree.xpath("//tei:standOff//tei:person", namespaces=NSMAP)[0]
    entry_id = entry.get(XML_ID)
    note = entry.find("{http://www.tei-c.org/ns/1.0}note")
    note.text = "Edited description."
    b.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    out = tmp_path / "out"
    result = run(src, out)
    assert result.corpus_warnings == [f"doc-b defines {entry_id!r} differently from doc-a: the corpus register "
                                      f"keeps both, the other as '{entry_id}.doc-b'"]
    register = read_xml(out / "register.xml")
    assert register.xpath(f"count(//*[@xml:id='{entry_id}.doc-b'])", namespaces=NSMAP) == 1
    assert "Edited description." in (out / "register.html").read_text()


def test_hostile_text_is_escaped_in_the_corpus_pages(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    hand_edited(src / "x.xml", "doc-x", title='<script>alert("x")</script> & \u202eevil')
    out = tmp_path / "out"
    run(src, out)
    for page in ("index.html", "register.html"):
        text = (out / page).read_text()
        assert "<script>" not in text and "\u202e" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in (out / "index.html").read_text()


# -- inputs and the folder ----------------------------------------------------------------------------------


def test_inputs_folders_and_exclusions(tmp_path):
    src = sources(tmp_path / "src")
    (src / ".hidden").mkdir()
    shutil.copy(SEED, src / ".hidden" / "copy.txt")
    (src / "notes.md").write_text("not an input")
    out = src / "out"  # the output folder inside the source folder: its outputs are never inputs
    first = run(src, out)
    assert first.counts()["documents"] == DOCS
    assert run([src, src / SEED.name], out).counts() == {**first.counts(), "built": 0, "unchanged": DOCS}
    with pytest.raises(InputError, match="no such file"):
        run(tmp_path / "missing", tmp_path / "o2")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no input found"):
        run(tmp_path / "empty", tmp_path / "o3")
    assert not (tmp_path / "o2").exists()  # a typo creates no folder
    with pytest.raises(InputError, match="would be overwritten"):
        run(out / "wcda-208202.xml", out)


def test_one_build_per_folder(tmp_path):
    src = sources(tmp_path / "src")
    out = tmp_path / "out"
    holder = OutDir(out)
    holder.prepare()
    try:
        with pytest.raises(OutputError, match="another build"):
            run(src, out)
    finally:
        holder.unlock()
    assert run(src, out).ok


def test_an_interrupted_build_keeps_finished_documents(tmp_path):
    src = sources(tmp_path / "src")
    out = tmp_path / "out"
    done: list[str] = []

    def stop_after_three(report: DocReport) -> None:
        done.append(report.id or "")
        if len(done) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(src, out, on_document=stop_after_three)
    assert not list((out / META_DIR).glob("tmp/*"))
    for name in (p.name for p in out.iterdir() if p.is_file()):
        assert name.split(".")[0] in done  # no corpus page, no file of a document not finished
    again = run(src, out)
    assert again.counts()["unchanged"] == 3 and again.counts()["built"] == DOCS - 3 and again.ok


# -- the benchmark corpus builds cleanly ------------------------------------------------------------------


def test_the_synthetic_corpus_builds_without_failures(tmp_path):
    paths = gen_corpus.generate(tmp_path / "src", 18, size="seed")
    assert len({p.read_text() for p in paths}) == 18
    result = run(tmp_path / "src", tmp_path / "out", jobs=2)
    assert result.ok, [(d.input, d.failure, [i for i in d.issues if i["severity"] == "error"])
                       for d in result.documents if d.status == "failed" or d.valid is False]
    assert len({d.id for d in result.documents}) == 18
    assert min(p.stat().st_size for p in paths) > 0.9 * SEED.stat().st_size


# -- progress -------------------------------------------------------------------------------------------


def test_progress_bar_on_a_terminal():
    stream = io.StringIO()
    p = Progress(0, stream=stream, mode="bar")
    p.expect(4, 3)
    for k in range(4):
        p.advance(built=k > 0)
    p.message("a.txt:3: error: bad")
    p.close()
    text = stream.getvalue()
    assert "\r" in text and "4/4" in text and "docs/s" in text and "[" + "#" * 10 in text
    assert "\r\x1b[2Ka.txt:3: error: bad\n" in text and text.endswith("\n")


def test_progress_lines_elsewhere_and_nothing_when_quiet():
    stream = io.StringIO()
    p = Progress(0, stream=stream, mode="lines", interval=3600)
    p.expect(3, 3)
    for _ in range(3):
        p.advance(built=True)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("build: 1/3 documents (33%)") and lines[-1].startswith("build: 3/3 documents (100%)")
    assert "\r" not in stream.getvalue() and len(lines) == 2
    quiet = io.StringIO()
    q = Progress(0, stream=quiet, mode="none")
    q.expect(2, 2)
    q.advance(built=True)
    q.advance(built=True)
    assert quiet.getvalue() == ""
    assert auto_mode(io.StringIO(), quiet=False) == "lines" and auto_mode(io.StringIO(), quiet=True) == "none"
    assert duration(42) == "42s" and duration(185) == "3m05s" and duration(3720) == "1h02m"
