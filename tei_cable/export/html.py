"""HTML: one self-contained reading page (inline CSS, no script, no external request).

The page is semantic HTML5: an ``article`` whose ``header`` holds the metadata panel (title, date, sender
and recipients, source citation, translator, funder, languages, archive link), the text in a ``section``,
the notes in an ``aside`` (an ``ol`` with links both ways), and the indexes of persons, places,
organisations, treaties and dates, each entry with its authority links and links back to every mention.

Everything that comes from the document (text, attribute values, register entries, even element names)
is escaped; bidirectional embedding and override characters are replaced so that they cannot reorder what
follows them; the only URLs are the archive and authority links, plain ``<a href>`` links that must be
absolute http(s). A Content-Security-Policy forbids scripts and every fetch, as a second line of defence.

>>> from lxml import etree
>>> tree = etree.fromstring('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>To Mao '
...     '<supplied>Zedong</supplied></p></body></text></TEI>')
>>> '<span class="supplied" title="Added by the translator or editor">[Zedong]</span>' in export_html(tree)
True
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from importlib import resources

from lxml import etree

from .. import __version__
from ..tei import XML_LANG, local
from .behaviours import (
    ENTITY_GROUPS,
    SUPPLIED_CLOSE,
    SUPPLIED_OPEN,
    TRANSLATOR,
    Behaviour,
    DateValue,
    Element,
    Entry,
    Metadata,
    Party,
    Register,
    Renderer,
    alternate_parts,
    behaviour_of,
    date_taxonomy,
    date_value,
    entity_kind,
    format_iso,
    gap_text,
    holds_blocks,
    iter_text_roots,
    note_number,
    plain_text,
    read_metadata,
    read_register,
    ref_id,
    rule_text,
    safe_url,
)

#: Characters that open a bidirectional embedding, override or isolate: from a user's file they could
#: reorder the text that follows them (a spoofed name, a reversed URL), so they never reach the page.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: A BCP 47 tag as HTML's lang attribute takes it.
LANG_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
#: The forms of ISO 8601 that the ``datetime`` attribute of ``time`` accepts.
HTML_DATETIME = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?)?)?$")
AUTHORITY_LABELS = {"wikidata": "Wikidata", "viaf": "VIAF", "geonames": "GeoNames", "gnd": "GND"}


#: Every character that ``escape_reference`` changes: the five that ``html.escape`` replaces and the bidi controls.
ESCAPED = re.compile("[&<>\"'\u202a-\u202e\u2066-\u2069]")


def escape_reference(text: str) -> str:
    """The definition of the page's escaping (``esc`` is the same, faster)."""
    return html.escape(BIDI_CONTROLS.sub("\ufffd", text), quote=True)


def esc(value: object) -> str:
    """Escape text or an attribute value (quotes too) and neutralise bidi controls.

    Nine strings in ten hold none of the characters that escaping changes: they are returned as they are, the
    others escaped as ``escape_reference`` does. ASCII text (most of it; CPython knows without a scan) holds
    no bidi control, so five scans for a character tell, and ``html.escape`` alone escapes it; other text is
    searched with one regex. ``tests/test_export_fastpaths.py`` compares ``esc`` with the reference.
    """
    text = str(value)
    if text.isascii():
        if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
            return html.escape(text, quote=True)
        return text
    if ESCAPED.search(text) is None:
        return text
    return escape_reference(text)


@functools.cache
def _attribute_name(name: str) -> str:
    """``class_`` -> ``class``, ``data_n`` -> ``data-n``: computed once per keyword the module uses."""
    return name.rstrip("_").replace("_", "-")


def attrs(**values: object) -> str:
    """`` name="value"`` pairs for the values that are not None (``class_`` -> ``class``, ``_`` -> ``-``)."""
    out = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        key = _attribute_name(name)
        out.append(f" {key}" if value is True else f' {key}="{esc(value)}"')
    return "".join(out)


_NOT_CLASS = re.compile(r"[^A-Za-z0-9-]+")


