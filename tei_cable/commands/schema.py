"""``tei-cable schema fetch`` and ``tei-cable schema where``: the schemas validation uses.

The project schema ships inside the package; the official TEI P5 ``tei_all`` does not (it is the TEI
Consortium's, 1 MB, released on its own schedule), so ``fetch`` downloads the pinned release once and
checks it byte for byte against its SHA-256.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import reports_errors


@click.group()
def schema() -> None:
    """Manage the schemas validation uses (download the official TEI P5 tei_all)."""


@schema.command()
@click.option("--url", default=None, metavar="URL", help="Download from here instead of the TEI Consortium's vault.")
@click.option("--sha256", default=None, metavar="HEX",
              help="The SHA-256 the download must have (default: that of the pinned TEI P5 release).")
@click.option("--dest", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Store the schema here (default: the user cache, where validation looks for it).")
@reports_errors
def fetch(url: str | None, sha256: str | None, dest: str | None) -> None:
    """Download the official TEI P5 tei_all RELAX NG schema and check its SHA-256.

    Nothing is stored unless the checksum matches. Validation then finds the schema by itself;
    in CI, cache the directory this prints.
    """
    from ..schemas import PINNED_SHA256, PINNED_URL, fetch_tei_all
    from ..validate.teiall import schema_version

    path = fetch_tei_all(url or PINNED_URL, sha256 or PINNED_SHA256, Path(dest) if dest else None)
    click.echo(f"stored TEI P5 {schema_version(path.read_bytes())} tei_all at {path}")


@schema.command()
@click.option("--tei-all", "tei_all", type=click.Path(dir_okay=False), default=None, metavar="PATH",
              help="Check this tei_all.rng instead of looking for one.")
def where(tei_all: str | None) -> None:
    """Print which schema files validation would use, and their versions."""
    from ..errors import SchemaError
    from ..schemas import find_tei_all
    from ..validate.grammar import schema_path
    from ..validate.teiall import schema_version

    for name in ("tei_cable.rng", "tei_cable.xsd", "tei_cable.sch"):
        click.echo(f"project: {schema_path(name)}")
    try:
        path = find_tei_all(Path(tei_all) if tei_all else None)
    except SchemaError as err:
        click.echo(f"tei-all: not available: {err}")
        return
    click.echo(f"tei-all: TEI P5 {schema_version(path.read_bytes())} at {path}")
