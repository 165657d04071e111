"""``tei-cable export``: formats, options, output files and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from test_export_goldens import SEED_TEI

from tei_cable.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["export", *args])
    return result.exit_code, result.stdout, result.stderr


def test_text_to_stdout() -> None:
    code, out, _ = run(str(SEED_TEI))
    assert code == 0 and out.startswith("Cable, Zhou Enlai to Chairman Mao [Zedong]")


def test_body_only() -> None:
    code, out, _ = run(str(SEED_TEI), "--to", "text", "--body-only")
    assert code == 0 and out.startswith("To Chairman Mao [Zedong] and the Central Committee:\n")


def test_every_format_to_a_file(tmp_path: Path) -> None:
    for fmt in ("text", "html", "json", "cmif"):
        target = tmp_path / f"out.{fmt}"
        code, out, _ = run(str(SEED_TEI), "--to", fmt, "-o", str(target))
        assert code == 0 and out == ""
        assert target.stat().st_size > 500
    assert json.loads((tmp_path / "out.json").read_text())["id"] == "wcda-208202"


def test_errors_exit_2() -> None:
    code, _, err = run(str(SEED_TEI), "--to", "pdf")
    assert code == 2 and "'pdf' is not one of" in err
    code, _, err = run(str(SEED_TEI), "--to", "html", "--body-only")
    assert code == 2 and err.startswith("tei-cable: error: unknown option for 'html' export 'body_only'")
    code, _, err = run("missing.xml")
    assert code == 2 and err.startswith("tei-cable: error: missing.xml: cannot read file")
    code, _, err = run("data/cable-208202-zhou-enlai-1952-08-28.txt")
    assert code == 2 and "convert it first" in err


def test_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    copy = tmp_path / "seed.xml"
    copy.write_bytes(SEED_TEI.read_bytes())
    code, _, err = run(str(copy), "--to", "text", "-o", str(copy))
    assert code == 2 and "refusing to overwrite the input" in err
    assert copy.read_bytes() == SEED_TEI.read_bytes()


def test_unknown_elements_are_warned_once(tmp_path: Path) -> None:
    source = tmp_path / "odd.xml"
    source.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>a <frob>b</frob> <frob>c</frob>'
                      "</p></body></text></TEI>")
    code, out, err = run(str(source))
    assert code == 0 and out == "a b c\n"
    assert err.count("warning: element <frob> is not in the behaviours table; shown as inline") == 1
