"""``tei-cable validate`` and ``tei-cable schema``: exit codes, the first line of output, formats, paths."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASES, ROOT

from tei_cable.cli import main

INVALID = ROOT / "tests" / "invalid"
SEED_XML = CASES / "seed-208202" / "expected.xml"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def lines(text: str) -> list[str]:
    return text.splitlines()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A folder with a valid document, an invalid one, one with a warning only, in subfolders."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b").mkdir()
    shutil.copy(SEED_XML, tmp_path / "a" / "seed.xml")
    shutil.copy(INVALID / "div-type.xml", tmp_path / "a" / "b" / "div-type.xml")
    shutil.copy(INVALID / "name-linked.xml", tmp_path / "warning.xml")
    (tmp_path / "a" / "notes.txt").write_text("not XML and not .xml")
    return tmp_path


# --- exit codes and the first line ------------------------------------------------------------------


def test_valid_file_exits_0_with_a_summary():
    result = run("validate", "--against", "project", str(INVALID.parent / "cases" / "letter" / "expected.xml"))
    assert result.exit_code == 0, result.output
    assert lines(result.stdout)[-1].startswith("1 file checked against project: 1 valid, 0 invalid; 0 errors")


def test_invalid_file_exits_1_and_names_file_line_rule_and_xpath():
    path = str(INVALID / "iso-date.xml")
    result = run("validate", "--against", "project", path)
    assert result.exit_code == 1
    first = lines(result.stdout)[0]
    assert first.startswith(f"{path}:20: error: @when=\"1952-02-30\" on <date> is not valid: an ISO 8601 date")
    assert first.endswith("[iso-date] (relaxng, xsd: /tei:TEI/tei:text/tei:body/tei:div/tei:p/tei:date/@when)")
    assert lines(result.stdout)[-1] == "1 file checked against project: 0 valid, 1 invalid; 1 error, 0 warnings"


def test_not_xml_exits_2_and_says_where_the_xml_breaks(tmp_path):
    bad = tmp_path / "broken.xml"
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n  <teiHeader>\n</TEI>\n')
    result = run("validate", "--against", "project", str(bad), str(INVALID / "div-type.xml"))
    assert result.exit_code == 2
    assert lines(result.stderr)[0].startswith(f"tei-cable: error: {bad}:3: not well-formed XML: ")
    assert "[div-type]" in result.stdout  # the other file was still checked
    assert "1 not readable as XML" in lines(result.stdout)[-1]


def test_a_path_that_names_nothing_exits_2(tmp_path):
    result = run("validate", str(tmp_path / "missing.xml"))
    assert result.exit_code == 2
    assert lines(result.stderr)[0] == f"tei-cable: error: {tmp_path / 'missing.xml'}: no such file or directory"


def test_usage_errors_exit_2():
    assert run("validate").exit_code == 2  # no PATH
    result = run("validate", "--against", "dtd", str(INVALID / "div-type.xml"))
    assert result.exit_code == 2 and "Invalid value for '--against'" in result.stderr


def test_duplicate_ids_are_a_validation_error_not_an_input_error():
    # libxml2's parser refuses a repeated xml:id unless ids are not collected (tei.safe_parser):
    # a document with two equal ids is well-formed, and invalid (rule id-unique, exit 1).
    result = run("validate", "--against", "project", str(INVALID / "id-unique.xml"))
    assert result.exit_code == 1, result.output
    assert "[id-unique]" in lines(result.stdout)[0]


# --- warnings and --strict --------------------------------------------------------------------------


def test_warnings_pass_unless_strict():
    path = str(INVALID / "name-linked.xml")
    relaxed = run("validate", "--against", "project", path)
    assert relaxed.exit_code == 0 and ": warning: " in lines(relaxed.stdout)[0]
    strict = run("validate", "--against", "project", "--strict", path)
    assert strict.exit_code == 1
    assert lines(strict.stdout)[-1].endswith("0 errors, 1 warning (warnings fail: --strict)")


# --- paths: directories and globs -------------------------------------------------------------------


def test_a_directory_means_every_xml_file_below_it(docs):
    result = run("validate", "--against", "project", str(docs))
    assert result.exit_code == 1
    checked = {line.split(":")[0] for line in lines(result.stdout) if ": error: " in line or ": warning: " in line}
    assert checked == {str(docs / "a" / "b" / "div-type.xml"), str(docs / "a" / "seed.xml"), str(docs / "warning.xml")}
    assert lines(result.stdout)[-1].startswith("3 files checked against project: 2 valid, 1 invalid")


def test_a_quoted_glob_is_expanded(docs):
    result = run("validate", "--against", "project", str(docs / "**" / "seed.xml"), str(docs / "*.xml"))
    assert result.exit_code == 0, result.output
    assert lines(result.stdout)[-1].startswith("2 files checked against project: 2 valid")


def test_a_glob_or_directory_that_matches_nothing_exits_2(tmp_path):
    assert run("validate", str(tmp_path / "*.xml")).exit_code == 2
    assert run("validate", str(tmp_path)).exit_code == 2


def test_every_golden_case_is_valid():
    result = run("validate", "--against", "project", str(CASES / "*" / "expected.xml"))
    assert result.exit_code == 0, result.output
    n = len(list(CASES.glob("*/expected.xml")))
    assert n >= 16
    assert lines(result.stdout)[-1].startswith(f"{n} files checked against project: {n} valid, 0 invalid; 0 errors")


# --- formats ----------------------------------------------------------------------------------------


def test_json_lists_problems_with_their_validators(docs):
    result = run("validate", "--against", "project", "--format", "json", str(docs))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    by_path = {Path(f["path"]).name: f for f in data["files"]}
    assert by_path["seed.xml"]["valid"] and not by_path["div-type.xml"]["valid"]
    (problem,) = by_path["div-type.xml"]["problems"]
    assert problem["rule"] == "div-type" and problem["validators"] == ["relaxng", "xsd"]
    assert problem["line"] == 19 and problem["xpath"] == "/tei:TEI/tei:text/tei:body/tei:div/@type"
    assert data["summary"]["invalid"] == 1 and data["summary"]["warnings"] == 2
    assert [c.split(":")[0] for c in data["checked_with"]] == ["relaxng", "xsd", "schematron"]


def test_github_annotations(docs):
    result = run("validate", "--against", "project", "--format", "github", str(docs))
    out = lines(result.stdout)
    error = next(line for line in out if line.startswith("::error "))
    assert error.startswith(f"::error file={docs / 'a' / 'b' / 'div-type.xml'},line=19,title=div-type::@type=")
    assert any(line.startswith("::warning ") and "title=name-linked" in line for line in out)
    strict = lines(run("validate", "--against", "project", "--format", "github", "--strict", str(docs)).stdout)
    assert not any(line.startswith("::warning ") for line in strict)


def test_github_escapes_what_would_break_an_annotation(tmp_path):
    path = tmp_path / "a,b:c.xml"
    shutil.copy(INVALID / "div-type.xml", path)
    first = lines(run("validate", "--against", "project", "--format", "github", str(path)).stdout)[0]
    assert "a%2Cb%3Ac.xml,line=19" in first


def test_not_xml_in_github_and_json(tmp_path):
    bad = tmp_path / "broken.xml"
    bad.write_text("<TEI>\n<p>\n")
    github = run("validate", "--against", "project", "--format", "github", str(bad))
    assert github.exit_code == 2 and lines(github.stdout)[0].startswith(f"::error file={bad},line=")
    data = json.loads(run("validate", "--against", "project", "--format", "json", str(bad)).stdout)
    assert data["files"][0]["error"].startswith("not well-formed XML") and data["summary"]["unreadable"] == 1


# --- tei_all ----------------------------------------------------------------------------------------


def test_tei_all_reports_the_tei_release(tei_all):
    result = run("validate", "--against", "tei-all", "--tei-all", str(tei_all), str(SEED_XML))
    assert result.exit_code == 0, result.output
    assert "checked with tei-all: official TEI P5 4.9.0" in result.stdout


def test_tei_all_from_the_environment(tei_all, tmp_path):
    env = {"TEI_CABLE_TEI_ALL": str(tei_all), "TEI_CABLE_CACHE": str(tmp_path)}
    result = run("validate", str(SEED_XML), env=env)  # --against all is the default
    assert result.exit_code == 0, result.output
    assert lines(result.stdout)[-1].startswith("1 file checked against all: 1 valid")


def test_without_tei_all_the_default_run_says_how_to_get_it(tmp_path):
    result = run("validate", str(SEED_XML), env={"TEI_CABLE_CACHE": str(tmp_path), "TEI_CABLE_TEI_ALL": ""})
    assert result.exit_code == 2
    assert lines(result.stderr)[0].startswith("tei-cable: error: no tei_all schema found; provide")


def test_tei_all_errors_fail_the_run(tei_all):
    result = run("validate", "--against", "tei-all", "--tei-all", str(tei_all), str(INVALID / "root-element.xml"))
    assert result.exit_code == 1 and ": error: " in lines(result.stdout)[0]


# --- tei-cable schema -------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # no request log on stderr
        pass


@pytest.fixture
def server(tmp_path: Path):
    """A local HTTP server for tmp_path/served (fetch tests never touch the network)."""
    served = tmp_path / "served"
    served.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(served))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_schema_fetch_stores_a_checked_copy_that_validation_then_finds(server, tmp_path, tei_all):
    served, url = server
    shutil.copy(tei_all, served / "tei_all.rng")
    digest = hashlib.sha256(tei_all.read_bytes()).hexdigest()
    env = {"TEI_CABLE_CACHE": str(tmp_path / "cache"), "TEI_CABLE_TEI_ALL": ""}
    result = run("schema", "fetch", "--url", f"{url}/tei_all.rng", "--sha256", digest, env=env)
    assert result.exit_code == 0, result.output
    stored = tmp_path / "cache" / "schemas" / "tei_all_4.9.0.rng"
    assert result.stdout.strip() == f"stored TEI P5 4.9.0 tei_all at {stored}"
    assert stored.read_bytes() == tei_all.read_bytes()
    where = run("schema", "where", env=env)
    assert f"tei-all: TEI P5 4.9.0 at {stored}" in where.stdout
    assert run("validate", str(SEED_XML), env=env).exit_code == 0


def test_schema_fetch_refuses_a_checksum_mismatch(server, tmp_path):
    served, url = server
    (served / "tei_all.rng").write_text("<grammar/>")
    result = run("schema", "fetch", "--url", f"{url}/tei_all.rng", "--sha256", "0" * 64, "--dest", str(tmp_path / "d"))
    assert result.exit_code == 2
    assert lines(result.stderr)[0].startswith("tei-cable: error: checksum mismatch for ")
    assert not (tmp_path / "d").exists() or not any((tmp_path / "d").iterdir())


def test_schema_where_without_tei_all(tmp_path):
    result = run("schema", "where", env={"TEI_CABLE_CACHE": str(tmp_path), "TEI_CABLE_TEI_ALL": ""})
    assert result.exit_code == 0
    assert lines(result.stdout)[0].endswith("tei_cable.rng")
    assert lines(result.stdout)[-1].startswith("tei-all: not available: no tei_all schema found")


# --- what users copy: the pre-commit hooks and the documentation -------------------------------------


def hook_entries() -> dict[str, list[str]]:
    """id -> entry words, read from .pre-commit-hooks.yaml (a flat list of mappings; no YAML library needed)."""
    hooks: dict[str, list[str]] = {}
    current = ""
    for line in (ROOT / ".pre-commit-hooks.yaml").read_text().splitlines():
        key, _, value = line.strip().lstrip("- ").partition(": ")
        if key == "id":
            current = value
        elif key == "entry":
            hooks[current] = value.split()
    return hooks


def test_pre_commit_hooks_run_the_validator(tei_all):
    hooks = hook_entries()
    assert set(hooks) == {"tei-cable-validate", "tei-cable-validate-all"}
    for words in hooks.values():
        assert words[:2] == ["tei-cable", "validate"]
        # pre-commit appends the staged file names
        ok = run(*words[1:], str(SEED_XML), env={"TEI_CABLE_TEI_ALL": str(tei_all)})
        assert ok.exit_code == 0, ok.output
        bad = run(*words[1:], str(INVALID / "div-type.xml"), env={"TEI_CABLE_TEI_ALL": str(tei_all)})
        assert bad.exit_code == 1


def test_the_documentation_lists_every_rule():
    from tei_cable.validate import validator
    from tei_cable.validate.grammar import project_grammar

    text = (ROOT / "docs" / "VALIDATION.md").read_text()
    rules = [*project_grammar().rules, *validator("schematron").rules]  # type: ignore[attr-defined]
    assert [r for r in rules if f"| `{r}` |" not in text] == []
