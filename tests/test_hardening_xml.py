"""Hostile XML input: every ``.xml`` reader goes through ``tei_cable.tei.parse_xml``/``read_xml``.

Each attack must end in a clean ``InputError`` (file, line, message) and must not touch anything outside the
bytes it was given: no file read, no network request. "No access" is *observed*, not assumed:

* local files are named pipes (FIFOs) watched by a thread: opening one for reading is visible to the
  writer end, so a reader that follows a ``SYSTEM`` identifier is caught even if it swallows what it read;
* URLs point at an HTTP server on 127.0.0.1 that records every request.

Each watcher first proves it works (a positive control with a deliberately unsafe parser, or a real
request), so a test cannot pass because the watcher is blind.
"""

from __future__ import annotations

import http.server
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED, time_limit
from lxml import etree

from tei_cable.cli import COMMANDS, _available, main
from tei_cable.errors import InputError
from tei_cable.tei import MAX_XML_BYTES, parse_xml, read_xml

HOSTILE = ROOT / "tests" / "hostile"
TEI_NS = "http://www.tei-c.org/ns/1.0"
SECRET = "TEI-CABLE-SECRET-7f3a"  # what a leaked file would show

#: ``tei-cable: error: FILE:LINE: message``, the one line a user sees.
ERROR_LINE = re.compile(r"^tei-cable: error: (?P<path>.+?):(?P<line>\d+): (?P<message>\S.*)$")


# -- watchers ---------------------------------------------------------------------------------------


class FifoWatch:
    """A named pipe that records whether anything opened it for reading while the watch was armed.

    The writer thread blocks in ``open(O_WRONLY)`` until a reader appears. A reader during the watch is an
    access; at the end we open the pipe ourselves (after disarming) to release the thread. A FIFO also keeps a
    careless reader from ever reading a real file of the machine running the tests.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        os.mkfifo(path)
        self.armed = True
        self.accessed = False
        self._thread = threading.Thread(target=self._writer, daemon=True)
        self._thread.start()

    def _writer(self) -> None:
        # Serve every reader (a careless reader may open the file more than once) until disarmed.
        while True:
            fd = os.open(self.path, os.O_WRONLY)
            armed = self.armed
            if armed:
                self.accessed = True
            try:
                os.write(fd, SECRET.encode())
            except OSError:
                pass
            finally:
                os.close(fd)
            if not armed:
                return

    def close(self) -> bool:
        """Disarm, release the writer, and say whether anything read the pipe while armed."""
        self.armed = False
        fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            self._thread.join(timeout=10)
        finally:
            os.close(fd)
        assert not self._thread.is_alive(), "the FIFO writer thread did not finish"
        return self.accessed


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Callable[[str], FifoWatch]]:
    if not hasattr(os, "mkfifo"):
        pytest.skip("named pipes (os.mkfifo) are needed to observe file access; this platform has none")
    made: list[FifoWatch] = []

    def make(name: str) -> FifoWatch:
        watch = FifoWatch(tmp_path / name)
        made.append(watch)
        return watch

    yield make
    for watch in made:
        if watch.armed:
            watch.close()


class RecordingServer:
    """An HTTP server on 127.0.0.1 (never the outside world) that records every request path."""

    def __init__(self) -> None:
        requests: list[str] = []
        self.requests = requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                body = f"<!ENTITY leak '{SECRET}'>".encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:  # keep the test output clean
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    srv = RecordingServer()
    try:
        yield srv
    finally:
        srv.close()




def unsafe_parser() -> etree.XMLParser:
    """What a careless reader would use: the positive control for the watchers."""
    return etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=False, huge_tree=True)


def refused(data: bytes, path: str = "hostile.xml") -> InputError:
    """Parse ``data`` with the project's reader, which must refuse it quickly with a located InputError."""
    start = time.monotonic()
    with time_limit(20), pytest.raises(InputError) as caught:
        parse_xml(data, path)
    assert time.monotonic() - start < 10
    err = caught.value
    assert err.path == path
    assert err.line is not None and err.line >= 1
    assert SECRET not in str(err)
    assert "\n" not in str(err), "an error message is one line"
    return err


def tei(body: str, doctype: str = "") -> bytes:
    return (f'<?xml version="1.0"?>\n{doctype}\n<TEI xmlns="{TEI_NS}"><text><body><p>{body}</p></body></text></TEI>'
            ).encode()


# -- entity expansion -------------------------------------------------------------------------------


def test_billion_laughs_is_refused_quickly():
    err = refused((HOSTILE / "billion-laughs.xml").read_bytes())
    assert "DTD" in err.message or "entit" in err.message


