"""Exports of a TEI tree: plain text, HTML, JSON and CMIF, each from the tree alone.

``EXPORTERS`` is the one table of formats: a name maps to ``module:function`` and the options that function
takes. Modules are imported only when their format is asked for, so adding a format adds one module and
one line here (a CETEIcean page, say: ``"ceteicean": Exporter("tei_cable.export.ceteicean:export_ceteicean",
...)``). The command line offers every name in the table.

>>> from tei_cable.tei import parse_xml
>>> tree = parse_xml(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Hi</p></body></text></TEI>')
>>> export(tree, "text", body_only=True)
'Hi\\n'
>>> export(tree, "pdf")
Traceback (most recent call last):
...
tei_cable.errors.UnknownChoiceError: unknown export format 'pdf'; choose one of: ceteicean, cmif, html, json, text

Exporters never change the tree (they read it; a test compares the tree before and after) and never
look at the source text: a TEI file corrected by hand exports exactly like a fresh conversion.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ..errors import UnknownChoiceError


@dataclass(frozen=True)
class Exporter:
    """One output format: where its function lives, the options it accepts, what it writes."""

    target: str                       # "module:function"; the function takes (tree, **options) -> str
    options: frozenset[str]           # option names the function accepts
    extension: str                    # the usual file name ending (for ``build`` and golden files)
    media_type: str
    description: str

    def load(self) -> Callable[..., str]:
        module_name, _, attr = self.target.partition(":")
        function: Callable[..., str] = getattr(importlib.import_module(module_name), attr)
        return function


#: Format name -> exporter. The single place a format is registered.
EXPORTERS: dict[str, Exporter] = {
    "text": Exporter("tei_cable.export.text:export_text", frozenset({"body_only"}), "txt", "text/plain",
                     "the reading text: title, date, source line, body, notes"),
    "html": Exporter("tei_cable.export.html:export_html", frozenset(), "html", "text/html",
                     "one self-contained reading page with metadata, notes and indexes"),
    "json": Exporter("tei_cable.export.json_export:export_json", frozenset({"body_only"}), "json",
                     "application/json", "metadata, text, blocks, entities, dates and notes with offsets"),
    "cmif": Exporter("tei_cable.export.cmif:export_cmif", frozenset({"published"}), "cmif.xml",
                     "application/tei+xml", "the correspondence metadata for correspSearch (CMIF)"),
    "ceteicean": Exporter("tei_cable.export.ceteicean:export_ceteicean", frozenset({"output", "ceteicean_js"}),
                          "html", "text/html", "a viewer page that renders the TEI in the browser with CETEIcean"),
}


def exporter(fmt: str) -> Exporter:
    """The table entry for ``fmt``; a miss raises ``UnknownChoiceError`` listing the formats."""
    try:
        return EXPORTERS[fmt]
    except KeyError:
        raise UnknownChoiceError("export format", fmt, EXPORTERS) from None


def export(tree: etree._ElementTree | etree._Element, fmt: str, **options: Any) -> str:
    """Export a TEI tree (or its root element) as ``fmt``; options the format does not take are an error."""
    entry = exporter(fmt)
    for name in options:
        if name not in entry.options:
            raise UnknownChoiceError(f"option for {fmt!r} export", name, entry.options or {"(none)"})
    function = entry.load()
    # None means "the format's default", so callers can pass options through without checking them.
    return function(tree, **{k: v for k, v in options.items() if v is not None})


__all__ = ["EXPORTERS", "Exporter", "export", "exporter"]
