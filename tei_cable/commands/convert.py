"""``tei-cable convert INPUT.txt [-o OUTPUT.xml]``."""

from __future__ import annotations

import click

from . import emit, reports_errors


@click.command()
@click.argument("input_file", metavar="INPUT.txt", type=click.Path(dir_okay=False))
@click.option("-o", "--output", metavar="OUTPUT.xml", help="Write the TEI here (default: standard output).")
@click.option("--register", "registers", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Merge this TEI register file into the built-in one (repeatable).")
@click.option("--teipublisher-odd", metavar="NAME", help="Add <?teipublisher odd=\"NAME\"?> for TEI Publisher.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print the editor's warnings.")
@reports_errors
def convert(input_file: str, output: str | None, registers: tuple[str, ...], teipublisher_odd: str | None,
            quiet: bool) -> None:
    """Convert a Digital Archive plain-text export to TEI P5.

    Prints warnings an editor should look at (misspelt names, dates that contradict the
    register) on standard error; they do not change the exit code.
    """
    from ..convert import convert_file
    from ..tei import serialize

    result = convert_file(input_file, registers=registers, teipublisher_odd=teipublisher_odd)
    data = serialize(result.tree)
    emit(data, output, inputs=(input_file, *registers))
    if not quiet:
        for finding in result.findings:
            click.echo(f"{input_file}:{finding.line}: warning: {finding.message}", err=True)
