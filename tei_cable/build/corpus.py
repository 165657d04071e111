"""The corpus pages: ``index.html``, ``register.xml`` + ``register.html``, ``cmif.xml`` and ``report.json``.

Two halves. :func:`summarize` runs in a worker, on the TEI of one document, and keeps what the corpus pages
need (a :class:`~tei_cable.build.state.Summary` plus the canonical XML of its register entries): the build
stores summaries in its state, so a rebuild after one changed file assembles the corpus pages of ten
thousand documents without reading their TEI again. The other functions run in the main process and
write the pages from the summaries, as text: a lxml tree of the corpus register (a link per document and
entry, hundreds of thousands of nodes) would cost more memory than the whole rest of the build.

**The corpus register** (``register.xml``) is a TEI file whose ``standOff`` holds the union of the documents'
``standOff`` entries (``listPerson``, ``listPlace``, ``listOrg``, ``listEvent``, and their ``listRelation``),
each entry once, sorted by name. Each entry ends with ``<note type="mentions">``: a ``list`` with one
``<item><ref target="ID.html" n="N">ID</ref></item>`` per document that holds the entry, where ``@n`` is the
number of ``@ref`` pointers to it in that document (0: a treaty party named in no sentence). Entries are
the same when their canonical XML is the same (whitespace between elements aside). Two documents that
define one id differently (a hand-edited entry, say) keep both: the first, in document-id order, keeps the
id; the other becomes ``ID.DOCID`` and the build reports it. Local entries (``local-…``: names the register
does not know) are merged the same way, so one unknown name across many documents is one entry: a
candidate for the register.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO
from xml.sax.saxutils import escape

from lxml import etree

from .. import __version__
from ..tei import TEI_NS, XML_ID, E, indent, local, tei
from .state import Summary

if TYPE_CHECKING:
    from ..export.behaviours import Metadata

#: The corpus pages' file names: no document may be called like them (see ``RESERVED_IDS``).
INDEX = "index.html"
REGISTER_XML = "register.xml"
REGISTER_HTML = "register.html"
CMIF = "cmif.xml"
REPORT = "report.json"
CORPUS_FILES = (INDEX, REGISTER_XML, REGISTER_HTML, CMIF)
#: Document ids whose outputs would overwrite a corpus page (compared case-insensitively).
RESERVED_IDS = frozenset({"index", "register", "cmif", "report"})

#: standOff list -> the entries it holds, in the order the register file lists them.
LISTS: dict[str, str] = {"person": "listPerson", "place": "listPlace", "org": "listOrg", "event": "listEvent"}
_XMLNS = f' xmlns="{TEI_NS}"'


# -- in the worker: one document -> Summary --------------------------------------------------------------


def canonical(el: etree._Element) -> str:
    """The element as canonical XML without whitespace-only text, comments or PIs: equal means same entry."""
    clone = copy.deepcopy(el)
    clone.tail = None
    for node in list(clone.iter()):
        if not isinstance(node.tag, str):  # a comment or processing instruction
            parent = node.getparent()
            if parent is not None:
                if node.tail:
                    previous = node.getprevious()
                    if previous is not None:
                        previous.tail = (previous.tail or "") + node.tail
                    else:
                        parent.text = (parent.text or "") + node.tail
                parent.remove(node)
            continue
        if node.text is not None and not node.text.strip():
            node.text = None
        if node is not clone and node.tail is not None and not node.tail.strip():
            node.tail = None
    return etree.tostring(clone, method="c14n").decode("utf-8")


def digest(xml: str) -> str:
    return hashlib.sha256(xml.encode("utf-8")).hexdigest()[:32]


#: Every ``@ref`` of the root's children other than a ``standOff`` (in any namespace) and of their descendants:
#: libxml2 finds them without a Python step per element.
_REFS = etree.XPath("*[local-name() != 'standOff']/descendant-or-self::*/@ref", smart_strings=False)


def ref_counts(root: etree._Element) -> dict[str, int]:
    """How often each ``#id`` is pointed to by a ``@ref`` (the text and the header; not the standOff itself)."""
    counts: dict[str, int] = defaultdict(int)
    for value in _REFS(root):
        for token in value.split():
            if token.startswith("#"):
                counts[token[1:]] += 1
    return counts


