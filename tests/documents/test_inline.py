"""Inline tags: markup round trip and projection onto translations (hypothesis properties)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.documents.inline import (
    Mark,
    Node,
    Nodes,
    Tag,
    from_markup,
    normalize,
    phrases,
    plain_text,
    project,
    tag_ids,
    to_markup,
)

TEXT = st.text(alphabet=st.sampled_from(list("abc xyz<>&.,é\n")), max_size=12)


@st.composite
def segments(draw: st.DrawFn, depth: int = 0) -> Nodes:
    counter = draw(st.shared(st.just([0]), key="counter"))
    nodes: list[Node] = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "tag", "mark"] if depth < 3 else ["text", "mark"]))
        if kind == "text":
            nodes.append(draw(TEXT))
        else:
            counter[0] += 1
            number = counter[0]
            if kind == "mark":
                nodes.append(Mark(number, draw(st.booleans())))
            else:
                nodes.append(Tag(number, draw(segments(depth + 1))))
    return normalize(nodes)


@given(segments())
def test_markup_round_trip(segment: Nodes) -> None:
    assert from_markup(to_markup(segment)) == segment


@settings(max_examples=300)
@given(segments(), st.text(alphabet=st.sampled_from(list("AB CD. éf\n")), max_size=40), st.data())
def test_projection_keeps_every_tag_once_in_order(
    segment: Nodes, output: str, data: st.DataObject
) -> None:
    renderings = {
        p: data.draw(st.sampled_from(["", p, output[:5], "CD"])) for p in phrases(segment)
    }
    projected = project(segment, output, renderings)
    assert tag_ids(projected) == tag_ids(segment)
    # the translation's text, plus at most a space beside a mark that had spaces around it
    assert plain_text(projected).replace(" ", "") == output.replace(" ", "")
    assert len(plain_text(projected)) - len(output) <= to_markup(segment).count("/>")
    assert _shape(projected) == _shape(segment)


def _shape(nodes: Nodes) -> list[object]:
    """Nesting of tags and marks without the text."""
    return [
        (node.id, _shape(node.children)) if isinstance(node, Tag) else ("mark", node.id)
        for node in nodes
        if not isinstance(node, str)
    ]


@pytest.mark.parametrize(
    "markup",
    ["<g1>open", "a</g1>", "<g1><g2></g1></g2>", "a < b", "<x1>", "</x1/>"],
)
def test_malformed_markup_is_refused(markup: str) -> None:
    with pytest.raises(ValueError):
        from_markup(markup)


def test_tags_go_around_the_translation_of_their_phrase() -> None:
    source = from_markup("Dit is <g1>vet</g1> en <g2>schuin</g2>.<x3/>")
    projected = project(source, "This is bold and italic.", {"vet": "bold", "schuin": "italic"})
    assert to_markup(projected) == "This is <g1>bold</g1> and <g2>italic</g2>.<x3/>"


def test_names_and_cognates_are_found_without_a_rendering() -> None:
    source = from_markup("Het <g1>kabinet</g1> van <g2>Rutte</g2> viel.")
    projected = project(source, "The cabinet of Rutte fell.", {})
    assert to_markup(projected) == "The <g1>cabinet</g1> of <g2>Rutte</g2> fell."


def test_a_tag_with_no_clue_is_placed_by_position_not_dropped() -> None:
    source = from_markup("Een <g1>xyz</g1> woord hier.")
    projected = project(source, "Something entirely different.", {})
    assert tag_ids(projected) == [1]
    assert plain_text(projected) == "Something entirely different."
    assert to_markup(projected).count("<g1>") == 1
