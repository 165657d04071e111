"""The model plus entity spans -> one TEI tree (the hub everything else reads).

``encode`` builds the skeleton (``body``), finds every span in every text slot
(inline markup, names, dates), resolves overlaps once per slot and inserts once.
It knows nothing of the file layout: that was ``parse``'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from lxml import etree

from ..citation import parse_citation
from ..dates import DateMatch, find_dates, parse_date_value
from ..entities import Annotation, FindContext, Slot, annotate, context_countries, slug
from ..entities.finders import MENTION_ELEMENTS, find_mentions
from ..entities.register import Register
from ..errors import OptionError
from ..model import Document, Footnote
from ..parse import RECIPIENT_SPLIT
from ..spans import Span, insert, resolve
from ..tei import TEI_NS, XML_ID, E, tei
from .body import Skeleton, TextSlot, build_note, build_section
from .header import (
    build_encoding_desc,
    build_lang_usage,
    build_publication_stmt,
    build_revision_desc,
    build_source_desc,
    build_title_stmt,
    dated,
    text_class,
)
from .inline import inline_spans
from .standoff import build_standoff, with_parties

#: A note signed "– Charles Kraus." at its end.
NOTE_SIGNATURE = re.compile(r"[–—-]\s*(?P<name>(?:[A-Z][\w'’\-]*\.? ){0,4}[A-Z][\w'’\-]*)\.?\s*$")
#: Note types by the note's opening words; the first match wins, the default is "editorial".
NOTE_TYPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\[?(?:Translator|Translators)['’]?s?['’]? (?:note|comment)", re.IGNORECASE), "translator"),
    (re.compile(r"^\[?(?:Editor|Editors)['’]?s?['’]? (?:note|comment)", re.IGNORECASE), "editorial"),
)
#: Date attributes of a DateMatch, in TEI order.
DATE_ATTRIBUTES = (("when", "when"), ("not_before", "notBefore"), ("not_after", "notAfter"), ("from_", "from"),
                   ("to", "to"))


@dataclass(frozen=True)
class Finding:
    """A warning for the editor: something the converter did but could not be sure of."""

    line: int
    message: str


@dataclass
class Encoded:
    tree: etree._ElementTree
    findings: list[Finding] = field(default_factory=list)
    annotation: Annotation | None = None


def date_span(m: DateMatch, rule: int = 50) -> Span:
    attrs = [(tei_name, getattr(m, name)) for name, tei_name in DATE_ATTRIBUTES if getattr(m, name)]
    if m.inferred:
        attrs.append(("evidence", "internal"))
        attrs.append(("ana", " ".join(f"#{c}" for c in m.inferred)))
    if m.cert:
        attrs.append(("cert", m.cert))
    return Span(m.start, m.end, m.kind, tuple(attrs), rule=rule)


def _iso(text: str) -> str | None:
    m = parse_date_value(text)
    return m.when if m else None


def note_attributes(footnote: Footnote, people: dict[str, str], translator: str) -> dict[str, str]:
    """@type and @resp of a note: signed notes are their signer's; "Translator's note" the translator's."""
    last = footnote.paragraphs[-1]
    note_type = next((t for pattern, t in NOTE_TYPES if pattern.match(footnote.paragraphs[0])), "editorial")
    signed = NOTE_SIGNATURE.search(last)
    if signed and signed.group("name") in people:
        resp = people[signed.group("name")]
        if resp == translator:
            note_type = "translator"
        return {"type": note_type, "resp": resp}
    return {"type": note_type, "resp": translator if note_type == "translator" else "#wcda"}


def _signers(notes: list[Footnote]) -> list[str]:
    out = []
    for note in notes:
        m = NOTE_SIGNATURE.search(note.paragraphs[-1])
        if m and len(m.group("name").split()) >= 2 and m.group("name") not in out:
            out.append(m.group("name"))
    return out


def _correspondent_slots(doc: Document) -> list[Slot]:
    line = doc.header.lines.get("title", 1)
    people = [doc.header.sender] if doc.header.sender else []
    return [Slot(text, line) for text in [*people, *doc.header.recipients]]


def _first_entity(spans: list[Span]) -> Span | None:
    names = [s for s in spans if s.element in ("persName", "orgName", "placeName")]
    return min(names, key=lambda s: s.start) if names else None


def _senders(spans: list[Span], text: str) -> list[Span | None]:
    """The sender's names: each name of a joint sender ("Kim Il Sung and Peng Dehuai"), else the first name
    (a place inside "the Hungarian Embassy in Beijing" is not a second sender)."""
    names = [s for s in spans if s.element in ("persName", "orgName", "placeName")]
    def inside_another(s: Span) -> bool:
        return any(o.start <= s.start and s.end <= o.end and (o.start, o.end) != (s.start, s.end) for o in names)

    top = sorted((s for s in names if not inside_another(s)), key=lambda s: s.start)
    if len(top) > 1 and len(RECIPIENT_SPLIT.split(text)) > 1:
        return list(top)
    return [_first_entity(spans)]


