"""The plain-text export, the behaviours table and the export table, on small hand-written TEI."""

from __future__ import annotations

import inspect

import pytest
from lxml import etree
from test_export_goldens import load

from tei_cable.errors import UnknownChoiceError
from tei_cable.export import EXPORTERS, export
from tei_cable.export.behaviours import BEHAVIOURS, Behaviour, Renderer, behaviour_of
from tei_cable.tei import TEI_NS, parse_xml


def body(xml: str) -> etree._ElementTree:
    return parse_xml(f'<TEI xmlns="{TEI_NS}"><text><body>{xml}</body></text></TEI>'.encode())


def text(xml: str, **options: object) -> str:
    return export(body(xml), "text", **options)


def test_supplied_gap_emphasis_and_quotes() -> None:
    out = text('<p>Mao <supplied reason="x">Zedong</supplied> read <hi rend="italic">Pravda</hi>, '
               '<title rend="italic"> Red Flag </title> and "<q>quotes</q>" <gap rend="[...]"/> <gap/></p>')
    assert out == 'Mao [Zedong] read *Pravda*, *Red Flag* and "quotes" [...] [...]\n'


def test_blocks_lists_labels_and_lines() -> None:
    out = text('<div type="document"><opener><seg type="classification">TOP SECRET</seg><seg>Copy No. 2</seg>'
               "<salute>To Mao:</salute></opener><p>Text\n   runs   on.</p>"
               '<list type="ordered"><item n="1"><label>[1]</label> One;</item><item n="2"><label>(2)</label> Two.'
               '</item></list><closer><signed>Paul Wandel<lb/>Ambassador</signed></closer></div>'
               '<div type="annex"><head>Annex 1</head><milestone unit="separator" rend="* * *"/><p>A.</p></div>')
    assert out == ("TOP SECRET\nCopy No. 2\nTo Mao:\n\nText runs on.\n\n[1] One;\n\n(2) Two.\n\n"
                   "Paul Wandel\nAmbassador\n\nAnnex 1\n\n* * *\n\nA.\n")


def test_speaker_runs_into_the_first_paragraph() -> None:
    out = text("<sp><speaker>Stalin:</speaker><p>One.</p><p>Two.</p></sp><p>After.</p>")
    assert out == "Stalin: One.\n\nTwo.\n\nAfter.\n"


def test_notes_markers_and_endnotes() -> None:
    xml = ('<p>To Mao:<note n="1" place="foot">Short.</note> and more<note n="2"><p>First.</p><p>Second.</p>'
           "</note></p>")
    assert text(xml) == "To Mao:[1] and more[2]\n\nNotes\n\n[1] Short.\n\n[2] First.\n\nSecond.\n"
    assert text(xml, body_only=True) == "To Mao: and more\n"


def test_choice_shows_the_corrected_reading() -> None:
    assert text("<p><choice><sic>Chou</sic><corr>Zhou</corr></choice> Enlai</p>") == "Zhou Enlai\n"


def test_header_block() -> None:
    lines = export(load(), "text").splitlines()
    assert lines[0] == "Cable, Zhou Enlai to Chairman Mao [Zedong] and the Central Committee"
    assert lines[1] == "August 28, 1952"
    assert lines[2].startswith("Source: “Cable, Zhou Enlai") and lines[2].endswith("Translated by David Cowhig.")
    assert lines[3] == "https://digitalarchive.wilsoncenter.org/document/208202"
    assert lines[4] == ""


def test_unknown_elements_fall_back_and_are_reported_once() -> None:
    with pytest.warns(UserWarning) as caught:
        out = text("<p>a <frob>b</frob> <frob>c</frob></p><wrapper><p>d</p></wrapper>")
    assert out == "a b c\n\nd\n"
    assert [str(w.message) for w in caught] == [
        "element <frob> is not in the behaviours table; shown as inline",
        "element <wrapper> is not in the behaviours table; shown as block"]


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_exporters_never_change_the_tree(fmt: str) -> None:
    # C14N, not serialize(): serialize() indents the tree in place, which would hide an exporter's whitespace edit.
    tree = load()
    before = etree.tostring(tree, method="c14n")
    export(tree, fmt)
    assert etree.tostring(tree, method="c14n") == before


def test_export_table_misses_name_the_choices() -> None:
    with pytest.raises(UnknownChoiceError, match="choose one of: ceteicean, cmif, html, json, text"):
        export(load(), "docx")
    with pytest.raises(UnknownChoiceError, match="body_only"):
        export(load(), "html", body_only=True)


def test_every_renderer_implements_the_whole_vocabulary() -> None:
    from tei_cable.export.html import HtmlRenderer
    from tei_cable.export.text import TextRenderer

    for behaviour in Behaviour:
        assert behaviour.method in Renderer.__abstractmethods__
        for renderer in (TextRenderer, HtmlRenderer):
            assert not inspect.isabstract(renderer)
            assert getattr(renderer, behaviour.method) is not getattr(Renderer, behaviour.method)


def test_behaviours_table_entries_have_rules_and_comments() -> None:
    import tei_cable.export.behaviours as module

    source = inspect.getsource(module)
    table = source[source.index("\nBEHAVIOURS: dict"):source.index("\nDEFAULT_RULES")]
    for name, rules in BEHAVIOURS.items():
        assert rules and all(isinstance(b, Behaviour) for _, b in rules), name
        line = next(line for line in table.splitlines() if line.startswith(f'    "{name}": '))
        assert "  # " in line, f"the entry for {name} has no comment on what the reader sees"


def test_behaviour_rules_are_ordered() -> None:
    tree = body('<p><title rend="italic">A</title><title>B</title><seg>c</seg></p><opener><seg>d</seg></opener>'
                '<milestone unit="separator"/><milestone unit="page"/>')
    p, opener, rule, page = tree.getroot()[0][0]
    assert [behaviour_of(e) for e in p] == [Behaviour.EMPHASIS, Behaviour.INLINE, Behaviour.INLINE]
    assert behaviour_of(opener[0]) is Behaviour.LINE
    assert (behaviour_of(rule), behaviour_of(page)) == (Behaviour.RULE, Behaviour.OMIT)
