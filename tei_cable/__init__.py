"""tei-cable: translated Cold-War documents from the Wilson Center Digital Archive as TEI P5 editions.

>>> import tei_cable
>>> from tei_cable.validate import validate
>>> from tei_cable.export import export
>>> result = tei_cable.convert_file("data/cable-208202-zhou-enlai-1952-08-28.txt")
>>> validate(result.tree, "project").ok()
True
>>> export(result.tree, "text").splitlines()[0]
'Cable, Zhou Enlai to Chairman Mao [Zedong] and the Central Committee'

``validate`` and ``export`` are imported from their subpackages: a function named like a subpackage
cannot also live on the package (importing the subpackage would replace it).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "convert_file", "convert_text", "read_tei"]


def __getattr__(name: str) -> Any:
    # Lazy imports keep `tei-cable --help` and `import tei_cable` fast (no lxml until needed).
    if name in ("convert_file", "convert_text"):
        from . import convert

        return getattr(convert, name)
    if name == "read_tei":
        from .tei import read_xml

        return read_xml
    raise AttributeError(name)
