"""What each TEI element *is*, said once for every exporter.

The table ``BEHAVIOURS`` maps an element's local name to ordered ``(predicate, behaviour)`` rules; the first
rule whose predicate holds wins, and an element with no entry falls back to ``DEFAULT_RULES`` (a block if it
holds blocks, inline text otherwise) and is reported once per export. Each exporter (``text``, ``html``,
``json_export``, ...) subclasses ``Renderer`` and implements one method per ``Behaviour``: adding a format adds
one module and never repeats element knowledge (the CETEIcean behaviours table and the TEI Processing Model's
named behaviours, see GUIDE section 3).

>>> from lxml import etree
>>> p = etree.fromstring('<p xmlns="http://www.tei-c.org/ns/1.0">Mao <supplied>Zedong</supplied></p>')
>>> behaviour_of(p).value, behaviour_of(p[0]).value
('paragraph', 'supplied')

The second half of this module reads the parts of a TEI file that are not running text (the header's
metadata, the correspondence, the standOff register, the date-inference taxonomy) into small dataclasses,
so that no exporter needs to know where the header keeps the translator or how a register entry names its
authority ids.
"""

from __future__ import annotations

import functools
import re
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar
from urllib.parse import urlsplit

from lxml import etree

from ..tei import TEI_NS, XML_ID, XML_LANG, is_tei, local, tei
from .memo import memoized

Element = etree._Element
Predicate = Callable[[Element], bool]


class Behaviour(StrEnum):
    """The shared vocabulary: every exporter has one method per member (named by its value, ``-`` -> ``_``)."""

    OMIT = "omit"                # nothing is shown, neither the element nor its content
    SECTION = "section"          # a division of the text (the document, an annex, an enclosure) with its heading
    BLOCK = "block"              # a group of blocks shown together without marks of its own (opener, closer)
    HEADING = "heading"          # the heading of a section or of a list, on its own line
    PARAGRAPH = "paragraph"      # a paragraph of running text
    LINE = "line"                # a short line of its own (salute, dateline, signature, telegram header line)
    LIST = "list"                # a list of items, laid out one item after another
    ITEM = "item"                # one item of a list, starting with its printed label
    LABEL = "label"              # the printed label of an item ("[1]", "II.", "(a)", "-"), shown as printed
    SPEECH = "speech"            # one speaker's turn: the speaker's label, then what was said
    SPEAKER = "speaker"          # the printed label of a speaker ("MOLOTOV.", "Stalin:")
    RULE = "rule"                # a printed separator line between sections ("* * *"), shown as printed
    NOTE = "note"                # a footnote: a marker where it stands, its text with the notes at the end
    LINE_BREAK = "line-break"    # a line break inside a block
    SUPPLIED = "supplied"        # words the editor or translator added, shown in square brackets
    GAP = "gap"                  # an omission, shown as printed ("[...]")
    EMPHASIS = "emphasis"        # italics (a newspaper's title, a stressed word)
    ENTITY = "entity"            # a name of a person, place, organisation or treaty, linked to the register
    DATE = "date"                # a date or time, with its normalised value and the evidence for it
    ALTERNATE = "alternate"      # two readings of one passage (sic/corr, abbr/expan): the preferred one is shown
    INLINE = "inline"            # running text with no marks of its own

    @property
    def method(self) -> str:
        return self.value.replace("-", "_")


# -- predicates: small, named, reusable ------------------------------------------------------------------------


def always(_: Element) -> bool:
    return True


def attr_is(name: str, *values: str) -> Predicate:
    """The attribute ``name`` holds one of ``values`` (tokens of a space-separated list count too)."""

    def test(el: Element) -> bool:
        tokens = (el.get(name) or "").split()
        return any(value in tokens for value in values)

    return test


def has(name: str) -> Predicate:
    return lambda el: el.get(name) is not None


def parent_is(*names: str) -> Predicate:
    def test(el: Element) -> bool:
        parent = el.getparent()
        return parent is not None and local(parent) in names

    return test


def inside(*names: str) -> Predicate:
    """Some ancestor is one of ``names``."""

    def test(el: Element) -> bool:
        return any(local(anc) in names for anc in el.iterancestors())

    return test


def all_of(*predicates: Predicate) -> Predicate:
    return lambda el: all(predicate(el) for predicate in predicates)


def holds_blocks(el: Element) -> bool:
    """The element has a child that is itself a block (so it cannot be shown inline)."""
    return any(isinstance(child.tag, str) and behaviour_of(child) in BLOCK_BEHAVIOURS for child in el)


# -- the table -------------------------------------------------------------------------------------------------

B = Behaviour
Rules = tuple[tuple[Predicate, Behaviour], ...]