@functools.lru_cache(maxsize=1024)
def css_class(*names: str | None) -> str | None:
    """A class list from document values: only letters, digits and hyphens survive.

    A pure function of a few names that recur on every page (element names, ``@type`` values): its results
    are kept (at most 1024 of them), so nothing can go stale.
    """
    cleaned = [_NOT_CLASS.sub("-", n).strip("-") for n in names if n]
    joined = " ".join(c for c in cleaned if c)
    return joined or None


def lang_of(value: str | None) -> str | None:
    return value if value and LANG_TAG.match(value) else None


_NOT_ID = re.compile(r"[^A-Za-z0-9_-]+")


class Ids:
    """Unique, safe HTML ids derived from document ids (which a user's file may have made unsafe)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, prefix: str, raw: str = "") -> str:
        stem = _NOT_ID.sub("-", raw).strip("-")[:60]
        base = f"{prefix}-{stem}" if stem else prefix
        candidate, k = base, 2
        while candidate in self.used:
            candidate, k = f"{base}-{k}", k + 1
        self.used.add(candidate)
        return candidate


@dataclass
class Mention:
    group: str
    key: str           # register id, or "?name" for an unlinked name
    name: str
    id: str            # the mention's HTML id
    where: str         # the block label shown in the index ("¶4", "n2")


@dataclass
class DateMention:
    value: DateValue
    text: str
    id: str
    where: str


@functools.cache
def load_css() -> str:
    """The page's style sheet, read once per process (package data, like the CETEIcean page's files): the
    build's ``worker.init`` reads it before the first document."""
    css = resources.files("tei_cable").joinpath("data/html/style.css").read_text(encoding="utf-8")
    if "</" in css:  # would close the style element early; our own file never does
        raise ValueError("style.css must not contain '</'")
    return css


