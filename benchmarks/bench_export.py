"""Benchmark the exporters: documents exported per second, per format.

Run: ``python benchmarks/bench_export.py [--seconds 2] [--case seed-208202]``

The input is a golden TEI file (the seed cable by default, about 40 kB of TEI with its register), parsed
once; each format is then exported repeatedly for ``--seconds`` and the rate printed. A corpus build of a
few thousand documents should take seconds per format, so every figure should stay well above 50/s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tei_cable.export import EXPORTERS, export  # noqa: E402
from tei_cable.tei import read_xml  # noqa: E402

CASES = ROOT / "tests" / "cases"


def rate(tree: object, fmt: str, seconds: float) -> tuple[float, int]:
    export(tree, fmt)  # warm up: imports, the CSS file
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        export(tree, fmt)
        count += 1
    return count / elapsed, len(export(tree, fmt).encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time spent on each format")
    parser.add_argument("--case", default="seed-208202", help="folder under tests/cases with expected.xml")
    args = parser.parse_args()
    source = CASES / args.case / "expected.xml"
    tree = read_xml(source)
    print(f"input: {source.relative_to(ROOT)} ({source.stat().st_size / 1024:.0f} kB of TEI)")
    for fmt in EXPORTERS:
        per_second, size = rate(tree, fmt, args.seconds)
        print(f"{fmt:<6} {per_second:8.1f} documents/s  {1000 / per_second:7.2f} ms each  output {size / 1024:6.1f} kB")


if __name__ == "__main__":
    main()
