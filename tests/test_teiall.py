"""Official TEI P5 (tei_all) validation: same verdicts as jing, fast, cached; and where tei_all comes from.

The hard requirement is verdict equality with jing, the reference RELAX NG validator, on valid and
invalid documents alike: the hand-written documents in ``tests/teiall/`` (each invalid one breaks one
thing) and a few hundred seeded random mutations of the valid ones. jing runs once per file set.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import http.server
import random
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from tei_cable.errors import SchemaError
from tei_cable.schemas import (
    ENV_CACHE,
    ENV_TEI_ALL,
    PINNED_FILENAME,
    PINNED_SHA256,
    cache_dir,
    fetch_tei_all,
    find_tei_all,
    write_atomic,
)
from tei_cable.tei import TEI_NS, read_xml
from tei_cable.validate.teiall import (
    BASE_ELEMENTS,
    PRUNER_VERSION,
    TeiAllValidator,
    _CacheIndex,
    cache_key,
    element_names,
    prune,
    schema_version,
)

HERE = Path(__file__).resolve().parent
DOCS = HERE / "teiall"
VALID = sorted((DOCS / "valid").glob("*.xml"))
INVALID = sorted((DOCS / "invalid").glob("*.xml"))



def parse(path: Path) -> etree._ElementTree:
    """Documents are read the way tei-cable reads them (tei.read_xml)."""
    return read_xml(path)


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own cache directory: tests never read or write the user's cache."""
    root = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv(ENV_CACHE, str(root))
    monkeypatch.delenv(ENV_TEI_ALL, raising=False)
    return root


def run_jing(jing: str, schema: Path, files: list[Path]) -> set[Path]:
    """The files jing finds invalid (one jing run: its start-up is most of its time)."""
    out = subprocess.run([jing, str(schema), *map(str, files)], capture_output=True, text=True, check=False)
    invalid = {Path(line.split(":", 1)[0]).resolve() for line in out.stdout.splitlines() if ": error:" in line}
    if out.returncode not in (0, 1) or (out.returncode == 1 and not invalid):
        pytest.fail(f"jing failed (exit {out.returncode}): {out.stderr[-2000:]}")
    return invalid


@functools.cache
def jing_invalid_docs(jing: str, schema: Path) -> frozenset[Path]:
    return frozenset(run_jing(jing, schema, [*VALID, *INVALID]))


# --- verdicts: equal to jing's ----------------------------------------------------------------------


def test_there_are_documents_of_both_kinds() -> None:
    assert len(VALID) >= 8
    assert len(INVALID) >= 20