class HtmlRenderer(Renderer):
    """Writes the vocabulary as HTML5 and collects mentions, dates and notes for the indexes."""

    def __init__(self, register: Register, taxonomy: dict[str, str], ids: Ids, reg_ids: dict[str, str]) -> None:
        super().__init__()
        self.out: list[str] = []
        self.register = register
        self.taxonomy = taxonomy
        self.ids = ids
        self.reg_ids = reg_ids
        self.depth = 0                  # sections and lists around the current heading
        self.block_no = 0
        self.where = ""                 # label of the current block, for the index
        self.links = 0                  # open <a> elements: links never nest
        self.mentions: list[Mention] = []
        self.dates: list[DateMention] = []
        self.notes: list[tuple[str, Element, str, str]] = []  # (number, note, note id, marker id)
        self.in_notes = False
        self.indexing = False           # header fragments (citation, abstract) are not indexed
        self.entry_links: dict[str, str] = {}  # register id -> its link attributes (see entry_link)

    def w(self, *chunks: str) -> None:
        self.out.extend(chunks)

    def lang(self, el: Element) -> str | None:
        return lang_of(el.get(XML_LANG))

    def numbered(self, tag: str, el: Element, cls: str | None) -> None:
        """A block the index can point to: ``data-n`` shows its number in the margin."""
        if self.in_notes:
            self.w(f"<{tag}{attrs(class_=cls, lang=self.lang(el))}>")
            self.contents(el)
            self.w(f"</{tag}>")
            return
        self.block_no += 1
        self.where = f"¶{self.block_no}"
        self.w(f"<{tag}{attrs(class_=cls, id=f'b{self.block_no}', data_n=self.block_no, lang=self.lang(el))}>")
        self.contents(el)
        self.w(f"</{tag}>")

    # -- the vocabulary -------------------------------------------------------------------------------------------

    def text(self, value: str) -> None:
        self.out.append(esc(value))

    def omit(self, el: Element) -> None:
        pass

    def section(self, el: Element) -> None:
        self.depth += 1
        self.w(f"<section{attrs(class_=css_class('div', el.get('type')), lang=self.lang(el))}>")
        self.contents(el)
        self.w("</section>")
        self.depth -= 1

    def block(self, el: Element) -> None:
        self.w(f"<div{attrs(class_=css_class(local(el)), lang=self.lang(el))}>")
        self.contents(el)
        self.w("</div>")

    def heading(self, el: Element) -> None:
        level = min(6, 1 + max(1, self.depth))
        self.numbered(f"h{level}", el, "head")

    def paragraph(self, el: Element) -> None:
        # HTML's <p> cannot hold a list: a TEI paragraph an editor gave blocks is a <div class="p">.
        if holds_blocks(el):
            self.numbered("div", el, "p")
        else:
            self.numbered("p", el, None)

    def line(self, el: Element) -> None:
        self.numbered("p", el, css_class("line", local(el), el.get("type")))

    def list(self, el: Element) -> None:
        self.depth += 1
        self.w(f"<ul{attrs(class_=css_class('list', el.get('type')), lang=self.lang(el))}>")
        for child in el:
            # A list's heading is not an item: HTML lists hold only items, so it goes before them.
            if isinstance(child.tag, str) and behaviour_of(child) is Behaviour.HEADING:
                self.w("</ul>")
                self.render(child)
                self.w(f"<ul{attrs(class_=css_class('list', el.get('type')))}>")
            elif isinstance(child.tag, str) and behaviour_of(child) is not Behaviour.ITEM:
                self.w("<li class=\"nolabel\">")
                self.render(child)
                self.w("</li>")
            else:
                self.render(child)
        self.w("</ul>")
        self.depth -= 1

    def item(self, el: Element) -> None:
        self.numbered("li", el, None)

    def label(self, el: Element) -> None:
        self.w('<span class="label">')
        self.contents(el)
        self.w("</span>")

    def speech(self, el: Element) -> None:
        self.w(f"<div{attrs(class_='sp', lang=self.lang(el))}>")
        self.contents(el)
        self.w("</div>")

    def speaker(self, el: Element) -> None:
        # The label runs into the paragraph that follows it and shares that paragraph's number.
        self.where = f"¶{self.block_no + 1}"
        self.w(f"<p{attrs(class_='speaker', lang=self.lang(el))}>")
        self.contents(el)
        self.w("</p>")

    def rule(self, el: Element) -> None:
        self.w(f'<p class="rule" role="separator">{esc(rule_text(el))}</p>')

    def note(self, el: Element) -> None:
        number = note_number(el, len(self.notes) + 1)
        note_id = self.ids.make("fn", number)
        ref_id_ = self.ids.make("fnref", number)
        self.notes.append((number, el, note_id, ref_id_))
        if self.links:  # inside a link (cannot happen with our entity rule, but a marker must never nest)
            self.w(f'<sup class="fnref">[{esc(number)}]</sup>')
            return
        self.w(f'<sup class="fnref"><a{attrs(id=ref_id_, href="#" + note_id, role="doc-noteref")}'
               f' aria-label="Note {esc(number)}">[{esc(number)}]</a></sup>')

    def line_break(self, el: Element) -> None:
        self.w("<br>")

    def supplied(self, el: Element) -> None:
        self.w('<span class="supplied" title="Added by the translator or editor">', SUPPLIED_OPEN)
        self.contents(el)
        self.w(SUPPLIED_CLOSE, "</span>")

    def gap(self, el: Element) -> None:
        self.w(f'<span class="gap" title="Omitted in the source">{esc(gap_text(el))}</span>')

    def emphasis(self, el: Element) -> None:
        self.w(f"<i{attrs(class_=css_class(local(el)), lang=self.lang(el))}>")
        self.contents(el)
        self.w("</i>")

    def entity(self, el: Element) -> None:
        ref = ref_id(el)
        entry = self.register.get(ref) if ref else None
        if entry is None and not self.indexing:  # an unlinked name in the citation: just its words
            self.contents(el)
            return
        group = entity_kind(el, self.register)
        mention_id = None
        if self.indexing:
            mention_id = self.ids.make("m", str(len(self.mentions) + 1))
            name = entry.name if entry is not None else plain_text(el)
            self.mentions.append(Mention(group, entry.id if entry else f"?{name}", name, mention_id, self.where))
        cls = css_class("ent", f"ent-{group}", None if entry else "unlinked")
        # A link cannot hold another link: a name that holds names or note markers is marked, and its
        # register link follows it as a small "§".
        if entry is None or self.links > 0 or holds_marks(el):
            title = describe(entry) if entry is not None else "Not in the register"
            self.w(f"<span{attrs(class_=cls, id=mention_id, title=title, lang=self.lang(el))}>")
            self.contents(el)
            self.w("</span>")
            if entry is not None and not self.links:
                self.w(f'<a class="ent-ref" href="#{esc(self.reg_ids[entry.id])}" title="{esc(title)}"'
                       f' aria-label="Register: {esc(entry.name)}">§</a>')
            return
        # attrs() writes its pairs one after another, so the link is attrs(class_, id, href, title, lang) with the
        # pairs that depend on the entry alone written once per entry (a name is mentioned many times).
        self.w("<a", attrs(class_=cls, id=mention_id), self.entry_link(entry), attrs(lang=self.lang(el)), ">")
        self.links += 1
        self.contents(el)
        self.links -= 1
        self.w("</a>")

    def entry_link(self, entry: Entry) -> str:
        """`` href="#..." title="..."`` of a link to ``entry`` in the index: the same for all its mentions."""
        link = self.entry_links.get(entry.id)
        if link is None:
            link = attrs(href="#" + self.reg_ids[entry.id], title=describe(entry))
            self.entry_links[entry.id] = link
        return link

    def date(self, el: Element) -> None:
        value = date_value(el, self.taxonomy)
        date_id = None
        if self.indexing:
            date_id = self.ids.make("d", str(len(self.dates) + 1))
            self.dates.append(DateMention(value, plain_text(el), date_id, self.where))
        title = value.normalised or "no normalised value"
        if value.inferred:
            reasons = "; ".join(text or key for key, text in value.inferred)
            title += f" (inferred: {reasons})"
        cls = css_class("date", "inferred" if value.inferred else None) if self.indexing else None
        if value.when and HTML_DATETIME.match(value.when):
            self.w(f"<time{attrs(class_=cls, id=date_id, datetime=value.when, title=title)}>")
            self.contents(el)
            self.w("</time>")
        else:
            self.w(f"<span{attrs(class_=cls, id=date_id, title=title)}>")
            self.contents(el)
            self.w("</span>")

    def alternate(self, el: Element) -> None:
        preferred, other = alternate_parts(el)
        other_text = plain_text(other)
        self.w(f"<span{attrs(class_='choice', title=f'Also: {other_text}' if other_text else None)}>")
        if preferred is not None:
            self.contents(preferred)
        self.w("</span>")

    def inline(self, el: Element) -> None:
        lang = self.lang(el)
        if lang:
            self.w(f'<span lang="{esc(lang)}">')
        self.contents(el)
        if lang:
            self.w("</span>")

    # -- parts of the page ----------------------------------------------------------------------------------------

    def fragment(self, el: Element) -> str:
        """Render the content of one element (a citation, an abstract) and return it."""
        saved, self.out = self.out, []
        self.contents(el)
        result, self.out = "".join(self.out), saved
        return result

    def endnotes(self) -> str:
        if not self.notes:
            return ""
        self.in_notes = True
        items = []
        done = 0
        while done < len(self.notes):
            number, el, note_id, ref_id_ = self.notes[done]
            done += 1
            self.where = f"n{number}"
            body = self.fragment(el)
            holds_blocks = any(isinstance(c.tag, str) and behaviour_of(c) is Behaviour.PARAGRAPH for c in el)
            back = (f' <a class="backref" href="#{esc(ref_id_)}" role="doc-backlink"'
                    f' aria-label="Back to the text of note {esc(number)}">↩</a>')
            if holds_blocks and body.endswith("</p>"):
                body = body[: -len("</p>")] + back + "</p>"
            elif not holds_blocks:
                body = f"<p>{body}{back}</p>"
            else:
                body += f"<p>{back}</p>"
            meta = " ".join(v for v in (el.get("type"), ) if v)
            items.append(f'<li{attrs(id=note_id, class_=css_class("note", meta), lang=self.lang(el))}>'
                         f'<span class="note-n">{esc(number)}</span><div class="note-body">{body}</div></li>')
        self.in_notes = False
        return ('<aside class="notes" aria-labelledby="notes-h" role="doc-endnotes">'
                '<h2 id="notes-h">Notes</h2>\n<ol class="notes">\n' + "\n".join(items) + "\n</ol>\n</aside>\n")


