"""Golden files: compare an output with ``expected.*``; leave the actual output beside it when they differ.

Run ``make accept`` (``TEI_CABLE_ACCEPT=1``) to rewrite the golden files after a reviewed change;
then read ``git diff tests/cases`` before committing.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

ACCEPT = os.environ.get("TEI_CABLE_ACCEPT") == "1"


def check_golden(expected: Path, actual: bytes) -> None:
    """Fail with a short diff when ``actual`` differs from the golden file ``expected``."""
    failure = expected.with_name(expected.name.replace("expected", "actual", 1))
    if ACCEPT:
        expected.write_bytes(actual)
        failure.unlink(missing_ok=True)
        return
    if not expected.exists():
        failure.write_bytes(actual)
        pytest.fail(f"no golden file {expected}; the output is in {failure.name} (run `make accept` to adopt it)")
    wanted = expected.read_bytes()
    if wanted == actual:
        failure.unlink(missing_ok=True)
        return
    failure.write_bytes(actual)
    diff = difflib.unified_diff(wanted.decode("utf-8", "replace").splitlines(),
                                actual.decode("utf-8", "replace").splitlines(),
                                str(expected.name), str(failure.name), lineterm="", n=1)
    shown = "\n".join(list(diff)[:60])
    pytest.fail(f"{expected} differs from the output (saved as {failure.name}):\n{shown}")
