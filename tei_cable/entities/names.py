"""Token-level matching of register names in running text.

Names are matched as token sequences (words and punctuation), longest first, so
word boundaries come for free ("Mao" never matches inside "Maoist"). Some forms
are derived rather than listed in the register:

* ALL-CAPS forms (speaker labels such as ``MOLOTOV.``);
* straight vs curly apostrophes, and hyphen vs space (``Kim Il-sung`` / ``Kim Il Sung``);
* translator brackets inside a name (``Mao [Zedong]``, ``Filippov [Stalin]``): the
  brackets are skipped while matching and end up inside the mention.

Case rule: a capitalised word of a form must be capitalised in the text too
("China" is not "china"), except generic words such as "Railway" or "Committee".
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import NamedTuple

#: Words, with inner apostrophes ("People's", "Dang'anguan"), or single punctuation characters.
TOKEN = re.compile(r"[^\W_]+(?:['’](?![sS]\b)[^\W_]+)*|[^\w\s]")  # "Enlai's" -> "Enlai", "'", "s"
#: Tokens that matching steps over: hyphens (Il-sung = Il Sung) and translator brackets.
SKIPPED = frozenset({"-", "‐", "–", "[", "]"})
#: Capitalised words in forms that a translator may well write in lower case.
GENERIC_WORDS = frozenset({
    "railway", "railroad", "port", "committee", "government", "party", "ministry", "commission", "council",
    "treaty", "agreement", "conference", "bureau", "office", "army", "navy", "department", "bank",
    "river", "island", "islands", "strait", "sea", "peninsula", "province", "region", "city", "republic",
    "assembly", "congress", "presidium", "secretariat", "politburo", "union", "front", "league", "pact",
    "communiqué", "communique", "declaration", "accords", "accord", "armistice", "charter", "protocol",
    "of", "the", "and", "for", "on", "in", "at", "de", "du", "la", "von", "van", "der",
})


class Token(NamedTuple):
    """One word or punctuation mark (a named tuple: documents have thousands, and they are built fast)."""

    text: str
    start: int
    end: int
    after_hyphen: bool  # the previous token was a hyphen: "sung" in "Il-sung" may be lower case
    in_brackets: bool
    key: str  # what matching compares: lower case, straight apostrophe


_new_tuple = tuple.__new__


def tokenize(text: str) -> list[Token]:
    """Matchable tokens of ``text`` (hyphens and brackets are dropped but remembered)."""
    tokens: list[Token] = []
    depth = 0
    after_hyphen = False
    for m in TOKEN.finditer(text):
        word = m.group()
        if word in SKIPPED:
            if word == "[":
                depth += 1
            elif word == "]":
                depth = max(0, depth - 1)
            after_hyphen = word in {"-", "‐"} and m.start() > 0 and not text[m.start() - 1].isspace()
            continue
        start, end = m.span()
        # tuple.__new__ builds the named tuple without the Python-level __new__ a NamedTuple call goes
        # through: a seed-sized document has some 1,600 tokens, and this is a fifth of tokenizing them.
        tokens.append(_new_tuple(Token, (word, start, end, after_hyphen, depth > 0, word.replace("’", "'").lower())))
        after_hyphen = False
    return tokens


@functools.lru_cache(maxsize=16384)
def _form_tokens(text: str) -> list[Token]:
    """A register form's tokens, remembered: the full index and the index without events (``inner_index``)
    tokenize the same few thousand forms, which is a third of a cold start's conversion time."""
    return tokenize(text)


def _is_caps(word: str) -> bool:
    if word.isascii():
        # Every ASCII letter is cased: isupper() is "no lower-case letter and at least one letter", in C.
        return word.isupper() and sum(c.isalpha() for c in word) >= 2
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def case_ok(found: Sequence[Token], form: Sequence[Token]) -> bool:
    """The case rule (module docstring)."""
    if all(_is_caps(t.text) or not any(c.isalpha() for c in t.text) or len(t.text) == 1 for t in found) \
            and any(_is_caps(t.text) for t in found):
        return True  # an ALL-CAPS rendering of the form
    for got, want in zip(found, form, strict=True):
        if want.text[:1].isupper() and want.key not in GENERIC_WORDS and not got.after_hyphen \
                and not got.text[:1].isupper():
            return False
        if got.text[:1].isupper() and len(got.text) > 1 and _is_caps(got.text) and not _is_caps(want.text) \
                and len(found) > 1:
            return False  # "US Government" is fine, "CHINA Railway" half in capitals is not a form
    return True


