"""How fast is validation against official TEI P5 (tei_all), next to jing on the same files?

    .venv/bin/python benchmarks/bench_teiall.py [--n 100] [--repeat 3] [--tei-all PATH]

Prints, side by side with jing where jing does the same job:
- cold prune+compile: the full schema parsed, pruned to the documents' names, compiled (in process);
- warm load: the pruned grammar read from the disk cache and compiled (in process);
- N documents validated in one process *including Python start-up* (a subprocess, timed from outside),
  with an empty cache and with a warm one, by a minimal script and through the real CLI
  (``tei-cable validate --against tei-all``, which also imports click and formats a report);
- one document, the same ways; and whether the verdicts of both tools agree on every file.

The N documents are copies of tests/teiall/{valid,invalid}/*.xml and of the converter's outputs
(tests/cases/*/expected.xml), each varied (title text, a comment) so no two files are identical.
Each subprocess figure is the median of --repeat runs (min in brackets).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tei_cable.errors import InputError  # noqa: E402  (after the path set-up, so the checkout is used)
from tei_cable.tei import TEI_NS, read_xml, safe_parser, serialize  # noqa: E402
from tei_cable.validate import teiall  # noqa: E402

DEFAULT_TEI_ALL = ROOT.parent / "shared" / "tei" / "tei_all_4.9.0.rng"

#: What "ours" runs in a fresh interpreter: the same calls the CLI makes per file (read, validate).
OURS = """
import sys
from tei_cable.tei import read_xml
from tei_cable.validate.teiall import TeiAllValidator
v = TeiAllValidator(sys.argv[1])
for p in sys.argv[2:]:
    if any(True for _ in v.iter_issues(read_xml(p))):
        print(p)
