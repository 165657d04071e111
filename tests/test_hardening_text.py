"""Hostile and broken text exports, and the files ``convert -o`` writes.

Every input gets either a correct conversion (exit 0, well-formed TEI) or exactly one line on standard error,
``tei-cable: error: FILE:LINE: message``, with exit code 2, no traceback and no output file. Each case runs
twice: through click's ``CliRunner`` (in process, where a stray exception is visible as such) and as a real
``python -m tei_cable`` subprocess (what a user sees, including the exit code the shell gets).

Small inputs live in ``tests/hostile/``; large ones (20 MB, a 1 MB line) and the encoding variants of the
seed cable are generated in a temporary folder at test time.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED, time_limit
from lxml import etree

import tei_cable.commands
from tei_cable.cli import main
from tei_cable.convert import convert_text
from tei_cable.errors import InputError
from tei_cable.spans import Span, resolve
from tei_cable.tei import read_xml, serialize

HOSTILE = ROOT / "tests" / "hostile"

#: The one line a user sees for a bad input.
ERROR_LINE = re.compile(r"^tei-cable: error: (?P<path>.+?):(?P<line>\d+): (?P<message>\S.*)$")
#: Any error line, with or without a source line (output errors have none).
ANY_ERROR_LINE = re.compile(r"^tei-cable: error: (?P<path>.+?): (?P<message>\S.*)$")


# -- running the command ----------------------------------------------------------------------------


@dataclass
class Outcome:
    code: int
    stdout: bytes
    stderr: str
    exception: BaseException | None = None  # CliRunner only: an exception that escaped the command


def run_clirunner(args: list[str], cwd: Path, timeout: float = 600) -> Outcome:
    """In process. ``cwd`` is ignored: every path given is absolute."""
    result = CliRunner().invoke(main, args)
    escaped = result.exception if not isinstance(result.exception, SystemExit) else None
    return Outcome(result.exit_code, result.stdout_bytes, result.stderr, escaped)


def run_subprocess(args: list[str], cwd: Path, timeout: float = 600) -> Outcome:
    proc = subprocess.run([sys.executable, "-m", "tei_cable", *args], capture_output=True, cwd=cwd, timeout=timeout)
    return Outcome(proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace"))


RUNNERS: dict[str, Callable[..., Outcome]] = {"clirunner": run_clirunner, "subprocess": run_subprocess}


@pytest.fixture(params=sorted(RUNNERS))
def run(request: pytest.FixtureRequest) -> Callable[..., Outcome]:
    return RUNNERS[request.param]


def assert_one_line_error(outcome: Outcome, path: str, line: int | None = None, fragment: str = "") -> re.Match[str]:
    """Exit 2 and exactly one ``tei-cable: error: FILE:LINE: message`` line; nothing else, no traceback."""
    assert outcome.exception is None, f"escaped: {outcome.exception!r}"
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert outcome.code == 2, outcome.stderr
    lines = outcome.stderr.splitlines()
    assert len(lines) == 1, outcome.stderr
    m = ERROR_LINE.match(lines[0])
    assert m, f"not a located one-line error: {lines[0]!r}"
    assert m["path"] == path
    if line is not None:
        assert int(m["line"]) == line, lines[0]
    assert fragment in m["message"], lines[0]
    assert outcome.stdout == b""
    return m


def assert_clean_outcome(outcome: Outcome, path: str, output: Path) -> None:
    """What every input deserves: a correct conversion, or a one-line located error and no output file."""
    assert outcome.exception is None, f"escaped: {outcome.exception!r}"
    assert "Traceback" not in outcome.stderr, outcome.stderr
    if outcome.code == 0:
        read_xml(output)  # well-formed
        for line in outcome.stderr.splitlines():
            assert line.startswith(f"{path}:") and ": warning: " in line, line
    else:
        assert_one_line_error(outcome, path)
        assert not output.exists()


def leftovers(folder: Path, *expected: Path) -> list[str]:
    """Files in ``folder`` other than ``expected``: a half-written or temporary file is a bug."""
    keep = {p.name for p in expected}
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)




# -- inputs that must be refused --------------------------------------------------------------------

#: (file in tests/hostile, the line the error must name, a word the message must contain)
REFUSED = [
    ("empty.txt", 1, "empty"),
    ("whitespace-only.txt", 1, "empty"),
    ("binary.txt", 1, "PNG"),
    ("cp1252.txt", 7, "Windows-1252"),  # line 7 holds the first curly quote; never converted to mojibake
    ("utf16-no-bom.txt", 1, "UTF-16"),
    ("no-layout.txt", 1, "date"),
    ("bad-date.txt", 1, "February 30"),
    ("no-title.txt", 1, "title"),
    ("no-contents.txt", 3, "Contents:"),
    ("contents-without-items.txt", 5, "item"),
    ("no-body.txt", 10, "no body"),
    ("duplicate-field.txt", 9, "twice"),
    ("marker-without-note.txt", 14, "^[1]"),
    ("note-without-marker.txt", 16, "^[1]"),
    ("marker-twice.txt", 16, "twice"),
    ("notes-out-of-order.txt", 14, "numbered"),
]


@pytest.mark.parametrize(("name", "line", "fragment"), REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_input_gets_one_located_line(run, name: str, line: int | None, fragment: str, tmp_path: Path):
    source = HOSTILE / name
    before = source.read_bytes()
    output = tmp_path / "out.xml"
    outcome = run(["convert", str(source), "-o", str(output)], tmp_path)
    assert_one_line_error(outcome, str(source), line, fragment)
    assert leftovers(tmp_path) == [], "a refused conversion must not create any file"
    assert source.read_bytes() == before


def test_latin1_text_is_refused_not_guessed(tmp_path: Path):
    """No cp1252 punctuation to hint at Windows-1252: still refused, never decoded as something else."""
    text = SEED.read_text(encoding="utf-8").replace("“", '"').replace("”", '"').replace("’", "'").replace("–", "-")
    source = tmp_path / "latin1.txt"
    source.write_bytes(text.encode("latin-1"))
    first_non_ascii = next(k for k, line in enumerate(text.split("\n"), start=1) if not line.isascii())
    outcome = run_clirunner(["convert", str(source), "-o", str(tmp_path / "out.xml")], tmp_path)
    assert_one_line_error(outcome, str(source), first_non_ascii, "UTF-8")  # "Lüshun" in the summary


def test_broken_utf16_is_refused(tmp_path: Path):
    source = tmp_path / "broken16.txt"
    source.write_bytes("\ufeffAugust 28, 1952\n".encode("utf-16-le") + b"\x00\xd8A\x00")  # a lone high surrogate
    outcome = run_clirunner(["convert", str(source)], tmp_path)
    assert outcome.exception is None and outcome.code == 2 and "UTF-16" in outcome.stderr
    assert len(outcome.stderr.splitlines()) == 1


def test_missing_input_file(run, tmp_path: Path):
    outcome = run(["convert", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "out.xml")], tmp_path)
    assert outcome.code == 2 and "Traceback" not in outcome.stderr
    assert ANY_ERROR_LINE.match(outcome.stderr.splitlines()[0]) and len(outcome.stderr.splitlines()) == 1
    assert leftovers(tmp_path) == []


# -- inputs that must convert, byte for byte like the UTF-8 original -------------------------------


def _seed_variants() -> dict[str, bytes]:
    text = SEED.read_text(encoding="utf-8")
    crlf = text.replace("\n", "\r\n")
    lines = text.split("\n")
    mixed = "".join(line + ("\r\n", "\n", "\r")[k % 3] for k, line in enumerate(lines[:-1])) + lines[-1]
    return {
        "utf8-bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "crlf": crlf.encode("utf-8"),
        "cr": text.replace("\n", "\r").encode("utf-8"),
        "mixed-line-ends": mixed.encode("utf-8"),
        "utf16-le-bom": text.encode("utf-16"),  # Python writes a BOM, little-endian here
        "utf16-be-bom": b"\xfe\xff" + text.encode("utf-16-be"),
        "utf16-crlf": crlf.encode("utf-16"),
        "bom-and-crlf": b"\xef\xbb\xbf" + crlf.encode("utf-8"),
    }


@pytest.fixture(scope="module")
def reference() -> tuple[bytes, list[str]]:
    """The seed converted from its plain UTF-8 file: TEI bytes and warnings (with the path taken out)."""
    outcome = run_clirunner(["convert", str(SEED)], SEED.parent)
    assert outcome.code == 0, outcome.stderr
    return outcome.stdout, [line.replace(str(SEED), "FILE") for line in outcome.stderr.splitlines()]


@pytest.mark.parametrize("variant", sorted(_seed_variants()))
def test_encoding_variants_convert_identically(run, variant: str, reference, tmp_path: Path):
    source = tmp_path / f"{variant}.txt"
    source.write_bytes(_seed_variants()[variant])
    output = tmp_path / "out.xml"
    outcome = run(["convert", str(source), "-o", str(output)], tmp_path)
    assert outcome.exception is None and outcome.code == 0, outcome.stderr
    assert output.read_bytes() == reference[0]
    assert [line.replace(str(source), "FILE") for line in outcome.stderr.splitlines()] == reference[1]


# -- size -------------------------------------------------------------------------------------------


def _seed_parts() -> tuple[str, str]:
    """The seed's header (up to its contents list) and its body without footnote markers or notes."""
    text = SEED.read_text(encoding="utf-8")
    header, rest = text.split("- English Translation\n", 1)
    body = re.sub(r"\^\[\d+\]", "", rest.split("\n^[1]", 1)[0])
    return header + "- English Translation\n\n", body.strip()


