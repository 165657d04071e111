"""Build a corpus: every input converted, validated and exported into one folder, incrementally, in parallel.

Example (with a file of your own)::

    result = build(["data/"], "out/", jobs=2)
    result.counts()
    {'documents': 1, 'built': 1, 'unchanged': 0, 'failed': 0, 'invalid': 0, 'removed': 0}

For every input (``.txt`` exports, and ``.xml`` TEI that editors corrected by hand) the folder gets
``<id>.xml``, ``<id>.txt``, ``<id>.html`` and ``<id>.json``, where ``<id>`` is the TEI's ``@xml:id``; then
the corpus pages (``index.html``, ``register.xml``, ``register.html``, ``cmif.xml``) and ``report.json``.
See ``docs/BUILD.md`` for the user's view.

How the work is split:

* :mod:`.state`: the folder, its atomic writes and what the build remembers (keys, files, summaries);
* :mod:`.worker`: one document, in a pool worker (or in this process with ``jobs=1``: the same code);
* :mod:`.corpus`: the corpus pages, from the documents' summaries;
* :mod:`.progress`: the bar or the plain lines.

The main process hashes the inputs, decides what to rebuild, hands the rest to the pool, and then, in
input order, gives each document its id (the first input with an id keeps it), moves its files into place,
removes outputs whose input is gone, and writes the corpus pages. Results arrive in input order
(``imap``), so ``--jobs 4`` writes the same bytes as ``--jobs 1``.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from . import corpus, worker
from .progress import Progress
from .state import OutDir, Record, State, combine, sha256, tool_fingerprint
from .worker import Config, Failure, Job, Outcome

__all__ = ["BuildInterrupted", "BuildResult", "DocReport", "build", "discover"]

#: What ``validate=`` may be: the sets of ``tei_cable.validate.AGAINST`` or nothing.
VALIDATE_CHOICES = ("project", "tei-all", "all", "none")
#: Save the state this often during a long build (seconds), so a killed build loses at most this much work.
CHECKPOINT_SECONDS = 30.0
#: The file extensions read from a source directory.
SOURCE_SUFFIXES = (".txt", ".xml")


class BuildInterrupted(KeyboardInterrupt):
    """The build was stopped by a signal (SIGTERM); like Ctrl-C, finished documents are kept."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclass
class DocReport:
    """One input's fate in this build."""

    input: str
    id: str | None
    status: str                 # "built", "unchanged" or "failed"
    valid: bool | None = None   # None: not validated, or failed
    outputs: list[str] = field(default_factory=list)
    issues: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    failure: Failure | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def xml_name(self) -> str:
        return f"{self.id}.xml" if self.id else self.input

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"input": self.input, "id": self.id, "status": self.status, "valid": self.valid,
                               "outputs": self.outputs}
        if self.failure is not None:
            out["error"] = self.failure.to_json()
        out["issues"] = self.issues
        out["warnings"] = self.warnings
        out["timings_ms"] = self.timings
        return out


@dataclass
class BuildResult:
    out: Path
    documents: list[DocReport]
    removed: list[str]
    corpus_written: bool
    corpus_warnings: list[str]
    seconds: float
    jobs: int

    def counts(self) -> dict[str, int]:
        docs = self.documents
        return {
            "documents": len(docs),
            "built": sum(d.status == "built" for d in docs),
            "unchanged": sum(d.status == "unchanged" for d in docs),
            "failed": sum(d.status == "failed" for d in docs),
            "invalid": sum(d.valid is False for d in docs),
            "removed": len(self.removed),
        }

    @property
    def ok(self) -> bool:
        """No input failed and every document is valid (warnings do not count)."""
        counts = self.counts()
        return not counts["failed"] and not counts["invalid"]

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def stage_totals(self) -> dict[str, float]:
        """Milliseconds spent in each stage, summed over the documents built in this run."""
        totals: dict[str, float] = {}
        for doc in self.documents:
            for stage, ms in doc.timings.items():
                totals[stage] = totals.get(stage, 0.0) + ms
        return {k: round(v, 1) for k, v in totals.items()}


# -- inputs ----------------------------------------------------------------------------------------------


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _walk(folder: str, out_dir: str) -> Iterator[str]:
    """Input files below ``folder`` (resolved), sorted as paths; hidden entries and ``out_dir`` skipped.

    ``os.walk`` with string paths: ten thousand ``Path.resolve`` calls cost a second, a walk a few ms.
    """
    found: list[str] = []
    for here, dirs, files in os.walk(folder, followlinks=False):
        if here == out_dir:
            dirs[:] = []
            continue
        dirs[:] = [d for d in dirs if not d.startswith(".") and os.path.join(here, d) != out_dir]
        for name in files:
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in SOURCE_SUFFIXES:
                path = os.path.join(here, name)
                if os.path.isfile(path):
                    found.append(path)
    return iter(sorted(found, key=lambda p: p.split(os.sep)))


