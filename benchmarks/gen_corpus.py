"""Generate a synthetic corpus of N documents in the Digital Archive's export layout, for build benchmarks.

Run: ``python benchmarks/gen_corpus.py DIR -n 10000 [--size seed|natural] [--seed 1]``

The templates are the seed cable (``data/``) and every fixture case (``tests/cases/*/input.txt``): eleven
real layouts (cable, letter, record of conversation, minutes, report with annexes, telegram ...). Document
``k`` takes template ``k mod T`` and varies it:

* its archive record number (the URL line), so every document has its own id (``wcda-9000001`` ...);
* its body: with ``--size seed`` (the default) plain paragraphs of the template (no footnote marker, no
  list label, not the closing lines) are repeated in place, chosen at random, until the document is about
  as long as the seed cable (9.5 kB), because the build's targets are stated for seed-sized documents;
  ``--size natural`` keeps the templates' own lengths (2.3 to 9.5 kB). With ``--size seed`` the two
  templates that have no such paragraph (telegrams made only of numbered points) are not used: T = 9.

Dates, names and notes are left alone: shifting a date would contradict the closer and the citation and
turn valid documents into invalid ones, which would measure the error path instead of the build.
The output is deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = [ROOT / "data" / "cable-208202-zhou-enlai-1952-08-28.txt",
             *sorted((ROOT / "tests" / "cases").glob("*/input.txt"))]
SEED_SIZE = TEMPLATES[0].stat().st_size
URL = re.compile(r"^<https?://digitalarchive\.wilsoncenter\.org/document/[^>]+>$", re.MULTILINE)
#: Paragraphs that must not be repeated: footnote markers, list labels, speaker labels, rules, headings.
NOT_PLAIN = re.compile(r"\^\[|^\s*(?:\[\d+\]|\(?\d+[.)]|\(?[a-z][.)]|[IVX]+\.|-\s|\*|[A-Z][A-Za-z .\-]{0,40}:)")
FIRST_RECORD = 9_000_001


def template_parts(text: str) -> tuple[list[str], list[int]]:
    """The text's blocks (split at blank lines) and the indexes of blocks that may be repeated."""
    blocks = text.split("\n\n")
    try:
        contents = next(i for i, b in enumerate(blocks) if b.strip() == "Contents:")
    except StopIteration:
        contents = 0
    # The notes and the closing lines sit at the end: the last third of short blocks is left alone.
    last = len(blocks) - 3
    plain = [i for i, b in enumerate(blocks)
             if contents + 2 < i < last and len(b) > 150 and not NOT_PLAIN.search(b) and b == b.strip("\n")
             and b[:1].isupper()]
    return blocks, plain


def vary(text: str, number: int, rng: random.Random, size: str) -> str:
    text = URL.sub(f"<https://digitalarchive.wilsoncenter.org/document/{number}>", text, count=1)
    if size != "seed":
        return text
    blocks, plain = template_parts(text)
    if not plain:
        return text
    repeats: dict[int, int] = {}
    length = len(text.encode("utf-8"))
    while length < SEED_SIZE * 0.95:
        pick = rng.choice(plain)
        repeats[pick] = repeats.get(pick, 0) + 1
        length += len(blocks[pick].encode("utf-8")) + 2
    out = []
    for i, block in enumerate(blocks):
        out.append(block)
        out.extend([block] * repeats.get(i, 0))
    return "\n\n".join(out)


def generate(out: Path, count: int, *, size: str = "seed", seed: int = 1) -> list[Path]:
    """Write ``count`` documents into ``out`` (created); return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    texts = [t.read_text(encoding="utf-8") for t in TEMPLATES]
    if size == "seed":  # a template with no paragraph to repeat cannot grow to the seed's size
        texts = [t for t in texts if template_parts(t)[1]]
    rng = random.Random(seed)
    paths = []
    for k in range(count):
        number = FIRST_RECORD + k
        path = out / f"doc-{number}.txt"
        path.write_text(vary(texts[k % len(texts)], number, rng, size), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to write into (created)")
    parser.add_argument("-n", "--count", type=int, default=1000, help="number of documents")
    parser.add_argument("--size", choices=["seed", "natural"], default="seed",
                        help="seed: every document about as long as the seed cable; natural: the templates' lengths")
    parser.add_argument("--seed", type=int, default=1, help="random seed (the same seed gives the same corpus)")
    args = parser.parse_args()
    paths = generate(args.out, args.count, size=args.size, seed=args.seed)
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} documents to {args.out} ({total / len(paths) / 1024:.1f} kB on average)")


if __name__ == "__main__":
    main()