def holds_marks(el: Element) -> bool:
    """``el`` holds a name or a note (which the link around ``el`` cannot hold: links do not nest)."""
    if not len(el):
        return False  # most names hold text alone: no descendants to look at
    return any(isinstance(d.tag, str) and behaviour_of(d) in (Behaviour.ENTITY, Behaviour.NOTE)
               for d in el.iterdescendants())


def describe(entry: Entry) -> str:
    """The tooltip of a linked name: preferred name, years, description."""
    parts = [entry.name]
    if entry.years:
        parts[0] += f" ({entry.years})"
    if entry.description:
        parts.append(entry.description)
    return " — ".join(parts)


def party_html(party: Party, register: Register, reg_ids: dict[str, str]) -> str:
    entry = register.get(party.ref) if party.ref else None
    if entry is None:
        return f'<span class="party">{esc(party.name)}</span>'
    return (f'<a class="party ent ent-{esc(entry.group)}" href="#{esc(reg_ids[entry.id])}"'
            f' title="{esc(describe(entry))}">{esc(party.name)}</a>')


def date_html(value: DateValue | None, text: str = "") -> str:
    if value is None or value.empty:
        return esc(text)
    shown = text or (format_iso(value.when) if value.when else value.normalised)
    if value.when and HTML_DATETIME.match(value.when):
        return f'<time datetime="{esc(value.when)}">{esc(shown)}</time>'
    return esc(shown)