def test_quadratic_blowup_is_refused():
    # One 50 kB entity referenced 2,000 times: 100 MB of text from 150 kB of XML, with no nesting at all.
    doctype = '<!DOCTYPE TEI [<!ENTITY a "' + "A" * 50_000 + '">]>'
    err = refused(tei("&a;" * 2_000, doctype))
    assert "DTD" in err.message or "entit" in err.message or "amplification" in err.message


def test_internal_entities_are_not_expanded_even_when_small():
    """A harmless-looking internal entity is refused too: TEI from a collaborator has no reason to carry a DTD."""
    refused(tei("&greeting;", '<!DOCTYPE TEI [<!ENTITY greeting "Hello">]>'))


# -- external entities and DTDs: local files --------------------------------------------------------


#: ``collect_ids=False`` in ``tei.safe_parser`` makes lxml ask libxml2 to load the external subset; the parser's
#: resolver answers every such request with nothing, and DOCTYPEs are refused before parsing. These cases once
#: opened the named file (and told an attacker whether it existed).
@pytest.mark.parametrize("make_doc", [
    pytest.param(lambda p: tei("&e;", f'<!DOCTYPE TEI [<!ENTITY e SYSTEM "file://{p}">]>'), id="entity-file-uri"),
    pytest.param(lambda p: tei("&e;", f'<!DOCTYPE TEI [<!ENTITY e SYSTEM "{p}">]>'), id="entity-plain-path"),
    pytest.param(lambda p: tei("x", f'<!DOCTYPE TEI SYSTEM "{p}">'), id="external-dtd",),
    pytest.param(lambda p: tei("x", f'<!DOCTYPE TEI PUBLIC "-//Evil//DTD//EN" "{p}">'), id="public-dtd",),
    pytest.param(lambda p: tei("x", f'<!DOCTYPE TEI [<!ENTITY % pe SYSTEM "{p}"> %pe;]>'), id="parameter-entity",),
    pytest.param(lambda p: tei('<hi rend="&e;">x</hi>', f'<!DOCTYPE TEI [<!ENTITY e SYSTEM "{p}">]>'),
                 id="entity-in-attribute"),
])
def test_external_references_to_local_files_are_refused_unread(make_doc, fifo):
    watch = fifo("secret.fifo")
    refused(make_doc(watch.path))
    assert not watch.close(), "the reader opened the local file named in the document"


def test_file_watch_sees_an_unsafe_reader(fifo):
    """Positive control: the FIFO watch does catch a reader that follows an external entity."""
    watch = fifo("control.fifo")
    doc = tei("&e;", f'<!DOCTYPE TEI [<!ENTITY e SYSTEM "file://{watch.path}">]>')
    with time_limit(20):
        root = etree.fromstring(doc, unsafe_parser())
    assert SECRET in "".join(root.itertext())
    assert watch.close()


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_external_references_to_endless_devices_do_not_hang(device: str):
    """Whatever the reader does with a SYSTEM id, an endless device must not hang it or fill memory."""
    if not Path(device).exists():
        pytest.skip(f"{device} does not exist on this platform")
    refused(tei("x", f'<!DOCTYPE TEI SYSTEM "{device}">'))
    refused(tei("&e;", f'<!DOCTYPE TEI [<!ENTITY e SYSTEM "{device}">]>'))


@pytest.mark.parametrize("name", ["xxe-file.xml", "parameter-entity.xml"])
def test_shipped_xxe_samples_are_refused(name):
    err = refused((HOSTILE / name).read_bytes(), name)
    assert "root:" not in err.message  # nothing of /etc/passwd


def test_xinclude_is_left_alone(fifo):
    """XInclude is not processed: the include element stays an element, and the file is never opened."""
    watch = fifo("include.fifo")
    doc = (f'<TEI xmlns="{TEI_NS}" xmlns:xi="http://www.w3.org/2001/XInclude"><text><body><p>'
           f'<xi:include href="{watch.path}" parse="text"/></p></body></text></TEI>').encode()
    tree = parse_xml(doc, "xinclude.xml")
    assert SECRET not in etree.tostring(tree, encoding="unicode")
    assert tree.find(".//{http://www.w3.org/2001/XInclude}include") is not None
    assert not watch.close()