@dataclass(frozen=True)
class Form:
    tokens: tuple[Token, ...]
    key: tuple[str, ...]
    targets: tuple[str, ...]  # the ids this exact form belongs to (several = ambiguous)
    name_type: str  # "preferred", "variant", "short", "pseudonym" (the strongest among targets)


@dataclass(frozen=True)
class Match:
    start: int  # character offsets into the text
    end: int
    first: int  # token indexes
    last: int
    form: Form
    token_start: int  # where the first matched word starts (``start`` may include an opening bracket)


#: How strongly a name type identifies its entry, strongest first.
NAME_TYPE_RANK = ("preferred", "variant", "pseudonym", "short", "local")


class NameIndex:
    """All matchable forms, indexed by their first two token keys (one-word forms by their only key).

    Two keys, because the first alone is often a common word ("the", "Soviet") that begins hundreds of forms.
    """

    def __init__(self, forms: Iterable[tuple[str, str, str]]) -> None:
        """``forms``: (form text, entry id, name type) triples."""
        grouped: dict[tuple[str, ...], tuple[list[Token], list[str], list[str]]] = {}
        for text, target, name_type in forms:
            tokens = _form_tokens(text)
            if not tokens:
                continue
            key = tuple(t.key for t in tokens)
            slot = grouped.setdefault(key, (tokens, [], []))
            if target not in slot[1]:
                slot[1].append(target)
                slot[2].append(name_type)
        self._by_pair: dict[tuple[str, str], list[Form]] = {}
        self._single: dict[str, Form] = {}
        self._first: set[str] = set()  # every form's first key: most words of a text start no name
        for key, (tokens, targets, types) in grouped.items():
            rank = min(types, key=lambda t: NAME_TYPE_RANK.index(t) if t in NAME_TYPE_RANK else 9)
            form = Form(tuple(tokens), key, tuple(sorted(targets)), rank)
            self._first.add(key[0])
            if len(key) == 1:
                self._single[key[0]] = form
            else:
                self._by_pair.setdefault((key[0], key[1]), []).append(form)
        for forms_list in self._by_pair.values():
            forms_list.sort(key=lambda f: -len(f.key))

    @property
    def first_keys(self) -> AbstractSet[str]:
        """The first token key of every form: a token whose key is not here starts no match."""
        return self._first

    def __len__(self) -> int:
        return len(self._single) + sum(len(v) for v in self._by_pair.values())

    def matches(self, text: str, tokens: list[Token] | None = None) -> list[Match]:
        """Leftmost-longest, non-overlapping matches in ``text``."""
        tokens = tokenize(text) if tokens is None else tokens
        out: list[Match] = []
        first = self._first
        taken = 0  # tokens before this belong to a match already
        # One comprehension finds the few tokens that can start a form (a loop over every token was slower).
        for i in [k for k, t in enumerate(tokens) if t.key in first]:
            if i < taken:
                continue
            found = self.match_at(text, tokens, i)
            if found is not None:
                out.append(found)
                taken = found.last + 1
        return out

    def match_at(self, text: str, tokens: list[Token], i: int) -> Match | None:
        """The longest form that matches at token ``i`` (``None`` when none does)."""
        first = tokens[i].key
        if first not in self._first:
            return None  # most words start no form: callers that try every token pay one set lookup
        candidates: list[Form] = []
        if i + 1 < len(tokens):
            candidates.extend(self._by_pair.get((first, tokens[i + 1].key), ()))
        single = self._single.get(first)
        if single is not None:
            candidates.append(single)
        for form in candidates:
            n = len(form.key)
            window = tokens[i : i + n]
            # The index lookup already matched the first two keys (the only key of a one-word form).
            if len(window) < n or (n > 2 and any(window[k].key != form.key[k] for k in range(2, n))):
                continue
            if not case_ok(window, form.tokens) or (n > 1 and not _adjacent(text, window)):
                continue
            start, end = window[0].start, window[-1].end
            # Bring translator brackets that open or close inside the name into the mention.
            if window[0].in_brackets and text[:start].rstrip().endswith("["):
                start = text.rindex("[", 0, start)
            if window[-1].in_brackets:
                close = text.find("]", end)
                if close != -1 and not text[end:close].strip():
                    end = close + 1
            return Match(start, end, i, i + n - 1, form, window[0].start)
        return None


def _adjacent(text: str, window: list[Token]) -> bool:
    """Tokens of one name are separated only by spaces, hyphens or brackets (never a line break or comma)."""
    for a, b in itertools.pairwise(window):
        gap = text[a.end : b.start]
        if gap and (gap.strip(" -‐[]") or "\n" in gap or len(gap) > 4):
            return False
    return True
