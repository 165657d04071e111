"""A CETEIcean viewer page: the TEI shown in the browser by CETEIcean, with tei-cable's behaviours.

`CETEIcean <https://github.com/TEIC/CETEIcean>`_ turns every TEI element into an HTML custom element
(``<persName>`` becomes ``<tei-persname>``), so the page keeps the TEI's structure and attributes. What the
reader needs on top (footnotes at the end with links both ways, names linked to the register, dates with
their ISO value on hover, the header as a metadata panel, the standOff as a register) comes from the
behaviours in ``tei_cable/data/ceteicean/behaviours.js``, which implement the shared vocabulary of
:mod:`tei_cable.export.behaviours` for the browser. The page does not repeat any element knowledge: it carries
one behaviour code per element, computed here with :func:`behaviour_of`.

>>> from tei_cable.tei import parse_xml
>>> tree = parse_xml(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Hi</p></body></text></TEI>')
>>> sorted(ceteicean_page(tree, tei_filename="hi.xml", ceteicean_js=None))
['hi.html', 'hi.xml']

Why the TEI is *embedded* in the page (a ``<script type="application/xml">`` data island, parsed with
``DOMParser`` and handed to CETEIcean's ``domToHTML5``) instead of fetched: browsers block ``fetch`` from
``file://`` pages, and a viewer that only works behind a web server fails the first thing a user tries (double-
clicking the file). The ``.xml`` is still written beside the page, for download and for other tools.

The page is safe to open with TEI from anywhere: the island cannot end the ``<script>`` early (it falls back to
base64 when the XML contains ``</script`` or ``<!--``), the behaviours build the DOM with ``textContent`` only,
and a Content-Security-Policy allows exactly two scripts (CETEIcean and the inline behaviours, by hash), so
markup smuggled into the TEI (an XHTML ``<script>``, an ``onerror`` attribute) cannot run.
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import json
import os
import re
import string
from importlib import resources
from pathlib import Path
from typing import Final
from urllib.parse import quote

from lxml import etree

from .. import __version__
from ..errors import InputError, OutputError
from ..tei import local, serialize
from .behaviours import Behaviour, alternate_parts, behaviour_of, read_metadata, safe_url

#: The CETEIcean release the page is written for and tested with (tests/js/package.json pins the same one).
CETEICEAN_VERSION: Final = "1.9.5"
#: Its published location: jsDelivr serves the npm release's files unchanged, so the integrity below holds.
CETEICEAN_URL: Final = f"https://cdn.jsdelivr.net/npm/CETEIcean@{CETEICEAN_VERSION}/dist/CETEI.js"
#: Subresource integrity of ``dist/CETEI.js`` in that npm release: a tampered CDN copy is refused, not run.
CETEICEAN_INTEGRITY: Final = "sha384-GVFFSdcfsAAXa7KDOS9aMDyp2Wni6eFIUv6ocLf9KRcZes64zVrLxqyR4Pi1vhr2"

#: The behaviour names in code order; the page maps each element's one-character code back to its name.
LEGEND: Final = tuple(behaviour.value for behaviour in Behaviour)
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
if len(LEGEND) > len(_DIGITS):  # pragma: no cover - guards the one-character code
    raise RuntimeError("more behaviours than one-character codes; widen the code in ceteicean.py")
_CODE = {name: _DIGITS[i] for i, name in enumerate(LEGEND)}

#: Sequences that end (or confuse the end of) a ``<script>`` element in HTML: never inside the island as text.
_SCRIPT_BREAKOUT = re.compile(r"</script|<!--|<script", re.IGNORECASE)
#: A BCP 47-shaped language tag for ``<html lang>`` (anything else falls back to English).
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
#: A relative reference to a local CETEI.js: no scheme, no host, no characters that need escaping.
_RELATIVE_REF = re.compile(r"^(?![A-Za-z][A-Za-z0-9+.-]*:)(?!//)[^\s\"'<>\\`;,]+$")

_DATA = ("data", "ceteicean")


@functools.cache
def _data(name: str) -> str:
    """One of the page's package-data files (template, behaviours, style), read once per process."""
    return resources.files("tei_cable").joinpath(*_DATA, name).read_text(encoding="utf-8")


def _inline_safe(text: str, tag: str, name: str) -> str:
    """Our own JS/CSS, checked once: a closing tag inside it would end the element early."""
    if re.search(rf"</{tag}", text, re.IGNORECASE):
        raise RuntimeError(f"{name} contains '</{tag}'; it cannot be inlined")
    return text