def _correspondent(span: Span | None, text: str, register: Register, annotation: Annotation) -> etree._Element:
    """A correspondent in ``correspAction``: the register's preferred name, linked; else the title's words."""
    if span is None:
        return E.persName(text.replace("[", "").replace("]", ""))
    entry = register.get(span.key)
    el = etree.Element(tei(span.element), {"ref": f"#{span.key}"})
    el.text = entry.preferred if entry else annotation.locals[span.key].name
    return el


def _opener_dates(skeleton: Skeleton) -> dict[str, dict[str, str]]:
    """Sent and received dates from telegram header lines ("Sent 3.10.50 23:45")."""
    out: dict[str, dict[str, str]] = {}
    for slot in skeleton.slots:
        kind = slot.element.get("type")
        if kind in ("sent", "received") and slot.element.tag == tei("seg"):
            for date in slot.element.iter(tei("date")):
                attrs = {k: v for k, v in date.attrib.items() if k in ("when", "notBefore", "notAfter", "from", "to")}
                if attrs:
                    out[kind] = attrs
                    break
    return out


def build_correspondence(doc: Document, register: Register, annotation: Annotation, spans: list[list[Span]],
                         skeleton: Skeleton) -> etree._Element | None:
    header = doc.header
    if not header.sender:
        return None
    sender_spans, recipient_spans = spans[0], spans[1:]
    sent = E.correspAction(type="sent")
    for span in _senders(sender_spans, header.sender):
        sent.append(_correspondent(span, header.sender, register, annotation))
    dates = _opener_dates(skeleton)
    dated(sent, dates.get("sent", header.date_value))
    received = E.correspAction(type="received")
    for text, found in zip(header.recipients, recipient_spans, strict=True):
        received.append(_correspondent(_first_entity(found), text, register, annotation))
    dated(received, dates.get("received", {}))
    return E.correspDesc(sent, received, source="#source")


def _document_id(doc: Document) -> str:
    record = doc.record_id
    if record:
        return f"wcda-{slug(record)}"
    return f"doc-{slug(PurePath(doc.path).stem)}"


def fill(skeleton: Skeleton, slots_spans: list[list[Span]], doc: Document, resp: str) -> None:
    """Insert inline markup, names and dates into every slot, resolving overlaps once per slot."""
    for slot, entity_spans in zip(skeleton.slots, slots_spans, strict=True):
        spans: list[Span] = [*slot.spans]
        inline = inline_spans(slot.text, resp, notes=slot.kind != "note")
        spans.extend(s for s in entity_spans if not _inside_title(s, inline))
        spans.extend(inline)
        if slot.kind != "speaker":
            spans.extend(date_span(m) for m in find_dates(slot.text, doc.header.date))
        # Children the skeleton already put here (a list nested in an item) follow the slot's own text.
        later = list(slot.element)
        for child in later:
            slot.element.remove(child)
        insert(slot.element, slot.text, resolve(spans), lambda s: _factory(s, skeleton))
        slot.element.extend(later)


def _inside_title(span: Span, inline: list[Span]) -> bool:
    """Names that only restate a title are not marked: "*Pravda*" is the newspaper's title, and in the title
    of a report only names the register knows count ("General Guidelines" is not General Guidelines)."""
    for title in (s for s in inline if s.element == "title"):
        if title.inner == (span.start, span.end):
            return True
        if span.key.startswith("local-") and title.contains(span):
            return True
    return False


def _factory(span: Span, skeleton: Skeleton) -> etree._Element:
    if span.element == "note":
        return skeleton.notes[span.key]  # parse.check_markers guarantees every marker has its note
    el = etree.Element(tei(span.element))
    for name, value in span.attrs:
        el.set(name, value)
    return el


def used_ids(*roots: etree._Element) -> list[str]:
    """Local ids pointed to by @ref/@who, in document order."""
    out: list[str] = []
    for root in roots:
        for el in root.iter():
            for attr in ("ref", "who"):
                for pointer in (el.get(attr) or "").split():
                    if pointer.startswith("#") and pointer[1:] not in out:
                        out.append(pointer[1:])
    return out


def _line_of(el: etree._Element, lines: dict[int, int]) -> int:
    """The source line of the text slot an element was inserted into."""
    for ancestor in (el, *el.iterancestors()):
        if id(ancestor) in lines:
            return lines[id(ancestor)]
    return 0


def consistency_findings(tree: etree._Element, doc: Document, register: Register,
                         lines: dict[int, int]) -> list[Finding]:
    """The checks a careful editor makes: treaty dates against the register, the closer's date."""
    findings: list[Finding] = []
    for mention in tree.iter(tei("rs"), tei("name")):
        entry = register.get((mention.get("ref") or "").lstrip("#"))
        if entry is None or entry.kind != "event" or not entry.when:
            continue
        for date in mention.iter(tei("date")):
            when = date.get("when") or ""
            if len(when) >= 4 and not entry.when.startswith(when[: len(entry.when)]) and \
                    not when.startswith(entry.when):
                findings.append(Finding(_line_of(date, lines), (
                    f"the text dates {entry.preferred!r} {''.join(date.itertext())!r} ({when}), but the register "
                    f"has {entry.when}")))
    document_day = doc.header.date.isoformat() if doc.header.date else None
    for date in tree.iterfind(f".//{{{TEI_NS}}}closer/{{{TEI_NS}}}dateline//{{{TEI_NS}}}date"):
        when = date.get("when") or ""
        if document_day and len(when) >= 10 and when[:10] != document_day:
            findings.append(Finding(_line_of(date, lines),
                                    f"the closer is dated {when[:10]}, the document {document_day}"))
    return findings


