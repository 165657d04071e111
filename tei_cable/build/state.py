"""The output folder of a build and what the build remembers about it between runs.

Everything the build keeps for itself lives in ``DIR/.tei-cable-build/``: ``state.json`` (what was built
from which input, under which key, and every file the build wrote), ``lock`` (one build at a time) and
``tmp/`` (files being written). Nothing else in ``DIR`` is ever deleted: only files that ``state.json``
says a build wrote.

**Keys.** A document is rebuilt when its key changes. The key hashes the input's bytes, the register's
fingerprint (the shipped register merged with the ``--register`` files: ``Register.fingerprint``), the
tool's fingerprint and the options that change outputs (validation mode, the tei_all schema). The tool's
fingerprint is its version *and* a hash of its own source and data files: an editable install changes
without a version bump, and a build that keeps outputs of the old code would silently mix two converters.

**Atomic writes.** Every file is written to ``tmp/`` and renamed into place (``os.replace``), so a build
killed at any moment (Ctrl-C, ``kill -9``) leaves each output either complete or as it was. Outputs are not
``fsync``-ed one by one: that protects against a power cut, not a kill, and costs a disk flush per file
(4 per document). Instead ``state.json`` records each output's size and a rebuild checks it, so a file that
a power cut truncated is rebuilt; ``state.json`` itself is fsync-ed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from ..errors import OutputError

#: The folder inside DIR that holds the build's own files.
META_DIR = ".tei-cable-build"
STATE_FILE = "state.json"
#: Bumped when the layout of state.json changes: an old state is then ignored (everything rebuilds).
STATE_FORMAT = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def tool_fingerprint() -> str:
    """``0.1.0+<hash>``: the version plus a hash of every source and data file of the package.

    About 2 MB read once per build (a few milliseconds); see the module docstring for why.
    """
    digest = hashlib.sha256(__version__.encode())
    root = resources.files("tei_cable")
    paths = sorted(p for p in Path(str(root)).rglob("*") if p.is_file() and "__pycache__" not in p.parts
                   and p.suffix not in (".pyc", ".pyo"))
    base = Path(str(root))
    for path in paths:
        digest.update(str(path.relative_to(base)).encode() + b"\0")
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def combine(*parts: str) -> str:
    """One hash of several strings (unambiguous: each part is length-prefixed)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


# -- what the corpus pages need from one document (kept in the state, so a rebuild re-reads no TEI) -------


@dataclass(slots=True)
class Summary:
    """One document as the index, the corpus register and the corpus CMIF file see it."""

    id: str
    title: str = ""
    date: str = ""            # ISO sort key ("" when undated)
    date_text: str = ""       # the date as the reading page shows it
    kind: str = ""            # the document type (cable, letter, memorandum ...)
    senders: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    #: (entry id, digest of its canonical XML, number of @ref pointers to it in the document)
    entries: list[tuple[str, str, int]] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)  # digests of standOff relations
    cmif: tuple[str, str] | None = None  # (bibl, correspDesc) XML; None for a document that is no letter
    published: str = ""       # the newest revisionDesc/change date (the CMIF file's date)

    def to_json(self) -> list[Any]:
        return [self.id, self.title, self.date, self.date_text, self.kind, self.senders, self.recipients,
                [list(e) for e in self.entries], self.relations, list(self.cmif) if self.cmif else None,
                self.published]

    @classmethod
    def from_json(cls, data: list[Any]) -> Summary:
        (id_, title, date, date_text, kind, senders, recipients, entries, relations, cmif, published) = data
        return cls(id_, title, date, date_text, kind, senders, recipients,
                   [(sys.intern(e[0]), sys.intern(e[1]), int(e[2])) for e in entries],
                   [sys.intern(r) for r in relations], (cmif[0], cmif[1]) if cmif else None, published)

    def intern(self) -> Summary:
        """Share the entry ids and digests among documents: ten thousand documents name the same few
        thousand entries about three hundred thousand times (tens of megabytes as separate strings)."""
        self.entries = [(sys.intern(i), sys.intern(d), n) for i, d, n in self.entries]
        self.relations = [sys.intern(r) for r in self.relations]
        return self