"""


def make_documents(n: int, dest: Path) -> list[Path]:
    """n varied copies of the test documents that tei.read_xml accepts."""
    sources = sorted((ROOT / "tests" / "teiall").glob("*/*.xml")) + sorted(ROOT.glob("tests/cases/*/expected.xml"))
    trees = []
    for path in sources:
        try:
            trees.append((path, read_xml(path)))
        except InputError:
            continue  # refused by the parser before any validation: not a validation benchmark
    out = []
    for i in range(n):
        source, tree = trees[i % len(trees)]
        root = etree.fromstring(serialize(tree), safe_parser())
        title = root.find(f".//{{{TEI_NS}}}title")
        if title is not None:
            title.text = f"{title.text or ''} (copy {i})"
        root.insert(0, etree.Comment(f" copy {i} of {source.parent.name}/{source.name} "))
        path = dest / f"doc-{i:03d}-{source.parent.name}-{source.stem}.xml"
        path.write_bytes(serialize(root))
        out.append(path)
    return out


def timed(cmd: list[str], env: dict[str, str], repeat: int, before: object = None) -> tuple[float, float, str]:
    """(median, min) wall seconds of a subprocess, and its stdout (of the last run)."""
    times = []
    stdout = ""
    for _ in range(repeat):
        if callable(before):
            before()
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        stdout = done.stdout
        if done.returncode not in (0, 1):
            raise SystemExit(f"{cmd[:3]}... failed ({done.returncode}): {done.stderr[-1500:]}")
    return statistics.median(times), min(times), stdout


def jing_invalid(stdout: str) -> set[str]:
    return {str(Path(line.split(":", 1)[0]).resolve()) for line in stdout.splitlines() if ": error:" in line}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.0f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100, help="number of documents (default 100)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per subprocess figure (median; default 3)")
    ap.add_argument("--tei-all", type=Path, default=DEFAULT_TEI_ALL, help="the official tei_all.rng")
    ap.add_argument("--jing", default=shutil.which("jing") or "/usr/bin/jing")
    args = ap.parse_args()
    schema = args.tei_all.resolve()
    if not schema.is_file():
        raise SystemExit(f"tei_all not found at {schema} (use --tei-all PATH)")
    have_jing = Path(args.jing).is_file()

    with tempfile.TemporaryDirectory(prefix="bench-teiall-") as tmp:
        work = Path(tmp)
        docs_dir = work / "docs"
        docs_dir.mkdir()
        docs = make_documents(args.n, docs_dir)
        cold_cache, warm_cache = work / "cold-cache", work / "warm-cache"

        def fresh_cold() -> None:
            shutil.rmtree(cold_cache, ignore_errors=True)

        env_cold = {**os.environ, "TEI_CABLE_CACHE": str(cold_cache), "PYTHONPATH": str(ROOT)}
        env_warm = {**os.environ, "TEI_CABLE_CACHE": str(warm_cache), "PYTHONPATH": str(ROOT)}

        # --- in process: the parts of a cold start, and a warm load ---
        trees = [read_xml(p) for p in docs]
        names: set[str] = set()
        for t in trees:
            names |= teiall.element_names(t)
        names |= teiall.BASE_ELEMENTS
        data = schema.read_bytes()
        t0 = time.perf_counter()
        grammar = teiall._Grammar(data)
        t1 = time.perf_counter()
        text = teiall._Pruner(grammar, names).serialise(" bench ")
        t2 = time.perf_counter()
        etree.RelaxNG(etree.fromstring(text))
        t3 = time.perf_counter()
        teiall._GRAMMARS.clear()
        v = teiall.TeiAllValidator(schema, cache_root=warm_cache)
        t4 = time.perf_counter()
        v.prepare(trees)
        t5 = time.perf_counter()
        v2 = teiall.TeiAllValidator(schema, cache_root=warm_cache)
        t6 = time.perf_counter()
        v2.prepare(trees)
        t7 = time.perf_counter()
        assert v2.stats.cache_hits == 1 and v2.stats.pruned == 0
        full_rng_note = "(the whole tei_all compiles in ~4.7 s with libxml2)"

        # --- subprocesses: N files and 1 file, start-up included ---
        py = [sys.executable, "-c", OURS, str(schema)]
        cli = [sys.executable, "-m", "tei_cable", "validate", "--against", "tei-all", "--tei-all", str(schema)]
        # warm the cache the way a user's first run would (sequential growth, as the CLI validates)
        subprocess.run([*py, *map(str, docs)], env=env_warm, capture_output=True, check=True)
        subprocess.run([*cli, *map(str, docs)], env=env_warm, capture_output=True, check=False)
        rows: list[tuple[str, str, str]] = []
        ours_cold = timed([*py, *map(str, docs)], env_cold, args.repeat, before=fresh_cold)
        ours_warm = timed([*py, *map(str, docs)], env_warm, args.repeat)
        cli_cold = timed([*cli, *map(str, docs)], env_cold, args.repeat, before=fresh_cold)
        cli_warm = timed([*cli, *map(str, docs)], env_warm, args.repeat)
        one_cold = timed([*py, str(docs[0])], env_cold, args.repeat, before=fresh_cold)
        one_warm = timed([*py, str(docs[0])], env_warm, args.repeat)
        one_cli = timed([*cli, str(docs[0])], env_warm, args.repeat)
        jing_n = jing_1 = None
        if have_jing:
            jing_n = timed([args.jing, str(schema), *map(str, docs)], dict(os.environ), args.repeat)
            jing_1 = timed([args.jing, str(schema), str(docs[0])], dict(os.environ), args.repeat)

        def fig(t: tuple[float, float, str] | None) -> str:
            return f"{ms(t[0])} [{t[1] * 1000:.0f}]" if t else "       (no jing)"

        n = len(docs)
        rows += [
            ("cold: read, parse, prune, compile (in process)", f"{ms(t5 - t4)}", ""),
            (f"  parse tei_all {ms(t1 - t0).strip()}, prune {ms(t2 - t1).strip()}, "
             f"compile {ms(t3 - t2).strip()}", "", ""),
            ("warm load (cache read + compile), in process", f"{ms(t7 - t6)}", ""),
            (f"{n} files, one process, no prepare(), empty cache", fig(ours_cold), fig(jing_n)),
            (f"{n} files, one process, no prepare(), warm cache", fig(ours_warm), fig(jing_n)),
            (f"{n} files, tei-cable validate, empty cache", fig(cli_cold), fig(jing_n)),
            (f"{n} files, tei-cable validate, warm cache", fig(cli_warm), fig(jing_n)),
            ("1 file, one process, empty cache", fig(one_cold), fig(jing_1)),
            ("1 file, one process, warm cache", fig(one_warm), fig(jing_1)),
            ("1 file, tei-cable validate, warm cache", fig(one_cli), fig(jing_1)),
        ]
        print(f"tei_all {teiall.schema_version(data)} ({schema}); {n} documents; "
              f"S = {len(names)} element names, pruned grammar {len(text) // 1024} KiB of {len(data) // 1024} KiB "
              f"{full_rng_note}")
        print(f"{'(median of runs [fastest], wall clock)':52} {'tei-cable':>20} {'jing':>20}")
        for label, ours, ref in rows:
            print(f"{label:52} {ours:>20} {ref:>20}")
        ours_bad = {str(Path(p).resolve()) for p in ours_warm[2].split()}
        if jing_n is not None:
            jing_bad = jing_invalid(jing_n[2])
            agree = "yes" if ours_bad == jing_bad else f"NO: {sorted(ours_bad ^ jing_bad)}"
            print(f"verdicts agree with jing on all {n} files: {agree} ({len(jing_bad)} invalid)")


if __name__ == "__main__":
    main()
