"""Benchmark ``tei-cable build``: documents per second, peak memory, rebuilds, and jing beside it.

Run: ``python benchmarks/bench_build.py [--docs 1000] [--jobs 1,2] [--size seed] [--tei-all PATH]``

What it does, on a synthetic corpus of ``--docs`` documents from ``gen_corpus.py`` (seed-sized by default):

1. a cold build with each ``--jobs`` value (a fresh output folder each time), run as the real command in a
   subprocess, with ``--validate project`` and the four exports;
2. on the last one: a rebuild with nothing changed, then a rebuild after one input changed;
3. jing (the reference RELAX NG validator, Debian package ``jing``) checking the same TEI files against
   the official ``tei_all`` schema, in one JVM, batches of 2,000 files per command line;
4. the start-up time of ``tei-cable --help`` and ``tei-cable convert`` on the seed (median of 5 runs),
   measured before the builds so that their load does not count against it.

Memory is the peak, sampled every 50 ms, of the whole process tree (the main process and its workers):
``RSS`` adds each process's resident memory, so pages shared after ``fork`` count once per process (an upper
bound); ``PSS`` divides shared pages among the processes that share them (the honest total).
The package is copied into the work folder first and every command runs that copy (``PYTHONPATH``): the
build's keys include a hash of tei-cable's own code, so an edit to the working tree during a long run
would otherwise turn the "no-change" rebuild into a full one (``--live`` runs the working tree instead).
The per-stage breakdown comes from the ``report.json`` of the cold build (milliseconds per document, summed
over the workers: CPU time, not wall time). Every figure is measured when the script runs; none is stored.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen_corpus  # noqa: E402

SEED = ROOT / "data" / "cable-208202-zhou-enlai-1952-08-28.txt"
DEFAULT_TEI_ALL = ROOT.parent / "shared" / "tei" / "tei_all_4.9.0.rng"
TEI_CABLE = [sys.executable, "-m", "tei_cable"]


# -- memory of a process tree ---------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                out.extend(int(p) for p in handle.read().split())
        except OSError:
            continue
    return out


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo.extend(_children(p))
    return pids


def _kb(path: str, field: str) -> int:
    try:
        with open(path) as handle:
            for line in handle:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    """Peak RSS and PSS (MB) of a process and its descendants, sampled until stopped."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = 0.0
        self.peak_processes = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            pids = _tree(self.pid)
            rss = sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids) / 1024
            pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids) / 1024
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_processes = max(self.peak_processes, len(pids))
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join()


#: Where the commands run and what they import (set by ``snapshot``).
RUN = {"cwd": str(ROOT), "env": dict(os.environ)}


def snapshot(work: Path) -> None:
    """Run a frozen copy of the package from now on (see the module docstring)."""
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    shutil.copytree(ROOT / "tei_cable", code / "tei_cable", ignore=shutil.ignore_patterns("__pycache__"))
    # Byte-compiled now, as an installed package is: with PYTHONDONTWRITEBYTECODE set (as on the test
    # machine) the copy would otherwise be compiled from source by every command, which adds 0.05-0.08 s
    # to each start-up measured below.
    compileall.compile_dir(code, quiet=1)
    # Not the repository as the working directory: ``python -m`` puts it first on sys.path.
    RUN["cwd"] = str(work)
    RUN["env"] = {**os.environ, "PYTHONPATH": str(code)}


def run_build(src: Path, out: Path, jobs: int) -> dict[str, float]:
    """One ``tei-cable build`` as a subprocess: wall seconds, peak memory, exit code."""
    cmd = [*TEI_CABLE, "build", str(src), "--out", str(out), "--jobs", str(jobs), "--quiet"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=RUN["cwd"], env=RUN["env"], stderr=subprocess.PIPE, text=True)
    sampler = Sampler(proc.pid)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.stop()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"build failed (exit {proc.returncode}):\n{err}")
    return {"seconds": seconds, "rss": sampler.peak_rss, "pss": sampler.peak_pss, "exit": proc.returncode,
            "processes": sampler.peak_processes}


def change_one(src: Path) -> Path:
    """Append a sentence to a plain paragraph of the first document (a real content change)."""
    path = sorted(src.glob("*.txt"))[0]
    blocks, plain = gen_corpus.template_parts(path.read_text(encoding="utf-8"))
    blocks[plain[0]] += " This sentence was added by the build benchmark."
    path.write_text("\n\n".join(blocks), encoding="utf-8")
    return path


