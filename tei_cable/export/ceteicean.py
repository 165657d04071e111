"""A CETEIcean viewer page: the TEI shown in the browser by CETEIcean, with tei-cable's behaviours.

`CETEIcean <https://github.com/TEIC/CETEIcean>`_ turns every TEI element into an HTML custom element
(``<persName>`` becomes ``<tei-persname>``), so the page keeps the TEI's structure and attributes. What the
reader needs on top (footnotes at the end with links both ways, names linked to the register, dates with
their ISO value on hover, the header as a metadata panel, the standOff as a register) comes from the
behaviours in ``tei_cable/data/ceteicean/behaviours.js``, which implement the shared vocabulary of
:mod:`tei_cable.export.behaviours` for the browser. The script knows no TEI: everything it needs is computed
here with the shared readers and written into the page's JSON config (:func:`page_config`): one behaviour code
per element (:func:`behaviour_codes`), the link, index group and tooltip of every name, the value and evidence
of every date, the number of every note, the metadata panel (:func:`read_metadata`) and the register with its
groups, authority links, treaty parties and mentions (:func:`read_register`).

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
from ..tei import XML_ID, is_tei, local, serialize
from .behaviours import (
    ENTITY_GROUPS,
    SUPPLIED_CLOSE,
    SUPPLIED_OPEN,
    TRANSLATOR,
    Behaviour,
    Element,
    Entry,
    Metadata,
    Party,
    Register,
    alternate_parts,
    behaviour_of,
    date_taxonomy,
    date_value,
    entity_kind,
    format_iso,
    gap_text,
    note_number,
    party_relations,
    plain_text,
    read_metadata,
    read_register,
    ref_id,
    register_ids,
    rule_text,
    safe_url,
)
from .html import AUTHORITY_LABELS, describe
from .memo import shared_reading

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


def _behaviours(root: Element) -> list[tuple[Element, Behaviour]]:
    """Every element of ``root`` in document order with its behaviour (unshown readings of a choice: omit)."""
    hidden: set[Element] = set()
    found = []
    for el in root.iter(etree.Element):
        behaviour = Behaviour.OMIT if el in hidden else behaviour_of(el)
        if behaviour is Behaviour.ALTERNATE:
            preferred, _ = alternate_parts(el)
            hidden.update(child for child in el if isinstance(child.tag, str) and child is not preferred)
        found.append((el, behaviour))
    return found


def behaviour_codes(root: etree._Element) -> str:
    """One character per element of ``root`` (document order, as the browser's ``getElementsByTagName('*')``).

    The character is the element's behaviour from the shared table. The readings of a ``choice`` that are
    not shown (``sic`` beside ``corr``) are ``omit``, exactly as the text exporter leaves them out.

    >>> from lxml import etree
    >>> root = etree.fromstring('<p xmlns="http://www.tei-c.org/ns/1.0">Mao <supplied>Zedong</supplied></p>')
    >>> [LEGEND[int(c, 36)] for c in behaviour_codes(root)]
    ['paragraph', 'supplied']
    """
    return "".join(_CODE[behaviour.value] for _, behaviour in _behaviours(root))


# -- what the page's script is told: everything it shows, read here with the shared readers ------------------

Data = dict[str, object]


def _compact(data: Data) -> Data:
    """``data`` without empty values (the config stays small; the script treats a missing key as empty)."""
    return {key: value for key, value in data.items() if value is not None and value is not False and value != ""
            and value != []}


def _text_of(el: Element) -> Element | None:
    """The ``text`` that ``el`` is part of (its notes are listed at that text's end); None in header or register."""
    for ancestor in el.iterancestors():
        if is_tei(ancestor) and local(ancestor) == "text":
            return ancestor
        if is_tei(ancestor) and local(ancestor) in ("teiHeader", "standOff"):
            return None
    return None


def _name(el: Element, register: Register, mentions: dict[str, list[str]]) -> Data:
    """A name: its index group, where it links (the register entry, else an http(s) URL) and its tooltip.

    A name of the running text that points to a register id gets an anchor, which the entry links back to.
    """
    target = ref_id(el)
    entry = register.get(target) if target else None
    if entry is not None:
        href: str | None = f"#{entry.id}"
        title = describe(entry)
    else:
        href = safe_url(next(iter((el.get("ref") or "").split()), None))
        title = href or (f"{target}: not in the register" if target else "not linked to the register")
    anchor = None
    if target and _text_of(el) is not None:
        anchors = mentions.setdefault(target, [])
        anchor = el.get(XML_ID) or f"tc-m-{target}-{len(anchors) + 1}"
        anchors.append(anchor)
    return _compact({"group": entity_kind(el, register), "href": href, "title": title, "mention": anchor})


def _date(el: Element, taxonomy: dict[str, str]) -> Data:
    """A date's tooltip: its normalised value, why any part of it was inferred, how certain it is."""
    value = date_value(el, taxonomy)
    reasons = [text or key for key, text in value.inferred]
    parts = [value.normalised or "no normalised value"]
    if reasons:
        parts.append(f"inferred: {'; '.join(reasons)}")
    if value.cert:
        parts.append(f"certainty: {value.cert}")
    return _compact({"title": " — ".join(parts), "inferred": bool(reasons)})


def _alternate(el: Element) -> Data:
    preferred, _ = alternate_parts(el)
    others = " ".join(plain_text(c) for c in el if isinstance(c.tag, str) and c is not preferred).strip()
    return _compact({"title": f"also read: {others}" if others else None})


def _party(party: Party, register: Register) -> list[str]:
    """``[name]``, or ``[name, register id, index group]`` when the register has the party."""
    entry = register.get(party.ref) if party.ref else None
    return [party.name] if entry is None else [party.name, entry.id, entry.group]


def _metadata_panel(meta: Metadata, register: Register) -> Data:
    """The header as the page shows it: kind, title, who wrote to whom, the facts, the summary."""
    facts: list[Data] = []

    def fact(label: str, text: str, **link: str | None) -> None:
        if text:
            facts.append(_compact({"label": label, "text": text, **link}))

    if meta.date is not None:
        fact("Date", meta.date_text, datetime=meta.date.when)
    received = meta.action("received")
    if received is not None and received.date is not None and not received.date.empty:
        value = received.date
        fact("Received", format_iso(value.when) if value.when else value.normalised)
    fact("Original language", ", ".join(lang.name for lang in meta.original_languages if lang.name))
    for resp in meta.responsibilities:
        if resp.names and TRANSLATOR.search(resp.resp):
            fact("Translated by", ", ".join(resp.names))
    fact("Source", meta.citation_text)
    fact("Archive record", meta.url or "", href=meta.url)
    fact("Funding", "; ".join(meta.funders))
    sent = meta.action("sent")
    return _compact({
        "panel": "metadata",
        "kind": next((term for type_, term in meta.keywords if type_ == "document-type"), None),
        "title": meta.title or "Untitled",
        "from": [_party(p, register) for p in sent.parties] if sent is not None else [],
        "to": [_party(p, register) for p in received.parties] if received is not None else [],
        "facts": facts,
        "summary": [text for text in (plain_text(p) for p in meta.abstract) if text],
    })


def _entry(entry: Entry, register: Register, parties: dict[str, list[str]], mentions: dict[str, list[str]]) -> Data:
    """One register entry as the page lists it, with links to its parties, its authorities and its mentions."""
    if entry.birth or entry.death:
        dates = entry.years
    elif entry.when:
        dates = ("signed " if entry.group == "treaty" else "") + format_iso(entry.when)
    else:
        dates = ""
    return _compact({
        "id": entry.id,
        "name": entry.name,
        "dates": dates,
        "local": entry.local,
        "description": entry.description,
        "others": [text for type_, text in entry.names if type_ != "adjective" and text],
        "parties": [[register[p].name, p] if p in register else [p] for p in parties.get(entry.id, [])],
        "authority": [[AUTHORITY_LABELS.get(kind, kind), uri] for kind, uri in entry.authority.items()],
        "mentions": mentions.get(entry.id, []),
    })


def _register_panel(stand_off: Element, register: Register, parties: dict[str, list[str]],
                    mentions: dict[str, list[str]], index: dict[Element, int]) -> Data:
    """The entries of one standOff in the index groups of the other exporters, and the text it follows."""
    # The entries were read with the whole file's register: only which of them this standOff holds is needed.
    ids = [ident for ident in register_ids(stand_off) if ident in register]
    groups = []
    for group, heading in ENTITY_GROUPS.items():
        entries = [_entry(register[i], register, parties, mentions) for i in ids if register[i].group == group]
        if entries:
            groups.append({"group": group, "heading": heading, "entries": entries})
    parent = stand_off.getparent()
    texts = [c for c in parent if is_tei(c) and local(c) == "text"] if parent is not None else []
    return _compact({"panel": "register", "groups": groups, "after": index[texts[-1]] if texts else None})


def element_data(root: Element, elements: list[tuple[Element, Behaviour]] | None = None) -> dict[str, Data]:
    """Element position (as in :func:`behaviour_codes`) -> what the page's script needs to show that element.

    Names, dates, notes, gaps, rules, supplied words and alternates get their finished links, numbers and
    tooltips; each ``teiHeader`` gets its metadata panel and each ``standOff`` its register. Elements that need
    nothing beyond their behaviour are left out. ``elements`` is :func:`_behaviours` of ``root``, if known.
    """
    elements = _behaviours(root) if elements is None else elements
    index = {el: i for i, (el, _) in enumerate(elements)}
    register = read_register(root)
    taxonomy = date_taxonomy(root)
    mentions: dict[str, list[str]] = {}
    data: dict[str, Data] = {}
    panels: list[tuple[int, Element]] = []
    notes = 0
    for i, (el, behaviour) in enumerate(elements):
        item: Data = {}
        if behaviour is Behaviour.ENTITY:
            item = _name(el, register, mentions)
        elif behaviour is Behaviour.DATE:
            item = _date(el, taxonomy)
        elif behaviour is Behaviour.NOTE and (text := _text_of(el)) is not None:
            notes += 1
            item = {"number": note_number(el, notes), "text": index[text]}
        elif behaviour is Behaviour.SUPPLIED and el.get("reason"):
            item = {"title": f"supplied ({el.get('reason', '').replace('-', ' ')})"}
        elif behaviour is Behaviour.GAP:
            reason = el.get("reason")
            item = {"text": gap_text(el), "title": f"omitted ({reason})" if reason else "omitted"}
        elif behaviour is Behaviour.RULE:
            item = {"text": rule_text(el)}
        elif behaviour is Behaviour.ALTERNATE:
            item = _alternate(el)
        elif is_tei(el) and local(el) in ("teiHeader", "standOff"):
            panels.append((i, el))
        if item:
            data[str(i)] = item
    parties = party_relations(root)
    for i, el in panels:  # after the walk: the register lists the mentions of the text, which follows it
        if local(el) == "teiHeader":
            parent = el.getparent()
            data[str(i)] = _metadata_panel(read_metadata(parent if parent is not None else el), register)
        else:
            data[str(i)] = _register_panel(el, register, parties, mentions, index)
    return data


def page_config(root: Element) -> Data:
    """The page's ``#tc-config`` apart from the file names: the behaviour codes and the data of the elements.

    >>> from lxml import etree
    >>> config = page_config(etree.fromstring('<p xmlns="http://www.tei-c.org/ns/1.0">a <gap reason="illegible"/></p>'))
    >>> [LEGEND[int(c, 36)] for c in config["codes"]], config["elements"]
    (['paragraph', 'gap'], {'1': {'text': '[...]', 'title': 'omitted (illegible)'}})
    """
    elements = _behaviours(root)
    return {"codes": "".join(_CODE[behaviour.value] for _, behaviour in elements), "legend": list(LEGEND),
            "elements": element_data(root, elements), "brackets": [SUPPLIED_OPEN, SUPPLIED_CLOSE]}


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
    # The copy is this call's own and does not change from here on: the page and its config share one reading
    # of its header and register, as the exports of a build do (export.memo).
    with shared_reading():
        meta = read_metadata(root)
        config = {"ceteicean": src, "tei": tei_name, **page_config(root)}
    lang = meta.text_language if meta.text_language and _LANG.match(meta.text_language) else "en"
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
           "element_data", "export_ceteicean", "page_config", "script_reference", "viewer_files"]