@pytest.mark.parametrize("path", VALID + INVALID, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_verdict_equals_jing(path: Path, jing: str, tei_all: Path) -> None:
    jing_valid = path.resolve() not in jing_invalid_docs(jing, tei_all)
    # The directory says what each document is; jing confirms it, so neither side can drift.
    assert jing_valid == (path.parent.name == "valid"), f"jing disagrees with the fixture's directory: {path}"
    issues = list(TeiAllValidator(tei_all).iter_issues(parse(path)))
    assert (not issues) == jing_valid, issues


def test_verdicts_do_not_depend_on_the_name_set(jing: str, tei_all: Path) -> None:
    """One validator grown over all documents (large S) and one per document (S = its own names)."""
    shared = TeiAllValidator(tei_all)
    shared.prepare(parse(p) for p in VALID + INVALID)
    for path in VALID + INVALID:
        tree = parse(path)
        exact = TeiAllValidator(tei_all, base=frozenset(), cache=False)
        assert shared.is_valid(tree) == exact.is_valid(tree) == (path.parent.name == "valid"), path


def _mutants(count: int, seed: int, pool: list[str]) -> Iterator[etree._ElementTree]:
    """Seeded random edits of the valid documents: renames to other TEI names (so the grammar must
    grow), deletions, moves, insertions, stray text, attribute values, namespaces, duplicated ids."""
    rnd = random.Random(seed)
    bases = [parse(p) for p in VALID]
    values = ["", "x", "1", "1952-08-28", "28 Aug", "high", "0.5", "#a #b", "zh-Hant", "not a lang", "--08-28"]
    attrs = ["when", "type", "n", "ref", "rend", "cert", "unit", "value", "target", "place", "ident",
             "{http://www.w3.org/XML/1998/namespace}id", "{http://www.w3.org/XML/1998/namespace}lang"]
    for _ in range(count):
        tree = copy.deepcopy(rnd.choice(bases))
        root = tree.getroot()
        for _ in range(rnd.choice([1, 1, 2, 3])):
            el = rnd.choice(list(root.iter(etree.Element)))
            parent = el.getparent()
            op = rnd.randrange(9)
            if op == 0:
                el.tag = rnd.choice(pool)
            elif op == 1 and parent is not None:
                parent.remove(el)
            elif op == 2 and parent is not None:
                parent.remove(el)
                target = rnd.choice(list(root.iter(etree.Element)))
                target.insert(rnd.randint(0, len(target)), el)
            elif op == 3:
                el.insert(rnd.randint(0, len(el)), etree.Element(rnd.choice(pool)))
            elif op == 4:
                el.text = (el.text or "") + "text"
            elif op == 5:
                el.set(rnd.choice(attrs), rnd.choice(values))
            elif op == 6 and el.attrib:
                del el.attrib[rnd.choice(list(el.attrib))]
            elif op == 7:
                local = etree.QName(el).localname
                el.tag = rnd.choice([local, f"{{http://example.org/x}}{local}", f"{{{TEI_NS[:-3]}Examples}}{local}"])
            elif op == 8 and parent is not None:
                parent.insert(parent.index(el), copy.deepcopy(el))
        yield tree


def test_random_mutations_get_jings_verdict(jing: str, tei_all: Path, tmp_path: Path) -> None:
    pool_doc = etree.parse(str(tei_all))
    rng = "{http://relaxng.org/ns/structure/1.0}"
    pool = sorted({f"{{{TEI_NS}}}{e.get('name')}" for e in pool_doc.iter(f"{rng}element") if e.get("name")})
    files = []
    for i, tree in enumerate(_mutants(150, seed=20250124, pool=pool)):
        path = tmp_path / f"mutant-{i:03d}.xml"
        path.write_bytes(etree.tostring(tree, encoding="UTF-8", xml_declaration=True))
        files.append(path)
    invalid = run_jing(jing, tei_all, files)
    assert 20 < len(invalid) < len(files) - 20, "the mutations should give both verdicts"
    disagreements = []
    for n, path in enumerate(files):
        tree = parse(path)
        # S = base + the document's names; every third one also with S = exactly its names
        verdicts = {TeiAllValidator(tei_all).is_valid(tree), path.resolve() not in invalid}
        if n % 3 == 0:
            verdicts.add(TeiAllValidator(tei_all, base=frozenset(), cache=False).is_valid(tree))
        if len(verdicts) > 1:
            disagreements.append((path.name, "jing says valid:", path.resolve() not in invalid))
    assert not disagreements


def test_the_parser_leaves_id_errors_to_the_validator(jing: str, tei_all: Path) -> None:
    """libxml2's parser, collecting IDs, would refuse duplicate or malformed xml:ids anywhere, even
    inside examples where tei_all does not type xml:id as an ID and jing accepts them. tei.read_xml
    must read them all, so that the verdict is the validator's (and equal to jing's, tested above)."""
    for path in VALID + INVALID:
        read_xml(path)  # raises InputError if the parser refused one
    for name in ("bad-id", "duplicate-id"):
        assert (DOCS / "invalid" / f"{name}.xml").resolve() in jing_invalid_docs(jing, tei_all)
    assert (DOCS / "valid" / "duplicate-id-in-example.xml").resolve() not in jing_invalid_docs(jing, tei_all)


# --- issues -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "rule", "xpath"),
    [
        ("unknown-element", 13, "tei-all:RELAXNG_ERR_ELEMWRONG", "/tei:TEI/tei:text/tei:body/tei:p/tei:cable"),
        ("wrong-place", 13, "tei-all:RELAXNG_ERR_ELEMWRONG", "/tei:TEI/tei:text/tei:body/tei:item"),
        ("bad-attribute-value", 13, "tei-all:RELAXNG_ERR_INVALIDATTR",
         "/tei:TEI/tei:text/tei:body/tei:p/tei:date/@when"),
        ("text-not-allowed", 13, "tei-all:RELAXNG_ERR_TEXTWRONG", "/tei:TEI/tei:text/tei:body/tei:list"),
        ("missing-respstmt-name", 6, "tei-all:RELAXNG_ERR_NOELEM",
         "/tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:respStmt"),
        ("wrong-namespace-child", 13, "tei-all:RELAXNG_ERR_ELEMWRONG", "/tei:TEI/tei:text/tei:body/p"),
    ],
)
def test_issue_says_where_and_what(name: str, line: int, rule: str, xpath: str, tei_all: Path) -> None:
    issues = list(TeiAllValidator(tei_all).iter_issues(parse(DOCS / "invalid" / f"{name}.xml")))
    first = issues[0]
    assert (first.line, first.rule, first.xpath) == (line, rule, xpath)
    assert first.validator == "tei-all" and first.severity == "error" and first.message