def test_schema_location_and_stylesheet_pi_are_not_followed(fifo):
    schema, style = fifo("schema.fifo"), fifo("style.fifo")
    doc = (f'<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="{style.path}"?>\n'
           f'<?xml-model href="{schema.path}" type="application/xml"?>\n'
           f'<TEI xmlns="{TEI_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           f'xsi:schemaLocation="{TEI_NS} {schema.path}"><text><body><p>x</p></body></text></TEI>').encode()
    parse_xml(doc, "pi.xml")
    assert not schema.close()
    assert not style.close()


# -- external entities and DTDs: the network --------------------------------------------------------


@pytest.mark.parametrize("make_doc", [
    pytest.param(lambda url: tei("&e;", f'<!DOCTYPE TEI [<!ENTITY e SYSTEM "{url}/entity">]>'), id="entity"),
    pytest.param(lambda url: tei("x", f'<!DOCTYPE TEI SYSTEM "{url}/dtd">'), id="external-dtd"),
    pytest.param(lambda url: tei("x", f'<!DOCTYPE TEI [<!ENTITY % pe SYSTEM "{url}/pe"> %pe; ]>'),
                 id="parameter-entity"),
    pytest.param(lambda url: tei('<hi rend="&e;">x</hi>', f'<!DOCTYPE TEI [<!ENTITY e SYSTEM "{url}/attr">]>'),
                 id="entity-in-attribute"),
])
def test_external_references_to_urls_make_no_request(make_doc, server):
    refused(make_doc(server.url))
    time.sleep(0.2)  # a request in flight would have arrived by now
    assert server.requests == [], f"the reader fetched {server.requests}"


def test_url_watch_sees_a_request(server):
    """Positive control: the server records requests. (lxml's bundled libxml2 2.14 has no HTTP client at all,
    so an unsafe *parser* cannot serve as the control here; the test guards against a future libxml2 or a
    Python resolver added to the reader.)"""
    with urllib.request.urlopen(f"{server.url}/control", timeout=10) as response:
        assert SECRET in response.read().decode()
    assert server.requests == ["/control"]


def test_shipped_url_samples_are_refused():
    for name in ("xxe-url.xml", "external-dtd.xml"):
        refused((HOSTILE / name).read_bytes(), name)


# -- size and depth ---------------------------------------------------------------------------------


def test_deep_nesting_is_refused_with_a_depth_message():
    data = f'<TEI xmlns="{TEI_NS}">'.encode() + b"<div>" * 100_000 + b"</div>" * 100_000 + b"</TEI>"
    err = refused(data, "deep.xml")
    assert "depth" in err.message.lower()


def test_deep_nesting_message_speaks_the_users_language():
    data = f'<TEI xmlns="{TEI_NS}">'.encode() + b"<div>" * 100_000 + b"</div>" * 100_000 + b"</TEI>"
    err = refused(data, "deep.xml")
    assert "XML_PARSE_HUGE" not in err.message and "well-formed" not in err.message


def test_reasonable_nesting_is_accepted():
    """The depth limit must leave room for real TEI (lists in items in notes in divs ...)."""
    depth = 200
    data = f'<TEI xmlns="{TEI_NS}">'.encode() + b"<div>" * depth + b"x" + b"</div>" * depth + b"</TEI>"
    assert parse_xml(data, "deep-ok.xml").getroot() is not None


def test_oversized_xml_is_refused_before_parsing():
    with time_limit(20), pytest.raises(InputError) as caught:
        parse_xml(b" " * (MAX_XML_BYTES + 1), "huge.xml")
    assert caught.value.path == "huge.xml"
    assert "MB" in caught.value.message


def test_oversized_xml_file_is_refused(tmp_path: Path):
    big = tmp_path / "huge.xml"
    with big.open("wb") as handle:  # a sparse file: no 50 MB written to disk
        handle.truncate(MAX_XML_BYTES + 1)
    with time_limit(30), pytest.raises(InputError) as caught:
        read_xml(big)
    assert "MB" in caught.value.message and caught.value.path == str(big)


def test_a_huge_text_node_is_refused_or_read():
    """A 20 MB text node (libxml2's default limit is 10 MB) gets a clean answer either way."""
    data = f'<TEI xmlns="{TEI_NS}"><text><body><p>'.encode() + b"a" * (20 * 1024 * 1024) + b"</p></body></text></TEI>"
    with time_limit(30):
        try:
            tree = parse_xml(data, "long-text.xml")
        except InputError as err:
            assert err.path == "long-text.xml"
        else:
            assert len(tree.getroot()[0][0][0].text) == 20 * 1024 * 1024


# -- broken XML -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "line"), [
    pytest.param(b"", 1, id="empty"),
    pytest.param((HOSTILE / "truncated.xml").read_bytes(), 3, id="truncated"),
    pytest.param(b"<TEI>\n<p>\n</TEI>", 3, id="mismatched-tag"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, id="binary"),
    pytest.param(b'<?xml version="1.0" encoding="UTF-8"?>\n<TEI>L\xfcshun</TEI>', 2, id="latin1-as-utf8"),
    pytest.param(b"<TEI>\n\n&undefined;</TEI>", 3, id="undefined-entity"),
    pytest.param(b"<TEI>\x01</TEI>", 1, id="control-character"),
    pytest.param(b"<TEI/><TEI/>", 1, id="two-roots"),
])
def test_broken_xml_gets_a_located_error(data: bytes, line: int):
    err = refused(data, "broken.xml")
    assert err.line == line