#: One entry per TEI element: ordered (predicate, behaviour) rules, the first that holds wins.
BEHAVIOURS: dict[str, Rules] = {
    # Structure ---------------------------------------------------------------------------------------------
    "teiHeader": ((always, B.OMIT),),       # the header is shown as a metadata panel, never as running text
    "standOff": ((always, B.OMIT),),        # the register is shown as indexes, never as running text
    "facsimile": ((always, B.OMIT),),       # page images are not part of the reading text
    "TEI": ((always, B.BLOCK),),            # the document: its text (the header is omitted)
    "text": ((always, B.BLOCK),),           # the text proper
    "group": ((always, B.BLOCK),),          # a collection of texts, one after another
    "front": ((always, B.BLOCK),),          # front matter, before the body
    "body": ((always, B.BLOCK),),           # the body: its sections in order
    "back": ((always, B.BLOCK),),           # back matter, after the body
    "div": ((always, B.SECTION),),          # the document, an annex or an enclosure, each with its heading
    "floatingText": ((always, B.SECTION),),  # a text inside the text (an enclosed telegram)
    "opener": ((always, B.BLOCK),),         # the lines before the text: salute, dateline, telegram header
    "closer": ((always, B.BLOCK),),         # the lines after the text: greeting, signature, dateline
    "postscript": ((always, B.BLOCK),),     # what follows the signature
    "argument": ((always, B.BLOCK),),       # a summary before the text
    "epigraph": ((always, B.BLOCK),),       # a quotation before the text
    "address": ((always, B.BLOCK),),        # an address block, one line per addrLine
    "lg": ((always, B.BLOCK),),             # a group of verse lines
    "figure": ((always, B.BLOCK),),         # a figure: only its heading and description are text
    "graphic": ((always, B.OMIT),),         # an image: never fetched, never shown (no external requests)
    # Blocks ------------------------------------------------------------------------------------------------
    "head": ((always, B.HEADING),),         # "Annex One: ...", "Participants:": a heading line
    "p": ((always, B.PARAGRAPH),),          # a paragraph
    "ab": ((always, B.PARAGRAPH),),         # an anonymous block, shown as a paragraph
    "trailer": ((always, B.PARAGRAPH),),    # closing words of a section
    "stage": ((parent_is("p", "l", "speaker"), B.INLINE), (always, B.PARAGRAPH)),  # a stage direction
    "figDesc": ((always, B.PARAGRAPH),),    # the description of a figure, in place of the image
    "salute": ((always, B.LINE),),          # "To Chairman Mao [Zedong] ...:", "With communist greetings,"
    "dateline": ((always, B.LINE),),        # "Peking, 5 May 1960" on its own line
    "signed": ((always, B.LINE),),          # the signature ("Zhou Enlai"); lb inside keeps its two lines
    "byline": ((always, B.LINE),),          # "by ..." under a heading
    "docDate": ((parent_is("front", "titlePage"), B.LINE), (always, B.INLINE)),  # the document's date
    "addrLine": ((always, B.LINE),),        # one line of an address
    "l": ((always, B.LINE),),               # one verse line
    "seg": ((parent_is("opener", "closer"), B.LINE),  # telegram header lines, letterhead, distribution list
            (always, B.INLINE)),                        # elsewhere a plain span of text
    "list": ((always, B.LIST),),            # numbered points, participants, agenda: one item after another
    "item": ((always, B.ITEM),),            # one point, shown with its printed label
    "label": ((parent_is("item", "list"), B.LABEL),  # the printed label of a point, exactly as printed
              (always, B.INLINE)),                     # elsewhere plain text
    "sp": ((always, B.SPEECH),),            # a speaker's turn
    "speaker": ((always, B.SPEAKER),),      # the speaker's label as printed, then what was said
    "milestone": ((attr_is("unit", "separator"), B.RULE),  # a printed rule line ("* * *") between sections
                  (always, B.OMIT)),                         # other milestones mark places, not text
    "pb": ((always, B.OMIT),),              # page breaks: the reading text runs on
    "cb": ((always, B.OMIT),),              # column breaks: the reading text runs on
    "fw": ((always, B.OMIT),),              # running heads and catchwords of the printed page
    "anchor": ((always, B.OMIT),),          # an empty point to link to
    "index": ((always, B.OMIT),),           # an index entry, not text
    "ptr": ((always, B.OMIT),),             # a pointer without text of its own
    "del": ((always, B.OMIT),),             # deleted text is not part of the reading text
    # Notes and editorial interventions ---------------------------------------------------------------------
    "note": ((always, B.NOTE),),            # a footnote: marker "[n]" here, the text with the notes
    "lb": ((always, B.LINE_BREAK),),        # a line break (letterhead lines, a signature and its title)
    "supplied": ((always, B.SUPPLIED),),    # "Mao [Zedong]": the brackets are added by every renderer
    "gap": ((always, B.GAP),),              # "[...]": the omission as printed (@rend)
    "choice": ((always, B.ALTERNATE),),     # sic/corr, orig/reg, abbr/expan: the corrected reading
    "hi": ((attr_is("rend", "italic", "italics", "i"), B.EMPHASIS), (always, B.INLINE)),  # *...* in the source
    "emph": ((always, B.EMPHASIS),),        # a stressed word, in italics
    "title": ((attr_is("rend", "italic", "italics", "i"), B.EMPHASIS),  # *Pravda*: a title in italics
              (always, B.INLINE)),                                        # a quoted title: its marks are text
    "foreign": ((attr_is("rend", "italic", "italics", "i"), B.EMPHASIS), (always, B.INLINE)),  # a foreign word
    # Names and dates ---------------------------------------------------------------------------------------
    "persName": ((always, B.ENTITY),),      # a person, linked to the register
    "placeName": ((always, B.ENTITY),),     # a place, linked to the register
    "geogName": ((always, B.ENTITY),),      # a geographical name (a strait, a river), linked to the register
    "orgName": ((always, B.ENTITY),),       # an organisation, linked to the register
    "name": ((has("ref"), B.ENTITY), (attr_is("type", "treaty"), B.ENTITY),  # a treaty's name, linked
             (always, B.INLINE)),                                              # an unlinked name (software)
    "rs": ((has("ref"), B.ENTITY), (attr_is("type", "treaty"), B.ENTITY),  # "the treaty ... signed in 1945"
           (always, B.INLINE)),
    "date": ((always, B.DATE),),            # a date as written, with its ISO value
    "time": ((always, B.DATE),),            # a time as written, with its ISO value
    # Inline text without marks of its own ------------------------------------------------------------------
    "q": ((always, B.INLINE),),             # a quotation: its quotation marks are plain text around it
    "quote": ((holds_blocks, B.BLOCK), (always, B.INLINE)),  # a quotation, inline or as a block of paragraphs
    "cit": ((holds_blocks, B.BLOCK), (always, B.INLINE)),    # a quotation with its reference
    "said": ((always, B.INLINE),),          # reported speech, its marks are text
    "soCalled": ((always, B.INLINE),),      # a so-called word, its marks are text
    "mentioned": ((always, B.INLINE),),     # a word mentioned, not used
    "term": ((always, B.INLINE),),          # a technical term
    "gloss": ((always, B.INLINE),),         # an explanation of a term
    "num": ((always, B.INLINE),),           # a number as written
    "measure": ((always, B.INLINE),),       # a quantity as written ("15,000 tons")
    "ref": ((always, B.INLINE),),           # a reference: its words (never a link a document could plant)
    "add": ((always, B.INLINE),),           # text added in the source: part of the reading text
    "unclear": ((always, B.INLINE),),       # text hard to read in the source, shown as read
    "space": ((always, B.INLINE),),         # a blank in the source (empty)
    "sic": ((always, B.INLINE),),           # "sic" outside a choice: the text as written
    "corr": ((always, B.INLINE),),          # a correction outside a choice: the corrected text
    "orig": ((always, B.INLINE),),          # an original spelling outside a choice
    "reg": ((always, B.INLINE),),           # a regularised spelling outside a choice
    "abbr": ((always, B.INLINE),),          # an abbreviation outside a choice, as written
    "expan": ((always, B.INLINE),),         # an expansion outside a choice
    "am": ((always, B.INLINE),),            # an abbreviation mark
    "ex": ((always, B.INLINE),),            # letters added by an expansion
    "roleName": ((always, B.INLINE),),      # "Comrade", "Premier": part of the name it stands in
    "forename": ((always, B.INLINE),),      # part of a name
    "surname": ((always, B.INLINE),),       # part of a name
    "addName": ((always, B.INLINE),),       # part of a name (an epithet)
    "genName": ((always, B.INLINE),),       # part of a name ("Jr.")
    "nameLink": ((always, B.INLINE),),      # part of a name ("van", "de")
    "settlement": ((always, B.INLINE),),    # part of a place name
    "region": ((always, B.INLINE),),        # part of a place name
    "country": ((always, B.INLINE),),       # part of a place name
    "bloc": ((always, B.INLINE),),          # part of a place name
    "district": ((always, B.INLINE),),      # part of a place name
    "affiliation": ((always, B.INLINE),),   # a person's affiliation as written
    "docAuthor": ((always, B.INLINE),),     # the author's name in a title page or byline
    # The citation and other header text (rendered by the metadata panel, the source line and CMIF) ----------
    "bibl": ((always, B.INLINE),),          # the citation: one run of text
    "author": ((always, B.INLINE),),        # a name in the citation
    "editor": ((always, B.INLINE),),        # an editor or translator in the citation
    "distributor": ((always, B.INLINE),),   # "History and Public Policy Program Digital Archive"
    "publisher": ((always, B.INLINE),),     # the publisher in the citation
    "pubPlace": ((always, B.INLINE),),      # the place of publication in the citation
    "biblScope": ((always, B.INLINE),),     # "vol. 7", "91-94"
    "edition": ((always, B.INLINE),),       # the edition in the citation
    "respStmt": ((always, B.INLINE),),      # who did what (credits)
    "resp": ((always, B.INLINE),),          # "Translated by"
    "funder": ((always, B.INLINE),),        # "Henry Luce Foundation"
    "sponsor": ((always, B.INLINE),),       # a sponsor's name
    "textLang": ((always, B.INLINE),),      # "Chinese"
    "language": ((always, B.INLINE),),      # "English (the translation)"
    "catDesc": ((always, B.INLINE),),       # the description of a date-inference category
    "idno": ((all_of(parent_is("bibl"), attr_is("type", "URL", "url")), B.OMIT),  # shown as the archive link
             (always, B.INLINE)),                                                    # "fond 45, opis 1, ..."
}

