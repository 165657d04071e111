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
