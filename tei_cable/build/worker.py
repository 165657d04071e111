"""One document through the whole pipeline: read, convert (``.txt``), validate, export, summarise.

:func:`run` is what a pool worker executes; with ``--jobs 1`` the main process calls it directly, so both
paths run the same code and give the same bytes. Everything a document needs that does not depend on the
document (the merged register, the compiled schemas, the exporter modules and their stylesheet) is built
once per process by :func:`init`, never per document.

The worker writes its outputs into the build's ``tmp/`` folder under a name only it uses (the job's
index); the main process decides whether the document may claim its id (two inputs with one
``xml:id``: the second is an error) and then renames the files into place. Nothing reaches ``DIR``
half-written, whatever happens to the worker.

The TEI is validated and exported from the bytes that are written to ``DIR/<id>.xml`` (parsed again,
0.2 ms), not from the converter's tree: the line numbers of validation issues are then lines of that file,
and a converted document takes exactly the path of a hand-corrected ``.xml`` one.
"""

from __future__ import annotations

import re
import signal
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, TeiCableError
from .state import Summary, sha256

#: The formats every document is exported to, with their file extensions (``<id>.<ext>``).
FORMATS: tuple[tuple[str, str], ...] = (("text", "txt"), ("html", "html"), ("json", "json"))
#: What an id must look like to name files: an XML NCName without ':' (so no '/', no '..').
SAFE_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,199}")


@dataclass(frozen=True)
class Config:
    """What every worker needs to know; sent once per worker, not once per document."""

    tmp: str                          # the build's tmp/ folder
    validate: str                     # "project", "tei-all", "all" or "none"
    tei_all: str | None
    registers: tuple[str, ...]


@dataclass(frozen=True)
class Job:
    index: int       # position in the input list: the staging name, and the order of everything
    path: str        # as the user gave it (messages and reports)
    abspath: str
    kind: str        # "txt" (a Digital Archive export) or "xml" (TEI)


@dataclass
class Failure:
    path: str
    line: int | None
    message: str
    detail: str = ""  # a traceback, for errors that are bugs rather than bad input

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "line": self.line, "message": self.message}
        if self.detail:
            out["traceback"] = self.detail
        return out


@dataclass
class Outcome:
    """What the main process gets back: small (summaries and names, not the outputs themselves)."""

    index: int
    digest: str = ""                                  # sha256 of the input bytes that were converted
    id: str = ""
    staged: dict[str, str] = field(default_factory=dict)  # extension -> file in tmp/
    summary: Summary | None = None
    entries: dict[str, str] = field(default_factory=dict)
    valid: bool | None = None
    issues: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # stage -> milliseconds
    failure: Failure | None = None


_config: Config | None = None
_register: Any = None


def init(config: Config, *, in_pool: bool = True) -> None:
    """Build what every document shares, once per process (see the module docstring)."""
    global _config, _register
    if in_pool and _config == config and _register is not None:
        # A forked worker: the main process built all of it already (copy-on-write); only the signals differ.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        return
    if in_pool:
        # Ctrl-C reaches the whole process group: the main process alone decides what happens (it stops
        # the pool and cleans up). SIGTERM keeps its default: the pool's terminate() uses it.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from ..convert import load_register
    from ..export import EXPORTERS
    from ..export.html import load_css
    from ..validate import validator, validator_names

    _config = config
    _register = load_register(config.registers)  # cached per process: a forked worker inherits it
    if config.validate != "none":
        for name in validator_names(config.validate):
            validator(name, config.tei_all)  # compile now: the first document should not pay for it
    for fmt, _ in FORMATS:
        EXPORTERS[fmt].load()
    EXPORTERS["cmif"].load()
    load_css()


