"""``tei-cable build SOURCE... --out DIR [--jobs N] [--validate project|tei-all|all|none] [--quiet]``.

Exit codes: 0 every document built and valid; 1 some input failed or some document is invalid (the others
are built all the same); 2 a usage or input error that stops the whole build (no input, a bad register, a
missing tei_all schema, another build in DIR); 130 on Ctrl-C and 143 on SIGTERM (finished documents are
kept: the next build goes on from there).

Heavy modules are imported inside the command, so ``tei-cable --help`` never loads them.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

import click

from . import reports_errors

if TYPE_CHECKING:
    from ..build import DocReport

#: How many validation errors of one document are printed (the rest are in report.json).
SHOWN_ISSUES = 3


def _problems(report: DocReport, out: str) -> list[str]:
    """The lines to print for one document: its failure, or its first validation errors."""
    if report.failure is not None:
        f = report.failure
        where = f"{f.path}:{f.line}" if f.line else f.path
        return [f"{where}: error: {f.message}"]
    errors = [i for i in report.issues if i.get("severity") == "error"]
    lines = []
    for issue in errors[:SHOWN_ISSUES]:
        where = f"{out.rstrip('/')}/{report.xml_name}" + (f":{issue['line']}" if issue.get("line") else "")
        lines.append(f"{where}: error: {issue['message']} [{issue['rule']}]")
    if len(errors) > SHOWN_ISSUES:
        lines.append(f"{out.rstrip('/')}/{report.xml_name}: ... and {len(errors) - SHOWN_ISSUES} more errors "
                     "(see report.json)")
    return lines


def _date(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise click.BadParameter(f"{value!r} is not a date of the form YYYY-MM-DD")
    return value


@click.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("-o", "--out", required=True, metavar="DIR", type=click.Path(file_okay=False),
              help="The folder to build into (created if needed).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes (default: the number of cores).")
@click.option("--validate", "validate_against", type=click.Choice(["project", "tei-all", "all", "none"]),
              default="project", show_default=True,
              help="project: tei-cable's RELAX NG, XSD and Schematron; tei-all: official TEI P5; all: both.")
@click.option("--tei-all", "tei_all", type=click.Path(dir_okay=False), default=None, metavar="PATH",
              help="The official tei_all.rng, for --validate tei-all/all (default: $TEI_CABLE_TEI_ALL, else the "
                   "copy that `tei-cable schema fetch` downloaded).")
@click.option("--register", "registers", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Merge this TEI register file into the built-in one (repeatable).")
@click.option("--title", default="tei-cable corpus", show_default=True, help="The corpus title on its pages.")
@click.option("--base-url", metavar="URL", help="Where DIR will be published (the CMIF file's own URL).")
@click.option("--published", metavar="YYYY-MM-DD", callback=lambda _c, _p, v: _date(v),
              help="The CMIF file's publication date (default: the newest revisionDesc/change date, else today).")
@click.option("--force", is_flag=True, help="Rebuild every document, even unchanged ones.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary; errors are still printed.")
@reports_errors
def build(sources: tuple[str, ...], out: str, jobs: int | None, validate_against: str, tei_all: str | None,
          registers: tuple[str, ...], title: str, base_url: str | None, published: str | None, force: bool,
          quiet: bool) -> None:
    """Convert, validate and export a whole corpus into DIR.

    SOURCE is a Digital Archive .txt export, a TEI .xml file (corrected by hand: it is validated and
    exported, not converted) or a folder of them. DIR gets <id>.xml, .txt, .html and .json per document,
    index.html, register.xml and register.html, cmif.xml and report.json. A rebuild redoes only what
    changed; a bad input is reported and the others are built.
    """
    from ..build import BuildInterrupted
    from ..build import build as run_build
    from ..build.progress import Progress, auto_mode

    stream = sys.stderr
    progress = Progress(0, stream=stream, mode=auto_mode(stream, quiet))

    def on_document(report: DocReport) -> None:
        for line in _problems(report, out):
            progress.message(line)

    try:
        result = run_build(sources, out, jobs=jobs, validate=validate_against, registers=registers,
                           tei_all=tei_all, title=title, base_url=base_url, published=published, force=force,
                           progress=progress, on_document=on_document)
    except BuildInterrupted as stop:
        progress.close()
        click.echo(f"tei-cable: build stopped ({stop}); finished documents are kept: run it again to go on",
                   err=True)
        sys.exit(128 + stop.signum)
    except KeyboardInterrupt:
        progress.close()
        click.echo("tei-cable: build interrupted; finished documents are kept: run it again to go on", err=True)
        sys.exit(130)
    progress.close()
    for warning in result.corpus_warnings:
        click.echo(f"tei-cable: warning: {warning}", err=True)
    if not quiet:
        c = result.counts()
        rate = f", {c['built'] / result.seconds:.1f} docs/s" if c["built"] and result.seconds else ""
        docs = f"{c['documents']} document{'' if c['documents'] == 1 else 's'}"
        click.echo(f"build: {docs} into {out}: {c['built']} built, {c['unchanged']} unchanged, "
                   f"{c['failed']} failed, {c['invalid']} invalid, {c['removed']} files removed "
                   f"in {result.seconds:.1f} s{rate}; see {out.rstrip('/')}/index.html and report.json", err=True)
    sys.exit(result.exit_code)

