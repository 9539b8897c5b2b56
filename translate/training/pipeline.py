"""The training entry point: :func:`train_package` (data build, back-translation, training,
export) and :func:`export_model_dir`. ``vertaal models train`` and ``scripts/train_bundled.sh``
both come here; there is no other way in.

Heavy dependencies (PyTorch, CTranslate2, SentencePiece) are imported inside
the functions, so importing this module is cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translate.errors import TrainingError
from translate.training.config import TATOEBA_DESCRIPTION, Recipe
from translate.training.databuild import DEFAULT_FAMILIES

Log = Callable[[str], None]


@dataclass(frozen=True)
class DataRequest:
    """The data build's inputs (see :mod:`translate.training.databuild`)."""

    paths: Sequence[Path]
    """Corpus folders (``NAME.nl``/``NAME.en``/``NAME.source.tsv``) or TSV files."""
    families: Sequence[str] = DEFAULT_FAMILIES
    """Licence families to keep."""
    weights: Mapping[str, float] = field(default_factory=dict)
    held_out: Sequence[Path] = ()
    """Files of sentences that must not reach training (FLORES-200 dev/devtest)."""
    mono: Path | None = None
    """English monolingual text to back-translate."""
    mono_limit: int = 0
    backtranslate_with: Path | None = None
    """Unpacked en→nl package that back-translates ``mono``."""


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
    data: DataRequest | None = None
    """Build the training data from corpus folders instead of reading ``corpus``."""
    reverse: bool = False
    """Train English→Dutch (the back-translation model) on the same data."""
    init_weights: Path | None = None
    """Start from these weights (compact shards, or a CTranslate2 model or package)."""
    sentencepiece: Path | None = None
    """Reuse this SentencePiece model (needed with ``init_weights`` of another run)."""
    prepare_only: bool = False
    """Stop after the data build and preparation (data card, tokenized pool)."""
    export: bool = True
    """Export the best weights as a package; without it they stay in ``run_dir/best``
    (a training machine without CTranslate2 exports later with ``--export-only``)."""


def _require_torch() -> None:
    try:
        import torch  # noqa: F401
    except ImportError:
        raise TrainingError(
            "training needs PyTorch, which is not installed; run: pip install 'vertaal[train]'"
        ) from None