#: Elements the table does not know: a block if they hold blocks, inline text otherwise.
DEFAULT_RULES: Rules = ((holds_blocks, B.BLOCK), (always, B.INLINE))

#: Behaviours that start a block of their own (a line of text in the plain-text export).
BLOCK_BEHAVIOURS = frozenset({B.SECTION, B.BLOCK, B.HEADING, B.PARAGRAPH, B.LINE, B.LIST, B.ITEM, B.SPEECH,
                              B.SPEAKER, B.RULE})


#: The table again, keyed by the Clark name an element's ``tag`` holds, built once at import: finding an element's
#: rules is then one dict lookup (no ``local()``/``is_tei()`` per element: renderers ask for every element, and
#: the HTML export asks again for descendants). An element of another namespace, or a comment, finds nothing.
RULES_BY_TAG: dict[str, Rules] = {tei(name): rules for name, rules in BEHAVIOURS.items()}
#: The elements whose only rule is ``always``: their behaviour needs no predicate (most of the table).
FIXED_BY_TAG: dict[str, Behaviour] = {
    tag: rules[0][1] for tag, rules in RULES_BY_TAG.items() if len(rules) == 1 and rules[0][0] is always}


def is_known(el: Element) -> bool:
    return el.tag in RULES_BY_TAG


