"""Benchmark validation: cold start of the CLI on one document, then warm time per document.

Run: ``python benchmarks/bench_validate.py [--runs 7] [--seconds 2]``

* cold: ``tei-cable validate --against project <seed>`` as a fresh subprocess (interpreter start,
  imports, compiling the RELAX NG, XSD and Schematron, validating), best and median of ``--runs``.
  The target is under 0.5 s: a pre-commit hook runs it on every commit.
* build: building each validator and validating one document with it (what a cold start pays).
* warm: validating the goldens (seed and ten cases) again and again with compiled validators, per
  validator and for ``--against project`` and ``all``; a CI job over a corpus pays this per file.
* invalid: the same for the documents of tests/invalid (the diagnosis runs only on invalid ones).

tei_all figures need the official schema (``$TEI_CABLE_TEI_ALL``, ``tei-cable schema fetch``, or the
project's ``../shared/tei`` copy); without it they are skipped with a note.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tei_cable.errors import InputError, SchemaError  # noqa: E402
from tei_cable.tei import read_xml  # noqa: E402
from tei_cable.validate import AGAINST, _build, validate, validator  # noqa: E402

CASES = ROOT / "tests" / "cases"
SEED = CASES / "seed-208202" / "expected.xml"
SHARED_TEI_ALL = ROOT.parent / "shared" / "tei" / "tei_all_4.9.0.rng"
CLI = [sys.executable, "-m", "tei_cable"]


def cold(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run([*CLI, "validate", "--against", "project", str(SEED)], capture_output=True)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"the CLI failed ({result.returncode}): {result.stderr.decode()[:500]}")
    return times


def per_document(trees: list, against: str, seconds: float, tei_all: Path | None) -> float:
    """Mean seconds per document over repeated passes (at least one) of ``trees``."""
    for tree in trees:
        validate(tree, against, tei_all=tei_all)  # warm up: compile, grow the tei_all grammar
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds or count == 0:
        for tree in trees:
            validate(tree, against, tei_all=tei_all)
            count += 1
    return elapsed / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="cold starts to time")
    parser.add_argument("--seconds", type=float, default=2.0, help="time spent on each warm figure")
    args = parser.parse_args()

    tei_all: Path | None = None
    if not os.environ.get("TEI_CABLE_TEI_ALL") and SHARED_TEI_ALL.is_file():
        tei_all = SHARED_TEI_ALL
    try:
        validator("tei-all", tei_all)
    except SchemaError as err:
        print(f"note: tei_all figures skipped ({err.message[:60]}...)")
        tei_all = None
        has_tei_all = False
    else:
        has_tei_all = True

    print(f"document: {SEED.relative_to(ROOT)} ({SEED.stat().st_size / 1024:.0f} kB)")
    times = cold(args.runs)
    verdict = "under" if min(times) < 0.5 else "OVER"
    print(f"cold start, tei-cable validate --against project, one document: best {min(times):.3f} s, "
          f"median {statistics.median(times):.3f} s over {args.runs} runs ({verdict} the 0.5 s target)")

    names = ["relaxng", "xsd", "schematron", "xmlschema", *(["tei-all"] if has_tei_all else [])]
    seed = read_xml(SEED)
    print("build + first validation, in this process (tei-all reads its pruned grammar from the disk cache "
          "when an earlier run left it there):")
    for name in names:
        start = time.perf_counter()
        fresh = _build.__wrapped__(name, str(tei_all.resolve()) if name == "tei-all" and tei_all else None)
        list(fresh.iter_issues(seed))
        print(f"  {name:<10} {1000 * (time.perf_counter() - start):8.1f} ms")

    goldens = [read_xml(p) for p in sorted(CASES.glob("*/expected.xml"))]
    size = sum(p.stat().st_size for p in CASES.glob("*/expected.xml")) // 1024
    print(f"warm, per document ({len(goldens)} goldens, {size} kB in all):")
    for against in [*names, *(a for a in AGAINST if a not in names and (has_tei_all or a == "project"))]:
        ms = 1000 * per_document(goldens, against, args.seconds, tei_all)
        print(f"  {against:<10} {ms:8.2f} ms")
    invalid = []
    for path in sorted((ROOT / "tests" / "invalid").glob("*.xml")):
        # A parser that collects xml:ids refuses duplicate or malformed ids before validation.
        with contextlib.suppress(InputError):
            invalid.append(read_xml(path))
    ms = 1000 * per_document(invalid, "project", args.seconds, tei_all)
    print(f"invalid documents (tests/invalid, {len(invalid)} read), --against project: {ms:.2f} ms each")


if __name__ == "__main__":
    main()