#: What TEI Publisher can read back from ``<?teipublisher odd="..."?>``: a plain ODD file name.
ODD_NAME = re.compile(r"^[A-Za-z0-9._-]+\.odd$")


def encode(doc: Document, register: Register, *, teipublisher_odd: str | None = None) -> Encoded:
    """The TEI tree of ``doc``, with ids from the register and findings for the editor."""
    if teipublisher_odd is not None and not ODD_NAME.match(teipublisher_odd):
        raise OptionError(f"--teipublisher-odd {teipublisher_odd!r}: give the file name of an ODD, such as "
                          "'teipublisher.odd' (letters, digits, '.', '_', '-', ending in .odd)")
    header = doc.header
    citation = parse_citation(header.citation or "", _iso)
    signers = _signers(doc.notes)
    title_stmt, ids = build_title_stmt(doc, citation, signers)

    skeleton = Skeleton()
    text_el = etree.Element(tei("text"))
    text_el.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    body = etree.SubElement(text_el, tei("body"))
    annexes = 0
    for section in doc.sections:
        annexes += section.kind != "document"
        build_section(skeleton, body, section, annexes)
    for footnote in doc.notes:
        build_note(skeleton, footnote, note_attributes(footnote, ids.people, ids.translator))

    ctx = FindContext(register, header.date)
    def named(texts: list[str]) -> list[str]:
        return [c for text in texts for m in find_mentions(text, ctx) if len(m.candidates) == 1 for c in m.candidates]

    countries = context_countries(register, header.languages, named([header.sender or ""]), named(header.recipients))
    ctx.home = frozenset(next((tier for tier in countries[:2] if tier), set()))
    slots = [Slot(s.text, s.line, s.kind) for s in skeleton.slots]
    correspondents = _correspondent_slots(doc)
    annotation = annotate([*slots, *correspondents], ctx, countries)
    body_spans = annotation.spans[: len(slots)]
    fill(skeleton, body_spans, doc, ids.translator)

    # Speaker turns point to their speaker.
    for slot, spans in zip(skeleton.slots, body_spans, strict=True):
        if slot.kind == "speaker":
            person = _first_entity(spans)
            if person is not None:
                slot.element.getparent().set("who", f"#{person.key}")

    bibl = E.bibl({XML_ID: "source"})
    if header.citation:
        insert(bibl, header.citation, resolve(citation.spans))
    else:
        bibl.text = header.title
    if header.url:
        bibl.append(E.idno(header.url, type="URL"))
    profile = E.profileDesc()
    if header.summary:
        profile.append(E.abstract(*(E.p(p) for p in header.summary)))
    profile.append(build_lang_usage(doc))
    klass = text_class(doc)
    if klass is not None:
        profile.append(klass)
    corresp = build_correspondence(doc, register, annotation, annotation.spans[len(slots):], skeleton)
    if corresp is not None:
        profile.append(corresp)
        # The senders are the document's authors: TEI Publisher's browse list reads titleStmt/author.
        sent_action = corresp.find(f"{{{TEI_NS}}}correspAction")
        senders = [el for el in sent_action if el.tag != tei("date")] if sent_action is not None else []
        for position, sender in enumerate(senders, start=1):
            author = E.author(sender.text or "")
            if sender.get("ref"):
                author.set("ref", sender.get("ref"))
            title_stmt.insert(position, author)

    file_desc = E.fileDesc(title_stmt, build_publication_stmt(doc))
    if header.extra:  # other "Label:" fields of the export, kept word for word (TEI wants them before sourceDesc)
        file_desc.append(E.notesStmt(*(E.note(value, type="archive-field", n=label) for label, value in header.extra)))
    file_desc.append(build_source_desc(doc, bibl))
    tei_header = E.teiHeader(file_desc, build_encoding_desc(), profile, build_revision_desc())

    referenced = used_ids(text_el, profile)
    register_ids = with_parties(register, [i for i in referenced if i in register])
    local = [annotation.locals[i] for i in referenced if i in annotation.locals]
    root = E.TEI(tei_header, {XML_ID: _document_id(doc)})
    standoff = build_standoff(register, register_ids, local)
    if standoff is not None:
        root.append(standoff)
    root.append(text_el)
    tree = etree.ElementTree(root)
    if teipublisher_odd:
        root.addprevious(etree.ProcessingInstruction("teipublisher", f'odd="{teipublisher_odd}"'))
    findings = [Finding(line, message) for line, message in annotation.warnings]
    findings.extend(consistency_findings(root, doc, register, {id(s.element): s.line for s in skeleton.slots}))
    return Encoded(tree=tree, findings=findings, annotation=annotation)


__all__ = ["MENTION_ELEMENTS", "Encoded", "Finding", "TextSlot", "encode"]
