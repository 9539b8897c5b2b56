"""The engine on the real bundled model (no exact translations asserted)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translate.engine import Engine, EngineOptions
from translate.errors import ModelError
from translate.packages import ArgosPackage, load_package


def test_one_output_per_sentence_in_order(engine: Engine) -> None:
    sources = ["Goedemorgen.", "De minister-president sprak gisteren in Den Haag.", "Dank u wel."]
    outputs = engine.translate_sentences(sources)
    assert len(outputs) == 3
    assert all(output.strip() for output in outputs)
    assert outputs == [engine.translate_sentences([s])[0] for s in sources]


def test_repeated_sentences_are_translated_once(engine: Engine) -> None:
    before = engine.stats.sentences_translated
    outputs = engine.translate_sentences(["Hallo.", "Tot ziens.", "Hallo.", "Hallo."])
    assert engine.stats.sentences_translated - before == 2
    assert outputs[0] == outputs[2] == outputs[3]


def test_empty_input(engine: Engine) -> None:
    assert engine.translate_sentences([]) == []
    assert engine.translate_document("").text == ""
    assert engine.translate_document("\n \n").text == "\n \n"


def test_engine_is_loaded_once_per_package_and_options(bundled: ArgosPackage) -> None:
    options = EngineOptions(beam_size=2)
    assert Engine.load(bundled, options) is Engine.load(bundled, options)
    assert Engine.load(bundled, options) is not Engine.load(bundled, EngineOptions(beam_size=1))


def test_model_id_names_package_and_version(engine: Engine, bundled: ArgosPackage) -> None:
    name, rest = engine.model_id.split("@")
    version, digest = rest.split("#")
    assert name == bundled.name and version == (bundled.package_version or "0")
    assert len(digest) == 12


def test_layout_is_kept_exactly(engine: Engine) -> None:
    text = "  Titel van het stuk\n\nEerste zin. Tweede zin!\n\tIngesprongen regel.\r\n\n\n"
    result = engine.translate_document(text)
    lines_in, lines_out = text.split("\n"), result.text.split("\n")
    assert len(lines_in) == len(lines_out)
    for before, after in zip(lines_in, lines_out, strict=True):
        assert bool(before.strip()) == bool(after.strip())
        assert (
            before[: len(before) - len(before.lstrip())]
            == after[: len(after) - len(after.lstrip())]
        )
        assert before.endswith("\r") == after.endswith("\r")
    assert [s.source for s in result.segments] == [
        "Titel van het stuk",
        "Eerste zin.",
        "Tweede zin!",
        "Ingesprongen regel.",
    ]
    assert all(s.seconds >= 0 and s.terms == () for s in result.segments)


_WORDS = st.sampled_from(
    ["De", "kat", "zit", "op", "de", "mat.", "Het", "regent!", "Waarom?", "ja"]
)
_LINE = st.lists(_WORDS, max_size=6).map(" ".join)
_SPACE = st.sampled_from(["", " ", "  ", "\t"])
_DOC = st.lists(st.tuples(_SPACE, _LINE, _SPACE).map("".join), max_size=5).map("\n".join)


@given(_DOC)
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_document_keeps_its_line_structure(engine: Engine, text: str) -> None:
    result = engine.translate_document(text)
    lines_in, lines_out = text.split("\n"), result.text.split("\n")
    assert len(lines_in) == len(lines_out)
    for before, after in zip(lines_in, lines_out, strict=True):
        assert bool(before.strip()) == bool(after.strip())


def test_long_sentences_are_split_not_truncated(bundled: ArgosPackage) -> None:
    engine = Engine.load(bundled, EngineOptions(beam_size=1, max_input_tokens=24))
    clause = "de kinderen speelden in de tuin van het grote huis aan de rivier"
    sentence = ", en ".join([clause] * 8) + "."
    assert len(engine.encode_source([sentence])[0]) > 3 * 24
    before = engine.stats.long_sentences_split
    chunks_before = engine.stats.chunks_translated
    output = engine.translate_sentences([sentence])[0]
    assert engine.stats.long_sentences_split == before + 1
    assert engine.stats.chunks_translated - chunks_before >= 4
    assert len(output.split()) > 3 * 10  # all pieces made it into the output


def test_prefix_constrained_decoding(engine: Engine) -> None:
    sources = ["De kat zit op de mat.", "Het regent vandaag."]
    outputs = engine.translate_with_prefixes(sources, ["Yesterday the", None])
    assert outputs[0].startswith("Yesterday the")
    assert outputs[1] == engine.translate_sentences([sources[1]])[0]
    tokens = engine.encode_target("Yesterday the")
    assert engine.translate_with_prefixes(sources[:1], [tokens]) == outputs[:1]
    with pytest.raises(ValueError, match="one target prefix"):
        engine.translate_with_prefixes(sources, [None])


def test_nbest_and_token_access(engine: Engine) -> None:
    nbest = engine.translate_nbest(["Goedenavond, dames en heren."], 2)
    assert len(nbest) == 1 and len(nbest[0]) == 2
    tokens = engine.encode_source(["Goedenavond."])
    hypotheses = engine.translate_tokens(tokens)
    assert (
        engine.decode_target([hypotheses[0][0]])[0]
        == engine.translate_sentences(["Goedenavond."])[0]
    )


def test_package_metadata_sets_the_longest_piece(tmp_path: Path, copy_package: Any) -> None:
    package = load_package(copy_package(tmp_path / "short", max_input_tokens=12))
    engine = Engine.load(package, EngineOptions(beam_size=1))
    assert engine.max_input_tokens == 12
    overridden = Engine.load(package, EngineOptions(beam_size=1, max_input_tokens=40))
    assert overridden.max_input_tokens == 40
    sentence = "De minister sprak gisteren in Den Haag lang over de begroting van volgend jaar."
    assert len(engine.encode_source([sentence])[0]) > 12
    [pieces] = engine.source_pieces([sentence])
    assert len(pieces) > 1 and all(len(piece) <= 12 for piece in pieces)
    assert [token for piece in pieces for token in piece] == engine.encode_source([sentence])[0]
    before = engine.stats.long_sentences_split
    engine.translate_sentences([sentence])
    assert engine.stats.long_sentences_split == before + 1


def test_metadata_target_prefix_is_forced_and_removed(tmp_path: Path, copy_package: Any) -> None:
    engine0 = Engine.load(
        load_package(copy_package(tmp_path / "plain")), EngineOptions(beam_size=1)
    )
    token = engine0.encode_target("Indeed")[0]
    package = load_package(copy_package(tmp_path / "prefixed", target_prefix=token))
    engine = Engine.load(package, EngineOptions(beam_size=1))
    source = "De kat zit op de mat."
    output = engine.translate_sentences([source])[0]
    forced = engine0.translate_tokens(engine0.encode_source([source]), [[token]])[0][0]
    assert forced[0] == token
    assert output == engine0.decode_target([forced[1:]])[0]


class _RecordingEnforcer:
    """A real (minimal) enforcer: appends a fixed term to sentences that contain its source."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def enforce(self, sentences: Any, translator: Any) -> list[Any]:
        from dataclasses import dataclass

        @dataclass(frozen=True)
        class Term:
            source: str
            target: str
            verified: bool

        @dataclass(frozen=True)
        class Result:
            source: str
            output: str
            terms: tuple[Term, ...]

        self.calls.append(list(sentences))
        outputs = translator.translate_sentences(sentences)
        return [
            Result(s, o + " NATO", (Term("NAVO", "NATO", True),))
            if "NAVO" in s
            else Result(s, o, ())
            for s, o in zip(sentences, outputs, strict=True)
        ]


