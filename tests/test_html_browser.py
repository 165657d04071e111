"""The seed's HTML page in a real browser: headless Chromium at a phone and a desktop width.

The screenshots are kept in ``build/screenshots/`` (ignored by git) for a person to look at; the test checks
that Chromium loaded the page (its DOM holds the article, the notes and the indexes), that each screenshot
has the asked size and that it shows text, not an empty page.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import ROOT
from test_export_goldens import load

from tei_cable.export import export

SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
SHOTS = ROOT / "build" / "screenshots"


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None and Path("/usr/bin/chromium").exists():
        path = "/usr/bin/chromium"
    if path is None:
        pytest.skip("chromium not installed (Debian package 'chromium'; .ci/run installs it)")
    return path


def run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered rows of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = depth = colour = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    assert depth == 8 and colour in (2, 6), (depth, colour)
    bpp = 4 if colour == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = previous[x]
            c = previous[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line[i] for i in range(stride) if i % bpp < 3))
        previous = line
    return width, height, rows


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    target = folder / "seed-208202.html"
    target.write_text(export(load(), "html"), encoding="utf-8")
    return target


def test_chromium_loads_the_page(page: Path, tmp_path: Path) -> None:
    binary = chromium()
    result = run_chromium(binary, tmp_path / "profile", "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert '<article class="document" lang="en">' in dom
    assert 'id="fn-1"' in dom and 'id="person-mao-zedong"' in dom
    assert "Yesterday evening" in dom


@pytest.mark.parametrize("device", sorted(SIZES))
def test_screenshot(page: Path, tmp_path: Path, device: str) -> None:
    binary = chromium()
    width, height = SIZES[device]
    shot = tmp_path / f"seed-208202-{device}.png"
    result = run_chromium(binary, tmp_path / "profile", f"--screenshot={shot}", f"--window-size={width},{height}",
                          page.as_uri())
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, SHOTS / shot.name)
    got_width, got_height, rows = png_pixels(shot.read_bytes())
    assert (got_width, got_height) == (width, height)
    # The page is drawn: a good share of rows holds dark (text) pixels, and the background is the paper colour.
    background = rows[2][:3]
    inked = sum(1 for row in rows if any(row[i] < 110 for i in range(0, len(row), 3)))
    assert background == bytes((0xFD, 0xFC, 0xF9))
    assert inked > height // 4, f"only {inked} of {height} rows show text"
    # Nothing is cut off at the right edge on a phone: the last columns are background.
    right = [row[-3 * 4:] for row in rows]
    assert all(chunk == background * 4 for chunk in right), "text reaches the right edge"
