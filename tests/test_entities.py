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