def _escape(value: str) -> str:
    """Text for HTML element content and double-quoted attributes."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _json_island(value: object) -> str:
    """JSON for a ``<script type="application/json">``: ``<``, ``>`` and ``&`` escaped, so it cannot break out."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def behaviour_codes(root: etree._Element) -> str:
    """One character per element of ``root`` (document order, as the browser's ``getElementsByTagName('*')``).

    The character is the element's behaviour from the shared table. The readings of a ``choice`` that are
    not shown (``sic`` beside ``corr``) are ``omit``, exactly as the text exporter leaves them out.

    >>> from lxml import etree
    >>> root = etree.fromstring('<p xmlns="http://www.tei-c.org/ns/1.0">Mao <supplied>Zedong</supplied></p>')
    >>> [LEGEND[int(c, 36)] for c in behaviour_codes(root)]
    ['paragraph', 'supplied']
    """
    hidden: set[etree._Element] = set()
    codes = []
    for el in root.iter(etree.Element):
        behaviour = Behaviour.OMIT if el in hidden else behaviour_of(el)
        if behaviour is Behaviour.ALTERNATE:
            preferred, _ = alternate_parts(el)
            hidden.update(child for child in el if isinstance(child.tag, str) and child is not preferred)
        codes.append(_CODE[behaviour.value])
    return "".join(codes)


def _island(root: etree._Element) -> tuple[str, str]:
    """The TEI as the page embeds it, and how: ``("xml", text)`` normally, ``("base64", ...)`` when needed.

    No XML declaration (``DOMParser`` refuses one that does not start the string) and no DOCTYPE; the
    processing instructions and comments around the root (``<?teipublisher ...?>``) are kept.
    """
    before = list(root.itersiblings(preceding=True))[::-1]
    after = list(root.itersiblings())
    parts = [etree.tostring(node, encoding="unicode", with_tail=False) for node in before]
    parts.append(etree.tostring(root, encoding="unicode", with_tail=False))
    parts += [etree.tostring(node, encoding="unicode", with_tail=False) for node in after]
    text = "\n".join(parts)
    if _SCRIPT_BREAKOUT.search(text):
        return "base64", base64.b64encode(text.encode("utf-8")).decode("ascii")
    return "xml", text


def _script_source(ceteicean_js: str | None) -> tuple[str, str, str]:
    """(src attribute, extra attributes, CSP source) for the CETEIcean script."""
    if ceteicean_js is None:
        return (CETEICEAN_URL, f' integrity="{CETEICEAN_INTEGRITY}" crossorigin="anonymous"', CETEICEAN_URL)
    url = safe_url(ceteicean_js)
    if url is not None and not re.search(r"[;,]", url):
        return url, "", url  # an http(s) copy the user chose: allowed exactly, by its URL
    if _RELATIVE_REF.match(ceteicean_js):
        return ceteicean_js, "", "'self'"  # a copy beside the page (works from file:// and from a server)
    raise InputError(f"--ceteicean-js: {ceteicean_js!r} is neither a relative path nor an http(s) URL")


def _page_names(tei_filename: str, page_filename: str | None) -> tuple[str, str]:
    for name in (tei_filename, page_filename):
        if name is not None and (not name or name in (".", "..") or "/" in name or "\\" in name):
            raise OutputError(f"{name!r} is not a plain file name (the page and the TEI are written side by side)")
    page = page_filename or f"{Path(tei_filename).stem or 'document'}.html"
    if page == tei_filename:
        raise OutputError(f"the page and the TEI would both be called {page!r}; choose another name")
    return tei_filename, page