def test_messages_name_the_bad_value_and_the_namespace(tei_all: Path) -> None:
    v = TeiAllValidator(tei_all)
    [bad] = v.iter_issues(parse(DOCS / "invalid" / "bad-attribute-value.xml"))
    assert "'28 August 1952'" in bad.message
    first = next(v.iter_issues(parse(DOCS / "invalid" / "wrong-namespace-child.xml")))
    assert "no namespace" in first.message and TEI_NS in first.message


def test_in_memory_trees_without_lines_are_checked_too(tei_all: Path) -> None:
    tree = parse(DOCS / "valid" / "minimal.xml")
    body = tree.find(f".//{{{TEI_NS}}}body")
    assert body is not None
    for _ in range(2):  # the same xml:id twice: jing reports it, so must we
        etree.SubElement(body, f"{{{TEI_NS}}}p").set("{http://www.w3.org/XML/1998/namespace}id", "dup")
    issues = list(TeiAllValidator(tei_all).iter_issues(tree))
    assert issues and all(i.rule.startswith("tei-all:") for i in issues)
    assert issues[0].xpath == "/tei:TEI/tei:text/tei:body/tei:p[3]/@xml:id" and issues[0].line is None


def test_version_comes_from_the_schema(tei_all: Path) -> None:
    v = TeiAllValidator(tei_all)
    assert v.version == "4.9.0" == schema_version(tei_all.read_bytes())
    assert "4.9.0" in v.description
    assert schema_version(b"<grammar/>") == "unknown"


# --- pruning ----------------------------------------------------------------------------------------


def test_pruned_grammar_is_small_and_keeps_wildcards_only_where_needed(tei_all: Path) -> None:
    data = tei_all.read_bytes()
    plain = prune(data, element_names(parse(DOCS / "valid" / "minimal.xml")))
    examples = prune(data, element_names(parse(DOCS / "valid" / "egxml.xml")))
    assert len(plain) < len(data) / 20
    assert b"<anyName" not in plain  # no name of the document can match egXML's wildcards...
    assert b"<anyName" in examples and b"egXML" in examples  # ...but foreign names can
    etree.RelaxNG(etree.fromstring(examples))  # and the output compiles


def test_wrong_root_still_gets_a_grammar_naming_the_expected_root(tei_all: Path) -> None:
    text = prune(tei_all.read_bytes(), {"TEI"})  # no TEI-namespace name at all
    assert b'name="TEI"' in text
    assert not TeiAllValidator(tei_all, base=frozenset()).is_valid(parse(DOCS / "invalid" / "no-namespace.xml"))


