"""One exception root for everything tei-cable raises on purpose.

A user who sees one of these should be able to fix the problem from the message
alone: each error carries the file, the line (where there is one) and what was
expected. The CLI maps every subclass to an exit code (``exit_code``), so the
library never calls ``sys.exit`` itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class TeiCableError(Exception):
    """Root of all tei-cable errors.

    >>> raise InputError("no date line", path="cable.txt", line=3)
    Traceback (most recent call last):
    ...
    tei_cable.errors.InputError: cable.txt:3: no date line
    """

    exit_code: int = 2

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message

    def located(self, path: str | Path) -> TeiCableError:
        """Return the same error with ``path`` filled in when it was unknown."""
        if self.path is None:
            self.path = str(path)
            self.args = (str(self),)
        return self


class InputError(TeiCableError):
    """The input (text export or XML) cannot be read or does not have the expected layout."""


class RegisterError(TeiCableError):
    """A register file is malformed, or two registers disagree about an entry."""


class SchemaError(TeiCableError):
    """A schema that validation needs is missing, unreadable or does not match its checksum."""


class OptionError(TeiCableError):
    """An option has a value tei-cable cannot use (the message says which values are allowed)."""


class OutputError(TeiCableError):
    """An output cannot be written safely (for instance it would overwrite the input)."""


class UnknownChoiceError(TeiCableError, KeyError):
    """A lookup in one of the module-level tables missed; the message lists the valid choices."""

    def __init__(self, kind: str, name: str, choices: Iterable[str]) -> None:
        self.kind = kind
        self.name = name
        self.choices = sorted(choices)
        super().__init__(f"unknown {kind} {name!r}; choose one of: {', '.join(self.choices)}")

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return self.message