def fragment(el: etree._Element, level: int) -> str:
    """``el`` serialised as it sits ``level`` deep in an indented TEI file (no namespace declaration)."""
    el.tail = None
    indent(el, level)
    text = etree.tostring(el, encoding="unicode")
    return text.replace(_XMLNS, "", 1)


def cmif_parts(root: etree._Element, meta: Metadata, doc_id: str) -> tuple[str, str] | None:
    """The document's ``bibl`` and ``correspDesc`` as the CMIF exporter writes them, ids made corpus-unique."""
    from ..export.behaviours import read_register
    from ..export.cmif import cmif_tree

    if not meta.correspondence:
        return None
    # In a build the HTML and JSON exports have read the register already (export.memo): shared, not re-read.
    tree = cmif_tree(root, meta, read_register(root), published="1970-01-01")
    bibl = tree.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('sourceDesc')}/{tei('bibl')}")
    corresp = tree.find(f"{tei('teiHeader')}/{tei('profileDesc')}/{tei('correspDesc')}")
    if bibl is None or corresp is None:
        return None
    source = f"source-{doc_id}"
    bibl.set(XML_ID, source)
    corresp.set("source", f"#{source}")
    # TEI/teiHeader/fileDesc/sourceDesc/bibl and TEI/teiHeader/profileDesc/correspDesc
    return fragment(bibl, 4), fragment(corresp, 3)


def summarize(root: etree._Element, doc_id: str) -> tuple[Summary, dict[str, str]]:
    """What the corpus pages need from one TEI document, and its entries' canonical XML by digest."""
    from ..export.behaviours import read_metadata

    meta = read_metadata(root)
    sent, received = meta.action("sent"), meta.action("received")
    summary = Summary(
        id=doc_id,
        title=meta.title,
        date=meta.date.sort_key if meta.date is not None else "",
        date_text=meta.date_text,
        kind=next((term for type_, term in meta.keywords if type_ == "document-type"), ""),
        senders=[p.name for p in sent.of_kind("person", "org")] if sent is not None else [],
        recipients=[p.name for p in received.of_kind("person", "org")] if received is not None else [],
    )
    counts = ref_counts(root)
    table: dict[str, str] = {}
    seen: set[str] = set()
    for stand_off in root.iter(tei("standOff")):
        for el in stand_off.iter(*(tei(name) for name in LISTS)):
            entry_id = el.get(XML_ID)
            if not entry_id or entry_id in seen:
                continue
            seen.add(entry_id)
            xml = canonical(el)
            key = digest(xml)
            table[key] = xml
            summary.entries.append((entry_id, key, counts.get(entry_id, 0)))
        for rel in stand_off.iter(tei("relation")):
            xml = canonical(rel)
            key = digest(xml)
            if key not in table:
                table[key] = xml
                summary.relations.append(key)
    summary.cmif = cmif_parts(root, meta, doc_id)
    changes = sorted(d for d in ((c.get("when") or "")[:10] for c in root.iter(tei("change"))) if d)
    summary.published = changes[-1] if changes else ""
    return summary, table


# -- in the main process: the pages ----------------------------------------------------------------------


def sort_key(summary: Summary) -> tuple[str, str, str]:
    """Undated documents last; then by date, then by id."""
    return ("0" if summary.date else "1", summary.date, summary.id)


def corpus_key(docs: Iterable[tuple[str, str]], *options: str) -> str:
    """A hash of (id, document key) pairs and the options: unchanged means the pages need no rewrite."""
    digest_ = hashlib.sha256()
    for part in (*options, *(f"{i}\0{k}" for i, k in sorted(docs))):
        digest_.update(part.encode("utf-8") + b"\n")
    return digest_.hexdigest()


@dataclass
class CorpusEntry:
    """One entry of the corpus register: its XML, the id it has there and the documents holding it."""

    id: str
    element: etree._Element | None
    mentions: list[tuple[str, int]] = field(default_factory=list)  # (document id, number of @ref)


