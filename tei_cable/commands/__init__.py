"""One module per subcommand; ``cli.COMMANDS`` imports them lazily.

Shared helpers for all commands live here: error reporting with exit codes and
output to a file (atomically, ``files.write_atomic``) or standard output.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import TeiCableError
from ..files import write_atomic

__all__ = ["emit", "reports_errors", "write_atomic"]

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


def emit(data: bytes, output: str | None, *, inputs: tuple[str | Path, ...] = ()) -> None:
    """Write to ``output`` atomically, or to stdout when there is none."""
    if output is None or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomic(output, data, inputs=inputs)