def behaviour_of(el: Element) -> Behaviour:
    """The behaviour of one element: the first rule that holds (elements of other namespaces are unknown)."""
    tag = el.tag
    fixed = FIXED_BY_TAG.get(tag)
    if fixed is not None:
        return fixed
    for predicate, behaviour in RULES_BY_TAG.get(tag, DEFAULT_RULES):
        if predicate(el):
            return behaviour
    return B.INLINE


# -- facts about elements that several exporters need ---------------------------------------------------------

#: Entity element -> index group ("name" and "rs" take theirs from @type or from the register entry).
ENTITY_KINDS: dict[str, str] = {"persName": "person", "placeName": "place", "geogName": "place", "orgName": "org"}
#: Index groups in display order, with their headings.
ENTITY_GROUPS: dict[str, str] = {
    "person": "Persons", "place": "Places", "org": "Organisations", "treaty": "Treaties", "event": "Events",
    "other": "Other names",
}
#: The readings of ``choice`` in order of preference: the corrected, regularised, expanded one is shown.
PREFERRED_READINGS = ("corr", "reg", "expan", "ex")
OTHER_READINGS = ("sic", "orig", "abbr", "am")
#: ``gap`` prints @rend; this when it has none.
DEFAULT_GAP = "[...]"
SUPPLIED_OPEN, SUPPLIED_CLOSE = "[", "]"


def ref_id(el: Element) -> str | None:
    """The register id an element points to: ``@ref="#mao-zedong"`` -> ``"mao-zedong"`` (first pointer only)."""
    value = (el.get("ref") or "").split()
    if not value or not value[0].startswith("#") or len(value[0]) < 2:
        return None
    return value[0][1:]


def entity_kind(el: Element, register: Register | None = None) -> str:
    """The index group of a name in the text: person, place, org, treaty, event or other."""
    kind = ENTITY_KINDS.get(local(el))
    if kind:
        return kind
    if "treaty" in (el.get("type") or "").split():
        return "treaty"
    entry = register.get(ref_id(el)) if register is not None else None
    return entry.group if entry is not None else "other"


def gap_text(el: Element) -> str:
    return el.get("rend") or DEFAULT_GAP


def rule_text(el: Element) -> str:
    return el.get("rend") or "* * *"


def alternate_parts(el: Element) -> tuple[Element | None, Element | None]:
    """``choice`` -> (the reading to show, the other one); a choice with unknown children shows its first."""
    children = [c for c in el if isinstance(c.tag, str)]
    preferred = next((c for name in PREFERRED_READINGS for c in children if local(c) == name), None)
    other = next((c for name in OTHER_READINGS for c in children if local(c) == name), None)
    if preferred is None:
        preferred = children[0] if children else None
    if other is None:
        other = next((c for c in children if c is not preferred), None)
    return preferred, other


def note_number(el: Element, count: int) -> str:
    """The number a reader sees for a note: ``@n``, else its position among the notes."""
    n = (el.get("n") or "").strip()
    return n or str(count)


XML_WHITESPACE = re.compile(r"[ \t\r\n]+")


def collapse_space(value: str) -> str:
    """``XML_WHITESPACE.sub(" ", value)``: every run of XML whitespace as one space.

    The regex also replaces every single space by a space, one match per word, which made it the largest cost
    of the text export. Where no tab, line break or second space follows a space, every run is one space
    already and the text is returned as it is: four scans for a character, in C, cost a tenth of the regex.
    """
    if "  " in value or "\n" in value or "\t" in value or "\r" in value:
        return XML_WHITESPACE.sub(" ", value)
    return value


