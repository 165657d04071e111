"""``tei-cable validate PATH... [--against project|tei-all|all] [--format text|json|github] [--strict]``.

Exit codes: 0 every file valid; 1 some file invalid (warnings count only with ``--strict``);
2 a usage or input error (a path that names no file, a file that is not XML: the message says where
the XML breaks). Every file is checked before exiting, so one run reports everything.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import click
from lxml import etree

from ..errors import InputError
from ..validate.report import Issue
from . import reports_errors


@dataclass
class Problem:
    """One problem as users see it: issues of several validators that say the same thing, merged."""

    line: int | None
    severity: str
    rule: str
    message: str
    xpath: str
    validators: list[str] = field(default_factory=list)

    def fails(self, strict: bool) -> bool:
        return self.severity == "error" or (strict and self.severity == "warning")


@dataclass
class FileResult:
    path: str
    problems: list[Problem] = field(default_factory=list)
    error: str = ""  # why the file could not be read as XML
    error_line: int | None = None

    def ok(self, strict: bool) -> bool:
        return not self.error and not any(p.fails(strict) for p in self.problems)


@dataclass
class Run:
    """Everything a run found, for the output formats."""

    against: str
    strict: bool
    checked_with: list[str]  # one line per validator: what it checks against (the TEI release for tei-all)
    results: list[FileResult]

    def counts(self) -> dict[str, int]:
        unreadable = sum(1 for r in self.results if r.error)
        invalid = sum(1 for r in self.results if not r.error and not r.ok(self.strict))
        return {
            "files": len(self.results),
            "valid": len(self.results) - invalid - unreadable,
            "invalid": invalid,
            "unreadable": unreadable,
            "errors": sum(1 for r in self.results for p in r.problems if p.severity == "error"),
            "warnings": sum(1 for r in self.results for p in r.problems if p.severity == "warning"),
        }

    def summary(self) -> str:
        """``3 files checked against all: 2 valid, 1 invalid; 4 errors, 1 warning``."""
        c = self.counts()
        files = f"{c['files']} file{'' if c['files'] == 1 else 's'}"
        parts = [f"{c['valid']} valid", f"{c['invalid']} invalid"]
        if c["unreadable"]:
            parts.append(f"{c['unreadable']} not readable as XML")
        errors = f"{c['errors']} error{'' if c['errors'] == 1 else 's'}"
        warnings = f"{c['warnings']} warning{'' if c['warnings'] == 1 else 's'}"
        strict = " (warnings fail: --strict)" if self.strict else ""
        return f"{files} checked against {self.against}: {', '.join(parts)}; {errors}, {warnings}{strict}"

    def exit_code(self) -> int:
        if any(r.error for r in self.results):
            return 2
        return 0 if all(r.ok(self.strict) for r in self.results) else 1


def expand_paths(paths: Iterable[str]) -> list[Path]:
    """Files, directories (every ``*.xml`` below them) and globs (``'data/**/*.xml'``), each once, in order.

    A path that names nothing is an input error: a CI job that validates nothing must not pass.
    """
    out: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.xml") if p.is_file())
            if not found:
                raise InputError("the directory holds no .xml file", path=raw)
            out.update(dict.fromkeys(found))
        elif path.is_file():
            out[path] = None
        elif glob.has_magic(raw):
            matches = sorted(Path(p) for p in glob.glob(raw, recursive=True) if Path(p).is_file())
            if not matches:
                raise InputError("the pattern matches no file", path=raw)
            out.update(dict.fromkeys(matches))
        else:
            raise InputError("no such file or directory", path=raw)
    return list(out)


def merge(issues: Iterable[Issue]) -> list[Problem]:
    """Issues that say the same thing about the same place (RELAX NG and XSD agree by design) become
    one problem that names all their validators."""
    merged: dict[tuple[object, ...], Problem] = {}
    for i in issues:
        key = (i.line, i.severity, i.rule, i.message, i.xpath)
        merged.setdefault(key, Problem(i.line, i.severity, i.rule, i.message, i.xpath)).validators.append(i.validator)
    return list(merged.values())


# --- output formats ---------------------------------------------------------------------------------


def _where(path: str, line: int | None) -> str:
    return f"{path}:{line}" if line else path


def write_text(run: Run) -> None:
    """``file:line: severity: message [rule] (validators: xpath)``: the form editors and grep know."""
    for r in run.results:
        if r.error:
            click.echo(f"tei-cable: error: {_where(r.path, r.error_line)}: {r.error}", err=True)
        for p in r.problems:
            click.echo(f"{_where(r.path, p.line)}: {p.severity}: {p.message} [{p.rule}] "
                       f"({', '.join(p.validators)}: {p.xpath or '/'})")
    for line in run.checked_with:
        click.echo(f"checked with {line}")
    click.echo(run.summary())


def _escape_data(text: str) -> str:
    # The escaping of GitHub's workflow commands (actions/toolkit: escapeData and escapeProperty).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(level: str, path: str, line: int | None, title: str, message: str) -> str:
    props = f"file={_escape_property(path)}" + (f",line={line}" if line else "") + f",title={_escape_property(title)}"
    return f"::{level} {props}::{_escape_data(message)}"


def write_github(run: Run) -> None:
    """GitHub Actions annotations (``::error file=F,line=L,title=RULE::message``), shown on the pull
    request's diff; warnings become ``::warning`` unless ``--strict`` makes them fail."""
    for r in run.results:
        if r.error:
            click.echo(_annotation("error", r.path, r.error_line, "not-xml", r.error))
        for p in r.problems:
            level = "error" if p.fails(run.strict) else "warning" if p.severity == "warning" else "notice"
            click.echo(_annotation(level, r.path, p.line, p.rule, f"{p.message} ({p.xpath})"))
    for line in run.checked_with:
        click.echo(f"checked with {line}")
    click.echo(run.summary())