def _require_ctranslate2(purpose: str, hint: str) -> None:
    # A GPU training machine may have PyTorch but not vertaal's runtime.
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        raise TrainingError(
            f"{purpose} needs CTranslate2, which is not installed here; {hint}"
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


def _resume_recipe(request: TrainRequest) -> None:
    recipe_path = request.run_dir / "recipe.json"
    if not recipe_path.exists():
        raise TrainingError(
            f"{request.run_dir}: nothing to resume (no recipe.json); train once without --resume"
        )
    saved = Recipe.load(recipe_path)
    # Only the limits may change on resume; the shape and data are the run's own.
    saved.train.max_minutes = request.recipe.train.max_minutes
    saved.train.max_steps = request.recipe.train.max_steps
    saved.train.max_epochs = request.recipe.train.max_epochs
    saved.save(recipe_path)


def _corpus_pairs(request: TrainRequest) -> list[tuple[str, str]]:
    """Pairs of the single ``corpus`` file (the original, Tatoeba-only path)."""
    from translate.training.corpus import clean_pairs, read_parallel

    if request.corpus is None:
        raise TrainingError("give a training corpus or --data folders (or --export-only MODEL_DIR)")
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
    return pairs


def build_data(data: DataRequest, seed: int, log: Log) -> tuple[list[tuple[str, str]], Any]:
    """Run the data build (and back-translation); the weighted pairs and the data card."""
    from translate.training.databuild import BuildOptions, HeldOut, add_synthetic, build
    from translate.training.spm import BT_TAG

    options = BuildOptions(
        families=tuple(data.families),
        weights=dict(data.weights),
        held_out=HeldOut.from_files(data.held_out),
    )
    built = build(data.paths, options)
    if data.mono is not None:
        if data.backtranslate_with is None:
            raise TrainingError("--mono needs --backtranslate-with (an unpacked en→nl package)")
        from translate.training.backtranslate import backtranslate, read_mono

        _require_ctranslate2(
            "back-translation with --backtranslate-with",
            "install vertaal here, or use `vertaal models session` on a PyTorch-only machine",
        )

        sentences = read_mono(data.mono, data.mono_limit)
        log(f"back-translating {len(sentences)} sentences of {data.mono}")
        synthetic = backtranslate(data.backtranslate_with, sentences, log)
        report = add_synthetic(built, "backtranslation", synthetic, options, BT_TAG)
        log(f"back-translation: {report.kept} of {report.read} synthetic pairs kept")
    pairs = built.weighted(seed)
    if len(pairs) < 2:
        raise TrainingError("fewer than 2 usable pairs after the data build; give more data")
    card = built.card()
    log(f"data build: {card['kept']:,} pairs kept, {len(pairs):,} drawn per the weights")
    return pairs, card


def _prepare(request: TrainRequest, log: Log) -> None:
    """Stage the run directory: data (built or read), recipe, vocabulary, tokenized pool."""
    from translate.training.config import write_json
    from translate.training.corpus import read_parallel
    from translate.training.train import prepare

    recipe = request.recipe
    card = None
    if request.data is not None:
        pairs, card = build_data(request.data, recipe.seed, log)
        recipe.corpus = "data build: " + ", ".join(
            f"{c['name']} ({c['kept']:,})" for c in card["corpora"] if c["kept"]
        )
    else:
        pairs = _corpus_pairs(request)
    valid: list[tuple[str, str]] = []
    if request.valid_source is not None:
        if request.valid_reference is None:
            raise TrainingError("--valid-src needs --valid-ref (the English references)")
        valid = read_parallel(request.valid_source, request.valid_reference)
    if request.reverse:
        recipe.direction = "en-nl"
        pairs = [(target, source) for source, target in pairs]
        valid = [(target, source) for source, target in valid]
    prepare(
        pairs,
        recipe,
        request.run_dir,
        log,
        valid,
        threads=request.threads or 4,
        sentencepiece_model=request.sentencepiece,
    )
    if card is not None:
        write_json(request.run_dir / "data-card.json", card)


def _record_run(request: TrainRequest, model_dir: Path) -> None:
    """Put the command line and the data card next to the weights (for the model card)."""
    import json
    import shutil

    from translate.training.config import write_json

    card = request.run_dir / "data-card.json"
    if card.exists():
        shutil.copyfile(card, model_dir / "data-card.json")
    recipe_path = model_dir / "recipe.json"
    if recipe_path.exists():
        data = json.loads(recipe_path.read_text(encoding="utf-8"))
        data.setdefault("facts", {})["command"] = request.command
        write_json(recipe_path, data)


def _train_package(request: TrainRequest, log: Log) -> dict[str, Any]:
    _require_torch()
    from translate.training.train import train

    if request.threads:
        import torch

        torch.set_num_threads(request.threads)

    if request.resume:
        _resume_recipe(request)
    else:
        _prepare(request, log)
    if request.prepare_only:
        return {}
    result = train(
        request.run_dir,
        log,
        resume=request.resume,
        init_weights=None if request.resume else request.init_weights,
    )
    _record_run(request, request.run_dir / "best")
    if not request.export:
        log(
            f"weights in {request.run_dir / 'best'}; export them with: vertaal models train "
            f"--export-only {request.run_dir / 'best'} -o OUT.argosmodel"
        )
        return result.facts
    export_model_dir(
        request.run_dir / "best",
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
    _require_ctranslate2(
        "exporting",
        f"the weights are in {model_dir}: copy it to a machine with vertaal installed "
        f"and run vertaal models train --export-only {model_dir}",
    )
    with tempfile.TemporaryDirectory(prefix="vertaal-export-") as tmp:
        package_dir = bundle_dir or Path(tmp) / "translate-nl_en"
        build_package_dir(
            model_dir, package_dir, package_version, command, previous_stages=previous_stages
        )
        scores: dict[str, float] = {}
        signatures: dict[str, str] = {}
        for name, source, reference in tests:
            result = score_package(package_dir, source, reference)
            scores[f"{name} BLEU"] = result["bleu"]
            scores[f"{name} chrF"] = result["chrf"]
            signatures[f"{name} BLEU"] = result["bleu_signature"]
            signatures[f"{name} chrF"] = result["chrf_signature"]
            log(f"{name}: BLEU {result['bleu']}, chrF {result['chrf']}")
        if scores:
            write_card(
                package_dir,
                model_dir,
                package_version,
                command,
                scores,
                previous_stages,
                signatures=signatures,
            )
        if bundle_dir is not None:
            log(f"wrote unpacked package {bundle_dir}")
        if output is not None:
            zip_package(package_dir, output)
            log(f"wrote {output}")
    return scores
