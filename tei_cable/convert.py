"""The conversion API: export text (or a file) -> TEI tree, with the editor's findings.

>>> from tei_cable import convert_text
>>> result = convert_text(open("data/cable-208202-zhou-enlai-1952-08-28.txt", encoding="utf-8").read())
>>> result.tree.getroot().get("{http://www.w3.org/XML/1998/namespace}id")
'wcda-208202'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .encode import Encoded, Finding, encode
from .entities import Unresolved
from .entities.register import Register
from .parse import parse_file, parse_text


@dataclass
class Conversion:
    tree: etree._ElementTree
    path: str
    findings: list[Finding] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)


def load_register(extra: Sequence[str | Path] = ()) -> Register:
    """The shipped register merged with the users' ``--register`` files."""
    return Register.default().merged(extra)


def _result(encoded: Encoded, path: str) -> Conversion:
    unresolved = encoded.annotation.unresolved if encoded.annotation else []
    return Conversion(tree=encoded.tree, path=path, findings=encoded.findings, unresolved=unresolved)


def convert_text(text: str, path: str | Path = "<input>", *, registers: Sequence[str | Path] = (),
                 register: Register | None = None, teipublisher_odd: str | None = None) -> Conversion:
    """Convert the text of one export. Raises ``InputError`` (with file and line) on a bad layout."""
    doc = parse_text(text, path)
    reg = register if register is not None else load_register(registers)
    return _result(encode(doc, reg, teipublisher_odd=teipublisher_odd), str(path))


def convert_file(path: str | Path, *, registers: Sequence[str | Path] = (), register: Register | None = None,
                 teipublisher_odd: str | None = None) -> Conversion:
    """Convert one export file (UTF-8 or UTF-16 with BOM)."""
    doc = parse_file(path)
    reg = register if register is not None else load_register(registers)
    return _result(encode(doc, reg, teipublisher_odd=teipublisher_odd), str(path))
