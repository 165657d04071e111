"""Shared fixtures: paths, the fixture cases, the official TEI schema and outside programs."""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
SEED = ROOT / "data" / "cable-208202-zhou-enlai-1952-08-28.txt"
#: The official TEI P5 4.9.0 schema lives outside the project (never copied into it).
TEI_ALL = ROOT.parent / "shared" / "tei" / "tei_all_4.9.0.rng"


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "input.txt").is_file())


def all_inputs() -> list[Path]:
    """The seed and every fixture case."""
    return [SEED, *(CASES / name / "input.txt" for name in case_names())]


HELDOUT = ROOT / "tests" / "heldout"


def every_input() -> list[Path]:
    """The seed, the fixture cases and the held-out cases (written later for the entity benchmark)."""
    return [*all_inputs(), *sorted(HELDOUT.glob("*/input.txt"))]


@pytest.fixture(scope="session")
def tei_all() -> Path:
    if not TEI_ALL.is_file():
        pytest.skip(f"official TEI P5 schema not found at {TEI_ALL} (needed for tei_all conformance)")
    return TEI_ALL


@pytest.fixture(scope="session")
def jing() -> str:
    path = shutil.which("jing")
    if path is None:
        pytest.skip("jing is not installed (Debian package 'jing'; .ci/run installs it)")
    return path


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise TimeoutError after ``seconds``: a quadratic case fails instead of hanging CI or eating memory."""
    if not hasattr(signal, "SIGALRM"):
        pytest.skip("signal.SIGALRM is needed to bound the run time; this platform has none")

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