def discover(sources: Iterable[str | Path], out: str | Path, *, exclude: Iterable[str | Path] = ()) -> list[Job]:
    """The inputs, each once, in order: files as given, directories as their ``.txt``/``.xml`` files below them
    (sorted; hidden files and folders skipped). Nothing under the output folder, and not the ``exclude``
    files (``--register`` files), is an input: the build's own ``.txt`` and ``.xml`` outputs must never come
    back as inputs.
    """
    out_dir = Path(out).resolve()
    skip = {str(Path(p).resolve()) for p in exclude}
    found: dict[str, Job] = {}

    def add(resolved: str, shown: str) -> None:
        if resolved in found or resolved in skip:
            return
        kind = "xml" if resolved.lower().endswith(".xml") else "txt"
        found[resolved] = Job(len(found), shown, resolved, kind)

    for raw in sources:
        path = Path(raw)
        if path.is_dir():
            folder = path.resolve()
            if folder == out_dir:
                raise InputError("the source folder is the output folder; choose another --out", path=raw)
            # Shown as the user wrote the folder; keyed by the resolved path (one folder given twice, or a
            # folder and a file in it, give each input once).
            for resolved in _walk(str(folder), str(out_dir)):
                add(resolved, os.path.join(str(raw), os.path.relpath(resolved, folder)))
        elif path.is_file():
            if _inside(path.resolve(), out_dir):
                raise InputError("an input inside the output folder would be overwritten; move it out", path=raw)
            add(str(path.resolve()), str(raw))
        else:
            raise InputError("no such file or directory", path=raw)
    if not found:
        raise InputError("no input found: give .txt exports, .xml TEI files or folders holding them",
                         path=", ".join(str(s) for s in sources) or None)
    return list(found.values())


