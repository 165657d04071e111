"""Focused rules of the entity finders, on one sentence each (the fixtures test them in whole documents)."""

from __future__ import annotations

import pytest

from tei_cable.convert import load_register
from tei_cable.entities.finders import FindContext, find_mentions


@pytest.fixture(scope="module")
def ctx() -> FindContext:
    return FindContext(load_register(()))


def people(text: str, ctx: FindContext) -> list[tuple[str, tuple[str, ...], str]]:
    return [(text[m.start : m.end], m.candidates, m.local_name) for m in find_mentions(text, ctx) if m.kind == "person"]


@pytest.mark.parametrize(("text", "expected"), [
    # A first name that the register's entry does not bear: a namesake, kept as a local person.
    ("Drafted by: FE - William P. Bundy", [("William P. Bundy", (), "William P. Bundy")]),
    ("– Andrei Kozlov.", [("Andrei Kozlov", (), "Andrei Kozlov")]),
    # The entry's own first name, or a spelling of it, keeps the link.
    ("Frol Kozlov arrived", [("Frol Kozlov", ("frol-kozlov",), "")]),
    ("Andrey Gromyko said", [("Andrey Gromyko", ("andrei-gromyko",), "")]),
    # Words that are not first names change nothing.
    ("Yesterday Kozlov said", [("Kozlov", ("frol-kozlov",), "")]),
    ("Comrade Kozlov said", [("Comrade Kozlov", ("frol-kozlov",), "")]),
])
def test_a_namesake_is_not_linked_to_the_registers_person(text, expected, ctx):
    assert people(text, ctx) == expected


def orgs(text: str, ctx: FindContext) -> list[tuple[str, tuple[str, ...], str]]:
    return [(text[m.start : m.end], m.candidates, m.local_name) for m in find_mentions(text, ctx) if m.kind == "org"]


@pytest.mark.parametrize(("text", "expected"), [
    # The nationality adjective picks the country's entry among those of a short name...
    ("the Soviet Foreign Ministry said", [("Soviet Foreign Ministry", ("foreign-ministry-soviet-union",), "")]),
    ("the Polish Central Committee", [("Central Committee", ("puwp-central-committee",), "")]),
    # ... and when the register has none of that country, the words make a local organisation.
    ("to the Hungarian Foreign Ministry", [("Hungarian Foreign Ministry", (), "Hungarian Foreign Ministry")]),
    # An embassy named by its country and its seat is one organisation, not the city.
    ("from the Hungarian Embassy in Beijing",
     [("Hungarian Embassy in Beijing", (), "Hungarian Embassy in Beijing")]),
    ("to the Embassy in Vietnam", [("Embassy in Vietnam", (), "Embassy in Vietnam")]),  # a government's own
])
def test_a_nationality_adjective_decides_whose_organisation(text, expected, ctx):
    assert orgs(text, ctx) == expected


def test_without_an_adjective_a_short_name_stays_ambiguous(ctx):
    [(text, candidates, _)] = orgs("the Foreign Ministry", ctx)
    assert text == "Foreign Ministry" and len(candidates) > 3


def test_a_title_before_a_surname_is_not_a_first_name(ctx):
    """The register spells some people with a title ("Prince Souvanna Phouma"): the title never makes a namesake."""
    assert people("inform General Khanh today", ctx) == [("General Khanh", ("nguyen-khanh",), "")]


def test_one_edit_agrees_with_the_edit_distance() -> None:
    """The linear one-edit test nearest_person uses is the bounded edit distance it replaced."""
    from itertools import product

    from tei_cable.entities.finders import _edit_distance, _one_edit

    words = ["", "a", "ab", "ba", "abc", "acb", "abcd", "abd", "xbc", "abcx", "tsedenbal", "tsendenbal",
             "tsedenba", "sedenbal", "tsedenbl", "tsedembal", "zhou", "zhu", "zhoue"]
    words += ["".join(p) for n in range(4) for p in product("ab", repeat=n)]
    for a, b in product(words, repeat=2):
        assert _one_edit(a, b) == (_edit_distance(a, b, 1) <= 1), (a, b)


def test_is_caps_ascii_path_agrees_with_the_letter_count() -> None:
    """The ASCII shortcut of _is_caps gives what counting letters gives."""
    from tei_cable.entities.names import _is_caps

    def by_letters(word: str) -> bool:
        letters = [c for c in word if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in word if c.isalpha())

    words = ["", "A", "AB", "Ab", "aB", "MOLOTOV", "US", "U2", "A1B", "1952", "A.B", "A-", "XIII", "ÉTAT",
             "İS", "Ünal", "ÜN", "ab", "'", "B'S", "A B"]
    for word in words:
        assert _is_caps(word) == by_letters(word), word
