"""One module per subcommand; ``cli.COMMANDS`` imports them lazily.

Shared helpers for all commands live here: error reporting with exit codes and
safe (atomic) output.
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import OutputError, TeiCableError

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Turn a ``TeiCableError`` into one line on stderr and its exit code (2 for bad input)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TeiCableError as err:
            click.echo(f"tei-cable: error: {err}", err=True)
            sys.exit(err.exit_code)

    return wrapper  # type: ignore[return-value]


def write_atomic(path: str | Path, data: bytes, *, inputs: tuple[str | Path, ...] = ()) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: never a half-written file.

    Refuses to overwrite any of ``inputs`` (the file being converted, say).
    """
    target = Path(path)
    for source in inputs:
        try:
            if target.exists() and target.resolve() == Path(source).resolve():
                raise OutputError("refusing to overwrite the input file; choose another output path", path=path)
        except OSError:
            continue
    directory = target.parent if str(target.parent) else Path(".")
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
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def emit(data: bytes, output: str | None, *, inputs: tuple[str | Path, ...] = ()) -> None:
    """Write to ``output`` atomically, or to stdout when there is none."""
    if output is None or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomic(output, data, inputs=inputs)
