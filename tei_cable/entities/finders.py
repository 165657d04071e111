"""Entity finders: each looks at plain text and returns candidate mentions; none knows another.

``FINDERS`` is the table the document-level resolver runs, in order; a finder's
position is its rule rank (on a crossing overlap the earlier finder wins).
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .names import GENERIC_WORDS, Match, NameIndex, Token, tokenize
from .register import MATCHED_NAME_TYPES, EntityKind, Entry, Register

T = TypeVar("T")

#: TEI element for a mention of each kind of register entry.
MENTION_ELEMENTS: dict[EntityKind, tuple[str, tuple[tuple[str, str], ...]]] = {
    "person": ("persName", ()),
    "place": ("placeName", ()),
    "org": ("orgName", ()),
    "event": ("name", (("type", "treaty"),)),
}

#: Titles written before a name. They belong to the mention and become <roleName>.
TITLES: tuple[str, ...] = (
    "Deputy Foreign Minister", "Foreign Minister", "Prime Minister", "Vice Premier", "Vice Chairman",
    "Vice President", "Vice Minister", "Deputy Minister", "Deputy Premier", "General Secretary",
    "First Secretary", "Second Secretary", "Third Secretary", "Secretary of State", "Secretary-General",
    "Secretary General", "Lieutenant General", "Major General", "Chargé d'Affaires", "Comrade Chairman",
    "Comrade", "Comrades", "Chairman", "Premier", "Minister", "Ambassador", "Marshal", "Generalissimo",
    "Prince", "Princess", "King", "Queen", "Emperor", "Shah", "Sheikh",
    "General", "President", "Secretary", "Chancellor", "Counsellor", "Counselor", "Admiral", "Colonel",
    "Consul", "Envoy", "Commissioner", "Governor", "Senator", "Mr.", "Mrs.", "Ms.", "Dr.", "Madame", "Mme.",
    "Mister", "Comr.", "Premier-Minister",
)
#: Role words written in lower case before a name; they are not part of the mention.
ROLES: frozenset[str] = frozenset({
    "interpreter", "translator", "counsellor", "counselor", "adviser", "advisor", "secretary", "attaché",
    "attache", "ambassador", "consul", "correspondent", "comrade", "comrades", "minister", "envoy", "aide",
    "deputy", "chairman", "premier", "general", "marshal", "colonel", "officer", "official", "journalist",
})
#: Capitalised words that end a name after a title ("Comrade Molotov Then ...").
NAME_STOP = frozenset({"The", "This", "That", "These", "He", "She", "They", "We", "I", "It", "And", "But",
                       "In", "On", "At", "Of", "To", "For", "With", "After", "Before", "As", "If", "Then"})
#: Capitalised nouns that show a title word starts an institution, not a person ("General Staff").
NOT_PERSON_WORDS = frozenset({
    "staff", "assembly", "headquarters", "command", "affairs", "directorate", "section", "administration",
    "staffs", "secretariat", "service", "services", "guidelines", "line", "principles", "plan", "program",
    "programme", "report", "directive", "directives", "policy", "situation", "question", "questions",
    "conditions", "provisions", "rules", "regulations", "statement", "declaration", "election", "elections",
    "strike", "mobilization", "mobilisation", "offensive", "agreement", "treaty", "meeting", "session",
    "federation", "confederation", "association", "society", "institute", "academy", "university", "school",
    "company", "corporation", "trust", "agency", "fund", "movement", "organization", "organisation",
    "alliance", "embassy", "consulate", "mission", "delegation", "department", "ministry", "board",
})


@dataclass(frozen=True)
class Mention:
    """A candidate mention: where it is, what kind, and which register entries it may be."""

    start: int
    end: int
    kind: EntityKind
    candidates: tuple[str, ...] = ()  # register ids; several = ambiguous; none = a local (unregistered) name
    local_name: str = ""  # the name of an unregistered entity
    rule: int = 0
    role: tuple[int, int] | None = None  # the title inside the mention: becomes <roleName>
    strength: str = "variant"  # the matched name type ("short" forms need context to be trusted)
    warning: str = ""
    element: str = ""  # overrides MENTION_ELEMENTS (treaty descriptions are <rs type="treaty">)


@dataclass
class FindContext:
    """What finders may know: the register (with its index), the document date and the document's own
    country (``home``: country keys of the sender or the original language), for "the treaty with X"."""

    register: Register
    document_date: datetime.date | None = None
    home: frozenset[str] = frozenset()

    @functools.cached_property
    def index(self) -> NameIndex:
        return name_index(self.register)

    _matches: tuple[str, list[Match]] | None = field(default=None, init=False, repr=False, compare=False)

    def register_matches(self, text: str, tokens: list[Token]) -> list[Match]:
        """Register matches of ``text`` (see ``register_matches``), remembered for the text last asked about:
        several finders look at the same text in a row."""
        if self._matches is None or self._matches[0] != text:
            self._matches = (text, register_matches(text, tokens, self))
        return self._matches[1]

    @functools.cached_property
    def inner_index(self) -> NameIndex:
        """Names of persons, places and organisations only: what may stand inside a treaty's name."""
        return name_index(self.register, inner=True)

    @property
    def person_forms(self) -> dict[int, list[tuple[str, str, str]]]:
        return _per_register(self.register, "person-forms", person_forms)

    @property
    def person_surnames(self) -> dict[int, list[tuple[str, str, str]]]:
        return _per_register(self.register, "person-surnames", lambda r: person_forms(r, "short"))

    @property
    def given_names(self) -> GivenNames:
        return _per_register(self.register, "given-names", given_names)

    @functools.cached_property
    def treaties(self) -> list[Entry]:
        """Treaties and agreements the document can refer to: signed before its date."""
        every = _per_register(self.register, "treaties", lambda r: [e for e in r if e.kind == "event"
                                                                    and e.type in ("treaty", "agreement")])
        return [e for e in every if _signed_before(e.when, self.document_date)]

    @functools.cached_property
    def titles(self) -> NameIndex:
        return title_index()

    @property
    def adjectives(self) -> dict[str, str]:
        return _per_register(self.register, "adjectives", adjective_map)