def metadata_panel(meta: Metadata, renderer: HtmlRenderer) -> str:
    """The ``dl`` of the header: who wrote to whom and when, who translated it, where it comes from."""
    rows: list[tuple[str, str, str | None]] = []
    register, reg_ids = renderer.register, renderer.reg_ids

    def parties(items: list[Party]) -> str:
        return ", ".join(party_html(p, register, reg_ids) for p in items)

    sent, received = meta.action("sent"), meta.action("received")
    if sent is not None and sent.of_kind("person", "org"):
        rows.append(("From", parties(sent.of_kind("person", "org")), None))
    if received is not None and received.of_kind("person", "org"):
        rows.append(("To", parties(received.of_kind("person", "org")), None))
    if sent is not None and sent.of_kind("place"):
        rows.append(("Sent from", parties(sent.of_kind("place")), None))
    if sent is not None and sent.date is not None and not sent.date.empty:
        rows.append(("Sent", date_html(sent.date), None))
    if received is not None and received.of_kind("place"):
        rows.append(("Received in", parties(received.of_kind("place")), None))
    if received is not None and received.date is not None and not received.date.empty:
        rows.append(("Received", date_html(received.date), None))
    # The translator first; the other responsibilities (signed notes, publisher, encoding) after the source.
    credits = []
    for resp in meta.responsibilities:
        if resp.names and TRANSLATOR.search(resp.resp):
            rows.append((resp.resp, ", ".join(esc(n) for n in resp.names), None))
        elif resp.names:
            credits.append((resp.resp or "Responsibility", ", ".join(esc(n) for n in resp.names), None))
    if meta.original_languages:
        rows.append(("Original language", ", ".join(esc(lang.name) for lang in meta.original_languages), None))
    elif meta.languages:
        rows.append(("Languages", ", ".join(esc(lang.name) for lang in meta.languages), None))
    if meta.funders:
        rows.append(("Funded by", ", ".join(esc(f) for f in meta.funders), None))
    if meta.url:
        rows.append(("Archive", f'<a class="archive" href="{esc(meta.url)}" rel="external noreferrer">'
                                f"{esc(meta.url)}</a>", None))
    if meta.citation is not None:
        rows.append(("Source", renderer.fragment(meta.citation), "citation"))
    rows.extend(credits)
    keywords = [term for type_, term in meta.keywords if type_ != "document-type"]
    if keywords:
        rows.append(("Keywords", ", ".join(esc(term) for term in keywords), None))
    if not rows:
        return ""
    body = "\n".join(f"<dt>{esc(label)}</dt><dd{attrs(class_=cls)}>{value}</dd>" for label, value, cls in rows)
    return f'<dl class="meta">\n{body}\n</dl>\n'