def test_grammars_the_pruner_does_not_model_are_compiled_whole(tmp_path: Path) -> None:
    schema = tmp_path / "combine.rng"
    schema.write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.tei-c.org/ns/1.0">'
        '<start><ref name="a"/></start>'
        '<define name="a" combine="choice"><element name="TEI"><empty/></element></define></grammar>'
    )
    v = TeiAllValidator(schema)
    assert v.is_valid(etree.ElementTree(etree.Element(f"{{{TEI_NS}}}TEI")))
    assert not v.is_valid(etree.ElementTree(etree.Element(f"{{{TEI_NS}}}text")))
    assert v.stats.pruned == 0 and v.stats.compiled == 1


# --- growth and the cache ---------------------------------------------------------------------------


def test_grammar_grows_once_for_new_names_and_not_for_known_ones(tei_all: Path) -> None:
    v = TeiAllValidator(tei_all)
    minimal, outside = parse(DOCS / "valid" / "minimal.xml"), parse(DOCS / "valid" / "outside-base.xml")
    assert v.is_valid(minimal)
    assert v.names is not None and v.names >= BASE_ELEMENTS
    assert f"{{{TEI_NS}}}lg" not in v.names
    assert v.is_valid(outside)  # lg, l, app, sp... are outside the base set
    assert v.stats.grown == 1 and f"{{{TEI_NS}}}lg" in v.names
    assert v.is_valid(minimal) and v.is_valid(outside)
    assert v.stats.compiled == 2


def test_prepare_compiles_once_for_a_batch(tei_all: Path) -> None:
    v = TeiAllValidator(tei_all)
    trees = [parse(p) for p in VALID]
    v.prepare(trees)
    assert all(v.is_valid(t) for t in trees)
    assert v.stats.compiled == 1 and v.stats.grown == 0


def test_cache_is_reused_and_keyed_by_schema_and_names(tei_all: Path, tmp_path: Path, private_cache: Path) -> None:
    tree = parse(DOCS / "valid" / "cable.xml")
    first = TeiAllValidator(tei_all)
    assert first.is_valid(tree) and (first.stats.pruned, first.stats.cache_hits) == (1, 0)
    assert first.names is not None
    key = cache_key(first.schema_sha256, first.names)
    entry = private_cache / "tei-all" / first.schema_sha256[:16] / f"{key}.rng"
    assert entry.is_file()
    assert sorted(p.name for p in entry.parent.iterdir()) == sorted([entry.name, "index.json"])  # no temp files
    assert key.encode() in entry.read_bytes()[:400]

    second = TeiAllValidator(tei_all)  # a later process: no pruning, only a compile
    assert second.is_valid(tree) and (second.stats.pruned, second.stats.cache_hits) == (0, 1)

    # the key: order-free over names, and different for other names, schemas and pruner versions
    names = sorted(first.names)
    assert cache_key(first.schema_sha256, names) == cache_key(first.schema_sha256, reversed(names)) == key
    assert cache_key(first.schema_sha256, names[1:]) != key
    assert cache_key(hashlib.sha256(b"other").hexdigest(), names) != key
    assert PRUNER_VERSION  # part of the key material

    other_schema = tmp_path / "tei_all_copy.rng"  # a different schema file (one byte more): its own entries
    other_schema.write_bytes(tei_all.read_bytes() + b"\n")
    third = TeiAllValidator(other_schema)
    assert third.is_valid(tree) and third.stats.pruned == 1
    assert third.schema_sha256 != first.schema_sha256