def plain_text(el: Element | None, *, notes: bool = False) -> str:
    """The reading text of an element as one line (supplied in brackets, gaps as printed, notes dropped).

    >>> from lxml import etree
    >>> plain_text(etree.fromstring('<p xmlns="http://www.tei-c.org/ns/1.0">Mao <supplied>Zedong</supplied></p>'))
    'Mao [Zedong]'
    """
    if el is None:
        return ""
    if not len(el):
        # No children (not even a comment): the renderer would write the collapsed text alone, and collapsing
        # then stripping is what it and the line below amount to. Most calls are for such elements (register
        # names, header fields); ``tests/test_export_fastpaths.py`` compares this with the renderer's result.
        return collapse_space(el.text or "").strip()
    from .text import TextRenderer  # the plain-text exporter implements the vocabulary once

    renderer = TextRenderer(notes=notes, report_unknown=False)
    renderer.contents(el)
    return collapse_space(renderer.finish()).strip()


# -- the renderer every exporter implements ---------------------------------------------------------------------


class UnknownElementWarning(UserWarning):
    """An element that the behaviours table does not know was shown by the fallback rule."""


class Renderer(ABC):
    """Walks a TEI tree and calls one method per behaviour; subclasses implement the medium.

    Renderers never change the tree. Text nodes reach ``text``; comments and processing instructions are
    skipped but their tails are text. Unknown elements are reported once per renderer with a
    ``UnknownElementWarning`` naming the fallback behaviour.
    """

    #: Behaviour -> the subclass's method for it, looked up once per class (``__init_subclass__``) rather than
    #: by name for every element.
    handlers: ClassVar[dict[Behaviour, Callable[[Renderer, Element], None]]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.handlers = {behaviour: getattr(cls, behaviour.method) for behaviour in Behaviour}

    def __init__(self, *, report_unknown: bool = True) -> None:
        self.report_unknown = report_unknown
        self.reported: set[str] = set()

    def render(self, el: Element) -> None:
        behaviour = FIXED_BY_TAG.get(el.tag)  # known elements with one rule: most of a document
        if behaviour is None:
            if not isinstance(el.tag, str):
                return  # a comment or processing instruction (its tail is the caller's)
            behaviour = behaviour_of(el)
            if self.report_unknown and not is_known(el):
                self.report(el, behaviour)
        self.handlers[behaviour](self, el)

    def report(self, el: Element, behaviour: Behaviour) -> None:
        """Warn once per renderer and element name that the fallback rule showed an unknown element."""
        name = el.tag if not is_tei(el) else local(el)
        if name not in self.reported:
            self.reported.add(name)
            shown = el.tag.replace(f"{{{TEI_NS}}}", "")
            warnings.warn(UnknownElementWarning(
                f"element <{shown}> is not in the behaviours table; shown as {behaviour.value}"), stacklevel=3)

    def contents(self, el: Element) -> None:
        """The element's text, its children and their tails, in document order."""
        # Each read of .text or .tail builds a new string from the tree: read them once.
        text = el.text
        if text:
            self.text(text)
        for child in el:
            self.render(child)
            tail = child.tail
            if tail:
                self.text(tail)

    @abstractmethod
    def text(self, value: str) -> None: ...

    @abstractmethod
    def omit(self, el: Element) -> None: ...

    @abstractmethod
    def section(self, el: Element) -> None: ...

    @abstractmethod
    def block(self, el: Element) -> None: ...

    @abstractmethod
    def heading(self, el: Element) -> None: ...

    @abstractmethod
    def paragraph(self, el: Element) -> None: ...

    @abstractmethod
    def line(self, el: Element) -> None: ...

    @abstractmethod
    def list(self, el: Element) -> None: ...

    @abstractmethod
    def item(self, el: Element) -> None: ...

    @abstractmethod
    def label(self, el: Element) -> None: ...

    @abstractmethod
    def speech(self, el: Element) -> None: ...

    @abstractmethod
    def speaker(self, el: Element) -> None: ...

    @abstractmethod
    def rule(self, el: Element) -> None: ...

    @abstractmethod
    def note(self, el: Element) -> None: ...

    @abstractmethod
    def line_break(self, el: Element) -> None: ...

    @abstractmethod
    def supplied(self, el: Element) -> None: ...

    @abstractmethod
    def gap(self, el: Element) -> None: ...

    @abstractmethod
    def emphasis(self, el: Element) -> None: ...

    @abstractmethod
    def entity(self, el: Element) -> None: ...

    @abstractmethod
    def date(self, el: Element) -> None: ...

    @abstractmethod
    def alternate(self, el: Element) -> None: ...

    @abstractmethod
    def inline(self, el: Element) -> None: ...


# -- the header, the correspondence, the register -------------------------------------------------------------

AUTHORITIES = ("wikidata", "viaf", "geonames", "gnd")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$")


@functools.lru_cache(maxsize=4096)
def safe_url(value: str | None) -> str | None:
    """``value`` if it is an absolute http(s) URL with a host, else None (javascript:, data:, relative...).

    A pure function of its argument, asked again for every authority link of every page (the register's
    URIs recur across a corpus): its answers are kept, at most 4096 of them.
    """
    if not value:
        return None
    value = value.strip()
    if not _SAFE_URL.match(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return value


@dataclass(frozen=True)
class DateValue:
    """The normalised value of a ``date``/``time`` and the evidence for it."""

    when: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    from_: str | None = None
    to: str | None = None
    evidence: str | None = None
    cert: str | None = None
    #: (category id, description) for every part of the value that was inferred (``@ana``).
    inferred: tuple[tuple[str, str], ...] = ()

    @property
    def sort_key(self) -> str:
        return self.when or self.from_ or self.not_before or self.to or self.not_after or ""

    @property
    def normalised(self) -> str:
        """One readable line: ``1952-08-28``, ``1953/1954``, ``not before 1963-01-01``."""
        if self.when:
            return self.when
        if self.from_ or self.to:
            return f"{self.from_ or '..'}/{self.to or '..'}"
        bounds = []
        if self.not_before:
            bounds.append(f"not before {self.not_before}")
        if self.not_after:
            bounds.append(f"not after {self.not_after}")
        return ", ".join(bounds)

    @property
    def empty(self) -> bool:
        return not (self.when or self.not_before or self.not_after or self.from_ or self.to)


def date_value(el: Element, taxonomy: dict[str, str] | None = None) -> DateValue:
    taxonomy = taxonomy or {}
    inferred = []
    for pointer in (el.get("ana") or "").split():
        key = pointer[1:] if pointer.startswith("#") else pointer
        inferred.append((key, taxonomy.get(key, "")))
    return DateValue(when=el.get("when"), not_before=el.get("notBefore"), not_after=el.get("notAfter"),
                     from_=el.get("from"), to=el.get("to"), evidence=el.get("evidence"), cert=el.get("cert"),
                     inferred=tuple(inferred))


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_ISO_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(\d{2}):(\d{2}))?")


def format_iso(value: str) -> str:
    """``1952-08-28`` -> ``August 28, 1952`` (the archive's style); anything unparsable is returned as is."""
    match = _ISO_DATE.match(value)
    if not match:
        return value
    year, month, day, hour, minute = match.groups()
    if month and not 1 <= int(month) <= 12:
        return value
    if not month:
        text = year
    elif not day:
        text = f"{MONTHS[int(month) - 1]} {year}"
    else:
        text = f"{MONTHS[int(month) - 1]} {int(day)}, {year}"
    if hour:
        text += f", {hour}:{minute}"
    return text


@dataclass(frozen=True)
class Party:
    """A sender, recipient or place of a letter (``correspAction`` child)."""

    kind: str              # person, org, place
    name: str
    ref: str | None        # register id (without '#'), if any


@dataclass(frozen=True)
class Action:
    """One ``correspAction``: who sent or received the document, where and when."""

    type: str
    parties: tuple[Party, ...]
    date: DateValue | None

    def of_kind(self, *kinds: str) -> list[Party]:
        return [p for p in self.parties if p.kind in kinds]


@dataclass(frozen=True)
class Responsibility:
    resp: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Language:
    code: str | None
    name: str


@dataclass
class Metadata:
    """What the header says about the document, read once for every exporter."""

    id: str | None = None
    title: str = ""
    date: DateValue | None = None
    date_text: str = ""
    url: str | None = None
    record: str | None = None
    citation: Element | None = None       # sourceDesc/bibl[@xml:id='source'] (mixed content)
    citation_text: str = ""
    citation_id: str | None = None
    responsibilities: list[Responsibility] = field(default_factory=list)
    translators: list[str] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)
    text_language: str | None = None      # text/@xml:lang
    languages: list[Language] = field(default_factory=list)           # langUsage
    original_languages: list[Language] = field(default_factory=list)  # bibl[@type='original']/textLang
    abstract: list[Element] = field(default_factory=list)  # abstract paragraphs (mixed content)
    summary: str = ""
    keywords: list[tuple[str | None, str]] = field(default_factory=list)
    correspondence: list[Action] = field(default_factory=list)
    availability: str = ""

    def action(self, type_: str) -> Action | None:
        return next((a for a in self.correspondence if a.type == type_), None)