def where_links(mentions: list[tuple[str, str]]) -> str:
    """Links back to the mentions, one per block (``¶4 ×2`` when a block names the entry twice)."""
    seen: dict[str, list[str]] = {}
    for where, ident in mentions:
        seen.setdefault(where or "?", []).append(ident)
    links = []
    for where, idents in seen.items():
        count = f'<span class="times">×{len(idents)}</span>' if len(idents) > 1 else ""
        links.append(f'<a href="#{esc(idents[0])}">{esc(where)}</a>{count}')
    return " ".join(links)


def indexes(renderer: HtmlRenderer) -> str:
    """Persons, places, organisations, treaties (and other events), then dates: each with its mentions."""
    register, reg_ids = renderer.register, renderer.reg_ids
    # Mentions by entry, unlinked names by group and entries by group, each in one pass (not one per group).
    by_key: dict[str, list[Mention]] = {}
    unlinked_keys: dict[str, set[str]] = {}
    for mention in renderer.mentions:
        by_key.setdefault(mention.key, []).append(mention)
        if mention.key.startswith("?"):
            unlinked_keys.setdefault(mention.group, set()).add(mention.key)
    by_group = register.groups()
    parts = []
    for group, heading in ENTITY_GROUPS.items():
        entries = by_group.get(group, [])
        unlinked = sorted(unlinked_keys.get(group, ()))
        if not entries and not unlinked:
            continue
        items = []
        for entry in sorted(entries, key=lambda e: e.name.casefold()):
            items.append(index_entry(entry, reg_ids[entry.id], by_key.get(entry.id, [])))
        for key in unlinked:
            mentions = [(m.where, m.id) for m in by_key[key]]
            items.append(f'<li class="unlinked"><span class="idx-name">{esc(key[1:])}</span>'
                         f' <span class="idx-note">not in the register</span>'
                         f' <span class="mentions">{where_links(mentions)}</span></li>')
        parts.append(f'<section{attrs(class_=css_class("index", f"index-{group}"))}>'
                     f"<h3>{esc(heading)}</h3>\n<ul>\n" + "\n".join(items) + "\n</ul></section>")
    if renderer.dates:
        rows = []
        for date in sorted(renderer.dates, key=lambda d: (d.value.sort_key, d.id)):
            reasons = "; ".join(text or key for key, text in date.value.inferred)
            reason = f'<span class="idx-note">inferred: {esc(reasons)}</span>' if reasons else ""
            rows.append(f'<li><span class="idx-value">{esc(date.value.normalised or "—")}</span>'
                        f' <a href="#{esc(date.id)}">{esc(date.text)}</a> <span class="where">{esc(date.where)}</span>'
                        f"{' ' + reason if reason else ''}</li>")
        parts.append('<section class="index index-date"><h3>Dates</h3>\n<ul>\n' + "\n".join(rows) + "\n</ul></section>")
    if not parts:
        return ""
    return ('<section class="indexes" aria-labelledby="index-h"><h2 id="index-h">Index</h2>\n'
            + "\n".join(parts) + "\n</section>\n")


