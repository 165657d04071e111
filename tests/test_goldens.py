"""Golden TEI for the seed and every fixture case (``make accept`` rewrites them after a reviewed change)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CASES, SEED, case_names
from golden import check_golden

from tei_cable.convert import convert_file
from tei_cable.tei import serialize

#: Golden folder -> input file. The seed's input is the bundled file in data/, not a copy.
INPUTS: dict[str, Path] = {"seed-208202": SEED, **{name: CASES / name / "input.txt" for name in case_names()}}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_tei_golden(name: str) -> None:
    result = convert_file(INPUTS[name])
    check_golden(CASES / name / "expected.xml", serialize(result.tree))