#: "Translated by", "Obtained and translated by", "Translator": not "Publication of the translation".
TRANSLATOR = re.compile(r"\btranslat(?:ed|or|ors|ion by)\b", re.IGNORECASE)


@functools.cache
def _xpath(path: str) -> etree.XPath:
    """``path`` compiled once per process: ``Element.xpath()`` compiles its expression on every call, and the
    header is read with a fixed set of two dozen paths. (lxml serialises evaluations of one compiled
    expression, so sharing it between threads is safe.)"""
    return etree.XPath(path, namespaces={"t": TEI_NS})


def _first(root: Element, path: str) -> Element | None:
    found = _xpath(path)(root)
    return found[0] if found and isinstance(found[0], etree._Element) else None


def _first_of(root: Element, *paths: str) -> Element | None:
    for path in paths:
        found = _first(root, path)
        if found is not None:
            return found
    return None


def _all(root: Element, path: str) -> list[Element]:
    return [e for e in _xpath(path)(root) if isinstance(e, etree._Element)]


@memoized
def date_taxonomy(root: Element) -> dict[str, str]:
    """Category id -> description for every ``category`` with a ``catDesc`` (the inference reasons)."""
    return {cat.get(XML_ID, ""): plain_text(_first(cat, "t:catDesc")) for cat in root.iter(tei("category"))
            if cat.get(XML_ID)}