def ceteicean_page(tree: etree._ElementTree | etree._Element, *, tei_filename: str, ceteicean_js: str | None,
                   page_filename: str | None = None) -> dict[str, bytes]:
    """The viewer page and the TEI beside it: ``{page name: HTML, tei_filename: TEI}``.

    ``tei_filename`` is the TEI's file name in the page's folder (the page links to it; the page's own name is
    the same with ``.html`` unless ``page_filename`` says otherwise). ``ceteicean_js`` is where the page loads
    CETEIcean from: ``None`` for the pinned release on jsDelivr (with subresource integrity), else a path
    relative to the page (see :func:`script_reference`) or an http(s) URL. The tree is not changed.
    """
    tei_name, page_name = _page_names(tei_filename, page_filename)
    source = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    # serialize() indents in place: work on a copy, so the caller's tree stays exactly as it was.
    document = copy.deepcopy(source.getroottree())
    root = document.getroot()
    tei_bytes = serialize(document)
    encoding, island = _island(root)
    src, attrs, csp_source = _script_source(ceteicean_js)
    behaviours = _inline_safe(_data("behaviours.js"), "script", "behaviours.js")
    css = _inline_safe(_data("viewer.css"), "style", "viewer.css")
    script_hash = base64.b64encode(hashlib.sha256(behaviours.encode("utf-8")).digest()).decode("ascii")
    csp = "; ".join((
        "default-src 'none'",                                   # no fetches, images, fonts or frames at all
        f"script-src {csp_source} 'sha256-{script_hash}'",      # CETEIcean and our behaviours, nothing else
        "style-src 'unsafe-inline'",                            # our sheet and CETEIcean's rendition styles
        "base-uri 'none'",
        "form-action 'none'",
    ))
    meta = read_metadata(root)
    lang = meta.text_language if meta.text_language and _LANG.match(meta.text_language) else "en"
    config = {"ceteicean": src, "tei": tei_name, "codes": behaviour_codes(root), "legend": list(LEGEND)}
    page = string.Template(_data("page.html")).substitute(
        lang=_escape(lang),
        csp=_escape(csp),
        generator=_escape(f"tei-cable {__version__}"),
        title=_escape(meta.title or local(root) or "TEI document"),
        css=css,
        version=_escape(CETEICEAN_VERSION),
        tei_href=_escape(quote(tei_name)),
        tei_name=_escape(tei_name),
        config=_json_island(config),
        island_encoding=encoding,
        island=island,
        ceteicean_src=_escape(src),
        ceteicean_attrs=attrs,
        behaviours=behaviours,
    )
    return {page_name: page.encode("utf-8"), tei_name: tei_bytes}


def _reference(ceteicean_js: str | Path | None, page_dir: Path) -> str | None:
    """``--ceteicean-js`` as the page needs it: an http(s) URL as is, a local file relative to the page."""
    if ceteicean_js is None:
        return None
    if isinstance(ceteicean_js, str) and safe_url(ceteicean_js) is not None:
        return ceteicean_js
    return script_reference(ceteicean_js, page_dir)


def export_ceteicean(tree: etree._ElementTree | etree._Element, *, output: str | None = None,
                     ceteicean_js: str | None = None) -> str:
    """The viewer page alone, as text (the ``EXPORTERS`` table's shape: ``(tree, **options) -> str``).

    ``output`` is where the page will be written (``None`` or ``-``: standard output); the page links to the TEI
    under the same name with ``.xml`` (write it there with :func:`viewer_files`). ``ceteicean_js`` is a local
    ``CETEI.js`` (a path as the user typed it, made relative to the page) or an http(s) URL. The page embeds the
    TEI, so it works on its own.
    """
    page = Path(output) if output not in (None, "-") else Path("document.html")
    files = ceteicean_page(tree, tei_filename=page.with_suffix(".xml").name,
                           ceteicean_js=_reference(ceteicean_js, page.parent), page_filename=page.name)
    return files[page.name].decode("utf-8")


def script_reference(js_file: str | Path, page_dir: str | Path) -> str:
    """The relative URL from a page in ``page_dir`` to a local ``CETEI.js`` (for ``--ceteicean-js PATH``).

    >>> script_reference("vendor/CETEI.js", "out")
    '../vendor/CETEI.js'
    """
    target = Path(os.path.abspath(js_file))
    base = Path(os.path.abspath(page_dir))
    try:
        relative = os.path.relpath(target, base)
    except ValueError:  # another drive on Windows: no relative path exists
        raise InputError("--ceteicean-js must be on the same drive as the output page", path=js_file) from None
    return quote(Path(relative).as_posix(), safe="/._-~")


def viewer_files(tree: etree._ElementTree | etree._Element, page_path: str | Path, *,
                 ceteicean_js: str | Path | None = None) -> dict[Path, bytes]:
    """Paths and contents to write for a page at ``page_path``: the page and the TEI (same name, ``.xml``).

    ``ceteicean_js`` is a local CETEI.js file (the page refers to it by a path relative to the page) or an
    http(s) URL; ``None`` loads the pinned release from jsDelivr.
    """
    page = Path(page_path)
    tei = page.with_suffix(".xml")
    files = ceteicean_page(tree, tei_filename=tei.name, ceteicean_js=_reference(ceteicean_js, page.parent),
                           page_filename=page.name)
    return {page.parent / name: data for name, data in files.items()}


__all__ = ["CETEICEAN_INTEGRITY", "CETEICEAN_URL", "CETEICEAN_VERSION", "behaviour_codes", "ceteicean_page",
           "export_ceteicean", "script_reference", "viewer_files"]
