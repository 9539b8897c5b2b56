"""Fixtures for the batch area: the real bundled model and small corpora."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from translate import packages

CORPUS = Path(__file__).parent / "data" / "corpus"


@pytest.fixture(scope="session")
def bundled_model() -> Path:
    """The bundled model is part of the product: its absence fails the tests."""
    path = packages.bundled_package_path()
    assert path.is_dir(), f"{path} is missing (the bundled model)"
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the mixed-format test corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target
