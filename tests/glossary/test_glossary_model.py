"""Enforcement with the bundled model: properties that hold whatever it translates.

Every matched term's English target is in the output, no placeholder leaks,
sentences without terms are translated exactly as without a glossary, and a
document keeps its layout.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from glossary.enforce import Enforcer, build_enforcer, count_target
from translate.engine import Engine, EngineOptions
from translate.packages import bundled_package, bundled_package_path, load_package
from translate.placeholders import PLACEHOLDER_PATTERN

DATA = Path(__file__).parent / "data"
ARTICLE = Path(__file__).resolve().parents[2] / "corpora" / "nos-article" / "source.nl.txt"


@pytest.fixture(scope="module")
def engine() -> Engine:
    # VERTAAL_TEST_PACKAGE lets a developer try another package directory
    override = os.environ.get("VERTAAL_TEST_PACKAGE")
    if override:
        return Engine.load(load_package(Path(override)), EngineOptions(beam_size=2))
    assert bundled_package_path().is_dir(), "translate/bundled/nl_en is missing"
    return Engine.load(bundled_package(), EngineOptions(beam_size=2))


@pytest.fixture(scope="module")
def enforcer() -> Enforcer:
    built = build_enforcer([])
    assert built is not None
    return built


def _trap_sentences() -> list[str]:
    lines = (DATA / "traps.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")]


def _assert_every_term_present(enforcer: Enforcer, sources: list[str], outputs: list[str]) -> None:
    for source, output in zip(sources, outputs, strict=True):
        assert not PLACEHOLDER_PATTERN.search(output) and "｟" not in output and "｠" not in output
        needed: dict[str, int] = {}
        for match in enforcer.find(source):
            needed[match.target] = needed.get(match.target, 0) + 1
        for target, count in needed.items():
            assert count_target(output, target) >= count, (source, output, target)


@pytest.mark.parametrize("strategy", ["auto", "substitute", "hybrid"])
def test_every_term_target_appears(engine: Engine, strategy: str) -> None:
    enforcer = build_enforcer([], strategy=strategy)
    assert enforcer is not None
    sources = _trap_sentences()
    results = enforcer.enforce(sources, engine)
    assert all(r.verified for r in results)
    _assert_every_term_present(enforcer, sources, [r.output for r in results])


def test_sentences_without_terms_are_untouched(engine: Engine, enforcer: Enforcer) -> None:
    sources = [s for s in _trap_sentences() if not enforcer.find(s)]
    assert sources
    plain = engine.translate_sentences(sources)
    assert [r.output for r in enforcer.enforce(sources, engine)] == plain


def test_article_document_keeps_layout_and_terms(engine: Engine, enforcer: Enforcer) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    document = engine.translate_document(text, enforcer)
    assert [bool(line.strip()) for line in document.text.splitlines()] == [
        bool(line.strip()) for line in text.splitlines()
    ]
    assert document.terms_applied >= 40
    assert document.terms_verified == document.terms_applied
    _assert_every_term_present(
        enforcer, [s.source for s in document.segments], [s.output for s in document.segments]
    )
    assert "vragende partij" not in document.text.lower()
    assert "the the hague" not in document.text.lower()  # the target brings its own article
