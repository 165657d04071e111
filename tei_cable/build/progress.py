"""Progress of a build on standard error: a live bar on a terminal, plain periodic lines elsewhere.

>>> import io
>>> p = Progress(3, stream=io.StringIO(), mode="lines", interval=0)
>>> p.advance(built=True); p.advance(built=False); p.advance(built=True)
>>> p.stream.getvalue().splitlines()[-1].startswith("build: 3/3 documents")
True

The bar (``mode="bar"``) redraws one line with ``\\r``: count, percentage, rate and time left. The plain
mode (``"lines"``, used when standard error is a file or a CI log) prints one line every ``interval``
seconds, because a CI log of ten thousand ``\\r`` updates is unreadable. ``"none"`` (``--quiet``) prints
nothing; errors are printed by the caller whatever the mode.

The rate counts only documents that were built: an unchanged document costs a hash and a ``stat``, and
counting it would make the time left of a partly incremental build far too optimistic.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import Literal, TextIO

Mode = Literal["bar", "lines", "none"]

#: The bar is redrawn at most this often (seconds): redrawing costs a write to the terminal.
BAR_REFRESH = 0.1
#: A plain line at most this often (seconds).
LINE_INTERVAL = 5.0


def auto_mode(stream: TextIO, quiet: bool) -> Mode:
    """``none`` when quiet, ``bar`` on a terminal, ``lines`` otherwise (a pipe, a file, a CI log)."""
    if quiet:
        return "none"
    isatty = getattr(stream, "isatty", None)
    return "bar" if isatty is not None and isatty() else "lines"


def duration(seconds: float) -> str:
    """``42s``, ``3m05s``, ``1h02m``: short enough for the bar."""
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


class Progress:
    """Counts finished documents and shows them; ``advance`` is called once per input, in any order."""

    def __init__(self, total: int, *, stream: TextIO | None = None, mode: Mode = "lines",
                 interval: float = LINE_INTERVAL) -> None:
        self.total = total
        self.stream: TextIO = stream if stream is not None else sys.stderr
        self.mode: Mode = mode
        self.interval = interval
        self.done = 0
        self.built = 0
        self.failed = 0
        self._to_build: int | None = None
        self._start = time.perf_counter()
        self._last_draw = float("-inf")
        self._drawn = False  # a bar is on screen (it needs a newline before anything else is printed)

    def expect(self, total: int, to_build: int) -> None:
        """How many inputs there are, and how many need building (the others are unchanged: no time left)."""
        self.total = total
        self._to_build = to_build
        self._start = time.perf_counter()

    def advance(self, *, built: bool, failed: bool = False) -> None:
        self.done += 1
        self.built += built
        self.failed += failed
        now = time.perf_counter()
        last = self.done == self.total
        if self.mode == "bar" and (last or now - self._last_draw >= BAR_REFRESH):
            self._draw(now)
        elif self.mode == "lines" and (last or now - self._last_draw >= self.interval):
            self._line(now)

    def message(self, text: str) -> None:
        """Print a line (an error, say) without breaking the bar: the bar is redrawn under it."""
        if self._drawn:
            self.stream.write("\r\x1b[2K")
        self.stream.write(text + "\n")
        self.stream.flush()
        if self._drawn:
            self._draw(time.perf_counter())

    def close(self) -> None:
        """End the bar's line, so what is printed next starts on a line of its own."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False

    # -- the figures ------------------------------------------------------------------------------------

    def rate(self, now: float) -> float:
        elapsed = now - self._start
        return self.built / elapsed if elapsed > 0 else 0.0

    def left(self, now: float) -> float | None:
        """Seconds left, from the rate so far; None until a rate is known."""
        rate = self.rate(now)
        if rate <= 0:
            return None
        remaining = (self._to_build if self._to_build is not None else self.total) - self.built
        # Failed documents were attempted too: they no longer need building.
        remaining -= self.failed
        return max(0.0, remaining) / rate

    def figures(self, now: float) -> str:
        rate = self.rate(now)
        left = self.left(now)
        parts = [f"{rate:.1f} docs/s" if self.built else "starting"]
        if left is not None and self.done < self.total:
            parts.append(f"{duration(left)} left")
        elif self.done == self.total:
            parts.append(f"{duration(now - self._start)}")
        if self.failed:
            parts.append(f"{self.failed} failed")
        return ", ".join(parts)

    def _line(self, now: float) -> None:
        self._last_draw = now
        percent = 100 * self.done / self.total if self.total else 100
        self.stream.write(f"build: {self.done}/{self.total} documents ({percent:.0f}%), {self.figures(now)}\n")
        self.stream.flush()

    def _draw(self, now: float) -> None:
        self._last_draw = now
        width = shutil.get_terminal_size((80, 24)).columns
        count = f" {self.done}/{self.total} "
        figures = f" {self.figures(now)}"
        bar_width = max(10, min(40, width - len(count) - len(figures) - 4))
        filled = int(bar_width * self.done / self.total) if self.total else bar_width
        bar = "[" + "#" * filled + "." * (bar_width - filled) + "]"
        line = (bar + count + figures)[: max(10, width - 1)]
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()
        self._drawn = True