def index_entry(entry: Entry, html_id: str, mentions: list[Mention]) -> str:
    links = [f'<a href="{esc(uri)}" rel="external noreferrer">{esc(AUTHORITY_LABELS.get(kind, kind))}</a>'
             for kind, uri in entry.authority.items() if safe_url(uri)]
    parts = [f'<span class="idx-name">{esc(entry.name)}</span>']
    if entry.years:
        parts.append(f'<span class="years">{esc(entry.years)}</span>')
    if links:
        parts.append(f'<span class="authority">{" · ".join(links)}</span>')
    body = " ".join(parts)
    if entry.description:
        body += f'<span class="desc">{esc(entry.description)}</span>'
    if mentions:
        body += f'<span class="mentions">{where_links([(m.where, m.id) for m in mentions])}</span>'
    else:
        body += '<span class="mentions none">named in the header only</span>'
    return f'<li{attrs(id=html_id, class_=css_class("ent-" + entry.group))}>{body}</li>'


LEGEND = ('<p class="legend" aria-hidden="true"><span class="ent ent-person">person</span> '
          '<span class="ent ent-place">place</span> <span class="ent ent-org">organisation</span> '
          '<span class="ent ent-treaty">treaty</span> <span class="date">date</span> '
          '<span class="date inferred">inferred date</span> <span class="supplied">[added]</span></p>')


def export_html(tree: etree._ElementTree | Element) -> str:
    """The whole page as a string (UTF-8 when written)."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    meta = read_metadata(root)
    register = read_register(root)
    ids = Ids()
    for reserved in ("text", "notes-h", "index-h", "top"):
        ids.used.add(reserved)
    reg_ids = {entry_id: ids.make(entry.group, entry_id) for entry_id, entry in register.items()}
    renderer = HtmlRenderer(register, date_taxonomy(root), ids, reg_ids)
    panel = metadata_panel(meta, renderer)
    abstract = "".join(f"<p>{renderer.fragment(p)}</p>" for p in meta.abstract)
    renderer.out = []
    renderer.indexing = True
    for text in iter_text_roots(root):
        if local(text) == "text":
            renderer.contents(text)
        else:
            renderer.render(text)
    body = "".join(renderer.out)
    notes = renderer.endnotes()
    index = indexes(renderer)
    lang = lang_of(meta.text_language) or "en"
    title = meta.title or "Untitled document"
    kind = next((term for type_, term in meta.keywords if type_ == "document-type"), "")
    kicker = " · ".join(esc(x) for x in (kind, f"Digital Archive record {meta.record}" if meta.record else "") if x)
    head_date = date_html(meta.date, meta.date_text)
    return "".join([
        "<!DOCTYPE html>\n",
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        # No script may run and nothing may be fetched, whatever a document managed to smuggle in.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\';'
        " img-src data:; base-uri 'none'; form-action 'none'\">\n",
        '<meta name="referrer" content="no-referrer">\n',
        f'<meta name="generator" content="tei-cable {esc(__version__)}">\n',
        f"<title>{esc(title)}</title>\n<style>\n{load_css()}</style>\n</head>\n<body>\n",
        '<a class="skip" href="#text">Skip to the text</a>\n',
        f'<article class="document" lang="{esc(lang)}">\n<header class="doc-header" lang="en">\n',
        f'<p class="kicker">{kicker}</p>\n' if kicker else "",
        f"<h1>{esc(title)}</h1>\n",
        f'<p class="doc-date">{head_date}</p>\n' if head_date else "",
        f'<div class="summary"><h2 class="visually-hidden">Summary</h2>{abstract}</div>\n' if abstract else "",
        panel,
        LEGEND,
        "\n</header>\n",
        f'<section class="text" id="text" aria-label="Text">\n{body}\n</section>\n',
        notes,
        index,
        f'<footer lang="en"><p>Exported by tei-cable {esc(__version__)} from the TEI edition'
        f"{' ' + esc(meta.id) if meta.id else ''}; the TEI file is the master of this page.</p></footer>\n",
        "</article>\n</body>\n</html>\n",
    ])