def test_a_later_run_starts_from_the_grammar_an_earlier_run_grew(tei_all: Path) -> None:
    minimal, cable = parse(DOCS / "valid" / "minimal.xml"), parse(DOCS / "valid" / "cable.xml")
    first = TeiAllValidator(tei_all)
    assert first.is_valid(minimal) and first.is_valid(cable)
    assert first.stats.compiled == 2 and first.names is not None
    second = TeiAllValidator(tei_all)  # the same corpus again: one compile, of the grown grammar
    assert second.is_valid(minimal) and second.is_valid(cable)
    assert second.stats.compiled == 1 and second.stats.cache_hits == 1 and second.names == first.names


def test_the_index_offers_the_largest_modest_superset(tmp_path: Path) -> None:
    index = _CacheIndex(tmp_path)
    need = frozenset(f"n{i}" for i in range(10))
    modest = need | {f"m{i}" for i in range(90)}  # 100 names: within max(2n, n + 100) = 110
    huge = modest | {f"h{i}" for i in range(200)}  # would cost seconds to compile
    index.record("modest", modest)
    index.record("huge", huge)
    index.record("other", frozenset({"x"}))
    assert _CacheIndex(tmp_path).superset(need) == modest  # read back from index.json
    assert _CacheIndex(tmp_path).superset(frozenset({"y"})) is None


def test_the_cache_keeps_only_recent_grammars(
    tei_all: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tei_cable.validate.teiall._CacheIndex.INDEX_SIZE", 2)
    for name in ("minimal", "register", "attributes"):  # three disjoint-enough name sets
        TeiAllValidator(tei_all, base=frozenset()).is_valid(parse(DOCS / "valid" / f"{name}.xml"))
    [directory] = (private_cache / "tei-all").iterdir()
    assert len(list(directory.glob("*.rng"))) == 2


def test_a_damaged_cache_entry_is_rebuilt(tei_all: Path, private_cache: Path) -> None:
    tree = parse(DOCS / "valid" / "cable.xml")
    v = TeiAllValidator(tei_all)
    v.is_valid(tree)
    assert v.names is not None
    entry = private_cache / "tei-all" / v.schema_sha256[:16] / f"{cache_key(v.schema_sha256, v.names)}.rng"
    entry.write_bytes(entry.read_bytes()[:300])  # truncated, as a crash without atomic writes would leave it
    again = TeiAllValidator(tei_all)
    assert again.is_valid(tree) and again.stats.pruned == 1 and again.stats.cache_hits == 0
    assert entry.read_bytes().rstrip().endswith(b"</grammar>")
    entry.write_bytes(b"<!-- the right header is not enough -->" + entry.read_bytes()[:-20])
    assert TeiAllValidator(tei_all).is_valid(tree)


def test_no_cache_means_no_files(tei_all: Path, private_cache: Path) -> None:
    v = TeiAllValidator(tei_all, cache=False)
    assert v.is_valid(parse(DOCS / "valid" / "minimal.xml"))
    assert not (private_cache / "tei-all").exists()


def test_write_atomic_replaces_whole_files(tmp_path: Path) -> None:
    dest = tmp_path / "sub" / "file.rng"
    write_atomic(dest, b"one", parents=True)
    write_atomic(dest, b"two")
    assert dest.read_bytes() == b"two" and [p.name for p in dest.parent.iterdir()] == ["file.rng"]


# --- where tei_all comes from -----------------------------------------------------------------------


def test_find_tei_all_prefers_explicit_then_env_then_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_cache: Path
) -> None:
    explicit, from_env = tmp_path / "explicit.rng", tmp_path / "env.rng"
    cached = private_cache / "schemas" / PINNED_FILENAME
    for p in (explicit, from_env, cached):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("<grammar/>")
    monkeypatch.setenv(ENV_TEI_ALL, str(from_env))
    assert find_tei_all(explicit) == explicit
    assert find_tei_all(None) == from_env
    monkeypatch.delenv(ENV_TEI_ALL)
    assert find_tei_all(None) == cached