@functools.cache
def title_index() -> NameIndex:
    return NameIndex((t, t, "variant") for t in TITLES)


_INDEXES: dict[tuple[str, bool], NameIndex] = {}


def name_index(register: Register, inner: bool = False) -> NameIndex:
    """The index of every matchable form (``inner``: without events), built once per register."""
    key = (register.fingerprint, inner)
    if key not in _INDEXES:
        _INDEXES[key] = NameIndex(
            (form, entry.id, kind)
            for entry in register
            if not (inner and entry.kind == "event")
            for kind, form in entry.names
            if kind in MATCHED_NAME_TYPES
        )
    return _INDEXES[key]


_PER_REGISTER: dict[tuple[str, str], Any] = {}


def _per_register(register: Register, what: str, build: Callable[[Register], T]) -> T:
    """Tables derived from a register are built once per register, not once per document."""
    key = (register.fingerprint, what)
    if key not in _PER_REGISTER:
        _PER_REGISTER[key] = build(register)
    return _PER_REGISTER[key]  # type: ignore[no-any-return]


def person_forms(register: Register, *types: str) -> dict[int, list[tuple[str, str, str]]]:
    """Person names (full names, or ``types``) folded for spelling comparison, by length (``nearest_person``)."""
    by_length: dict[int, list[tuple[str, str, str]]] = {}
    for entry in register:
        if entry.kind == "person":
            for form in entry.forms(*(types or ("preferred", "variant"))):
                folded = _fold(form)
                by_length.setdefault(len(folded), []).append((entry.id, form, folded))
    return by_length


@dataclass(frozen=True)
class GivenNames:
    """The register's first names, for :func:`other_person`."""

    words: frozenset[str]  # every first word of a person's full name ("Andrei" of "Andrei Gromyko")
    own: dict[str, frozenset[str]]  # entry id -> the folded first words of its own full names


def given_names(register: Register) -> GivenNames:
    """The first names of the register's persons; initials ("V. M. Molotov") and titles are not first words."""
    words: set[str] = set()
    own: dict[str, set[str]] = {}
    titles = {t.casefold() for t in TITLES} | ROLES  # "General Vang Pao": a title is not a first name
    for entry in register:
        if entry.kind != "person":
            continue
        for form in entry.forms("preferred", "variant"):
            parts = form.split()
            first = parts[0] if len(parts) > 1 else ""
            if len(first) > 2 and first.isalpha() and first[:1].isupper() and first.casefold() not in titles:
                words.add(first)
                own.setdefault(entry.id, set()).add(_fold(first))
    return GivenNames(frozenset(words), {entry_id: frozenset(firsts) for entry_id, firsts in own.items()})


