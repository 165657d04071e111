"""Entities across a whole document: find in every text slot, resolve, and hand back spans with ``@ref``.

Finding is per text (``finders``); deciding is per document, because a short form
("Central Committee", "Kim") is resolved by what else the document says:

1. the entry whose full form the document mentions elsewhere;
2. else the entry whose country key matches the document's context (the sender's
   nationality, the original language);
3. else the mention is left unmarked and reported as unresolved.

Names the register does not know but a title or role word introduces ("Comrade Liu
Xiao") become local entries (``local-...`` ids, no authority ids); their later bare
mentions are linked too.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..spans import Span
from .finders import FINDERS, INITIALS_BEFORE, MENTION_ELEMENTS, TITLES, FindContext, Mention, find_mentions
from .names import NameIndex, tokenize
from .register import EntityKind, Register

__all__ = ["Annotation", "FindContext", "LocalEntry", "Register", "Slot", "Unresolved", "annotate", "slug"]

#: Original languages that place a document in one country (languages of several states are left out).
LANGUAGE_COUNTRIES: dict[str, str] = {
    "chinese": "CN", "russian": "SU", "mongolian": "MN", "polish": "PL", "czech": "CS", "slovak": "CS",
    "hungarian": "HU", "romanian": "RO", "bulgarian": "BG", "albanian": "AL", "serbo-croatian": "YU",
    "serbian": "YU", "croatian": "YU", "japanese": "JP",
}


@dataclass
class Slot:
    """One piece of text that receives markup. ``kind``: "text", or "speaker" (the whole text names a person)."""

    text: str
    line: int
    kind: str = "text"


@dataclass(frozen=True)
class LocalEntry:
    id: str
    kind: EntityKind
    name: str


@dataclass(frozen=True)
class Unresolved:
    text: str
    line: int
    candidates: tuple[str, ...]


@dataclass
class Annotation:
    spans: list[list[Span]]  # per slot
    locals: dict[str, LocalEntry] = field(default_factory=dict)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    unresolved: list[Unresolved] = field(default_factory=list)


#: Latin letters that Unicode does not decompose into a base letter and a mark ("Wiesław" -> "wieslaw").
UNDECOMPOSED = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
                              "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"})


def slug(text: str) -> str:
    """An id-safe slug: "Yumjaagiin Tsedenbal" -> "yumjaagiin-tsedenbal", "Wiesław" -> "wieslaw". Names with no
    Latin letters get a short hash, so that two such names never share an id.

    >>> slug("Comrade Wiesław"), slug("Biľak"), slug("Øresund")
    ('comrade-wieslaw', 'bilak', 'oresund')
    """
    ascii_text = unicodedata.normalize("NFKD", text.translate(UNDECOMPOSED)).encode("ascii", "ignore").decode()
    result = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return result or "u" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


#: Initials before a surname: "A. I. " of "A. I. Alekseev".
LEADING_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\. ?)+(?=[A-Z][\w'’\-]{2,})")


def _local_id(kind: EntityKind, name: str) -> str:
    """A local entry's id. A person's leaves out initials, so the "A. Alekseev" of a signature and the
    "Alekseev" of a speaker label are one entry."""
    if kind == "person":
        return f"local-{slug(LEADING_INITIALS.sub('', name))}"
    return f"local-{kind}-{slug(name)}"


def context_countries(register: Register, languages: Iterable[str], senders: Iterable[str],
                      recipients: Iterable[str]) -> list[set[str]]:
    """The countries that frame a document, strongest first: the sender's nationality, the original
    language's country, the recipients' nationalities (a letter to Mao is still written in Hanoi)."""

    def nationalities(ids: Iterable[str]) -> set[str]:
        return {e.country for i in ids if (e := register.get(i)) is not None and e.country}

    by_language = {LANGUAGE_COUNTRIES[x.lower()] for x in languages if x.lower() in LANGUAGE_COUNTRIES}
    return [nationalities(senders), by_language, nationalities(recipients)]


#: The name inside a speaker label or a signature: "Soviet side (GROMYKO):" -> GROMYKO; "S. Tikhomirov".
LABEL_NAME = re.compile(
    r"(?:\(|^)(?P<name>(?:[A-Z][a-z]?\. ?){0,3}[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+){0,3})(?:\)|[.:]?$| [—–]$)",
    re.MULTILINE
)


def _named_person(slot: Slot, found: list[Mention]) -> list[Mention]:
    """Speaker labels and signatures always name a person: keep the first person found in a speaker label and
    every person in a signature (a joint one: "Kim Il Sung, Peng Dehuai"), else make the label's name a local
    person ("KOVALENKO" -> Kovalenko)."""
    people = [m for m in found if m.kind == "person"]
    if people:
        return people if slot.kind == "signed" else people[:1]
    # A title line under the name ("Paul Wandel / Ambassador") is not the name.
    candidates = [m for m in LABEL_NAME.finditer(slot.text) if m.group("name").split()[0] not in TITLES]
    if not candidates:
        return []
    m = candidates[-1]  # under a title line, the name comes last
    name = m.group("name")
    local = name.title() if name.isupper() else name
    return [Mention(m.start("name"), m.end("name"), "person", (), local_name=local, rule=len(FINDERS))]


SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“(]?[A-Z])")


def _sentence_countries(slot: Slot, mentions: list[Mention], register: Register) -> list[set[str]]:
    """For each mention, the nationalities of the people the same sentence names unambiguously.

    Only people count: they act for their country's bodies ("Zhou Enlai said he would report to the
    Central Committee"), while places are as often the object ("relations with China")."""
    bounds = [0, *(m.end() for m in SENTENCE_END.finditer(slot.text))]
    sentence_of = [bisect.bisect_right(bounds, m.start) for m in mentions]
    own = [register[m.candidates[0]].country if m.kind == "person" and len(m.candidates) == 1 else None
           for m in mentions]
    per_sentence: dict[int, Counter[str]] = {}
    for sentence, country in zip(sentence_of, own, strict=True):
        if country:
            per_sentence.setdefault(sentence, Counter())[country] += 1
    out: list[set[str]] = []
    for sentence, country in zip(sentence_of, own, strict=True):
        counts = per_sentence.get(sentence, Counter())
        # A mention does not vouch for itself: leave out its own contribution.
        out.append({k for k, n in counts.items() if n > (1 if k == country else 0)})
    return out