def test_twenty_megabyte_document_converts(tmp_path: Path):
    """20 MB of real prose: the seed's body over and over (names, dates, brackets, points), each copy after a
    rule line as if a corpus had been pasted into one file.

    Takes 40-70 s and about 600 MB of memory on the development machine; a quadratic step would never end,
    hence the 10-minute limit on the subprocess.
    """
    header, body = _seed_parts()
    copies = 20 * 1024 * 1024 // len(body.encode("utf-8")) + 1
    source = tmp_path / "big.txt"
    source.write_text(header + "\n\n* * *\n\n".join([body] * copies) + "\n", encoding="utf-8")
    assert source.stat().st_size >= 20 * 1024 * 1024
    output = tmp_path / "big.xml"
    outcome = run_subprocess(["convert", str(source), "-o", str(output), "-q"], tmp_path, timeout=600)
    assert outcome.code == 0, outcome.stderr[-2000:]
    assert outcome.stderr == ""
    tree = read_xml(output)
    paragraphs = tree.getroot().findall(".//{http://www.tei-c.org/ns/1.0}body//{http://www.tei-c.org/ns/1.0}p")
    assert len(paragraphs) >= copies * 10, "paragraphs went missing"
    assert leftovers(tmp_path, source, output) == []


def _one_megabyte_line() -> str:
    header, body = _seed_parts()
    paragraph = " ".join(body.split())  # the seed's whole body as one line, names and dates included
    line = " ".join([paragraph] * (1024 * 1024 // len(paragraph) + 1))
    return header + line + "\n"


def test_one_megabyte_line_converts_in_reasonable_time(tmp_path: Path):
    source = tmp_path / "long-line.txt"
    source.write_text(_one_megabyte_line(), encoding="utf-8")
    output = tmp_path / "long-line.xml"
    # A linear converter needs about 2-4 s for 1 MB (20 MB of short paragraphs convert in 40-70 s): 20 s is ample.
    outcome = run_subprocess(["convert", str(source), "-o", str(output), "-q"], tmp_path, timeout=20)
    assert_clean_outcome(outcome, str(source), output)


def test_resolve_is_not_quadratic():
    spans = [Span(3 * k, 3 * k + 2, "persName", rule=k % 7) for k in range(20_000)]
    with time_limit(5):  # a linear or n log n resolve takes well under a second
        kept = resolve(spans)
    assert len(kept) == len(spans)


# -- former crashes (each was a bug; the tests keep them fixed) ----------------------------------------



def _crash(name: str, what: str) -> object:
    return pytest.param(name, id=name.removesuffix(".txt"))


CRASHES = [
    _crash("control-characters.txt", "form feed, vertical tab and ESC reach lxml: ValueError 'All strings must be "
                                     "XML compatible' (traceback, exit 1)"),
    _crash("noncharacter.txt", "U+FFFF reaches lxml: ValueError (traceback, exit 1)"),
    _crash("empty-note.txt", "a note '^[1]' with no text: IndexError in encode._signers (traceback, exit 1)"),
    _crash("speech-then-distribution.txt", "speaker turn, 'Distributed: ...', then a paragraph: the layout keeps "
                                           "it a speech, the encoder has closed the <sp>: AssertionError in "
                                           "encode.body._body_blocks (traceback, exit 1)"),
]


@pytest.mark.parametrize("name", CRASHES)
def test_known_crashes_get_a_clean_outcome(run, name: str, tmp_path: Path):
    source = HOSTILE / name
    output = tmp_path / "out.xml"
    outcome = run(["convert", str(source), "-o", str(output)], tmp_path)
    assert_clean_outcome(outcome, str(source), output)


#: Characters XML 1.0 cannot carry (C0 controls except tab, newline, return; U+FFFE, U+FFFF) and lone
#: surrogates (a caller that decoded with ``surrogateescape``).
XML_INVALID = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff", "\ud800", "\udcff"]


def test_xml_invalid_characters_are_refused_by_the_api():
    header, _ = _seed_parts()
    crashed = []
    for ch in XML_INVALID:
        try:
            result = convert_text(header + f"The Soviet side{ch} agreed.\n", "ctl.txt")
        except InputError as err:
            assert err.line == header.count("\n") + 1, err  # the body line that holds the character
            continue
        except Exception as err:  # the point of the test: anything else is a crash
            crashed.append(f"U+{ord(ch):04X}: {type(err).__name__}")
            continue
        serialize(result.tree)
    assert crashed == []


def test_xml_invalid_characters_never_write_a_file(tmp_path: Path):
    """Whatever happens to them, no output (or temporary) file survives a crash or a refusal."""
    header, _ = _seed_parts()
    for k, ch in enumerate(["\x0c", "\x1b", "\uffff"]):
        source = tmp_path / f"ctl{k}.txt"
        source.write_text(header + f"Text{ch}.\n", encoding="utf-8")
        output = tmp_path / f"ctl{k}.xml"
        outcome = run_clirunner(["convert", str(source), "-o", str(output)], tmp_path)
        assert outcome.code != 0 and not output.exists()
    assert all(p.suffix == ".txt" for p in tmp_path.iterdir())


def test_binary_file_is_called_binary():
    outcome = run_clirunner(["convert", str(HOSTILE / "binary.txt")], HOSTILE)
    assert outcome.code == 2
    assert "Windows-1252" not in outcome.stderr and "binary" in outcome.stderr.lower()


def test_utf16_without_bom_is_named():
    outcome = run_clirunner(["convert", str(HOSTILE / "utf16-no-bom.txt")], HOSTILE)
    assert outcome.code == 2 and "UTF-16" in outcome.stderr


# -- convert -o: never overwrite the input, never leave a half-written file -------------------------


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "in.txt").write_bytes(SEED.read_bytes())
    return tmp_path


def _stat(path: Path) -> tuple[bytes, int, int]:
    st = path.stat()
    return path.read_bytes(), st.st_mtime_ns, st.st_ino


@pytest.mark.parametrize("spelling", ["same", "dot-slash", "dot-dot", "symlink"])
def test_output_never_overwrites_the_input(run, work: Path, spelling: str):
    source = work / "in.txt"
    before = _stat(source)
    (work / "sub").mkdir()
    target = {"same": source, "dot-slash": Path(f"{work}/./in.txt"), "dot-dot": work / "sub" / ".." / "in.txt",
              "symlink": work / "link.txt"}[spelling]
    if spelling == "symlink":
        try:
            target.symlink_to(source)
        except OSError as err:
            pytest.skip(f"cannot create a symbolic link here: {err}")
    outcome = run(["convert", str(source), "-o", str(target)], work)
    assert outcome.code == 2 and "Traceback" not in outcome.stderr
    assert len(outcome.stderr.splitlines()) == 1 and "overwrite the input" in outcome.stderr
    assert _stat(source) == before
    assert leftovers(work, source, work / "sub", work / "link.txt") == []


def test_output_hard_link_to_the_input_leaves_the_input_intact(work: Path):
    source = work / "in.txt"
    link = work / "hard.txt"
    try:
        os.link(source, link)
    except OSError as err:
        pytest.skip(f"cannot create a hard link here: {err}")
    before = source.read_bytes()
    outcome = run_clirunner(["convert", str(source), "-o", str(link), "-q"], work)
    assert outcome.code in (0, 2) and outcome.exception is None
    assert source.read_bytes() == before  # refused, or the link replaced by a new file: never written through


def test_output_never_overwrites_a_register(work: Path):
    register = work / "register.xml"
    register.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><standOff><listPerson><person xml:id="x-test">'
                        '<persName type="preferred">Test Person</persName></person></listPerson></standOff></TEI>')
    before = register.read_bytes()
    outcome = run_clirunner(["convert", str(work / "in.txt"), "--register", str(register), "-o", str(register)],
                            work)
    assert outcome.code == 2 and "overwrite the input" in outcome.stderr
    assert register.read_bytes() == before