#: A capitalised word, then initials, directly before a surname: "William P. " before "Bundy".
GIVEN_NAME_BEFORE = re.compile(r"(?:^|(?<=[\s(\[\"“]))([A-Z][a-z]{2,}) (?:[A-Z]\. ?){0,2}$")


def other_person(text: str, start: int, targets: tuple[str, ...], ctx: FindContext) -> int | None:
    """Where a namesake's full name starts, when a surname is preceded by a first name that none of the
    ``targets`` bears: "William P. Bundy" is not McGeorge Bundy, "Andrei Kozlov" is not Frol Kozlov.

    The first name must be one the register knows as a first name (so "Yesterday Kozlov" or "Soviet Kozlov"
    never count), and it must not be a spelling of the entry's own ("Andrey" for "Andrei" is one letter off).
    """
    window = max(0, start - 30)
    m = GIVEN_NAME_BEFORE.search(text[window:start])
    if m is None:
        return None
    word = m.group(1)
    names = ctx.given_names
    if word not in names.words:
        return None
    folded = _fold(word)
    for target in targets:
        for own in names.own.get(target, frozenset()):
            if own == folded or _edit_distance(folded, own, 2) <= 2:
                return None
    return window + m.start(1)


def adjective_map(register: Register) -> dict[str, str]:
    """Adjective or people noun -> place id ("Soviet" -> soviet-union, "Japanese" -> japan, "Soviets")."""
    out: dict[str, str] = {}
    for entry in register:
        if entry.kind != "place":
            continue
        for adjective in entry.forms("adjective"):
            out.setdefault(adjective, entry.id)
            out.setdefault(adjective + "s", entry.id)
    return out


# -- finders ---------------------------------------------------------------------------------------

Finder = Callable[[str, list[Token], FindContext], list[Mention]]


def title_before(text: str, tokens: list[Token], first: int, ctx: FindContext) -> int | None:
    """Token index where a title directly before token ``first`` starts (None when there is none)."""
    best: int | None = None
    titles = ctx.titles
    first_keys = titles.first_keys
    for start in range(max(0, first - 4), first):
        if tokens[start].key not in first_keys:
            continue  # the cheap half of match_at, without the call: this runs for every register mention
        m = titles.match_at(text, tokens, start)
        if m and m.last == first - 1 and not text[tokens[m.last].end : tokens[first].start].strip(" ["):
            best = start if best is None else min(best, start)
    return best


def continues_name(text: str, tokens: list[Token], last: int) -> bool:
    """True when a capitalised name word follows token ``last`` ("Liu" in "Liu Xiao" is not "Liu")."""
    if last + 1 >= len(tokens):
        return False
    following = tokens[last + 1]
    return text[tokens[last].end : following.start] == " " and following.text[:1].isupper() \
        and following.text not in NAME_STOP and following.text not in TITLES and len(following.text) > 1


def register_matches(text: str, tokens: list[Token], ctx: FindContext) -> list[Match]:
    """Register matches, without short forms that are only the first word of a longer, unknown name."""
    return [m for m in ctx.index.matches(text, tokens)
            if not (m.form.name_type == "short" and continues_name(text, tokens, m.last))]


def _current(entry_id: str, ctx: FindContext) -> bool:
    """False for a treaty or agreement signed after the document: the text can only mean a draft."""
    entry = ctx.register[entry_id]
    if entry.kind != "event" or entry.type not in ("treaty", "agreement"):
        return True
    return entry.when is None or _signed_before(entry.when, ctx.document_date)


def find_register_names(text: str, tokens: list[Token], ctx: FindContext) -> list[Mention]:
    out: list[Mention] = []
    matches = ctx.register_matches(text, tokens)
    if not matches:
        return out
    starts = {t.start: k for k, t in enumerate(tokens)}
    for m in matches:
        if any(ctx.register[t].kind == "event" for t in m.form.targets):
            # Names inside a treaty's name are mentions too ("... Concerning Lüshun Port").
            inner = text[m.start : m.end]
            for sub in ctx.inner_index.matches(inner):
                if (sub.start, sub.end) != (0, len(inner)):
                    out.extend(_register_mention(text, tokens, starts, ctx, sub, m.start))
        out.extend(_register_mention(text, tokens, starts, ctx, m, 0))
    return merge_bracketed(text, out)