@memoized
def read_metadata(root: Element) -> Metadata:
    """The header's metadata; every part is optional, since a person may have edited the file."""
    meta = Metadata(id=root.get(XML_ID))
    taxonomy = date_taxonomy(root)
    header = _first(root, "t:teiHeader")
    text = _first(root, "t:text")
    if text is not None:
        meta.text_language = text.get(XML_LANG) or root.get(XML_LANG)
    else:
        meta.text_language = root.get(XML_LANG)
    if header is None:
        return meta
    title = _first_of(header, "t:fileDesc/t:titleStmt/t:title[@type='main']", "t:fileDesc/t:titleStmt/t:title")
    meta.title = plain_text(title)
    meta.funders = [t for t in (plain_text(f) for f in _all(header, "t:fileDesc/t:titleStmt/t:funder")) if t]
    for stmt in _all(header, "t:fileDesc/t:titleStmt/t:respStmt"):
        resp = plain_text(_first(stmt, "t:resp"))
        names = tuple(n for n in (plain_text(e) for e in _all(stmt, "t:persName|t:orgName|t:name")) if n)
        if resp or names:
            meta.responsibilities.append(Responsibility(resp, names))
            if TRANSLATOR.search(resp):
                meta.translators.extend(names)
    pub = _first(header, "t:fileDesc/t:publicationStmt")
    if pub is not None:
        meta.url = safe_url(plain_text(_first(pub, "t:idno[@type='URL' or @type='url']")))
        meta.record = plain_text(_first(pub, "t:idno[@type='wcda']")) or None
        meta.availability = plain_text(_first(pub, "t:availability"))
    bibl = _first_of(header, "t:fileDesc/t:sourceDesc/t:bibl[@xml:id='source']",
                     "t:fileDesc/t:sourceDesc/t:bibl[not(@type='original')]")
    if bibl is not None:
        meta.citation = bibl
        meta.citation_text = plain_text(bibl)
        meta.citation_id = bibl.get(XML_ID)
        if meta.url is None:
            meta.url = safe_url(plain_text(_first(bibl, "t:idno[@type='URL' or @type='url']")))
    for lang in _all(header, "t:profileDesc/t:langUsage/t:language"):
        meta.languages.append(Language(lang.get("ident"), plain_text(lang)))
    for lang in _all(header, "t:fileDesc/t:sourceDesc/t:bibl[@type='original']/t:textLang"):
        meta.original_languages.append(Language(lang.get("mainLang"), plain_text(lang)))
    meta.abstract = _all(header, "t:profileDesc/t:abstract/t:p") or _all(header, "t:profileDesc/t:abstract")
    meta.summary = " ".join(plain_text(p) for p in meta.abstract)
    for term in _all(header, "t:profileDesc/t:textClass/t:keywords/t:term"):
        meta.keywords.append((term.get("type"), plain_text(term)))
    for action in _all(header, "t:profileDesc/t:correspDesc/t:correspAction"):
        parties = []
        for child in action:
            kind = {"persName": "person", "orgName": "org", "placeName": "place", "name": "person"}.get(local(child))
            if kind and is_tei(child):
                parties.append(Party(kind, plain_text(child), ref_id(child)))
        date_el = _first(action, "t:date")
        value = date_value(date_el, taxonomy) if date_el is not None else None
        meta.correspondence.append(Action(action.get("type") or "", tuple(parties), value))
    sent = meta.action("sent")
    if sent is not None and sent.date is not None and not sent.date.empty:
        meta.date = sent.date
        meta.date_text = format_iso(sent.date.when) if sent.date.when else sent.date.normalised
    elif bibl is not None and (bibl_date := _first(bibl, "t:date")) is not None:
        meta.date = date_value(bibl_date, taxonomy)
        meta.date_text = plain_text(bibl_date)
    return meta


#: Register list element -> (entry element, group); events are treaties when their @type says so.
REGISTER_ENTRIES: dict[str, str] = {"person": "person", "place": "place", "org": "org", "event": "event"}
NAME_ELEMENTS = ("persName", "placeName", "orgName", "eventName", "name", "geogName")
#: The same names as an element's ``tag`` holds them (a register has hundreds of names to pick from).
_NAME_TAGS = frozenset(tei(name) for name in NAME_ELEMENTS)
_IDNO, _BIRTH, _DEATH, _NOTE = tei("idno"), tei("birth"), tei("death"), tei("note")
_FIRST_ONLY = frozenset({_BIRTH, _DEATH, _NOTE})


@dataclass(frozen=True)
class Entry:
    """One register entry (``person``, ``place``, ``org``, ``event`` with an ``xml:id``)."""

    id: str
    kind: str                 # person, place, org, event (the TEI element)
    group: str                # index group: person, place, org, treaty, event
    type: str | None
    subtype: str | None
    name: str                 # the preferred name
    names: tuple[tuple[str | None, str], ...]  # other names with their @type
    description: str
    authority: dict[str, str]  # wikidata/viaf/geonames/gnd -> http(s) URI
    birth: str | None = None
    death: str | None = None
    when: str | None = None
    local: bool = False       # named in this document only ("local-" ids): no authority ids

    @property
    def years(self) -> str:
        """``1893–1976`` for a person, the date for an event, else ``""``."""
        if self.birth or self.death:
            return f"{(self.birth or '?')[:4]}–{(self.death or '?')[:4]}"
        return self.when or ""


