"""What every validator yields: one ``Issue`` type, collected in a ``Report``.

RELAX NG, XSD, Schematron and official TEI P5 all speak this one vocabulary, so
the CLI prints, counts and serialises their findings the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Literal, Protocol

from lxml import etree

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, order=True)
class Issue:
    """One finding about one place in one document.

    ``validator`` is the table key of the validator (``"relaxng"``, ``"xsd"``,
    ``"schematron"``, ``"tei-all"``); ``rule`` a stable id users can grep for
    (a Schematron assertion id, or a generic id such as ``"rng-invalid"``).
    """

    line: int | None
    validator: str
    rule: str
    severity: Severity
    message: str
    xpath: str = ""
    path: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Report:
    """All issues found in one document, plus what was checked."""

    path: str = ""
    checked: list[str] = field(default_factory=list)  # validator names that ran
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "tei-all: TEI P5 4.9.0"

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    def ok(self, strict: bool = False) -> bool:
        """True when nothing fails the run: errors always do, warnings only when strict."""
        return not self.errors and not (strict and self.warnings)

    def __iter__(self) -> Iterator[Issue]:
        return iter(sorted(self.issues, key=lambda i: (i.line or 0, i.validator, i.rule, i.message)))


class Validator(Protocol):
    """The one interface all schema languages implement (compiled once per process)."""

    name: str

    def iter_issues(self, tree: etree._ElementTree) -> Iterator[Issue]:
        """Yield every problem in ``tree``; yield nothing when it is valid."""
        ...