def _register_mention(text: str, tokens: list[Token], starts: dict[int, int], ctx: FindContext, m: Match,
                      offset: int) -> list[Mention]:
    """The mention for one index match (``offset``: where the matched text starts in ``text``)."""
    first = starts.get(m.token_start + offset)
    targets = tuple(t for t in m.form.targets if _current(t, ctx))
    if not targets:
        return []
    if m.form.name_type == "short" and ORDINAL_BEFORE.search(text[max(0, m.start + offset - 30) : m.start + offset]):
        return []  # "the Twentieth Congress", "the 9th Plenum": a party's congress or plenum, not the short form
    kinds = {ctx.register[t].kind for t in targets}
    if len(kinds) != 1:
        # One form naming a person and a place ("Washington"): the place, unless a title says person.
        has_title = first is not None and title_before(text, tokens, first, ctx) is not None
        kind: EntityKind = "person" if has_title else "place"
        targets = tuple(t for t in targets if ctx.register[t].kind == kind) or targets
    else:
        kind = next(iter(kinds))
    start, role = m.start + offset, None
    if kind == "person" and text[start : start + 1] == "[" \
            and (first is None or title_before(text, tokens, first, ctx) is None):
        # A spelling the register does not know, explained by the translator's bracket: the whole
        # "Czou En-laj [Zhou Enlai]" names the person.
        before = SPELLING_BEFORE.search(text[max(0, start - 60) : start])
        spelled_from = start - len(before.group()) if before else start
        known = [(k.start, k.end) for k in ctx.register_matches(text, tokens)]
        if before and before.group().split()[0] not in NAME_STOP | {"To", "From", "Dear"} \
                and not any(lo < start and hi > spelled_from for lo, hi in known):
            start = spelled_from
            first = starts.get(start, first)
    if kind == "org" and m.form.name_type == "short":
        national, adjective_start = national_org(text, start, targets, ctx)
        if not national:
            # "the Hungarian Foreign Ministry" when the register has the Chinese and Soviet ones only.
            end = m.end + offset
            return [Mention(adjective_start, end, "org", (), local_name=text[adjective_start:end])]
        targets = national
    if kind == "person" and m.form.name_type == "short":
        namesake = other_person(text, start, targets, ctx)
        if namesake is not None:
            # Another person of that surname: a local entry under the full name, never the register's.
            end = m.end + offset
            name = text[namesake:end].replace("[", "").replace("]", "")
            return [Mention(namesake, end, "person", (), local_name=name)]
    if kind == "person":
        # Initials written before a known surname belong to the name: "A. Ya. Vishinsky".
        initials = INITIALS_BEFORE.search(text[max(0, start - 16) : start])
        if initials and initials.group().strip():
            start -= len(initials.group())
            first = starts.get(start, first)
        title = title_before(text, tokens, first, ctx) if first is not None else None
        if title is not None:
            role = (tokens[title].start, tokens[first - 1].end)  # type: ignore[operator]
            start = tokens[title].start
    end = m.end + offset
    if kind == "person" and text[m.start + offset : end].isupper():
        # Russian-style "MIKOYAN A. I.": initials after a surname in capitals.
        after = INITIALS_AFTER.match(text, end)
        if after:
            end = after.end()
    return [Mention(start, end, kind, targets, role=role, strength=m.form.name_type)]


ORDINAL_BEFORE = re.compile(
    r"(?:\b\d{1,2}(?:st|nd|rd|th)|\b[XVIL]{1,6}(?:th)?|\b(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|"
    r"Tenth|Eleventh|Twelfth|Thirteenth|Fourteenth|Fifteenth|Sixteenth|Seventeenth|Eighteenth|Nineteenth|"
    r"Twentieth|Twenty-\w+|Party))\s+$"
)
INITIALS_BEFORE = re.compile(r"(?<![\w.])(?:[A-Z][a-z]?\. ?){1,3}$")
INITIALS_AFTER = re.compile(r" (?:[A-Z][a-z]?\.)(?: ?[A-Z][a-z]?\.){0,2}")


#: Capitalised words (a transliteration) directly before a bracketed name: "Suvanna Phuma [Souvanna Phouma]".
SPELLING_BEFORE = re.compile(r"(?:(?<=\s)|^)(?:[A-Z][\w'’\-]*\.? ){1,4}$")