def write_json(run: Run) -> None:
    """One JSON object: the files with their problems, what was checked, and the counts."""
    from .. import __version__

    data = {
        "tool": f"tei-cable {__version__}",
        "against": run.against,
        "strict": run.strict,
        "checked_with": run.checked_with,
        "files": [
            {
                "path": r.path,
                "valid": r.ok(run.strict),
                **({"error": r.error, "line": r.error_line} if r.error else {}),
                "problems": [
                    {"line": p.line, "severity": p.severity, "rule": p.rule, "message": p.message, "xpath": p.xpath,
                     "validators": p.validators}
                    for p in r.problems
                ],
            }
            for r in run.results
        ],
        "summary": {**run.counts(), "text": run.summary()},
    }
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


#: --format name -> writer.
WRITERS: dict[str, Callable[[Run], None]] = {"text": write_text, "json": write_json, "github": write_github}


# --- the command ------------------------------------------------------------------------------------


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--against", type=click.Choice(["project", "tei-all", "all", "cmif"]), default="all", show_default=True,
              help="project: tei-cable's RELAX NG, XSD and Schematron rules; tei-all: official TEI P5; all: both.")
@click.option("--format", "fmt", type=click.Choice(list(WRITERS)), default="text", show_default=True,
              help="text for people, json for programs, github for GitHub Actions annotations.")
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--tei-all", "tei_all", type=click.Path(dir_okay=False), default=None, metavar="PATH",
              help="The official tei_all.rng (default: $TEI_CABLE_TEI_ALL, else the copy that "
                   "`tei-cable schema fetch` downloaded).")
@reports_errors
def validate(paths: tuple[str, ...], against: str, fmt: str, strict: bool, tei_all: str | None) -> None:
    """Validate TEI files against the project schema and official TEI P5.

    PATH is a file, a directory (every .xml file below it) or a quoted glob ('editions/**/*.xml').
    Each problem is printed with its file, line, rule id and XPath; then one summary line.
    Exit 0: all valid; 1: some file invalid (warnings only with --strict); 2: usage or input error.
    """
    from ..tei import read_xml
    from ..validate import describe, prepare, validator, validator_names
    from ..validate import validate as run_validators

    files = expand_paths(paths)
    # Build (compile) the validators before reading any file: a missing tei_all is one clear error.
    checked_with = [describe(validator(name, tei_all)) for name in validator_names(against)]
    results: list[FileResult] = []
    trees: dict[str, etree._ElementTree] = {}
    for path in files:
        shown = str(path) if path.is_absolute() else os.path.normpath(path)
        try:
            trees[shown] = read_xml(path)
            results.append(FileResult(shown))
        except InputError as err:
            results.append(FileResult(shown, error=err.message, error_line=err.line))
    prepare(trees.values(), against, tei_all=tei_all)  # tei-all: one grammar for the whole batch
    for result in results:
        if not result.error:
            result.problems = merge(run_validators(trees[result.path], against, tei_all=tei_all, path=result.path))
    run = Run(against, strict, checked_with, results)
    WRITERS[fmt](run)
    sys.exit(run.exit_code())
