"""tei-cable: translated Cold-War documents from the Wilson Center Digital Archive as TEI P5 editions.

>>> import tei_cable
>>> result = tei_cable.convert_file("data/cable-208202-zhou-enlai-1952-08-28.txt")  # doctest: +SKIP
>>> report = tei_cable.validate(result.tree)  # doctest: +SKIP
>>> html = tei_cable.export(result.tree, "html")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "convert_file", "convert_text", "export", "read_tei", "validate"]


def __getattr__(name: str) -> Any:
    # Lazy imports keep `tei-cable --help` and `import tei_cable` fast (no lxml until needed).
    if name in ("convert_file", "convert_text"):
        from . import convert

        return getattr(convert, name)
    if name == "validate":
        from .validate import validate

        return validate
    if name == "export":
        from .export import export

        return export
    if name == "read_tei":
        from .tei import read_xml

        return read_xml
    raise AttributeError(name)