def merge_bracketed(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "Filippov [Stalin]": a name and the translator's bracketed name for the same person are one mention."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda x: (x.start, -x.end)):
        prev = out[-1] if out else None
        if prev is not None and text[prev.end : m.start].strip() == "" and text[m.start : m.start + 1] == "[" \
                and set(prev.candidates) & set(m.candidates) and m.start - prev.end <= 2:
            shared = tuple(c for c in prev.candidates if c in m.candidates)
            out[-1] = Mention(prev.start, m.end, prev.kind, shared, role=prev.role, strength=prev.strength)
            continue
        out.append(m)
    return out


GOVERNMENT = re.compile(r"\b(?P<adj>[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+)?) (?:[Gg]overnment)\b")
GOVERNMENT_OF = re.compile(r"\b[Gg]overnment of (?:the )?(?P<place>[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+){0,5})")


def find_governments(text: str, tokens: list[Token], ctx: FindContext) -> list[Mention]:
    """"the Soviet government" -> the org government-<country>, through the country's adjective."""
    out: list[Mention] = []
    if "overnment" not in text:
        return out  # both patterns need the word: a substring test is far cheaper than two regex scans
    for m in GOVERNMENT.finditer(text):
        for offset, place in _adjective_places(m.group("adj"), ctx):
            org = f"government-{place}"
            if org in ctx.register:
                out.append(Mention(m.start() + offset, m.end(), "org", (org,)))
                break
    for m in GOVERNMENT_OF.finditer(text):
        places = [p for p in ctx.index.matches(m.group("place")) if p.start == 0]
        if not places:
            continue
        place_ids = [t for t in places[0].form.targets if ctx.register[t].kind == "place"]
        org = f"government-{place_ids[0]}" if len(place_ids) == 1 else None
        if org and org in ctx.register:
            out.append(Mention(m.start(), m.start("place") + places[0].end, "org", (org,)))
    return out


PARTY = r"(?:the )?[A-Z][\w'’\-]*(?: [A-Z][\w'’\-]*){0,5}"
SIGNING_DATE = r"(?P<date>(?:[A-Z][a-z]+\.? \d{1,2},? |\d{1,2} [A-Z][a-z]+ )?\d{4})"
TOPIC = r"(?: (?:on|concerning|regarding) (?:the )?[A-Z][\w'’\-]*(?: [A-Z][\w'’\-]*){0,3})?"
TREATY_BETWEEN = re.compile(
    r"\b[Tt]he (?P<span>(?P<kind>(?:(?:peace|friendship|alliance|border|trade|security|mutual[- ]defen[cs]e) )?"
    r"(?:treaty|agreement|pact|accord)|(?:[A-Z][\w\-]* )*(?:Treaty|Agreement|Pact|Accord)(?: of [A-Z][\w,'’ ]*?)?)"
    r" between (?P<a>" + PARTY + r") and (?P<b>" + PARTY + r")" + TOPIC +
    r"(?P<dated>,? (?:signed (?:in|on) |of |on )" + SIGNING_DATE + r")?)"
)
#: A state whose earlier treaties the register files under another entry: before the PRC was proclaimed,
#: "China" signed as the Republic of China (register id ``taiwan``).
PREDECESSORS: dict[str, tuple[tuple[str, str], ...]] = {"china": (("taiwan", "1949-10-01"),)}
#: "the treaty with Afghanistan of 1978", "the treaty of 1961 with the DPRK": the other party is the document's own
#: country.
TREATY_WITH = re.compile(
    r"\b[Tt]he (?P<span>(?P<kind>treaty|agreement|pact)(?: of (?P<year1>\d{4}))? with (?P<b>" + PARTY + r")"
    r"(?: of (?P<year2>\d{4}))?)"
)
TREATY_SIGNED = re.compile(
    r"\b(?:an?|the) (?P<span>(?P<kind>agreement|treaty|protocol|accord) (?:was |had been |has been )?signed "
    r"(?:in [A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+)? )?(?:on (?P<date>[A-Z][a-z]+\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]+ "
    r"\d{4}) )?(?:concerning|regarding|about|relating to|on) (?:the )?"
    r"(?P<topic>[A-Z][\w'’\-]*(?: [A-Z][\w'’\-]*){0,4}))"
)


def _country_of(phrase: str, ctx: FindContext) -> str | None:
    """The place id a party phrase stands for: a country, a person's country, or a people ("the Japanese")."""
    phrase = re.sub(r"^the ", "", phrase)
    if phrase in ctx.adjectives:
        return ctx.adjectives[phrase]
    matches = ctx.index.matches(phrase)
    if not matches:
        return None
    targets = [ctx.register[t] for t in matches[0].form.targets]
    if len(targets) != 1:
        return None
    entry = targets[0]
    if entry.kind == "place" and entry.type == "country":
        return entry.id
    if entry.country:
        place = ctx.register.country_place(entry.country)
        return place.id if place else None
    return None


def _signed_before(entry_when: str | None, date: datetime.date | None) -> bool:
    """A document can describe only treaties signed before it was written."""
    return entry_when is not None and (date is None or entry_when[:10] <= date.isoformat())


def _is_party(place: str, event: Entry) -> bool:
    if place in event.parties:
        return True
    return any(alt in event.parties and (event.when or "") < until for alt, until in PREDECESSORS.get(place, ()))


def find_treaty_descriptions(text: str, tokens: list[Token], ctx: FindContext) -> list[Mention]:
    """"the peace treaty between Chiang Kai-shek and the Japanese" -> the register treaty with those parties."""
    out: list[Mention] = []
    events = ctx.treaties
    # Each pattern needs a literal word (" between ", " with ", " signed "): substring tests skip the regex
    # scans, which backtrack over every capitalised word, in the many paragraphs that have none of them.
    for m in TREATY_BETWEEN.finditer(text) if " between " in text else ():
        a, b = _country_of(m.group("a"), ctx), _country_of(m.group("b"), ctx)
        if not a or not b:
            continue
        found = [e for e in events if _is_party(a, e) and _is_party(b, e)]
        kind = m.group("kind").lower()
        if "peace" in kind:
            found = [e for e in found if e.element.get("subtype") == "peace"] or found
        if m.group("date"):
            found = [e for e in found if (e.when or "").startswith(m.group("date")[-4:])]
        # "the treaty between ..." prefers a treaty to an agreement signed the same day, and vice versa.
        found = [e for e in found if e.type in kind] or found
        if len(found) == 1:
            # A treaty called by its title ("the Treaty of Friendship ... between the USSR and the MPR") ends
            # before its date; a description ("the treaty between ... signed in 1950") includes it.
            end = m.start("dated") if m.group("dated") and m.group("kind")[:1].isupper() else m.end("span")
            out.append(Mention(m.start("span"), end, "event", (found[0].id,), element="rs"))
    home = {p.id for key in ctx.home if (p := ctx.register.country_place(key)) is not None}
    for m in TREATY_WITH.finditer(text) if home and " with " in text else ():
        b = _country_of(m.group("b"), ctx)
        year = m.group("year1") or m.group("year2")
        if not b or not year:
            continue  # without a year "the treaty with X" is too vague to name one treaty
        found = [e for e in events if _is_party(b, e) and any(_is_party(h, e) for h in home)
                 and (e.when or "").startswith(year)]
        found = [e for e in found if e.type in m.group("kind")] or found
        if len(found) == 1:
            out.append(Mention(m.start("span"), m.end("span"), "event", (found[0].id,), element="rs"))
    for m in TREATY_SIGNED.finditer(text) if " signed " in text else ():
        topic = " ".join(m.group("topic").split()).lower()
        found = [e for e in events if any(topic in " ".join(f.split()).lower() for f in e.forms())]
        if len(found) == 1:
            out.append(Mention(m.start("span"), m.end("span"), "event", (found[0].id,), element="rs"))
    return out


#: One word of a name: "Liu", "Chang-man", "MIKOYAN", or a bracketed completion "[Il Sung]".
NAME_WORD = re.compile(r"\[?[A-Z][\w'’]*(?:-[\w'’]+)*\]?")
NAME_INITIALS = re.compile(r"(?:[A-Z][a-z]?\. ?){1,3}(?=[A-Z])")


def _name_after(text: str, pos: int) -> int:
    """End of the name that starts at ``pos`` (initials, then up to four capitalised words); ``pos`` if none."""
    initials = NAME_INITIALS.match(text, pos)
    end = cursor = initials.end() if initials else pos
    words = 0
    while words < 4:
        m = NAME_WORD.match(text, cursor)
        if not m:
            break
        word = m.group().strip("[]")
        if word in NAME_STOP or word in TITLES or (words and word.lower() in ROLES):
            break
        end = m.end()
        words += 1
        if text[end : end + 1] != " ":
            break
        cursor = end + 1
    return end if words else pos


def find_cued_persons(text: str, tokens: list[Token], ctx: FindContext) -> list[Mention]:
    """Names the register does not know, recognised by a title or role word before them.

    A near miss of a register name (one letter off, as "Tsendenbal" for "Tsedenbal") is linked to
    that entry with a warning, so an editor can correct the spelling or add a variant.
    """
    out: list[Mention] = []
    titles = ctx.titles
    # Most tokens begin no title and are no role word: find the few that may, in one pass (a third of this
    # finder's time went to asking every token).
    first_keys = titles.first_keys
    cues = [k for k, t in enumerate(tokens) if t.key in first_keys or t.text in ROLES]
    if not cues:
        return out
    known = {m.first for m in ctx.register_matches(text, tokens)}  # where register names start
    i = 0
    for cue in cues:
        if cue < i:
            continue  # inside a name already taken
        i = cue
        title = titles.match_at(text, tokens, i)
        role = tokens[i].text in ROLES
        if not title and not role:
            i += 1
            continue
        name_start = title.last + 1 if title else i + 1
        if name_start >= len(tokens):
            break
        gap = text[tokens[name_start - 1].end : tokens[name_start].start]
        name_from = tokens[name_start].start - (1 if gap.endswith("[") else 0)
        name_to = _name_after(text, name_from) if gap in (" ", " [") else name_from
        name_end = name_start
        while name_end < len(tokens) and tokens[name_end].end <= name_to:
            name_end += 1
        name_tokens = tokens[name_start:name_end]
        if name_to == name_from or not name_tokens or name_start in known or i in known \
                or any(t.key in NOT_PERSON_WORDS or t.key in GENERIC_WORDS for t in name_tokens):
            # No name, a name the register finder already sees, or an institution ("General Assembly").
            i = max(name_start, i + 1)
            continue
        name = text[name_from:name_to].rstrip()
        start = tokens[i].start if title else name_from
        role_span = (tokens[i].start, tokens[title.last].end) if title else None
        near = nearest_person(name, ctx)
        if near:
            entry_id, form = near
            out.append(Mention(start, name_from + len(name), "person", (entry_id,), role=role_span,
                               warning=f"{name!r} is spelled unlike any known form of {form!r}; "
                                       f"linked to {entry_id} (add the spelling to the register if it is right)"))
        else:
            out.append(Mention(start, name_from + len(name), "person", (),
                               local_name=name.replace("[", "").replace("]", ""), role=role_span))
        i = name_end
    return out


def _one_edit(a: str, b: str) -> bool:
    """``_edit_distance(a, b, 1) <= 1``, in linear time: nearest_person asks it of every surname of a
    similar length, for every cued name the register lacks."""
    if a == b:
        return True
    if len(a) < len(b):
        a, b = b, a
    if len(a) - len(b) > 1:
        return False
    i = 0
    while i < len(b) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]  # one substitution at i
    return a[i + 1 :] == b[i:]  # one letter of the longer word dropped at i


