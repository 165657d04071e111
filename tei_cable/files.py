"""Reading inputs within limits, and writing files safely: a reader sees the old file or the new one, never
half of one.

Every output tei-cable writes (TEI, exports, build results, cached schemas) goes through ``write_atomic``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError, OutputError


def read_limited(path: str | Path, limit: int, what: str) -> bytes:
    """Read a whole input file, refusing (before reading) one larger than ``limit`` bytes."""
    try:
        if Path(path).stat().st_size > limit:
            raise InputError(f"{what} is larger than {limit // (1024 * 1024)} MB; refusing to read it", path=path)
        return Path(path).read_bytes()
    except OSError as err:
        raise InputError(f"cannot read file: {err.strerror}", path=path) from None


def write_atomic(path: str | Path, data: bytes, *, inputs: tuple[str | Path, ...] = (), parents: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: never a half-written file.

    Refuses to overwrite any of ``inputs`` (the file being converted, say). A missing folder is an error
    unless ``parents`` (caches and build folders make their own; a user's ``-o`` path is taken as given).
    """
    # A link is followed: the file it points to is replaced, the link stays.
    target = Path(path).resolve() if Path(path).is_symlink() else Path(path)
    for source in inputs:
        try:
            if target.exists() and target.resolve() == Path(source).resolve():
                raise OutputError("refusing to overwrite the input file; choose another output path", path=path)
        except OSError:
            continue
    if target.is_dir():
        raise OutputError("is a folder; give a file name for the output", path=path)
    if target.exists() and not target.is_file():
        raise OutputError("is not a regular file (a pipe or a device); refusing to replace it", path=path)
    directory = target.parent if str(target.parent) else Path(".")
    if parents:
        directory.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as err:
        raise OutputError(f"cannot write here: {err.strerror}", path=path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as err:
        # Disk full, permissions, I/O errors: the old file (if any) is untouched and no temporary file stays.
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"could not write the file: {err.strerror or err}; nothing was changed", path=path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