# -- the build -------------------------------------------------------------------------------------------


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _pool_context() -> Any:
    # fork: a worker starts in milliseconds and inherits the register and compiled schemas already loaded
    # here (copy-on-write); spawn (elsewhere) re-imports everything per worker, which is correct but slower.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _chunksize(count: int, jobs: int) -> int:
    # Small chunks: a document takes tens of milliseconds, so per-task overhead (~0.1 ms) hardly matters,
    # while big chunks leave a worker idle at the end and delay the ordered results.
    return max(1, min(8, count // (jobs * 16)))


def build(
    sources: Sequence[str | Path],
    out: str | Path,
    *,
    jobs: int | None = None,
    validate: str = "project",
    registers: Sequence[str | Path] = (),
    tei_all: str | Path | None = None,
    title: str = "tei-cable corpus",
    base_url: str | None = None,
    published: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
    on_document: Callable[[DocReport], None] | None = None,
    checkpoint_seconds: float = CHECKPOINT_SECONDS,
) -> BuildResult:
    """Build every input of ``sources`` into the folder ``out``; see the module docstring.

    ``jobs``: worker processes (default: the cores this process may use). ``validate``: ``"project"``
    (default), ``"tei-all"``, ``"all"`` or ``"none"``. ``registers``: extra register files (as ``--register``).
    ``base_url``: where ``out`` will be published (the CMIF file's URL). ``published``: the CMIF file's date
    (default: the documents' newest ``change/@when``, else today). ``force``: rebuild every document, even
    unchanged ones. ``on_document`` is called for each input as it is done, in input order (the CLI prints
    failures from it).

    Raises ``TeiCableError`` for problems that stop the whole build (no input, a bad register, a missing
    tei_all schema, another build in the same folder); :class:`BuildInterrupted` or ``KeyboardInterrupt``
    when stopped by a signal, after keeping what was finished.
    """
    from ..convert import load_register
    from ..errors import UnknownChoiceError

    started = time.perf_counter()
    if validate not in VALIDATE_CHOICES:
        raise UnknownChoiceError("validation", validate, VALIDATE_CHOICES)
    jobs = max(1, jobs if jobs is not None else _cpu_count())
    outdir = OutDir(out)
    inputs = discover(sources, out, exclude=registers)  # before creating anything: a typo creates no folder
    outdir.prepare()
    restore = _catch_sigterm()
    pool: Any = None
    try:
        register = load_register(registers)
        schema_hash = ""
        if validate in ("tei-all", "all"):
            from ..validate import validator

            # Fails now, with one clear message, if the official schema is missing.
            schema_hash = getattr(validator("tei-all", tei_all), "schema_sha256", "")
        tool = tool_fingerprint()
        base = combine(tool, register.fingerprint, validate, schema_hash)
        prior = outdir.load_state()
        state = State(tool=tool, docs=dict(prior.docs), files=set(prior.files), entries=dict(prior.entries),
                      corpus_key=prior.corpus_key)

        # 1. What needs building: a document is skipped when its key and its files are as last time.
        cached: dict[int, Record] = {}
        todo: list[Job] = []
        for job in inputs:
            record = prior.docs.get(job.abspath)
            if record is not None and not force:
                try:
                    key = combine(base, sha256(Path(job.abspath).read_bytes()))
                except OSError:
                    key = ""
                if record.key == key and outdir.intact(record.files):
                    cached[job.index] = record
                    continue
            todo.append(job)
        if progress is not None:
            progress.expect(len(inputs), len(todo))

        # 2. Build them (in a pool when it pays) and take the results in input order.
        config = Config(str(outdir.tmp), validate, str(tei_all) if tei_all is not None else None,
                        tuple(str(r) for r in registers))
        workers = min(jobs, len(todo))
        if todo:
            # Load the register, compile the schemas and import the exporters here first: a problem is then
            # one clear error (a pool whose initializer fails restarts workers forever), and forked workers
            # inherit all of it instead of building it again.
            worker.init(config, in_pool=False)
            # Objects that exist now (the state, the register and its name indexes, the schemas) live as long as
            # the build, which unfreezes them at the end. Frozen, the cyclic collector leaves them alone: its
            # full collections no longer walk them (0.4 ms of a seed-sized document's 0.8 ms of collection, in
            # process or in a worker), and forked workers share their pages until someone writes to them, which
            # the collector would do by marking them (the gc.freeze recipe for fork without exec).
            gc.freeze()
        if workers > 1:
            pool = _pool_context().Pool(workers, initializer=worker.init, initargs=(config,))
            outcomes: Iterator[Outcome] = pool.imap(worker.run, todo, chunksize=_chunksize(len(todo), workers))
        else:
            outcomes = _in_process(todo)
        reports: list[DocReport] = []
        claimed: dict[str, str] = {}  # casefolded id -> the input that has it (case-insensitive file systems)
        last_checkpoint = time.perf_counter()
        try:
            for job in inputs:
                record = cached.get(job.index)
                if record is not None:
                    report = _take_cached(job, record, claimed, state)
                else:
                    report = _take_built(job, next(outcomes), claimed, state, outdir, base)
                reports.append(report)
                if progress is not None:
                    progress.advance(built=report.status == "built", failed=report.status == "failed")
                if on_document is not None:
                    on_document(report)
                if time.perf_counter() - last_checkpoint > checkpoint_seconds:
                    outdir.save_state(state)
                    last_checkpoint = time.perf_counter()
        except BaseException:
            # Ctrl-C, SIGTERM or a bug here: stop the workers, keep what is finished for the next build.
            if pool is not None:
                pool.terminate()
                pool.join()
                pool = None
            outdir.save_state(state)
            raise
        if pool is not None:
            pool.close()
            pool.join()
            pool = None

        # 3. Inputs that are gone: forget them (their files are removed below).
        present = {job.abspath for job in inputs}
        for path in [p for p in state.docs if p not in present]:
            del state.docs[path]
            state.dirty = True

        # 4. The corpus pages, when a document or an option changed (or a page is missing).
        summaries = [state.docs[job.abspath].summary for job in inputs if job.abspath in state.docs]
        key = corpus.corpus_key(((r.id, r.key) for r in state.docs.values()), tool, title, base_url or "",
                                published or "")
        corpus_warnings: list[str] = []
        written = False
        missing = any(not (outdir.root / name).is_file() for name in corpus.CORPUS_FILES)
        if key != state.corpus_key or missing or force:
            corpus_warnings = _write_corpus(outdir, state, summaries, reports, title=title, base_url=base_url,
                                            published=published)
            state.corpus_key = key
            written = True
        elif prior_warnings := _prior_corpus_warnings(outdir):
            corpus_warnings = prior_warnings

        # 5. Files the build wrote before and no longer writes: outputs of deleted or failed inputs.
        current = {name for r in state.docs.values() for name in r.files}
        current |= {*corpus.CORPUS_FILES, corpus.REPORT}
        removed = outdir.remove(state.files - current)
        state.files = current

        result = BuildResult(Path(out), reports, removed, written, corpus_warnings,
                             time.perf_counter() - started, workers if workers > 1 else 1)
        with outdir.writing(corpus.REPORT) as out:
            corpus.write_report(_report_data(result, validate, title), (d.to_json() for d in reports), out)
        # A build that changed nothing does not rewrite the state (tens of megabytes for a big corpus).
        if todo or written or removed or state.dirty or len(state.docs) != len(prior.docs) or state.tool != prior.tool:
            outdir.save_state(state)
        return result
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        gc.unfreeze()
        restore()
        outdir.clear_tmp()
        outdir.unlock()


def _in_process(todo: list[Job]) -> Iterator[Outcome]:
    for job in todo:
        yield worker.run(job)


def _claim(doc_id: str, job: Job, claimed: dict[str, str]) -> Failure | None:
    first = claimed.setdefault(doc_id.casefold(), job.path)
    if first == job.path:
        return None
    return Failure(job.path, None, f"duplicate document id {doc_id!r}: {first} has it already; "
                                   "give one of them another xml:id (the first input keeps the outputs)")


def _take_cached(job: Job, record: Record, claimed: dict[str, str], state: State) -> DocReport:
    failure = _claim(record.id, job, claimed)
    if failure is not None:
        state.docs.pop(job.abspath, None)
        return DocReport(job.path, record.id, "failed", failure=failure)
    if record.input != job.path:
        record.input = job.path
        state.dirty = True
    return DocReport(job.path, record.id, "unchanged", record.valid, sorted(record.files), record.issues,
                     record.warnings)


def _take_built(job: Job, outcome: Outcome, claimed: dict[str, str], state: State, outdir: OutDir,
                base: str) -> DocReport:
    failure = outcome.failure
    if failure is None:
        failure = _claim(outcome.id, job, claimed)
    if failure is not None or outcome.summary is None:
        for staged in outcome.staged.values():
            Path(staged).unlink(missing_ok=True)
        state.docs.pop(job.abspath, None)  # its old outputs are removed at the end: they no longer match
        return DocReport(job.path, outcome.id or None, "failed", warnings=outcome.warnings, failure=failure,
                         timings=outcome.timings)
    files: dict[str, int] = {}
    for ext, staged in sorted(outcome.staged.items()):
        name = f"{outcome.id}.{ext}"
        files[name] = outdir.place(Path(staged), name)
        state.files.add(name)
    state.entries.update(outcome.entries)
    state.docs[job.abspath] = Record(job.path, combine(base, outcome.digest), outcome.id, files, outcome.valid,
                                     outcome.issues, outcome.warnings, outcome.summary.intern())
    return DocReport(job.path, outcome.id, "built", outcome.valid, sorted(files), outcome.issues,
                     outcome.warnings, timings=outcome.timings)


def _write_corpus(outdir: OutDir, state: State, summaries: list[Any], reports: list[DocReport], *, title: str,
                  base_url: str | None, published: str | None) -> list[str]:
    invalid = {r.id for r in reports if r.valid is False and r.id}
    failed = sum(r.status == "failed" for r in reports)
    url = (base_url.rstrip("/") + "/" + corpus.CMIF) if base_url else corpus.CMIF
    with outdir.writing(corpus.REGISTER_XML) as xml, outdir.writing(corpus.REGISTER_HTML) as html:
        warnings = corpus.write_register(summaries, state.entries, xml, html, title=title)
    with outdir.writing(corpus.CMIF) as out:
        corpus.write_cmif(summaries, out, title=title, url=url, published=published)
    with outdir.writing(corpus.INDEX) as out:
        corpus.write_index(summaries, out, title=title, invalid=invalid, failed=failed)
    return warnings


def _prior_corpus_warnings(outdir: OutDir) -> list[str]:
    """Unchanged corpus pages: their warnings are the last report's."""
    import json

    try:
        data = json.loads((outdir.root / corpus.REPORT).read_bytes())
        return [str(w) for w in data.get("corpus", {}).get("warnings", [])]
    except (OSError, ValueError, AttributeError):
        return []


def _report_data(result: BuildResult, validate: str, title: str) -> dict[str, Any]:
    from .. import __version__

    built = result.counts()["built"]
    return {
        "tool": f"tei-cable {__version__}",
        "title": title,
        "validate": validate,
        "summary": result.counts(),
        "corpus": {"files": [*corpus.CORPUS_FILES], "written": result.corpus_written,
                   "warnings": result.corpus_warnings},
        "removed": result.removed,
        # Everything that differs between two runs of the same build lives under "run" and "timings_ms".
        "run": {"jobs": result.jobs, "seconds": round(result.seconds, 3),
                "documents_per_second": round(built / result.seconds, 1) if result.seconds and built else None,
                "stages_ms": result.stage_totals()},
    }


def _catch_sigterm() -> Callable[[], None]:
    """Turn SIGTERM into :class:`BuildInterrupted` while the build runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(signum: int, _frame: Any) -> None:
        raise BuildInterrupted(signum)

    previous = signal.signal(signal.SIGTERM, handler)
    return lambda: signal.signal(signal.SIGTERM, previous)

