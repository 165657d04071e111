"""``tei-cable entities FILE``: what an editor needs to grow the register."""

from __future__ import annotations

import json
from collections import Counter

import click

from . import reports_errors


@click.command()
@click.argument("file", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--register", "registers", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Merge this TEI register file into the built-in one (repeatable).")
@reports_errors
def entities(file: str, fmt: str, registers: tuple[str, ...]) -> None:
    """List every entity of a document (.txt export or .xml TEI) with its register id, authority ids and
    number of mentions, then the names that could not be linked."""
    from ..entities.report import entity_report

    report = entity_report(file, registers)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    rows = report["entities"]
    width = max((len(r["id"]) for r in rows), default=2)
    for row in rows:
        ids = " ".join(row["authorities"].values()) or "-"
        click.echo(f"{row['kind']:<7} {row['id']:<{width}}  {row['count']:>3}  {row['name']}  {ids}")
    counts = Counter(r["kind"] for r in rows)
    click.echo(f"{len(rows)} entities ({', '.join(f'{n} {k}' for k, n in sorted(counts.items()))})")
    for item in report["unresolved"]:
        click.echo(f"unresolved: {item['text']!r} (line {item['line']}): could be {', '.join(item['candidates'])}")
    for item in report["warnings"]:
        click.echo(f"warning: line {item['line']}: {item['message']}")