@dataclass(slots=True)
class Record:
    """What the last successful build of one input produced."""

    input: str                    # the path as the user gave it (for reports)
    key: str
    id: str
    files: dict[str, int]         # output file name in DIR -> size in bytes
    valid: bool | None            # None: not validated (--validate none)
    issues: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    summary: Summary

    def to_json(self) -> dict[str, Any]:
        return {"input": self.input, "key": self.key, "id": self.id, "files": self.files, "valid": self.valid,
                "issues": self.issues, "warnings": self.warnings, "summary": self.summary.to_json()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        return cls(data["input"], data["key"], data["id"], dict(data["files"]), data["valid"], data["issues"],
                   data["warnings"], Summary.from_json(data["summary"]))


@dataclass
class State:
    """The build's memory of DIR: see the module docstring."""

    tool: str = ""
    docs: dict[str, Record] = field(default_factory=dict)  # absolute input path -> record
    files: set[str] = field(default_factory=set)           # every file in DIR the build wrote and still owns
    entries: dict[str, str] = field(default_factory=dict)  # digest -> canonical XML of a register entry
    corpus_key: str = ""
    dirty: bool = False  # changed in memory in a way the counts of a build do not show (not saved)

    def used_entries(self) -> dict[str, str]:
        """The entries some document still holds (the others are dropped, so the state does not grow)."""
        used = {digest for r in self.docs.values() for _, digest, _ in r.summary.entries}
        used |= {digest for r in self.docs.values() for digest in r.summary.relations}
        return {d: xml for d, xml in sorted(self.entries.items()) if d in used}

    def write_json(self, out: TextIO) -> None:
        """The state as one JSON object, written record by record: a big corpus's state is tens of
        megabytes, and building it as one string first would double the build's peak memory."""
        dump = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
        out.write(f'{{"format":{STATE_FORMAT},"tool":{dump(self.tool)},"corpus_key":{dump(self.corpus_key)},')
        out.write(f'"files":{dump(sorted(self.files))},"entries":{dump(self.used_entries())},"docs":{{')
        for k, (path, record) in enumerate(self.docs.items()):
            out.write(("," if k else "") + dump(path) + ":" + dump(record.to_json()))
        out.write("}}")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> State:
        return cls(tool=data.get("tool", ""), docs={p: Record.from_json(r) for p, r in data["docs"].items()},
                   files=set(data["files"]), entries=dict(data["entries"]), corpus_key=data.get("corpus_key", ""))


# -- the folder ------------------------------------------------------------------------------------------


class OutDir:
    """DIR with its private ``.tei-cable-build`` folder; see the module docstring."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.meta = self.root / META_DIR
        self.tmp = self.meta / "tmp"
        self.state_path = self.meta / STATE_FILE
        self._lock_fd: int | None = None

    def prepare(self) -> None:
        """Create the folders and clear ``tmp/`` (left over by a build that was killed)."""
        if self.root.exists() and not self.root.is_dir():
            raise OutputError("the output path exists and is not a directory", path=self.root)
        try:
            self.meta.mkdir(parents=True, exist_ok=True)
            self.lock()
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp.mkdir(exist_ok=True)
        except OSError as err:
            raise OutputError(f"cannot create the output folder: {err.strerror}", path=self.root) from None

    def lock(self) -> None:
        """One build per folder: a second one would interleave renames and race on ``state.json``."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks; builds must not overlap
            return
        fd = os.open(self.meta / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputError("another build is writing to this folder; wait for it to finish",
                              path=self.root) from None
        self._lock_fd = fd  # the lock lives as long as the descriptor: released by unlock() or at exit

    def unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def staging(self, name: str) -> Path:
        return self.tmp / name

    def write(self, name: str, data: bytes) -> int:
        """Write ``DIR/name`` atomically (through ``tmp/``); return its size."""
        with self.writing(name) as out:
            out.write(data.decode("utf-8"))
        return len(data)

    @contextlib.contextmanager
    def writing(self, name: str, *, durable: bool = False) -> Iterator[TextIO]:
        """A text file (UTF-8) that becomes ``DIR/name`` when the block ends without an error, atomically.

        Corpus pages are written piece by piece through this, never built as one string first.
        ``durable`` fsyncs the file before the rename (the state: see the module docstring).
        """
        target = self.root / name
        tmp = self.tmp / f"main-{target.name}"
        try:
            with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
                yield handle
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def place(self, staged: Path, name: str) -> int:
        """Move a file a worker wrote in ``tmp/`` to ``DIR/name`` (atomic); return its size."""
        size = staged.stat().st_size
        os.replace(staged, self.root / name)
        return size

    def intact(self, files: dict[str, int]) -> bool:
        """Every file is there with the size the build wrote (a deleted or truncated output is rebuilt)."""
        root = str(self.root)
        for name, size in files.items():
            try:
                if os.stat(os.path.join(root, name)).st_size != size:
                    return False
            except OSError:
                return False
        return True

    def remove(self, names: Iterator[str] | set[str] | list[str]) -> list[str]:
        """Delete these build-written files (those still there); return the names removed."""
        removed = []
        for name in sorted(names):
            with contextlib.suppress(FileNotFoundError):
                (self.root / name).unlink()
                removed.append(name)
        return removed

    def clear_tmp(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- state.json --------------------------------------------------------------------------------------

    def load_state(self) -> State:
        """The last build's state; a missing, unreadable or older-format state means "build everything"."""
        try:
            data = json.loads(self.state_path.read_bytes())
            if data.get("format") != STATE_FORMAT:
                return State()
            return State.from_json(data)
        except (OSError, ValueError, KeyError, TypeError):
            return State()

    def save_state(self, state: State) -> None:
        with self.writing(f"{META_DIR}/{STATE_FILE}", durable=True) as out:
            state.write_json(out)