def _edit_distance(a: str, b: str, limit: int) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if c.isalnum() or c == " ")


def nearest_person(name: str, ctx: FindContext) -> tuple[str, str] | None:
    """The register person whose full form is one or two edits from ``name`` (names of 8+ letters only)."""
    folded = _fold(name)
    if " " not in folded and len(folded) >= 6:
        # One word after a title ("Comrade Dubcsek"): a surname one letter off a register surname.
        hits = {(entry_id, form) for entry_id, form, other in ctx.person_surnames.get(len(folded), ())
                if other[:1] == folded[:1] and _one_edit(folded, other)}
        hits |= {(entry_id, form) for length in (len(folded) - 1, len(folded) + 1)
                 for entry_id, form, other in ctx.person_surnames.get(length, ())
                 if other[:1] == folded[:1] and _one_edit(folded, other)}
        return min(hits) if len({h[0] for h in hits}) == 1 else None
    if len(folded) < 8:
        return None
    limit = 1 if len(folded) < 14 else 2
    within = _one_edit if limit == 1 else lambda a, b: _edit_distance(a, b, limit) <= limit
    hits = {
        (entry_id, form)
        for length in range(len(folded) - limit, len(folded) + limit + 1)
        for entry_id, form, other in ctx.person_forms.get(length, ())
        if other[:1] == folded[:1] and within(folded, other)
    }
    ids = {h[0] for h in hits}
    return min(hits) if len(ids) == 1 else None


