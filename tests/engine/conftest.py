"""Fixtures for the engine area: real Argos packages built from the bundled model."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from translate.engine import Engine, EngineOptions
from translate.packages import ArgosPackage, bundled_package, bundled_package_path


def _zip_package(source: Path, archive: Path, top: str | None = "translate-nl_en-1_0") -> Path:
    """Pack a package directory as an ``.argosmodel`` (one top folder, like Argos does).

    Stored, not deflated: the model weights barely compress and the tests stay fast.
    """
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for path in sorted(source.rglob("*")):
            if path.is_file():
                relative = path.relative_to(source).as_posix()
                zf.write(path, f"{top}/{relative}" if top else relative)
    return archive


def _copy_package(destination: Path, **metadata_changes: object) -> Path:
    """A copy of the bundled package with some metadata fields changed."""
    import shutil

    shutil.copytree(bundled_package_path(), destination)
    metadata_path = destination / "metadata.json"
    metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    metadata.update(metadata_changes)
    metadata_path.write_text(json.dumps(metadata), encoding="utf-8")
    return destination


def _fake_package(directory: Path, from_code: str = "nl", to_code: str = "en") -> Path:
    """A package directory with the right shape but no usable model (for install tests)."""
    (directory / "model").mkdir(parents=True)
    (directory / "model" / "model.bin").write_bytes(b"not a model")
    (directory / "sentencepiece.model").write_bytes(b"not a tokenizer")
    metadata = {"package_version": "1.0", "from_code": from_code, "to_code": to_code}
    (directory / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def bundled() -> ArgosPackage:
    """The bundled package (it is part of the product, so its absence fails tests)."""
    assert bundled_package_path().is_dir(), "translate/bundled/nl_en is missing"
    return bundled_package()


@pytest.fixture(scope="session")
def engine(bundled: ArgosPackage) -> Engine:
    """The bundled model, loaded once for the whole session."""
    return Engine.load(bundled, EngineOptions(beam_size=2))


@pytest.fixture(scope="session")
def argosmodel(tmp_path_factory: pytest.TempPathFactory, bundled: ArgosPackage) -> Path:
    """The bundled package zipped as a real ``.argosmodel`` file."""
    directory = tmp_path_factory.mktemp("argosmodel")
    return _zip_package(bundled.path, directory / "translate-nl_en-1_0.argosmodel")


@pytest.fixture
def packages_root(isolated_argos_home: Path) -> Iterator[Path]:
    """The (empty, per-test) directory packages get installed into."""
    yield isolated_argos_home / "argos-packages"


@pytest.fixture(scope="session")
def zip_package() -> Callable[..., Path]:
    """``zip_package(directory, archive, top=...)``: pack a directory as an .argosmodel."""
    return _zip_package


@pytest.fixture(scope="session")
def fake_package() -> Callable[..., Path]:
    """``fake_package(directory, from_code="nl", to_code="en")``: a well-shaped dummy package."""
    return _fake_package


@pytest.fixture(scope="session")
def copy_package() -> Callable[..., Path]:
    """``copy_package(destination, **metadata_changes)``: a modified copy of the bundled one."""
    return _copy_package
