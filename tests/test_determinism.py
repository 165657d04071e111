"""Determinism: the same input gives byte-identical TEI (and the same warnings) every time.

Sources of drift these tests would catch: iteration over sets or dicts keyed by strings (``PYTHONHASHSEED``),
caches that carry state from one document to the next within a process, the time zone or locale, the spelling
of the input path, and the current time.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED, all_inputs

from tei_cable.cli import main
from tei_cable.convert import convert_file
from tei_cable.tei import serialize

#: Converts every input given on the command line and prints one JSON object: path -> (TEI sha256, warnings).
#: It runs in a fresh interpreter for each environment below.
SCRIPT = """
import hashlib, json, sys
from tei_cable.convert import convert_file
from tei_cable.tei import serialize
out = {}
for path in sys.argv[1:]:
    result = convert_file(path)
    out[path] = [hashlib.sha256(serialize(result.tree)).hexdigest(),
                 [f"{f.line}: {f.message}" for f in result.findings]]
print(json.dumps(out, sort_keys=True))
"""

#: Environments that must not change a byte: hash seeds (0 disables randomisation; the others reorder every
#: set and str-keyed dict), a far-away time zone and the C locale.
ENVIRONMENTS = {
    "seed-0": {"PYTHONHASHSEED": "0"},
    "seed-1": {"PYTHONHASHSEED": "1"},
    "seed-4242": {"PYTHONHASHSEED": "4242", "TZ": "Asia/Shanghai"},
    "seed-random-C-locale": {"PYTHONHASHSEED": "random", "LC_ALL": "C", "TZ": "America/Los_Angeles"},
}


def _fingerprint(paths: list[Path]) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {}
    for path in paths:
        result = convert_file(path)
        out[str(path)] = [hashlib.sha256(serialize(result.tree)).hexdigest(),
                          [f"{f.line}: {f.message}" for f in result.findings]]
    return out


def _subprocess_fingerprint(paths: list[Path], extra_env: dict[str, str]) -> dict[str, list[object]]:
    env = {**os.environ, **extra_env}
    proc = subprocess.run([sys.executable, "-c", SCRIPT, *map(str, paths)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result: dict[str, list[object]] = json.loads(proc.stdout)
    return result


def test_converting_twice_in_one_process_gives_the_same_bytes():
    for path in all_inputs():
        first = serialize(convert_file(path).tree)
        second = serialize(convert_file(path).tree)
        assert first == second, path


def test_order_of_conversions_in_one_process_does_not_matter():
    """Caches (register indexes, compiled tables) must not carry one document's state into the next."""
    paths = all_inputs()
    forward = _fingerprint(paths)
    backward = _fingerprint(list(reversed(paths)))
    assert forward == backward


def test_same_bytes_across_hash_seeds_time_zones_and_locales():
    paths = all_inputs()
    here = _fingerprint(paths)
    for name, env in ENVIRONMENTS.items():
        assert _subprocess_fingerprint(paths, env) == here, f"output differs under {name}: {env}"


@pytest.mark.parametrize("seed", ["0", "99"])
def test_cli_output_and_warnings_are_identical_across_hash_seeds(seed: str, tmp_path: Path):
    """The command itself, end to end: TEI on stdout and warnings on stderr, byte for byte."""
    reference = CliRunner().invoke(main, ["convert", str(SEED)])
    assert reference.exit_code == 0
    proc = subprocess.run([sys.executable, "-m", "tei_cable", "convert", str(SEED)], capture_output=True,
                          env={**os.environ, "PYTHONHASHSEED": seed}, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == reference.stdout_bytes
    assert proc.stderr.decode("utf-8") == reference.stderr


def test_output_does_not_depend_on_how_the_input_path_is_spelled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Absolute, relative, through a symlink, or copied elsewhere under another directory: the same TEI."""
    copy = tmp_path / "elsewhere" / SEED.name
    copy.parent.mkdir()
    copy.write_bytes(SEED.read_bytes())
    link = tmp_path / SEED.name.replace(".txt", "-link.txt")
    spellings = [SEED, copy]
    try:
        link.symlink_to(SEED)
        spellings.append(link)
    except OSError:
        pass  # no symlinks on this platform: the other spellings still count
    monkeypatch.chdir(SEED.parent)
    spellings.append(Path(SEED.name))
    outputs = {serialize(convert_file(p).tree) for p in spellings}
    assert len(outputs) == 1


def test_output_file_equals_stdout(tmp_path: Path):
    """``-o FILE`` and standard output carry the same bytes."""
    output = tmp_path / "out.xml"
    to_file = CliRunner().invoke(main, ["convert", str(SEED), "-o", str(output), "-q"])
    to_stdout = CliRunner().invoke(main, ["convert", str(SEED), "-q"])
    assert to_file.exit_code == 0 and to_stdout.exit_code == 0
    assert output.read_bytes() == to_stdout.stdout_bytes