def annotate(slots: list[Slot], ctx: FindContext, countries: list[set[str]] | None = None) -> Annotation:
    """Find, resolve and link every entity mention in ``slots``; ``countries`` are the document's context
    tiers, strongest first (``context_countries``)."""
    countries = countries or []
    found: list[list[Mention]] = []
    tokens = [tokenize(slot.text) for slot in slots]  # shared by the finders and the local-name pass below
    for slot, slot_tokens in zip(slots, tokens, strict=True):
        mentions = find_mentions(slot.text, ctx, slot_tokens)
        if slot.kind in ("speaker", "signed"):
            mentions = _named_person(slot, mentions)
        found.append(mentions)

    # Local names seen with a cue are linked wherever else they appear.
    local_names = {(m.kind, m.local_name) for ms in found for m in ms if not m.candidates and m.local_name}
    if local_names:
        index = NameIndex((name, f"{kind}\t{name}", "local") for kind, name in local_names)
        for slot, slot_tokens, mentions in zip(slots, tokens, found, strict=True):
            for m in index.matches(slot.text, slot_tokens):
                kind, name = m.form.targets[0].split("\t")
                initials = INITIALS_BEFORE.search(slot.text[max(0, m.start - 16) : m.start])
                start = m.start - len(initials.group()) if initials and kind == "person" else m.start
                mentions.append(Mention(start, m.end, kind, (), local_name=name, rule=len(FINDERS) + 1))  # type: ignore[arg-type]

    certain = {m.candidates[0] for ms in found for m in ms if len(m.candidates) == 1 and m.strength != "short"}
    result = Annotation(spans=[])
    for slot, mentions in zip(slots, found, strict=True):
        spans: list[Span] = []
        nearby = _sentence_countries(slot, mentions, ctx.register)
        for m, sentence in zip(mentions, nearby, strict=True):
            target = _choose(m, certain, sentence, countries, ctx.register)
            if target is None and not m.local_name:
                result.unresolved.append(Unresolved(slot.text[m.start : m.end], slot.line, m.candidates))
                continue
            if target is None:
                local = LocalEntry(_local_id(m.kind, m.local_name), m.kind, m.local_name)
                result.locals.setdefault(local.id, local)
                target = local.id
            if m.warning:
                result.warnings.append((slot.line, m.warning))
            spans.append(_span(m, target))
        result.spans.append(spans)
    return result


def _choose(m: Mention, certain: set[str], sentence: set[str], countries: list[set[str]],
            register: Register) -> str | None:
    """The entry an ambiguous form means: one the document names in full, else one of the sentence's
    countries, else one of the document's countries (see the module docstring)."""
    if len(m.candidates) == 1:
        return m.candidates[0]
    if not m.candidates:
        return None
    named = [c for c in m.candidates if c in certain]
    if len(named) == 1:
        return named[0]
    pool = named or list(m.candidates)
    # The strongest known document context decides alone: when the sender is Vietnamese and the register has
    # no Vietnamese Politburo, "our Politburo" stays unlinked rather than becoming the recipient's.
    document = next((tier for tier in countries if tier), set())
    for context in (sentence, document):
        fitting = [c for c in pool if register[c].country in context]
        if len(fitting) == 1:
            return fitting[0]
    return None


def _span(m: Mention, target: str) -> Span:
    element, attrs = MENTION_ELEMENTS[m.kind]
    if m.element:
        element = m.element
    children: tuple[Span, ...] = ()
    if m.role is not None:
        children = (Span(m.role[0], m.role[1], "roleName", (), rule=m.rule, key=target),)
    return Span(m.start, m.end, element, (*attrs, ("ref", f"#{target}")), rule=10 + m.rule, key=target,
                children=children)