def union(docs: list[Summary], table: dict[str, str]) -> tuple[list[CorpusEntry], list[str], list[str]]:
    """Entries of all documents, each once (module docstring); relations; warnings about differing ids."""
    chosen: dict[str, CorpusEntry] = {}
    by_version: dict[tuple[str, str], CorpusEntry] = {}
    warnings: list[str] = []
    relations: dict[str, None] = {}
    for doc in sorted(docs, key=lambda d: d.id):
        for entry_id, key, count in doc.entries:
            entry = by_version.get((entry_id, key))
            if entry is None:
                xml = table.get(key)
                if xml is None:  # pragma: no cover - the state always stores the entries it refers to
                    continue
                corpus_id = entry_id if entry_id not in chosen else f"{entry_id}.{doc.id}"
                if corpus_id != entry_id:
                    first = chosen[entry_id].mentions[0][0]
                    warnings.append(f"{doc.id} defines {entry_id!r} differently from {first}: the corpus register "
                                    f"keeps both, the other as {corpus_id!r}")
                element = etree.fromstring(xml)
                element.set(XML_ID, corpus_id)
                entry = CorpusEntry(corpus_id, element)
                by_version[(entry_id, key)] = entry
                chosen.setdefault(entry_id, entry)
            entry.mentions.append((doc.id, count))
        for key in doc.relations:
            relations.setdefault(key)
    return list(by_version.values()), [table[k] for k in relations if k in table], warnings


def _entry_name(el: etree._Element) -> str:
    names = [c for c in el if isinstance(c.tag, str) and local(c).endswith("Name")]
    preferred = next((n for n in names if n.get("type") == "preferred"), names[0] if names else None)
    return " ".join("".join(preferred.itertext()).split()) if preferred is not None else el.get(XML_ID, "")


def _header(title: str, description: str) -> str:
    header = E.teiHeader(E.fileDesc(
        E.titleStmt(E.title(title)),
        E.publicationStmt(E.p(f"Written by tei-cable {__version__} (tei-cable build).")),
        E.sourceDesc(E.p(description)),
    ))
    return fragment(header, 1)


#: Stands for the mentions note while lxml serialises an entry; the note itself is written as text.
_PLACEHOLDER = "tei-cable-mentions-placeholder"


def _mentions_note(mentions: list[tuple[str, int]]) -> str:
    # Indented as tei.indent would indent it four levels deep (TEI/standOff/listPerson/person/note).
    items = "".join(f'\n            <item><ref target="{escape(doc_id)}.html" n="{count}">{escape(doc_id)}</ref></item>'
                    for doc_id, count in mentions)
    return f'<note type="mentions">\n          <list>{items}\n          </list>\n        </note>'


def write_register(docs: list[Summary], table: dict[str, str], xml: TextIO, page_out: TextIO, *,
                   title: str) -> list[str]:
    """Write ``register.xml`` to ``xml`` and ``register.html`` to ``page_out`` (module docstring); return
    the warnings. Both are written entry by entry: for ten thousand documents they hold some 300,000 links."""
    from ..export.behaviours import ENTITY_GROUPS, read_register

    entries, relations, warnings = union(docs, table)
    by_list: dict[str, list[CorpusEntry]] = {name: [] for name in LISTS}
    for entry in entries:
        assert entry.element is not None
        by_list.setdefault(local(entry.element), []).append(entry)
    xml.write("<?xml version='1.0' encoding='UTF-8'?>\n")
    xml.write(f'<TEI xmlns="{TEI_NS}">\n  ')
    xml.write(_header(f"Register: {title}", f"The standOff entries of {len(docs)} documents, each with the "
                                            'documents that hold it (note type="mentions").'))
    xml.write("\n  <standOff>\n")
    groups: dict[str, list[tuple[CorpusEntry, Any]]] = {group: [] for group in ENTITY_GROUPS}
    for list_name, items in by_list.items():
        if not items:
            continue
        items.sort(key=lambda e: (_entry_name(e.element).casefold(), e.id))  # type: ignore[arg-type]
        xml.write(f"    <{LISTS[list_name]}>\n")
        for entry in items:
            element = entry.element
            assert element is not None
            info = next(iter(read_register(element).values()), None)
            etree.SubElement(element, tei("note"), type=_PLACEHOLDER)
            text = fragment(element, 3).replace(f'<note type="{_PLACEHOLDER}"/>', _mentions_note(entry.mentions), 1)
            xml.write(f"      {text}\n")
            entry.element = None  # the tree is no longer needed: only the text is kept
            if info is not None:
                groups.setdefault(info.group, []).append((entry, info))
        xml.write(f"    </{LISTS[list_name]}>\n")
    if relations:
        xml.write("    <listRelation>\n")
        for rel in relations:
            xml.write("      " + fragment(etree.fromstring(rel), 3) + "\n")
        xml.write("    </listRelation>\n")
    xml.write("  </standOff>\n</TEI>\n")

    head, foot = page(f"Register: {title}")
    page_out.write(head)
    documents = f'{len(docs)} document{"s" if len(docs) != 1 else ""}'
    page_out.write(f'<p class="kicker">Corpus register · {len(entries)} entries in {documents}</p>\n'
                   f"<h1>{_esc('Register: ' + title)}</h1>\n"
                   f'<p class="doc-date"><a href="{INDEX}">All documents</a> · <a href="{REGISTER_XML}">TEI</a></p>\n'
                   '<section class="indexes" aria-label="Register">\n')
    for group, members in groups.items():
        if not members:
            continue
        page_out.write(f'<section class="index index-{group}"><h3>{_esc(ENTITY_GROUPS.get(group, group))} '
                       f"({len(members)})</h3>\n<ul>\n")
        for entry, info in members:
            page_out.write(_register_item(entry, info) + "\n")
        page_out.write("</ul></section>\n")
    page_out.write("</section>\n" + foot)
    return warnings