def test_existing_output_is_replaced_by_a_complete_file(run, work: Path, reference):
    output = work / "out.xml"
    output.write_bytes(b"<old/>\n" * 100_000)  # longer than the new file: a non-truncating write would show
    os.chmod(output, 0o640)
    outcome = run(["convert", str(work / "in.txt"), "-o", str(output)], work)
    assert outcome.code == 0, outcome.stderr
    assert output.read_bytes() == reference[0]
    assert output.stat().st_mode & 0o777 == 0o640, "replacing a file keeps its permissions"
    assert leftovers(work, work / "in.txt", output) == []


def test_failing_conversion_leaves_the_existing_output_untouched(run, work: Path):
    output = work / "out.xml"
    output.write_bytes(b"<TEI>the edition people care about</TEI>\n")
    before = _stat(output)
    outcome = run(["convert", str(HOSTILE / "no-contents.txt"), "-o", str(output)], work)
    assert_one_line_error(outcome, str(HOSTILE / "no-contents.txt"), 3)
    assert _stat(output) == before
    assert leftovers(work, work / "in.txt", output) == []


@pytest.fixture
def disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the write fail after the temporary file exists, as a full disk would (ENOSPC at fsync)."""

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(tei_cable.files.os, "fsync", fsync)


def test_failed_write_keeps_the_old_output_and_no_temporary_file(work: Path, disk_full: None):
    output = work / "out.xml"
    output.write_bytes(b"<TEI>old</TEI>\n")
    before = _stat(output)
    outcome = run_clirunner(["convert", str(work / "in.txt"), "-o", str(output), "-q"], work)
    assert outcome.code != 0
    assert _stat(output) == before
    assert leftovers(work, work / "in.txt", output) == []


def test_failed_write_is_a_one_line_error(work: Path, disk_full: None):
    output = work / "out.xml"
    outcome = run_clirunner(["convert", str(work / "in.txt"), "-o", str(output), "-q"], work)
    assert outcome.exception is None, repr(outcome.exception)
    assert outcome.code == 2 and len(outcome.stderr.splitlines()) == 1
    assert ANY_ERROR_LINE.match(outcome.stderr.strip())


def test_output_in_a_missing_folder_is_a_one_line_error(run, work: Path):
    output = work / "missing" / "out.xml"
    outcome = run(["convert", str(work / "in.txt"), "-o", str(output), "-q"], work)
    assert outcome.code == 2 and "Traceback" not in outcome.stderr
    assert len(outcome.stderr.splitlines()) == 1 and ANY_ERROR_LINE.match(outcome.stderr.strip())
    assert not output.parent.exists()


def test_output_that_is_a_directory_is_a_one_line_error(run, work: Path):
    folder = work / "editions"
    folder.mkdir()
    (folder / "keep.xml").write_bytes(b"<TEI/>")
    outcome = run(["convert", str(work / "in.txt"), "-o", str(folder), "-q"], work)
    assert (folder / "keep.xml").read_bytes() == b"<TEI/>"
    assert leftovers(work, work / "in.txt", folder) == []
    assert outcome.exception is None, repr(outcome.exception)
    assert outcome.code == 2 and len(outcome.stderr.splitlines()) == 1 and "Traceback" not in outcome.stderr


def test_stdout_output_is_complete_xml(run, work: Path, reference):
    outcome = run(["convert", str(work / "in.txt"), "-q"], work)
    assert outcome.code == 0 and outcome.stdout == reference[0]
    etree.fromstring(outcome.stdout)
    assert leftovers(work, work / "in.txt") == []
