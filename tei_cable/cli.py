"""The ``tei-cable`` command line: a thin layer over the library.

Subcommands live in ``tei_cable/commands/`` and are imported only when invoked
(``COMMANDS`` maps each name to ``module:function``), so ``tei-cable --help`` starts
fast. Exit codes: 0 ok, 1 an invalid document (or a failed build), 2 usage or input error.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from . import __version__

#: Subcommand name -> (module:function, one-line help shown by --help without importing the module).
COMMANDS: dict[str, tuple[str, str]] = {
    "convert": ("tei_cable.commands.convert:convert", "Convert a Digital Archive text export to TEI P5."),
    "entities": ("tei_cable.commands.entities:entities", "List the entities of a document and their register ids."),
    "validate": ("tei_cable.commands.validate:validate", "Validate TEI files (project schema, Schematron, tei_all)."),
    "export": ("tei_cable.commands.export:export", "Export a TEI file as text, HTML, JSON, CMIF or a CETEIcean page."),
    "build": ("tei_cable.commands.build:build", "Convert, validate and export a whole corpus into a folder."),
    "schema": ("tei_cable.commands.schema:schema", "Manage official TEI schemas (download tei_all)."),
}


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module only when that subcommand runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (target, _) in COMMANDS.items() if _available(target)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS or not _available(COMMANDS[cmd_name][0]):
            return None
        module_name, _, attr = COMMANDS[cmd_name][0].partition(":")
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(target: str) -> bool:
    module_name = target.partition(":")[0]
    return importlib.util.find_spec(module_name) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tei-cable")
def main() -> None:
    """tei-cable: translated Cold-War documents as TEI P5 editions.

    Convert the Wilson Center Digital Archive's plain-text exports to TEI, validate
    them against the project schema and official TEI P5, and export text, HTML and JSON.
    """


def run() -> None:  # pragma: no cover - the console script
    sys.exit(main())