#: The words every mission pattern needs (a quick test before the full patterns).
MISSION_WORD = re.compile(r"Embassy|Consulate|Legation|Trade Mission|Military Mission")
MISSION = re.compile(r"\b(?P<kind>Embassy|Consulate(?: General)?|Legation|Trade Mission|Military Mission) of "
                     r"(?:the )?(?P<place>[A-Z][\w'’\-]*(?: [A-Z][\w'’\-]*){0,5})")


#: "the Hungarian Embassy in Beijing", "the Soviet Consulate General in Shenyang", "the Embassy in Vietnam"
#: (a government's own mission, in its own telegrams): whose mission, and where.
MISSION_IN = re.compile(r"\b(?:(?P<adj>[A-Z][a-z]+(?: [A-Z][a-z]+)?) |(?<=\bthe ))"
                        r"(?P<kind>Embassy|Consulate(?: General)?|Legation|Trade Mission|Military Mission) (?:in|at) "
                        r"(?P<place>[A-Z][\w'’\-]*(?: [A-Z][\w'’\-]*){0,3})")


def find_missions(text: str, tokens: list[Token], ctx: FindContext) -> list[Mention]:
    """ "Embassy of the German Democratic Republic", "the Hungarian Embassy in Beijing": a diplomatic mission,
    kept as a local organisation (the register lists states and their ministries, not their embassies)."""
    out: list[Mention] = []
    if not MISSION_WORD.search(text):
        return out  # both patterns need one of these words; one scan for them is cheaper than two patterns
    for m in MISSION.finditer(text):
        end = _place_end(m, ctx)
        if end is not None:
            out.append(Mention(m.start(), end, "org", (), local_name=text[m.start() : end]))
    for m in MISSION_IN.finditer(text):
        start = m.start("kind")  # "the Embassy in Vietnam": a government's own mission, named without adjective
        if m.group("adj"):
            adjective = next(_adjective_places(m.group("adj"), ctx), None)
            if adjective is None:
                continue  # "the Old Embassy in Moscow": no nationality
            start = m.start("adj") + adjective[0]
        end = _place_end(m, ctx)
        if end is not None:
            out.append(Mention(start, end, "org", (), local_name=text[start:end]))
    return out


