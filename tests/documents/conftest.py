"""Fixtures for documents: the bundled model (real translation) and a recording translator."""

from __future__ import annotations

import pytest

from translate.documents import EngineTranslator
from translate.engine import Engine, EngineOptions
from translate.packages import bundled_package

from .helpers import UpperTranslator


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The bundled model, loaded once."""
    return Engine.load(bundled_package(), EngineOptions(beam_size=2))


@pytest.fixture
def translator(engine: Engine) -> EngineTranslator:
    """Real translation with the shipped glossary enforced."""
    from glossary.enforce import build_enforcer

    return EngineTranslator(engine, build_enforcer([], use_default=True))


@pytest.fixture
def upper() -> UpperTranslator:
    return UpperTranslator()