class Register(dict[str, Entry]):
    """Register id -> entry, in document order."""

    def group(self, name: str) -> list[Entry]:
        return self.groups().get(name, [])

    def groups(self) -> dict[str, list[Entry]]:
        """Group name -> its entries in register order, in one pass over the register."""
        by_group: dict[str, list[Entry]] = {}
        for entry in self.values():
            by_group.setdefault(entry.group, []).append(entry)
        return by_group


def _entry(el: Element) -> Entry | None:
    ident = el.get(XML_ID)
    if not ident:
        return None
    kind = local(el)
    # One pass over the children: the names and idnos in order, and the first birth, death and note.
    names: list[Element] = []
    idnos: list[Element] = []
    first: dict[str, Element] = {}
    for child in el:
        tag = child.tag
        if tag in _NAME_TAGS:
            names.append(child)
        elif tag == _IDNO:
            idnos.append(child)
        elif tag in _FIRST_ONLY and tag not in first:
            first[tag] = child
    preferred = next((n for n in names if n.get("type") == "preferred"), names[0] if names else None)
    others = tuple((n.get("type"), plain_text(n)) for n in names if n is not preferred)
    authority: dict[str, str] = {}
    for idno in idnos:
        kind_of = (idno.get("type") or "").lower()
        uri = safe_url(plain_text(idno))
        if kind_of in AUTHORITIES and uri and kind_of not in authority:
            authority[kind_of] = uri
    type_ = el.get("type")
    group = kind
    if kind == "event":
        group = "treaty" if type_ in ("treaty", "agreement", "convention", "protocol") else "event"
    birth, death, note = first.get(_BIRTH), first.get(_DEATH), first.get(_NOTE)
    return Entry(
        id=ident, kind=kind, group=group, type=type_, subtype=el.get("subtype"),
        name=plain_text(preferred) or ident, names=others, description=plain_text(note),
        authority=authority,
        birth=(birth.get("when") or plain_text(birth) or None) if birth is not None else None,
        death=(death.get("when") or plain_text(death) or None) if death is not None else None,
        when=el.get("when") or el.get("from") or el.get("notBefore"),
        local=ident.startswith("local-"),
    )


_ENTRY_TAGS = tuple(tei(name) for name in REGISTER_ENTRIES)


@memoized
def read_register(root: Element) -> Register:
    """Every register entry of the file, wherever it is (EVT reads ``listPerson`` & co. anywhere)."""
    register = Register()
    for el in root.iter(*_ENTRY_TAGS):
        entry = _entry(el)
        if entry is not None and entry.id not in register:
            register[entry.id] = entry
    return register


def register_ids(root: Element) -> list[str]:
    """The ids of ``read_register(root)`` in its order, without reading the entries (for a part of a file whose
    whole register has been read already, such as one of its ``standOff`` elements).

    >>> from tei_cable.tei import parse_xml
    >>> register_ids(parse_xml(b'<listPerson xmlns="http://www.tei-c.org/ns/1.0"><person xml:id="b"/>'
    ...     b'<person/><person xml:id="a"/><person xml:id="b"/></listPerson>').getroot())
    ['b', 'a']
    """
    return list(dict.fromkeys(ident for el in root.iter(*_ENTRY_TAGS) if (ident := el.get(XML_ID))))


def _local_pointers(value: str | None) -> list[str]:
    """``"#china #soviet-union"`` -> ``["china", "soviet-union"]`` (pointers that are not local are skipped)."""
    return [token[1:] for token in (value or "").split() if token.startswith("#") and len(token) > 1]


def party_relations(root: Element) -> dict[str, list[str]]:
    """Register id of a treaty -> the register ids of its parties, from ``relation[@name='party']``.

    >>> from lxml import etree
    >>> party_relations(etree.fromstring('<listRelation xmlns="http://www.tei-c.org/ns/1.0"><relation name="party"'
    ...     ' active="#china #soviet-union" passive="#treaty-1950"/></listRelation>'))
    {'treaty-1950': ['china', 'soviet-union']}
    """
    parties: dict[str, list[str]] = {}
    for relation in root.iter(tei("relation")):
        if relation.get("name") != "party":
            continue
        members = _local_pointers(relation.get("active") or relation.get("mutual"))
        for target in _local_pointers(relation.get("passive")):
            known = parties.setdefault(target, [])
            for member in members:
                if member not in known:
                    known.append(member)
    return parties


def iter_text_roots(root: Element) -> Iterator[Element]:
    """The ``text`` elements to render (one per document; a ``teiCorpus`` has several)."""
    if local(root) == "text":
        yield root
        return
    found = False
    for text in root.iter(tei("text")):
        if not any(local(a) == "text" for a in text.iterancestors()):
            found = True
            yield text
    if not found and local(root) not in ("TEI", "teiCorpus"):
        yield root