def _merge(issues: list[Any]) -> list[dict[str, Any]]:
    """RELAX NG and the XSD report some problems alike: one entry naming both validators."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for i in issues:
        key = (i.line, i.severity, i.rule, i.message, i.xpath)
        entry = merged.setdefault(key, {"line": i.line, "severity": i.severity, "rule": i.rule, "message": i.message,
                                        "xpath": i.xpath, "validators": []})
        entry["validators"].append(i.validator)
    return list(merged.values())


def document_id(root: Any, path: str) -> str:
    """The TEI's ``@xml:id``, which names the outputs; refused when it could not name a file safely."""
    from ..tei import XML_ID, is_tei, local
    from .corpus import RESERVED_IDS

    if not is_tei(root) or local(root) != "TEI":
        raise InputError(f"not a TEI document: the root element is <{local(root) or root.tag}>, "
                         "expected <TEI> in the TEI namespace", path=path, line=root.sourceline)
    doc_id = root.get(XML_ID)
    if not doc_id:
        raise InputError("the <TEI> element has no xml:id; add one (it names the output files)", path=path,
                         line=root.sourceline)
    if not SAFE_ID.fullmatch(doc_id):
        raise InputError(f"the xml:id {doc_id!r} cannot name a file: use letters, digits, '-', '_' and '.', "
                         "starting with a letter", path=path, line=root.sourceline)
    if doc_id.casefold() in RESERVED_IDS:
        raise InputError(f"the xml:id {doc_id!r} is the name of a corpus page; choose another", path=path,
                         line=root.sourceline)
    return doc_id


def run(job: Job) -> Outcome:
    """Build one document; never raises for a bad document (the failure is in the outcome)."""
    assert _config is not None, "worker.init() was not called"
    out = Outcome(job.index)
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        out.timings[stage] = round((now - clock) * 1000, 3)
        clock = now

    try:
        _build(job, out, lap)
    except TeiCableError as err:
        out.failure = Failure(err.path or job.path, err.line, err.message)
    except RecursionError:
        out.failure = Failure(job.path, None, "the document is nested too deeply to process")
    except Exception as err:  # a bug in tei-cable: report it with the document, go on with the others
        out.failure = Failure(job.path, None, f"internal error ({type(err).__name__}: {err}); please report it "
                              "with this file", traceback.format_exc(limit=8))
    if out.failure is not None:
        for staged in out.staged.values():
            Path(staged).unlink(missing_ok=True)
        out.staged = {}
    return out


def _build(job: Job, out: Outcome, lap: Any) -> None:
    from ..export import export
    from ..export.memo import shared_reading
    from ..files import read_limited
    from ..parse import MAX_TEXT_BYTES, decode
    from ..tei import MAX_XML_BYTES, parse_xml, serialize
    from ..validate import validate
    from .corpus import summarize

    assert _config is not None
    # The larger of the two input limits: decode / parse_xml then apply their own (before any expensive work).
    try:
        data = read_limited(job.abspath, max(MAX_TEXT_BYTES, MAX_XML_BYTES), "file")
    except InputError as err:
        raise InputError(err.message, path=job.path) from None
    out.digest = sha256(data)
    lap("read")
    if job.kind == "txt":
        from ..convert import convert_text

        conversion = convert_text(decode(data, job.path), job.path, register=_register)
        out.warnings = [{"line": f.line, "message": f.message} for f in conversion.findings]
        lap("convert")
        xml = serialize(conversion.tree)
        del conversion
        lap("serialize")
    else:
        xml = data  # an editor's TEI is copied byte for byte: the TEI file is the master
    tree = parse_xml(xml, job.path)
    root = tree.getroot()
    out.id = document_id(root, job.path)
    lap("parse")
    if _config.validate != "none":
        report = validate(tree, _config.validate, tei_all=_config.tei_all)
        out.issues = _merge(list(report))
        out.valid = report.ok()
        lap("validate")
    outputs: dict[str, bytes] = {"xml": xml}
    # The tree does not change from here on: the exports and the summary read its header, register and text
    # once between them (about 1.7 ms of a seed-sized document).
    with shared_reading():
        for fmt, ext in FORMATS:
            outputs[ext] = export(tree, fmt).encode("utf-8")
            lap(f"export-{fmt}")
        out.summary, out.entries = summarize(root, out.id)
        lap("summary")
    for ext, payload in outputs.items():
        staged = Path(_config.tmp) / f"{job.index:07d}.{ext}"
        out.staged[ext] = str(staged)
        staged.write_bytes(payload)
    lap("write")