def test_enforcer_results_are_recorded_per_segment(engine: Engine) -> None:
    enforcer = _RecordingEnforcer()
    result = engine.translate_document("De NAVO vergadert.\n\nHet regent.", enforcer)
    assert enforcer.calls == [["De NAVO vergadert.", "Het regent."]]
    assert result.text.split("\n")[0].endswith("NATO")
    assert [len(s.terms) for s in result.segments] == [1, 0]
    assert result.terms_applied == 1 and result.terms_verified == 1 and result.glossary_applied


def test_broken_model_is_one_line_model_error(tmp_path: Path, copy_package: Any) -> None:
    package_dir = copy_package(tmp_path / "broken")
    (package_dir / "model" / "model.bin").write_bytes(b"\x00garbage" * 10)
    with pytest.raises(ModelError, match="broken package") as raised:
        Engine.load(load_package(package_dir))
    assert "\n" not in raised.value.message


def test_unsupported_compute_type(bundled: ArgosPackage) -> None:
    with pytest.raises(ModelError, match="not supported on cpu"):
        Engine.load(bundled, EngineOptions(compute_type="float16"))


@given(
    st.lists(st.sampled_from(["▁de", "▁kat", "s", ",", "▁.", "en", "▁;", "x"]), max_size=300),
    st.integers(min_value=2, max_value=40),
)
@settings(max_examples=200, deadline=None)
def test_splitting_tokens_loses_nothing(tokens: list[str], limit: int) -> None:
    from translate.engine import _split_tokens

    chunks = _split_tokens(tokens, limit, lambda t, i: t[i].startswith("▁"))
    assert [token for chunk in chunks for token in chunk] == tokens
    assert all(0 < len(chunk) <= limit for chunk in chunks) or tokens == []


