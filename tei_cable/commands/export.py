"""``tei-cable export FILE.xml --to text|html|json|cmif [-o OUT] [--body-only]``.

The formats on offer are the names in ``tei_cable.export.EXPORTERS``: a new target (a CETEIcean page, say)
registers itself there in its own module and appears here with no change to this file. Options that only
some formats take (``--body-only``, ``--published``) are refused for the others with exit code 2.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import click

from ..export import EXPORTERS
from . import emit, reports_errors, write_atomic


@click.command()
@click.argument("file", metavar="FILE.xml", type=click.Path(dir_okay=False))
@click.option("--to", "fmt", type=click.Choice(sorted(EXPORTERS)), default="text", show_default=True,
              help="Output format.")
@click.option("-o", "--output", metavar="OUT", help="Write here (default: standard output).")
@click.option("--body-only", is_flag=True, help="text/json: the body alone, without header block and notes.")
@click.option("--published", metavar="YYYY-MM-DD", help="cmif: the date of the CMIF file (default: last change).")
@click.option("--ceteicean-js", metavar="PATH", help="ceteicean: load CETEIcean from this local copy (or URL) "
              "instead of the pinned release on jsDelivr.")
@reports_errors
def export(file: str, fmt: str, output: str | None, body_only: bool, published: str | None,
           ceteicean_js: str | None) -> None:
    """Export a TEI file as plain text, an HTML page, JSON or CMIF.

    Elements the exporters do not know are shown by a fallback rule and reported once on standard error;
    they do not change the exit code.
    """
    from ..errors import InputError, OutputError
    from ..export import export as run_export
    from ..export.behaviours import UnknownElementWarning
    from ..tei import read_xml, serialize

    options: dict[str, Any] = {}
    if body_only:
        options["body_only"] = True
    if published:
        options["published"] = published
    if ceteicean_js:
        options["ceteicean_js"] = ceteicean_js
    if "output" in EXPORTERS[fmt].options:
        options["output"] = output
    if file.endswith(".txt"):
        raise InputError("this is a text export, not TEI: convert it first (tei-cable convert FILE.txt -o FILE.xml)",
                         path=file)
    tree = read_xml(file)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnknownElementWarning)
        result = run_export(tree, fmt, **options)
    emit(result.encode("utf-8"), output, inputs=(file,))
    if fmt == "ceteicean" and output not in (None, "-"):
        # The viewer page links its TEI source: write the TEI beside it, but never over the input and never
        # over another file that says something else (a hand-corrected edition of the same name).
        beside = Path(output).with_suffix(".xml")  # type: ignore[arg-type]
        data = serialize(tree)
        if beside.exists() and beside.resolve() != Path(file).resolve() and beside.read_bytes() != data:
            raise OutputError(f"{beside.name} already exists beside the page with other content; move it, or "
                              "write the page elsewhere (the page itself was written: it embeds the TEI)",
                              path=beside)
        if not beside.exists():
            write_atomic(beside, data, inputs=(file,))
    for warning in caught:
        if issubclass(warning.category, UnknownElementWarning):
            click.echo(f"{file}: warning: {warning.message}", err=True)
