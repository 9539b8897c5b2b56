"""Protected spans on the fidelity test set: found, converted, kept exactly once.

The set (data/fidelity.tsv, 70 Dutch sentences) covers every span kind of
:mod:`translate.protect` with the exact English forms expected. The bundled
model is trained on placeholders; the tiny package of conftest.py never saw
one, so there every span goes through substitution, constrained decoding or
insertion. Both must keep 100% of the spans.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.enforce import build_enforcer, count_span
from translate.engine import Engine, EngineOptions
from translate.packages import bundled_package, load_package
from translate.protect import KINDS, NAME, find_spans

from .conftest import fidelity_rows

ROWS = fidelity_rows()


def test_the_set_is_large_and_covers_every_kind() -> None:
    assert len(ROWS) >= 60
    kinds = {span.kind for source, _ in ROWS for span in find_spans(source)}
    assert kinds == set(KINDS) - {NAME}  # names need a lexicon: tests/glossary/test_names.py


@pytest.mark.parametrize(("source", "expected"), ROWS, ids=[r[0][:40] for r in ROWS])
def test_spans_are_found_with_their_english_forms(source: str, expected: list[str]) -> None:
    assert [span.target for span in find_spans(source)] == expected


def _assert_every_span_kept(engine: Engine, use_default_glossary: bool) -> None:
    enforcer = build_enforcer([], use_default=use_default_glossary, protect=True)
    assert enforcer is not None
    results = enforcer.enforce([source for source, _ in ROWS], engine)
    missed = [
        (source, form, result.output)
        for (source, expected), result in zip(ROWS, results, strict=True)
        for form in expected
        if count_span(result.output, form) != expected.count(form)
    ]
    assert missed == []
    assert all(span.verified for result in results for span in result.spans)
    assert sum(len(result.spans) for result in results) == sum(len(e) for _, e in ROWS)


@pytest.mark.slow
@pytest.mark.parametrize("use_default_glossary", [False, True])
def test_bundled_model_keeps_every_span(use_default_glossary: bool) -> None:
    engine = Engine.load(bundled_package(), EngineOptions(beam_size=4))
    assert engine.supports_placeholders
    _assert_every_span_kept(engine, use_default_glossary)


@pytest.mark.slow
def test_package_not_trained_on_placeholders_keeps_every_span(
    untrained_on_placeholders: Path,
) -> None:
    engine = Engine.load(load_package(untrained_on_placeholders), EngineOptions(beam_size=2))
    assert not engine.supports_placeholders
    _assert_every_span_kept(engine, use_default_glossary=False)