def test_a_runaway_sentence_stops_at_its_own_limit_in_any_batch(engine: Engine) -> None:
    # the bundled model repeats "ha" until it is stopped; beside a long
    # sentence (a higher decoding limit) it must still stop where it does alone
    runaway = "ha ha ha ha"
    alone = engine.translate_sentences([runaway])[0]
    long_sentence = " ".join(["De minister sprak lang over de begroting van dit jaar."] * 3)
    batched = engine.translate_sentences([long_sentence, runaway])[1]
    assert batched == alone
    assert len(engine.encode_target(alone)) <= 40  # stopped near its own limit, not the batch's


@given(
    st.lists(st.tuples(st.integers(1, 300), st.sampled_from([0, 3])), min_size=1, max_size=40),
    st.sampled_from([0, 64, 2048]),
)
def test_decoding_calls_cover_every_chunk_once_within_its_limit(
    chunks: list[tuple[int, int]], batch_tokens: int
) -> None:
    from translate.engine import _decoding_calls, _decoding_limit

    sizes = [size for size, _ in chunks]
    limits = [_decoding_limit(size) + prefix for size, prefix in chunks]
    order = sorted(range(len(chunks)), key=lambda i: (sizes[i], limits[i]))
    calls = _decoding_calls(order, limits, sizes, batch_tokens)
    assert sorted(i for _, members in calls for i in members) == list(range(len(chunks)))
    assert all(limit == max(limits[i] for i in members) for limit, members in calls)
    # a call is closed (and the next one starts) only once it holds a full batch
    assert all(sum(sizes[i] for i in members) >= batch_tokens for _, members in calls[:-1])
    if batch_tokens >= sum(sizes):
        assert len(calls) == 1
    by_limit = sorted(range(len(chunks)), key=limits.__getitem__)
    exact = _decoding_calls(by_limit, limits, sizes, 0)
    assert all(len({limits[i] for i in members}) == 1 for _, members in exact)


def test_official_layout_with_sbd_folders_works(tmp_path: Path, copy_package: Any) -> None:
    # official packages carry stanza/ or minisbd/ sentence splitters; vertaal ignores them
    directory = copy_package(tmp_path / "translate-nl_en-1_9")
    (directory / "stanza" / "nl").mkdir(parents=True)
    (directory / "stanza" / "nl" / "tokenize.pt").write_bytes(b"\x80stanza")
    (directory / "minisbd").mkdir()
    (directory / "minisbd" / "nl.onnx").write_bytes(b"onnx")
    (directory / "README.md").write_text("Dutch to English\n")
    engine = Engine.load(load_package(directory), EngineOptions(beam_size=1))
    assert engine.translate_document("Goedemorgen. Tot straks.\n").text.count("\n") == 1