def _place_end(m: re.Match[str], ctx: FindContext) -> int | None:
    """Where the register place that begins the ``place`` group of a mission pattern ends in the text
    (capitalised words after it, such as a name that follows, are not the mission's); None when no register
    place begins the group."""
    found = [p for p in ctx.index.matches(m.group("place")) if p.start == 0]
    if found and any(ctx.register[t].kind == "place" for t in found[0].form.targets):
        return m.start("place") + found[0].end
    return None


def _adjective_places(words: str, ctx: FindContext) -> Iterator[tuple[int, str]]:
    """(offset, place id) for a nationality adjective ending ``words``, the two-word one first: "North Korean"
    gives North Korea, then "Korean" whatever "Korean" means alone."""
    parts = words.split(" ")
    candidates = [(0, words)] + ([(len(words) - len(parts[-1]), parts[-1])] if len(parts) > 1 else [])
    for offset, candidate in candidates:
        place = ctx.adjectives.get(candidate)
        if place is not None:
            yield offset, place


#: One or two capitalised words directly before a name: where a nationality adjective would stand.
ADJECTIVE_BEFORE = re.compile(r"(?:(?<=\s)|^)((?:[A-Z][a-z]+ )?[A-Z][a-z]+) $")


def national_org(text: str, start: int, targets: tuple[str, ...], ctx: FindContext) -> tuple[tuple[str, ...], int]:
    """ "Hungarian Foreign Ministry": the country adjective before a short organisation name decides among
    its entries. Returns the entries of that country (empty when the register has none: the caller keeps a
    local organisation) and where the adjective starts; ``(targets, start)`` when no adjective stands there."""
    m = ADJECTIVE_BEFORE.search(text[max(0, start - 40) : start])
    if m is None:
        return targets, start
    found = next(_adjective_places(m.group(1), ctx), None)
    if found is None:
        return targets, start
    country = ctx.register[found[1]].country
    adjective_start = start - len(m.group(1)) - 1 + found[0]
    return tuple(t for t in targets if ctx.register[t].country == country), adjective_start


#: The finder table: position = rule rank.
FINDERS: tuple[tuple[str, Finder], ...] = (
    ("treaty-description", find_treaty_descriptions),
    ("register", find_register_names),
    ("government", find_governments),
    ("cued-person", find_cued_persons),
    ("mission", find_missions),
)


def find_mentions(text: str, ctx: FindContext, tokens: list[Token] | None = None) -> list[Mention]:
    """Every candidate mention any finder sees in ``text`` (whose ``tokens`` the caller may have already),
    tagged with its finder's rank."""
    tokens = tokenize(text) if tokens is None else tokens
    out: list[Mention] = []
    for rank, (_, finder) in enumerate(FINDERS):
        for mention in finder(text, tokens, ctx):
            out.append(Mention(**{**mention.__dict__, "rule": rank}))
    return out