def test_find_tei_all_explains_all_three_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SchemaError) as nothing:
        find_tei_all(None)
    for way in ("--tei-all", ENV_TEI_ALL, "tei-cable schema fetch", str(cache_dir())):
        assert way in str(nothing.value)
    with pytest.raises(SchemaError, match="given explicitly does not exist") as missing:
        find_tei_all(tmp_path / "nope.rng")
    assert str(tmp_path / "nope.rng") in str(missing.value)
    monkeypatch.setenv(ENV_TEI_ALL, str(tmp_path / "also-nope.rng"))
    with pytest.raises(SchemaError, match=ENV_TEI_ALL):
        find_tei_all(None)  # a wrong env variable is an error, not a reason to look elsewhere


def test_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_CACHE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "tei-cable"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert cache_dir() == Path.home() / ".cache" / "tei-cable"


@pytest.fixture
def server(tmp_path: Path, tei_all: Path) -> Iterator[str]:
    """A local HTTP server on 127.0.0.1 serving a copy of tei_all (no other network use)."""
    root = tmp_path / "www"
    root.mkdir()
    shutil.copyfile(tei_all, root / "tei_all.rng")
    data = tei_all.read_bytes()
    (root / "corrupt.rng").write_bytes(data[:1000] + b"X" + data[1001:])  # one byte changed

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_stores_the_checked_schema(server: str, tmp_path: Path, tei_all: Path) -> None:
    path = fetch_tei_all(f"{server}/tei_all.rng", PINNED_SHA256, tmp_path / "dest")
    assert path == tmp_path / "dest" / PINNED_FILENAME
    assert hashlib.sha256(path.read_bytes()).hexdigest() == PINNED_SHA256 == hashlib.sha256(
        tei_all.read_bytes()
    ).hexdigest()
    assert [p.name for p in path.parent.iterdir()] == [PINNED_FILENAME]


def test_fetch_into_the_cache_is_found(server: str) -> None:
    path = fetch_tei_all(f"{server}/tei_all.rng")
    assert find_tei_all(None) == path


def test_fetch_refuses_a_wrong_checksum_and_leaves_no_file(server: str, tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    with pytest.raises(SchemaError, match="checksum mismatch") as err:
        fetch_tei_all(f"{server}/tei_all.rng", "0" * 64, dest)
    assert "was not saved" in str(err.value)
    assert not dest.exists() or not any(dest.iterdir())


def test_a_corrupt_download_removes_a_stale_copy_but_keeps_a_good_one(
    server: str, tmp_path: Path, tei_all: Path
) -> None:
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / PINNED_FILENAME).write_text("stale, not the schema")
    with pytest.raises(SchemaError, match="checksum mismatch"):
        fetch_tei_all(f"{server}/corrupt.rng", PINNED_SHA256, dest)
    assert not any(dest.iterdir())  # find_tei_all must not find the stale file afterwards
    shutil.copyfile(tei_all, dest / PINNED_FILENAME)  # an earlier good fetch
    with pytest.raises(SchemaError, match="checksum mismatch"):
        fetch_tei_all(f"{server}/corrupt.rng", PINNED_SHA256, dest)
    assert hashlib.sha256((dest / PINNED_FILENAME).read_bytes()).hexdigest() == PINNED_SHA256


def test_fetch_reports_http_errors(server: str, tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="HTTP 404"):
        fetch_tei_all(f"{server}/missing.rng", PINNED_SHA256, tmp_path / "dest")
    assert not (tmp_path / "dest").exists()


def test_fetch_refuses_a_malformed_checksum_before_downloading(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="not a SHA-256"):
        fetch_tei_all("http://127.0.0.1:9/never-contacted.rng", "abc", tmp_path / "dest")


def test_fetch_refuses_non_http_urls(tmp_path: Path, tei_all: Path) -> None:
    with pytest.raises(SchemaError, match="non-HTTP"):
        fetch_tei_all(tei_all.as_uri(), PINNED_SHA256, tmp_path / "dest")
    assert not (tmp_path / "dest").exists()