def _register_item(entry: CorpusEntry, info: Any) -> str:
    from ..export.html import AUTHORITY_LABELS

    parts = [f'<span class="idx-name">{_esc(info.name)}</span>']
    if info.years:
        parts.append(f'<span class="years">{_esc(info.years)}</span>')
    links = [f'<a href="{_esc(uri)}" rel="external noreferrer">{_esc(AUTHORITY_LABELS.get(kind, kind))}</a>'
             for kind, uri in info.authority.items()]
    if links:
        parts.append(f'<span class="authority">{" · ".join(links)}</span>')
    body = " ".join(parts)
    if info.description:
        body += f'<span class="desc">{_esc(info.description)}</span>'
    count = len(entry.mentions)
    docs = ", ".join(f'<a href="{_esc(doc_id)}.html">{_esc(doc_id)}</a>' + (f" ({n})" if n > 1 else "")
                     for doc_id, n in entry.mentions)
    body += f'<span class="mentions">{count} document{"s" if count != 1 else ""}: {docs}</span>'
    return f'<li id="{_esc(entry.id)}" class="ent-{_esc(info.group)}">{body}</li>'


def _esc(value: object) -> str:
    from ..export.html import esc

    return esc(value)


def page(title: str) -> tuple[str, str]:
    """The start and the end of a page in the reading page's frame: its stylesheet, its
    Content-Security-Policy, no script. The caller writes the body between them."""
    from ..export.html import load_css

    head = "".join([
        "<!DOCTYPE html>\n",
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\';'
        " img-src data:; base-uri 'none'; form-action 'none'\">\n",
        '<meta name="referrer" content="no-referrer">\n',
        f'<meta name="generator" content="tei-cable {_esc(__version__)}">\n',
        f"<title>{_esc(title)}</title>\n<style>\n{load_css()}</style>\n</head>\n<body>\n",
        '<article class="document corpus">\n',
    ])
    foot = (f"<footer><p>Written by tei-cable {_esc(__version__)} (tei-cable build).</p></footer>\n"
            "</article>\n</body>\n</html>\n")
    return head, foot