def test_read_xml_missing_file_and_directory(tmp_path: Path):
    for path in (tmp_path / "missing.xml", tmp_path):
        with pytest.raises(InputError) as caught:
            read_xml(path)
        assert caught.value.path == str(path) and "cannot read" in caught.value.message


def test_utf16_xml_is_read():
    text = f'<?xml version="1.0" encoding="UTF-16"?><TEI xmlns="{TEI_NS}"><text><body><p>Lüshun</p></body></text></TEI>'
    tree = parse_xml(text.encode("utf-16"), "utf16.xml")
    assert "".join(tree.getroot().itertext()) == "Lüshun"


# -- through the command line -----------------------------------------------------------------------

ATTACKS = ["billion-laughs.xml", "xxe-file.xml", "xxe-url.xml", "external-dtd.xml", "parameter-entity.xml",
           "truncated.xml"]


def _command(name: str) -> None:
    assert name in COMMANDS and _available(COMMANDS[name][0]), f"`tei-cable {name}` is missing from the CLI"


def _xml_readers(path: str) -> list[list[str]]:
    return [["entities", path], ["convert", str(SEED), "--register", path], ["export", path, "--to", "text"]]


def _check_one_line_error(code: int, stderr: str, stdout: str, path: str) -> None:
    assert code == 2, stderr
    assert "Traceback" not in stderr + stdout
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    m = ERROR_LINE.match(lines[0])
    assert m, lines[0]
    assert m["path"] == path and int(m["line"]) >= 1
    assert SECRET not in stderr and "root:" not in stderr


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("reader", ["entities", "convert", "export"])
def test_cli_xml_readers_refuse_attacks_in_one_line(attack: str, reader: str, tmp_path: Path):
    _command(reader)
    path = str(HOSTILE / attack)
    args = next(a for a in _xml_readers(path) if a[0] == reader)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [*args, "-o", str(out)] if reader != "entities" else args)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    _check_one_line_error(result.exit_code, result.stderr, result.stdout, path)
    assert not out.exists()


@pytest.mark.parametrize("attack", ["billion-laughs.xml", "xxe-file.xml"])
def test_cli_subprocess_refuses_attacks_in_one_line(attack: str, tmp_path: Path):
    path = str(HOSTILE / attack)
    proc = subprocess.run([sys.executable, "-m", "tei_cable", "entities", path], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    _check_one_line_error(proc.returncode, proc.stderr, proc.stdout, path)


def test_cli_validate_refuses_attacks(tmp_path: Path):
    """``validate`` reports unreadable files in its own format; it must still exit 2, name the file, leak
    nothing and never show a traceback."""
    _command("validate")
    for attack in ATTACKS:
        path = str(HOSTILE / attack)
        result = CliRunner().invoke(main, ["validate", "--against", "project", path])
        output = result.stdout + result.stderr
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), attack
        assert result.exit_code == 2, (attack, output)
        assert attack in output and "Traceback" not in output and SECRET not in output and "root:" not in output


@pytest.mark.parametrize("dtd", [pytest.param(False, id="entities"),
                                 pytest.param(True, id="external-dtd")])
def test_cli_xxe_through_every_reader_touches_nothing(dtd: bool, fifo, server, tmp_path: Path):
    """The whole way from the command line: a document naming a local pipe and a local URL."""
    watch = fifo("cli.fifo")
    doc = tmp_path / "evil.xml"
    if dtd:
        doc.write_bytes(tei("x", f'<!DOCTYPE TEI SYSTEM "{watch.path}">'))
    else:
        doc.write_bytes(tei("&f;&u;", f'<!DOCTYPE TEI [<!ENTITY f SYSTEM "file://{watch.path}">'
                                      f'<!ENTITY u SYSTEM "{server.url}/cli">]>'))
    for args in _xml_readers(str(doc)):
        assert args[0] in COMMANDS and _available(COMMANDS[args[0]][0]), f"`tei-cable {args[0]}` is missing"
        with time_limit(60):
            result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, (args, result.stderr)
    time.sleep(0.2)
    assert server.requests == []
    assert not watch.close()