def run_jing(schema: Path, files: list[Path]) -> float | None:
    jing = shutil.which("jing")
    if jing is None or not schema.is_file():
        return None
    start = time.perf_counter()
    for k in range(0, len(files), 2000):
        result = subprocess.run([jing, str(schema), *map(str, files[k:k + 2000])], capture_output=True, text=True)
        if result.returncode not in (0, 1):
            raise SystemExit(f"jing failed: {result.stderr[-2000:]}")
    return time.perf_counter() - start


def startup(args: list[str]) -> float:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(args, cwd=RUN["cwd"], env=RUN["env"], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents in the synthetic corpus")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values for the cold builds")
    parser.add_argument("--size", choices=["seed", "natural"], default="seed", help="see gen_corpus.py")
    parser.add_argument("--tei-all", type=Path, default=DEFAULT_TEI_ALL, help="tei_all.rng for the jing run")
    parser.add_argument("--workdir", type=Path, help="keep the corpus and outputs here (default: a temp dir)")
    parser.add_argument("--live", action="store_true", help="run the working tree, not a copy of the package")
    args = parser.parse_args()
    jobs_list = [int(j) for j in args.jobs.split(",")]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-build-"))
    src = work / "src"
    if src.exists():
        shutil.rmtree(src)
    if not args.live:
        snapshot(work)
    paths = gen_corpus.generate(src, args.docs, size=args.size)
    size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
    print(f"corpus: {args.docs} documents, {size:.1f} kB on average ({args.size}-sized), in {work}"
          + ("" if args.live else f"; code: a copy of tei_cable in {work / 'code'}"))
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; load average {load:.2f}"
          + ("  (other work is running: the figures below are low)" if load > 0.5 else ""))
    print()
    print(f"{'run':<34}{'seconds':>9}{'docs/s':>9}{'peak RSS MB':>13}{'peak PSS MB':>13}")

    def row(label: str, r: dict[str, float], docs: int) -> None:
        rate = f"{docs / r['seconds']:9.1f}" if docs else f"{'-':>9}"
        print(f"{label:<34}{r['seconds']:9.2f}{rate}{r['rss']:13.0f}{r['pss']:13.0f}", flush=True)

    # Start-up first, while the machine is quiet: after the builds and jing's JVM the load average is near 1
    # and the same commands measure 0.1 s slower, which is the machine's state, not tei-cable's.
    help_s = startup([*TEI_CABLE, "--help"])
    convert_s = startup([*TEI_CABLE, "convert", str(SEED), "-q", "-o", os.devnull])
    out = work / "out"
    report: dict[str, object] = {}
    for jobs in jobs_list:
        out = work / f"out-jobs{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        r = run_build(src, out, jobs)
        row(f"cold build --jobs {jobs}", r, args.docs)
        report = json.loads((out / "report.json").read_text())
        if r["exit"]:
            print(f"  (exit {r['exit']}: {report['summary']})")
    jobs = jobs_list[-1]
    r = run_build(src, out, jobs)
    row(f"no-change rebuild --jobs {jobs}", r, 0)
    changed = change_one(src)
    r = run_build(src, out, jobs)
    row(f"one-changed rebuild --jobs {jobs}", r, 0)
    after = json.loads((out / "report.json").read_text())["summary"]
    print(f"  ({changed.name} changed: {after['built']} built, {after['unchanged']} unchanged)")

    teis = sorted(p for p in out.glob("*.xml") if p.name not in ("register.xml", "cmif.xml"))
    seconds = run_jing(args.tei_all, teis)
    if seconds is None:
        print(f"{'jing against tei_all':<34}{'(jing or tei_all not found)':>31}")
    else:
        print(f"{'jing against tei_all (same TEI)':<34}{seconds:9.2f}{len(teis) / seconds:9.1f}")

    # The per-stage breakdown of the last cold build: CPU milliseconds per document.
    stages = report["run"]["stages_ms"]  # type: ignore[index]
    built = report["summary"]["built"] or 1  # type: ignore[index]
    total = sum(stages.values())
    print()
    print(f"per document, cold build (CPU ms, all workers; {built} documents):")
    for stage, ms in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:<14}{ms / built:8.2f} ms  {100 * ms / total:5.1f} %")
    print(f"  {'total':<14}{total / built:8.2f} ms  -> at most {1000 * built / total:.1f} docs/s per core")
    print()
    print(f"start-up (measured before the builds): tei-cable --help {help_s:.3f} s; "
          f"tei-cable convert (seed) {convert_s:.3f} s")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
