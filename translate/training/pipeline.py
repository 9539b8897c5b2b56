"""The whole pipeline in two calls: :func:`train_package` and :func:`export_model_dir`.

Heavy dependencies (PyTorch, CTranslate2, SentencePiece) are imported inside
the functions, so importing this module is cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.errors import TrainingError
from translate.training.config import TATOEBA_DESCRIPTION, Recipe

Log = Callable[[str], None]


@dataclass(frozen=True)
class TrainRequest:
    """What ``vertaal models train`` asks for."""

    corpus: Path | None
    target_file: Path | None
    output: Path
    run_dir: Path
    recipe: Recipe
    valid_source: Path | None = None
    valid_reference: Path | None = None
    resume: bool = False
    bundle_dir: Path | None = None
    package_version: str = "1.0"
    command: str = "vertaal models train"
    tests: Sequence[tuple[str, Path, Path]] = ()
    threads: int = 0
    """CPU threads for PyTorch (0 = its default)."""


def _require_torch() -> None:
    try:
        import torch  # noqa: F401
    except ImportError:
        raise TrainingError(
            "training needs PyTorch, which is not installed; run: pip install 'vertaal[train]'"
        ) from None


@contextmanager
def _file_errors() -> Iterator[None]:
    """Unreadable or unwritable paths become one-line errors naming the path."""
    try:
        yield
    except OSError as error:
        where = error.filename or "training"
        raise TrainingError(f"{where}: {error.strerror or error}") from None


def train_package(request: TrainRequest, log: Log) -> dict[str, Any]:
    """Prepare, train (or resume) and export; return the training facts."""
    with _file_errors():
        return _train_package(request, log)


def _train_package(request: TrainRequest, log: Log) -> dict[str, Any]:
    _require_torch()
    from translate.training.corpus import clean_pairs, read_parallel
    from translate.training.train import prepare, train

    if request.threads:
        import torch

        torch.set_num_threads(request.threads)

    run_dir = request.run_dir
    if request.resume:
        recipe_path = run_dir / "recipe.json"
        if not recipe_path.exists():
            raise TrainingError(
                f"{run_dir}: nothing to resume (no recipe.json); train once without --resume"
            )
        saved = Recipe.load(recipe_path)
        # Only the limits may change on resume; the shape and data are the run's own.
        saved.train.max_minutes = request.recipe.train.max_minutes
        saved.train.max_steps = request.recipe.train.max_steps
        saved.train.max_epochs = request.recipe.train.max_epochs
        saved.save(recipe_path)
    else:
        if request.corpus is None:
            raise TrainingError("give a training corpus (or --export-only MODEL_DIR)")
        pairs = clean_pairs(
            read_parallel(request.corpus, request.target_file),
            request.recipe.max_length_ratio,
            min_chars=request.recipe.min_clean_length,
        )
        if len(pairs) < 2:
            raise TrainingError(
                f"{request.corpus}: fewer than 2 usable pairs after cleaning; give a bigger corpus"
            )
        if request.recipe.corpus == TATOEBA_DESCRIPTION:
            # A corpus named on the command line describes itself; the default
            # description is the bundled model's Tatoeba training set.
            name = request.corpus.name + (
                f" + {request.target_file.name}" if request.target_file else ""
            )
            if "tatoeba" in name.lower():
                name = f"Tatoeba Dutch–English ({name})"
            request.recipe.corpus = f"{name}, {len(pairs):,} pairs after cleaning"
        valid: list[tuple[str, str]] = []
        if request.valid_source is not None:
            if request.valid_reference is None:
                raise TrainingError("--valid-src needs --valid-ref (the English references)")
            valid = read_parallel(request.valid_source, request.valid_reference)
        prepare(pairs, request.recipe, run_dir, log, valid)
    result = train(run_dir, log, resume=request.resume)
    export_model_dir(
        run_dir / "best",
        request.output,
        request.bundle_dir,
        request.package_version,
        request.command,
        log,
        request.tests,
    )
    return result.facts


def export_model_dir(
    model_dir: Path,
    output: Path | None,
    bundle_dir: Path | None,
    package_version: str,
    command: str,
    log: Log,
    tests: Sequence[tuple[str, Path, Path]] = (),
    previous_stages: Sequence[Path] = (),
) -> dict[str, float]:
    """Turn a model directory (``weights-*.npz``, recipe, SentencePiece) into packages.

    Each ``(name, source, reference)`` test set is translated with the exported
    CTranslate2 model (beam 4) and its BLEU/chrF go into the model card and
    metadata; the scores are returned. ``previous_stages`` are the model
    directories of earlier runs this one continued from (for the model card).
    """
    with _file_errors():
        return _export_model_dir(
            model_dir, output, bundle_dir, package_version, command, log, tests, previous_stages
        )


def _export_model_dir(
    model_dir: Path,
    output: Path | None,
    bundle_dir: Path | None,
    package_version: str,
    command: str,
    log: Log,
    tests: Sequence[tuple[str, Path, Path]],
    previous_stages: Sequence[Path],
) -> dict[str, float]:
    import tempfile

    from translate.training.export import build_package_dir, score_package, write_card, zip_package

    if not model_dir.is_dir():
        raise TrainingError(f"{model_dir}: not a directory; give a training output directory")
    with tempfile.TemporaryDirectory(prefix="vertaal-export-") as tmp:
        package_dir = bundle_dir or Path(tmp) / "translate-nl_en"
        build_package_dir(
            model_dir, package_dir, package_version, command, previous_stages=previous_stages
        )
        scores: dict[str, float] = {}
        for name, source, reference in tests:
            result = score_package(package_dir, source, reference)
            scores[f"{name} BLEU"] = result["bleu"]
            scores[f"{name} chrF"] = result["chrf"]
            log(f"{name}: BLEU {result['bleu']}, chrF {result['chrf']}")
        if scores:
            write_card(package_dir, model_dir, package_version, command, scores, previous_stages)
        if bundle_dir is not None:
            log(f"wrote unpacked package {bundle_dir}")
        if output is not None:
            zip_package(package_dir, output)
            log(f"wrote {output}")
    return scores
