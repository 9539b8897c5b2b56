"""Tags through the protection layer (translate.protect) or projected: both keep every tag."""

from __future__ import annotations

from collections.abc import Sequence

from translate.documents.inline import from_markup, tag_ids, to_markup
from translate.documents.translator import EngineTranslator, translate_segments


class _Protecting:
    """A translator whose protection layer keeps tags; ``broken`` scrambles them instead."""

    protects_tags = True

    def __init__(self, broken: bool = False) -> None:
        self.broken = broken
        self.requests: list[str] = []

    def translate_texts(self, texts: Sequence[str]) -> list[str]:
        self.requests.extend(texts)
        outputs = []
        for text in texts:
            if self.broken and "<g1>" in text:
                text = text.replace("<g1>", "#").replace("</g1>", "<g1>").replace("#", "</g1>")
            outputs.append(text.replace("vet", "bold").replace("Dit is", "This is"))
        return outputs


def test_tags_that_come_back_whole_are_taken_as_they_are() -> None:
    translator = _Protecting()
    [result] = translate_segments([from_markup("Dit is <g1>vet</g1>.<x2/>")], translator, True)
    assert to_markup(result) == "This is <g1>bold</g1>.<x2/>"
    assert translator.requests == ["Dit is <g1>vet</g1>.<x2/>"]  # no phrase requests


def test_scrambled_tags_fall_back_to_projection() -> None:
    [result] = translate_segments(
        [from_markup("Dit is <g1>vet</g1> nu.")], _Protecting(broken=True), True
    )
    assert tag_ids(result) == [1] and to_markup(result).count("<g1>") == 1


def test_text_holding_angle_brackets_is_projected() -> None:
    translator = _Protecting()
    [result] = translate_segments([from_markup("a &lt; b is <g1>vet</g1>.")], translator, True)
    assert tag_ids(result) == [1]
    assert "a < b is vet." in translator.requests  # the plain text, not markup


def test_without_a_protection_layer_tags_are_projected(upper: object) -> None:
    [result] = translate_segments([from_markup("Dit is <g1>vet</g1>.")], upper, True)  # type: ignore[arg-type]
    assert to_markup(result) == "DIT IS <g1>VET</g1>."


def test_the_model_with_protection_keeps_every_tag(engine: object) -> None:
    from glossary.enforce import build_enforcer

    translator = EngineTranslator(engine, build_enforcer([], use_default=True, protect=True))  # type: ignore[arg-type]
    assert translator.protects_tags
    segments = [
        from_markup("De <g1>minister</g1> zegt dat het <g2>kabinet</g2> morgen vergadert."),
        from_markup("Lees meer op <g1>de website</g1> van de omroep.<x2/>"),
        from_markup("Dit is <g1>vet en <g2>schuin</g2></g1> gedrukt."),
    ]
    results = translate_segments(segments, translator, True)
    assert [tag_ids(r) for r in results] == [tag_ids(s) for s in segments]
