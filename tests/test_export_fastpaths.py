"""The exporters' fast paths against the slow definitions they replace, on awkward input.

Each fast path (a short cut for the common case, a table built once) must give exactly what its reference
gives: the golden files pin the fixtures, these tests pin everything else a document may hold.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tei_cable.export.behaviours import XML_WHITESPACE, collapse_space, plain_text
from tei_cable.export.html import esc, escape_reference
from tei_cable.export.json_export import dumps_indented
from tei_cable.export.text import TextRenderer
from tei_cable.tei import TEI_NS

#: Characters that whitespace handling or escaping treats specially, their neighbours, and ordinary ones.
AWKWARD = (" \t\n\r\u00a0\u2002\u2003\u2028\u2029\u3000\u200b\u0085\u202f\u205f"  # whitespace and near misses
           "&<>\"'`=;#"                                                             # markup
           "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2065\u206a\u200e\u200f"  # bidi and neighbours
           "aZ09-_é中\U0001f600")
awkward_text = st.text(alphabet=AWKWARD, max_size=40)
SETTINGS = settings(max_examples=400, deadline=None)


@pytest.mark.parametrize("text", ["", " ", "a b", " a b ", "a  b", "a\tb", "a\nb", "a\rb", " \n ", "a \u00a0 b",
                                  "a\u3000\u3000b", "\t", "x" * 200 + "  " + "y"])
def test_collapse_space_is_the_regex(text: str) -> None:
    assert collapse_space(text) == XML_WHITESPACE.sub(" ", text)


@SETTINGS
@given(awkward_text)
def test_collapse_space_of_any_text_is_the_regex(text: str) -> None:
    assert collapse_space(text) == XML_WHITESPACE.sub(" ", text)


def plain_text_reference(el: etree._Element) -> str:
    """``plain_text`` as it is defined: the plain-text renderer's output for the content, on one line."""
    renderer = TextRenderer(notes=False, report_unknown=False)
    renderer.contents(el)
    return XML_WHITESPACE.sub(" ", renderer.finish()).strip()


def leaf(text: str | None) -> etree._Element:
    el = etree.Element(f"{{{TEI_NS}}}persName")
    el.text = text
    return el


@pytest.mark.parametrize("text", [None, "", " ", "\n\t ", "  Mao \n Zedong  ", "\u00a0Mao\u00a0", " \u00a0 x \u3000",
                                  "\u2028a\u2029", "a\r\nb", "\u200bMao\u200b", "\u0085x\u0085"])
def test_plain_text_of_a_leaf_is_the_renderers(text: str | None) -> None:
    assert plain_text(leaf(text)) == plain_text_reference(leaf(text))


@SETTINGS
@given(awkward_text)
def test_plain_text_of_any_leaf_is_the_renderers(text: str) -> None:
    el = leaf(text)
    assert plain_text(el) == plain_text_reference(el)


def test_plain_text_with_children_still_uses_the_renderer() -> None:
    """A comment is a child too: the short cut must not take it (its tail is text)."""
    el = etree.fromstring(f'<p xmlns="{TEI_NS}"> Mao<!-- c --> Zedong <supplied>[x]</supplied> </p>')
    assert plain_text(el) == plain_text_reference(el) == "Mao Zedong [[x]]"
    bare = etree.fromstring(f'<p xmlns="{TEI_NS}"><!-- only a comment --></p>')
    assert plain_text(bare) == plain_text_reference(bare) == ""


@pytest.mark.parametrize("value", ["", "plain", "Mao's", 'a "b" <c> & d', "&amp;", "\u202eevil\u202c", "\u2066x\u2069",
                                   "\u2065\u206a\u202f", "é中\U0001f600", 7, 0, None, True, 3.5])
def test_esc_is_the_reference(value: object) -> None:
    assert esc(value) == escape_reference(str(value))


@SETTINGS
@given(awkward_text)
def test_esc_of_any_text_is_the_reference(text: str) -> None:
    assert esc(text) == escape_reference(text)


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), awkward_text)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(awkward_text, inner, max_size=4)), max_leaves=30)


@SETTINGS
@given(json_values)
def test_dumps_indented_is_the_standard_library(value: object) -> None:
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_dumps_indented_beyond_its_table_of_separators() -> None:
    """Separators are made once for the depths an export reaches; deeper values get theirs when met."""
    value: object = {"leaf": [1, "x", {}]}
    for depth in range(40):
        value = {f"level {depth}": value, "empty": [[]]} if depth % 2 else [value, None]
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)