def write_index(docs: list[Summary], out: TextIO, *, title: str, invalid: set[str], failed: int) -> None:
    """The browsable list: by year, then date; each document with its sender, recipients and formats."""
    head, foot = page(title)
    out.write(head)
    failed_note = f" · {failed} failed to build (see report.json)" if failed else ""
    out.write(f'<p class="kicker">{len(docs)} document{"s" if len(docs) != 1 else ""}{_esc(failed_note)}</p>\n'
              f"<h1>{_esc(title)}</h1>\n"
              f'<p class="doc-date"><a href="{REGISTER_HTML}">Register</a> · <a href="{CMIF}">'
              f'Correspondence (CMIF)</a> · <a href="{REPORT}">Build report</a></p>\n'
              '<section class="indexes" aria-label="Documents">\n')
    year = None
    for doc in sorted(docs, key=sort_key):
        doc_year = doc.date[:4] if doc.date else "Undated"
        if doc_year != year:
            if year is not None:
                out.write("</ul></section>\n")
            out.write(f'<section class="index"><h3>{_esc(doc_year)}</h3>\n<ul>\n')
            year = doc_year
        who = ", ".join(doc.senders) or "unknown sender"
        to = ", ".join(doc.recipients)
        people = f"{who} → {to}" if to else who
        flag = ' <span class="idx-note">invalid: see report.json</span>' if doc.id in invalid else ""
        formats = " ".join(f'<a href="{_esc(doc.id)}.{ext}">{label}</a>'
                           for ext, label in (("xml", "TEI"), ("txt", "text"), ("json", "JSON")))
        out.write(f'<li><span class="idx-value">{_esc(doc.date_text or doc.date or "undated")}</span> '
                  f'<a class="idx-name" href="{_esc(doc.id)}.html">{_esc(doc.title or doc.id)}</a>{flag}'
                  f'<span class="desc">{_esc(people)}{" · " + _esc(doc.kind) if doc.kind else ""}</span>'
                  f'<span class="mentions">{formats}</span></li>\n')
    if year is not None:
        out.write("</ul></section>\n")
    out.write("</section>\n" + foot)


def write_cmif(docs: list[Summary], out: TextIO, *, title: str, url: str, published: str | None = None) -> None:
    """One CMIF file with every letter's ``correspDesc`` (and the ``bibl`` each one's ``@source`` names).

    lxml builds the small parts of the header; the documents' parts, already serialised by the workers at
    the depth they take here, are written as text.
    """
    from ..export.cmif import CC_BY

    letters = [d.cmif for d in sorted(docs, key=sort_key) if d.cmif is not None]
    # The newest revisionDesc/change date of the documents, like the CMIF exporter; today when none has one.
    published = published or max((d.published for d in docs if d.published), default="") or \
        dt.date.today().isoformat()
    title_stmt = E.titleStmt(E.title(f"CMIF: {title}"), E.editor(f"exported by tei-cable {__version__}"))
    publication = E.publicationStmt(
        E.publisher(E.ref("tei-cable", target="https://pypi.org/project/tei-cable/")),
        E.idno(url, type="url"),
        E.date(when=published),
        E.availability(E.licence("This file is licensed under the terms of the Creative-Commons-License CC-BY 4.0",
                                 target=CC_BY)),
    )
    out.write(f"<?xml version='1.0' encoding='UTF-8'?>\n<TEI xmlns=\"{TEI_NS}\">\n  <teiHeader>\n    <fileDesc>\n"
              f"      {fragment(title_stmt, 3)}\n      {fragment(publication, 3)}\n      <sourceDesc>\n")
    for bibl, _ in letters:
        out.write(f"        {bibl}\n")
    if not letters:
        out.write(f"        <p>{escape(title)}: no document is a letter.</p>\n")
    out.write("      </sourceDesc>\n    </fileDesc>\n")
    if letters:
        out.write("    <profileDesc>\n")
        for _, corresp in letters:
            out.write(f"      {corresp}\n")
        out.write("    </profileDesc>\n")
    out.write("  </teiHeader>\n  <text>\n    <body>\n      <p/>\n    </body>\n  </text>\n</TEI>\n")


def write_report(data: dict[str, Any], documents: Iterable[dict[str, Any]], out: TextIO) -> None:
    """``report.json``: ``data`` with a ``documents`` list, one document per line (written one at a time,
    with json's C encoder: an indented report of ten thousand documents takes half a second to encode)."""
    dump = functools.partial(json.dumps, ensure_ascii=False)
    out.write('{\n "documents": [')
    for k, doc in enumerate(documents):
        out.write(("," if k else "") + "\n  " + dump(doc))
    out.write("\n ]")
    for key, value in data.items():
        out.write(f",\n {dump(key)}: {dump(value)}")
    out.write("\n}\n")


__all__ = ["CORPUS_FILES", "RESERVED_IDS", "canonical", "summarize", "write_cmif", "write_index", "write_register",
           "write_report"]
