"""Benchmark the date grammar: dates found per second on a large synthetic text.

Run: ``python benchmarks/bench_dates.py [--size-mb 5] [--repeat 3]``

The text mixes paragraphs of the seed cable (mostly no dates: the common case) with sentences
that use every supported form, so both the fast path (nothing to find) and the slow path
(combination, context, values) are measured. The figure that matters for the project is the
last line: documents of 10 kB per minute, which must stay well above 10,000.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tei_cable.dates import find_dates  # noqa: E402

SEED = ROOT / "data" / "cable-208202-zhou-enlai-1952-08-28.txt"
# Fallback prose when the seed is not at hand: digits, tonnages and telegram numbers, the usual traps.
FALLBACK = (
    "As for the issue of separate peace treaties between the Soviet Union and Japan, ever since the "
    "conclusion of the San Francisco Peace Treaty, a joint peace treaty has been impossible. We must buy "
    "15,000 tons of rubber and sell 50% to 70% of rubber production. See Telegram No. 1952, pp. 91-94."
)
DATED = [
    "On August 28, 1952, Mao Zedong replied to Zhou Enlai by telegram.",
    "Yesterday evening the two delegations held their second meeting.",
    "The debt can be settled by 1962 according to the world price. After 1962, the value changes.",
    "The turnover shall be completed no later than the end of 1952.",
    "The railway will be completed in 1955, or in 1954 if equipment arrives in early 1953.",
    "Received 8/28/52 4:10 am; sent 24.03.50 at 16.30 (Moscow time).",
    "The plan covers 1950-1953 and the talks ran from 1 to 5 June 1953 and June 8-12, 1953.",
    "In the spring of 1953 and in the mid-1950s, and again on Thursday, August 28th, the 28th of August.",
    "The letter of 28.VIII.1952 and of 28 VIII 1952 arrived at 1630 hours, 23:45 (Moscow time).",
    "We met the day before yesterday, this morning, and will meet tonight and tomorrow.",
]


def make_text(size: int, seed: int = 1952) -> str:
    """Paragraphs of the seed cable (which has about 15 dates in 9 kB) with one paragraph in five
    replaced by a sentence full of date forms: several times denser in dates than real documents."""
    rng = random.Random(seed)
    prose = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()] if SEED.exists() else []
    prose = prose or [FALLBACK]
    parts: list[str] = []
    total = 0
    while total < size:
        chunk = rng.choice(prose) if rng.random() < 0.8 else rng.choice(DATED)
        parts.append(chunk)
        total += len(chunk) + 2
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=5.0, help="size of the synthetic text")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    args = parser.parse_args()
    text = make_text(int(args.size_mb * 1_000_000))
    doc = datetime.date(1952, 8, 28)
    best = float("inf")
    found = 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        found = len(find_dates(text, doc))
        best = min(best, time.perf_counter() - t0)
    mb = len(text) / 1_000_000
    print(f"text: {mb:.1f} MB, {found} date/time expressions found")
    print(f"best of {args.repeat}: {best:.2f} s = {found / best:,.0f} dates/s, {mb / best:.2f} MB/s")
    print(f"10 kB documents per minute: {60 * mb / best * 100:,.0f}")


if __name__ == "__main__":
    main()
