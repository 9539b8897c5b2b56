"""Trained weights → CTranslate2 int8 model → Argos package (directory and ``.argosmodel``).

The input is a *model directory* as training leaves it: ``sentencepiece.model``,
``recipe.json`` (recipe plus a ``facts`` record) and compact ``weights-NN.npz``
shards. The CTranslate2 model is built with the ``ctranslate2.specs`` API from
the weights directly (no converter from another toolkit), following the layout
documented in :mod:`translate.training.model`.

Needs numpy, CTranslate2 and SentencePiece; not PyTorch.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from translate.errors import TrainingError
from translate.fileio import atomic_write
from translate.languages import LANGUAGE_NAMES
from translate.training.compact import load_compact
from translate.training.config import ModelConfig, Recipe, write_json

ATTRIBUTION = "Contains sentences from Tatoeba (https://tatoeba.org), licensed under CC-BY 2.0 FR."
PACKAGE_NAME = "translate-nl_en"

FLORES_DEVTEST = "FLORES-200 devtest"
ANCHORS: tuple[tuple[str, float, float | None], ...] = (
    ("Google", 33.1, 61.3),
    ("Microsoft", 32.8, 60.8),
    ("Bergamot base-memory", 30.1, 59.3),
    ("Argos nl_en (published BLEU only)", 29.4, None),
)
"""Published systems on FLORES-200 devtest (BLEU, chrF; sacrebleu 2.6 defaults), as listed
in ``../shared/data/README.md``: the card puts the model's own devtest scores next to them."""

EVALUATION_BEGIN = "<!-- hand-written evaluation of model/model.bin sha256:{digest} -->"
EVALUATION_END = "<!-- end of hand-written evaluation -->"
_EVALUATION = re.compile(
    r"^<!-- hand-written evaluation of model/model\.bin sha256:(?P<digest>[0-9a-f]{64}) -->\n"
    r"(?P<body>.*?)^<!-- end of hand-written evaluation -->\n",
    re.MULTILINE | re.DOTALL,
)


def sinusoidal_table(max_positions: int, d_model: int) -> Any:
    """The same position table as :func:`model.sinusoidal_positions`, in numpy."""
    import numpy as np

    half = d_model // 2
    scale = np.log(10000.0) / max(half - 1, 1)
    frequencies = np.exp(np.arange(half, dtype=np.float32) * -scale).astype(np.float32)
    angles = np.arange(max_positions, dtype=np.float32)[:, None] * frequencies[None, :]
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=1).astype(np.float32)


def build_spec(state: Mapping[str, Any], config: ModelConfig, vocabulary: list[str]) -> Any:
    """A filled ``ctranslate2.specs.TransformerSpec`` for the weights in ``state``."""
    from ctranslate2.specs import common_spec, transformer_spec

    def get(name: str) -> Any:
        try:
            return state[name]
        except KeyError:
            raise TrainingError(
                f"weights lack {name!r}; they do not match the recipe's model shape"
            ) from None

    def norm(spec: Any, prefix: str) -> None:
        spec.gamma = get(f"{prefix}.weight")
        spec.beta = get(f"{prefix}.bias")

    def linear(spec: Any, prefix: str) -> None:
        spec.weight = get(f"{prefix}.weight")
        spec.bias = get(f"{prefix}.bias")

    def ffn(spec: Any, prefix: str) -> None:
        norm(spec.layer_norm, f"{prefix}.layer_norm")
        linear(spec.linear_0, f"{prefix}.linear_0")
        linear(spec.linear_1, f"{prefix}.linear_1")

    spec = transformer_spec.TransformerSpec.from_config(
        (config.encoder_layers, config.decoder_layers),
        config.heads,
        pre_norm=True,
        activation=common_spec.Activation.RELU,
    )
    embeddings = get("embeddings.weight")
    if embeddings.shape[0] != len(vocabulary):
        raise TrainingError(
            f"weights have {embeddings.shape[0]} embeddings but the SentencePiece model "
            f"has {len(vocabulary)} pieces; export with the run's own sentencepiece.model"
        )
    positions = sinusoidal_table(config.max_positions, config.d_model)

    encoder = spec.encoder
    encoder.embeddings[0].weight = embeddings
    encoder.scale_embeddings = True
    encoder.position_encodings.encodings = positions
    norm(encoder.layer_norm, "encoder_norm")
    for i, layer in enumerate(encoder.layer):
        prefix = f"encoder_layers.{i}"
        norm(layer.self_attention.layer_norm, f"{prefix}.self_attention.layer_norm")
        linear(layer.self_attention.linear[0], f"{prefix}.self_attention.qkv")
        linear(layer.self_attention.linear[1], f"{prefix}.self_attention.out")
        ffn(layer.ffn, f"{prefix}.ffn")

    decoder = spec.decoder
    decoder.embeddings.weight = embeddings
    decoder.scale_embeddings = True
    decoder.position_encodings.encodings = positions
    norm(decoder.layer_norm, "decoder_norm")
    decoder.projection.weight = embeddings
    for i, layer in enumerate(decoder.layer):
        prefix = f"decoder_layers.{i}"
        norm(layer.self_attention.layer_norm, f"{prefix}.self_attention.layer_norm")
        linear(layer.self_attention.linear[0], f"{prefix}.self_attention.qkv")
        linear(layer.self_attention.linear[1], f"{prefix}.self_attention.out")
        norm(layer.attention.layer_norm, f"{prefix}.attention.layer_norm")
        linear(layer.attention.linear[0], f"{prefix}.attention.q")
        linear(layer.attention.linear[1], f"{prefix}.attention.kv")
        linear(layer.attention.linear[2], f"{prefix}.attention.out")
        ffn(layer.ffn, f"{prefix}.ffn")

    spec.config.layer_norm_epsilon = 1e-6
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    return spec


def export_ctranslate2(model_dir: Path, output_dir: Path, quantization: str = "int8") -> None:
    """Write the CTranslate2 model for ``model_dir``'s weights into ``output_dir``."""
    from translate.training.spm import load_processor, vocabulary

    recipe = Recipe.of_model(model_dir)
    state = load_compact(model_dir)
    processor = load_processor(model_dir / "sentencepiece.model")
    spec = build_spec(state, recipe.model, vocabulary(processor))
    try:
        spec.validate()
        spec.optimize(quantization=quantization)
        output_dir.mkdir(parents=True, exist_ok=True)
        spec.save(str(output_dir))
    except (ValueError, TypeError, RuntimeError) as error:
        raise TrainingError(f"cannot build the CTranslate2 model: {error}") from None


def _facts(model_dir: Path) -> dict[str, Any]:
    data = json.loads((model_dir / "recipe.json").read_text(encoding="utf-8"))
    facts = data.get("facts") or {}
    return dict(facts)


def model_digest(package_dir: Path) -> str:
    """SHA-256 of the package's ``model/model.bin``: which weights a card section describes."""
    digest = hashlib.sha256()
    with (package_dir / "model" / "model.bin").open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def evaluation_section(readme: Path, digest: str) -> str:
    """The hand-written evaluation section of an existing card, if it describes ``digest``.

    Measurements made after export (placeholder survival, sample translations,
    limits) are written by hand between the two markers; regenerating the card
    keeps them while ``model/model.bin`` is byte-identical and drops them once
    the model changes, so a card never shows another model's numbers.
    """
    try:
        text = readme.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    found = _EVALUATION.search(text)
    if found is None or found["digest"] != digest:
        return ""
    return found.group(0)


def metadata(
    recipe: Recipe, facts: Mapping[str, Any], package_version: str, scores: Mapping[str, Any]
) -> dict[str, Any]:
    """``metadata.json`` in the Argos format, plus the training facts."""
    source, target = _languages(recipe)
    return {
        "package_version": package_version,
        "argos_version": "1.9",
        "from_code": source,
        "from_name": LANGUAGE_NAMES[source],
        "to_code": target,
        "to_name": LANGUAGE_NAMES[target],
        "type": "translate",
        "placeholders": True,
        **({"max_input_tokens": recipe.max_input_tokens} if recipe.max_input_tokens else {}),
        "links": [],
        "training": {
            "architecture": "transformer (pre-norm, tied embeddings, sinusoidal positions)",
            "d_model": recipe.model.d_model,
            "ffn_dim": recipe.model.ffn_dim,
            "heads": recipe.model.heads,
            "encoder_layers": recipe.model.encoder_layers,
            "decoder_layers": recipe.model.decoder_layers,
            "vocabulary": recipe.model.vocab_size,
            "quantization": "int8",
            "seed": recipe.seed,
            **{k: v for k, v in facts.items() if k != "history"},
            "scores": dict(scores),
        },
    }


def _languages(recipe: Recipe) -> tuple[str, str]:
    source, _, target = recipe.direction.partition("-")
    if source not in LANGUAGE_NAMES or target not in LANGUAGE_NAMES:
        raise TrainingError(f"recipe direction {recipe.direction!r} is not nl-en or en-nl")
    return source, target


Stage = tuple[Recipe, Mapping[str, Any]]
"""One training run of a model: its recipe and its facts (runs continue from each other)."""


def model_card(
    stages: Sequence[Stage],
    package_version: str,
    command: str,
    scores: Mapping[str, Any],
    evaluation: str = "",
    signatures: Mapping[str, str] | None = None,
    data_card: Mapping[str, Any] | None = None,
    session: Mapping[str, Any] | None = None,
) -> str:
    """README.md for the package: data, size, recipe, hardware, time, scores, attribution.

    ``stages`` lists the runs in order; each later run started from the weights
    of the one before (``scripts/train_bundled.sh`` with ``TRAIN_INIT_WEIGHTS``).
    ``evaluation`` (a hand-written section with its markers, see
    :func:`evaluation_section`) goes after the scores. ``session`` is the
    ``session.json`` of a :mod:`translate.training.session` run (reverse model and
    back-translation before the forward model).
    """
    recipe, facts = stages[-1]
    m = recipe.model
    a = recipe.augment
    params = facts.get("parameters")
    total_seconds = sum(float(f.get("train_seconds") or 0) for _, f in stages)
    source, target = _languages(recipe)
    first_facts = stages[0][1]
    origin = (
        f"fine-tuned from {first_facts['initialised_from']}"
        if first_facts.get("initialised_from")
        else "trained from scratch"
    )
    lines = [
        f"# vertaal {source}→{target} {package_version}",
        "",
        f"{LANGUAGE_NAMES[source]}→{LANGUAGE_NAMES[target]} Transformer {origin} with the "
        "vertaal training pipeline (PyTorch), converted to CTranslate2 int8. Argos Translate "
        "package format; placeholders ｟1｠…｟20｠ are copied to the output "
        "(glossary enforcement).",
        "",
        "## Data",
        "",
        *_data_lines(recipe, data_card),
        f"- Augmentation: concatenation of 2–{a.concat_max} pairs ({a.concat_share:.0%} of the "
        f"corpus per round, {a.rounds} round(s)); placeholder copies ({a.placeholder_share:.0%}, "
        f"{a.placeholder_shuffle:.0%} numbered out of order); invented-name copies "
        f"({a.name_share:.0%})"
        + (
            f"; format copies ({a.format_share:.0%}: Dutch-format numbers and dates, URLs, "
            "e-mail, format placeholders, inline tags)"
            if a.format_share
            else ""
        )
        + f"; {facts.get('training_pairs', '?')} training pairs in all.",
        "- Validation: first "
        f"{facts.get('valid_sentences', recipe.train.validate_sentences)} sentences of "
        "FLORES-200 dev (chrF, greedy decoding), used to keep the best checkpoint.",
        "",
        "## Model",
        "",
        f"- Transformer, pre-norm, d_model {m.d_model}, FFN {m.ffn_dim}, {m.heads} heads, "
        f"{m.encoder_layers} encoder / {m.decoder_layers} decoder layers, shared embeddings, "
        "sinusoidal positions, ReLU; "
        + (f"{params / 1e6:.1f}M parameters; " if isinstance(params, int) else "")
        + f"joint SentencePiece unigram vocabulary of {m.vocab_size} pieces with byte fallback.",
        f"- Optimisation: AdamW (betas 0.9/0.98, weight decay {recipe.train.weight_decay:g}), "
        f"inverse-sqrt schedule, label smoothing {recipe.train.label_smoothing:g}, dropout "
        f"{m.dropout:g} (attention {m.attention_dropout:g}, ReLU {m.relu_dropout:g}), gradient "
        f"clipping {recipe.train.clip_norm:g}, bf16 autocast on CUDA, seed {recipe.seed}.",
        f"- Training time: {total_seconds / 60:.1f} min"
        + (f" in {len(stages)} stages" if len(stages) > 1 else "")
        + f" on {facts.get('device', '?')} (torch {facts.get('torch', '?')}):",
    ]
    for number, (stage_recipe, stage_facts) in enumerate(stages, start=1):
        t = stage_recipe.train
        lines.append(
            f"  {number}. "
            + (
                (
                    f"from {stage_facts['initialised_from']}"
                    if stage_facts.get("initialised_from")
                    else "from scratch"
                )
                if number == 1
                else f"from stage {number - 1}'s weights"
            )
            + f": peak lr {t.lr:g}, {t.warmup_steps} warm-up steps, batches of "
            f"{t.batch_tokens} tokens; {stage_facts.get('steps', '?')} steps "
            f"({stage_facts.get('epochs_completed', '?')} epochs) in "
            f"{stage_facts.get('train_seconds', '?')} s; best dev chrF "
            f"{stage_facts.get('best_valid_chrf', 'n/a')} at step "
            f"{stage_facts.get('best_step', '?')}."
        )
    lines += _session_lines(session)
    lines += [
        "",
        "## Scores",
        "",
        "- FLORES-200 dev subset chrF (greedy, PyTorch, during training): "
        f"{facts.get('best_valid_chrf', 'n/a')}",
    ]
    for name, value in scores.items():
        signature = (signatures or {}).get(name)
        lines.append(f"- {name}: {value}" + (f" (`{signature}`)" if signature else ""))
    if scores:
        lines.append(
            "- (test scores: this package through vertaal's Engine with its default options, "
            "as `vertaal translate --no-glossary` and `benchmarks/bench_flores.py` decode: "
            "int8, beam 4; one sentence per line; sacreBLEU defaults, BLEU 13a and chrF2)"
        )
    lines += _anchor_table(scores)
    if evaluation:
        lines += ["", evaluation.rstrip("\n")]
    lines += [
        "",
        "## Reproduce",
        "",
        "```",
        *_reproduce(stages, command),
        "```",
        "",
        "## Licence",
        "",
        *_licence_lines(recipe, data_card),
        "",
    ]
    return "\n".join(lines)


def _session_lines(session: Mapping[str, Any] | None) -> list[str]:
    if not session or "reverse" not in session:
        return []
    reverse = session["reverse"]
    report = session.get("backtranslation", {})
    unfinished = report.get("dropped", {}).get("unfinished", 0)
    return [
        "- Back-translation, in the same session before the forward model: a reverse en→nl "
        f"model trained {reverse.get('steps', '?')} steps in {reverse.get('train_seconds', '?')} s "
        f"(dev chrF {reverse.get('best_valid_chrf', 'n/a')}) translated English Wikipedia "
        f"sentences for {session.get('backtranslation_seconds', '?')} s (PyTorch greedy, bf16): "
        f"{report.get('read', 0) - unfinished:,} of {report.get('read', 0):,} finished (the "
        "rest not reached in the time, or runaway), "
        f"{report.get('kept', 0):,} kept after the data build's filters and a loop check; "
        f"the real pairs were drawn {session.get('real_copies', 2)}× beside them.",
    ]


def _data_lines(recipe: Recipe, data_card: Mapping[str, Any] | None) -> list[str]:
    if data_card is None:
        return [
            f"- Training: {recipe.corpus}, "
            f"cleaned (empty, length ratio > {recipe.max_length_ratio:g}, duplicates)."
        ]
    from translate.training.databuild import card_markdown

    return [
        "- Training: the data build of `vertaal models train --data` (filters: length, "
        "length ratio, untranslated, placeholder mismatch, markup debris, language, "
        "FLORES-200 dev/devtest overlap, duplicates; licence filter; corpus weights):",
        "",
        card_markdown(data_card).rstrip("\n"),
        "",
    ]


def _licence_lines(recipe: Recipe, data_card: Mapping[str, Any] | None) -> list[str]:
    if data_card is None:
        if "tatoeba" in recipe.corpus.lower():
            return [ATTRIBUTION]
        return [f"See the licence of the training corpus ({recipe.corpus})."]
    lines = ["Trained on (licences of the pairs kept; attributions as each source asks):", ""]
    for corpus in data_card["corpora"]:
        if corpus["kept"]:
            licences = ", ".join(corpus["licences"])
            lines.append(f"- {corpus['name']} ({licences}): {corpus['attribution']}")
    return lines


def _anchor_table(scores: Mapping[str, Any]) -> list[str]:
    bleu = scores.get(f"{FLORES_DEVTEST} BLEU")
    chrf = scores.get(f"{FLORES_DEVTEST} chrF")
    if bleu is None:
        return []
    lines = [
        "",
        f"{FLORES_DEVTEST} next to other systems (from ../shared/data/README.md: their "
        "published outputs scored with sacrebleu 2.6 defaults; Argos as published):",
        "",
        "| system | BLEU | chrF |",
        "|---|---|---|",
        f"| this model | {bleu} | {chrf if chrf is not None else '–'} |",
    ]
    for name, anchor_bleu, anchor_chrf in ANCHORS:
        lines.append(
            f"| {name} | {anchor_bleu:g} | {'–' if anchor_chrf is None else f'{anchor_chrf:g}'} |"
        )
    return lines


def write_card(
    package_dir: Path,
    model_dir: Path,
    package_version: str,
    command: str,
    scores: Mapping[str, Any] | None = None,
    previous_stages: Sequence[Path] = (),
    keep_evaluation_from: Path | None = None,
    signatures: Mapping[str, str] | None = None,
) -> None:
    """(Re)write ``metadata.json`` and the ``README.md`` model card of a package directory.

    ``previous_stages`` are the model directories of earlier runs this one
    continued from, oldest first; they only add to the card. The hand-written
    evaluation section of ``keep_evaluation_from`` (default: the package's own
    README.md) is kept when it describes this package's model/model.bin.
    """
    stages: list[Stage] = [(Recipe.of_model(d), _facts(d)) for d in [*previous_stages, model_dir]]
    scores = dict(scores or {})
    recipe, facts = stages[-1]
    data = metadata(recipe, facts, package_version, scores)
    if signatures:
        data["training"]["score_signatures"] = dict(signatures)
    data_card = _data_card(model_dir)
    if data_card is not None:
        data["training"]["data_card"] = data_card
    session_path = model_dir / "session.json"
    session = (
        json.loads(session_path.read_text(encoding="utf-8")) if session_path.exists() else None
    )
    if session is not None:
        data["training"]["session"] = {
            key: value for key, value in session.items() if key != "forward"
        }
    if len(stages) > 1:
        data["training"]["stages"] = [
            {
                "lr": r.train.lr,
                "warmup_steps": r.train.warmup_steps,
                "batch_tokens": r.train.batch_tokens,
                **{k: v for k, v in f.items() if k != "history"},
            }
            for r, f in stages
        ]
        data["training"]["train_seconds_total"] = round(
            sum(float(f.get("train_seconds") or 0) for _, f in stages), 1
        )
    write_json(package_dir / "metadata.json", data)
    evaluation = evaluation_section(
        keep_evaluation_from or package_dir / "README.md", model_digest(package_dir)
    )
    (package_dir / "README.md").write_text(
        model_card(
            stages,
            package_version,
            command,
            scores,
            evaluation,
            signatures or {},
            data_card,
            session,
        ),
        encoding="utf-8",
    )


def _data_card(model_dir: Path) -> dict[str, Any] | None:
    path = model_dir / "data-card.json"
    if not path.exists():
        return None
    card: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return card


def _reproduce(stages: Sequence[Stage], command: str) -> list[str]:
    """The commands that made each stage (as each run recorded them), then the export."""
    if "--export-only" not in command:
        return [command]
    lines = ["# train (CUDA when available); OUTn receives weights, SentencePiece, recipe, log"]
    for number, (recipe, facts) in enumerate(stages, start=1):
        recorded = facts.get("command")
        if recorded:
            lines.append(str(recorded))
            continue
        # Runs from before commands were recorded: the script with the run's own recipe file.
        env = f"TRAIN_RECIPE=OUT{number}/recipe.json "
        if number > 1:
            env += f"TRAIN_INIT_WEIGHTS=OUT{number - 1} "
        lines.append(
            f"{env}PYTHONUNBUFFERED=1 bash scripts/train_bundled.sh OUT{number} "
            f"{recipe.train.max_minutes:g}"
        )
    lines += ["# export to CTranslate2 int8 + Argos package", command]
    return lines


def build_package_dir(
    model_dir: Path,
    package_dir: Path,
    package_version: str = "1.0",
    command: str = "scripts/train_bundled.sh OUTDIR 6.5",
    scores: Mapping[str, Any] | None = None,
    previous_stages: Sequence[Path] = (),
) -> Path:
    """Write an unpacked Argos package (metadata.json, model/, sentencepiece.model, README.md).

    Built in a temporary sibling directory and renamed into place, so a failed
    export never leaves half a package behind.
    """
    package_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=package_dir.parent))
    try:
        export_ctranslate2(model_dir, staging / "model")
        shutil.copyfile(model_dir / "sentencepiece.model", staging / "sentencepiece.model")
        write_card(
            staging,
            model_dir,
            package_version,
            command,
            scores,
            previous_stages,
            keep_evaluation_from=package_dir / "README.md",
        )
        if package_dir.exists():
            old = package_dir.with_name(package_dir.name + ".old")
            if old.exists():
                shutil.rmtree(old)
            package_dir.replace(old)
            staging.replace(package_dir)
            shutil.rmtree(old)
        else:
            staging.replace(package_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return package_dir


def zip_package(package_dir: Path, archive: Path, top_level: str = PACKAGE_NAME) -> Path:
    """Zip an unpacked package as ``.argosmodel`` with one top-level folder (as Argos does)."""
    stamp = datetime(2026, 1, 1, tzinfo=timezone.utc).timetuple()[:6]

    def write(temporary: Path) -> None:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(package_dir.rglob("*")):
                if path.is_file():
                    # A fixed timestamp makes the archive reproducible byte for byte.
                    info = zipfile.ZipInfo(
                        f"{top_level}/{path.relative_to(package_dir).as_posix()}", stamp
                    )
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    bundle.writestr(info, path.read_bytes())

    atomic_write(archive, write)
    return archive


def export_package(
    model_dir: Path,
    archive: Path,
    package_version: str = "1.0",
    command: str = "scripts/train_bundled.sh OUTDIR 6.5",
    scores: Mapping[str, Any] | None = None,
) -> Path:
    """Model directory → ``.argosmodel`` zip."""
    with tempfile.TemporaryDirectory(prefix="vertaal-export-") as tmp:
        package_dir = build_package_dir(
            model_dir, Path(tmp) / PACKAGE_NAME, package_version, command, scores
        )
        return zip_package(package_dir, archive)


def score_package(package_dir: Path, source_file: Path, reference_file: Path) -> dict[str, Any]:
    """BLEU and chrF (with sacreBLEU signatures) of an unpacked package on a test set.

    Decodes through :class:`translate.engine.Engine` with its default options,
    exactly as ``vertaal translate --no-glossary`` and ``benchmarks/bench_flores.py``
    do (int8, beam 4, the engine's length penalty, limits and sentence handling),
    so the model card shows what users get.
    """
    from translate.engine import Engine
    from translate.packages import load_package
    from translate.scoring.score import score_lines
    from translate.training.corpus import read_parallel

    pairs = read_parallel(source_file, reference_file)
    engine = Engine.load(load_package(package_dir))
    hypotheses = engine.translate_sentences([s for s, _ in pairs])
    scores, _ = score_lines(hypotheses, [[t for _, t in pairs]], metrics=["bleu", "chrf"])
    result: dict[str, Any] = {}
    for score in scores:
        result[score.metric] = round(float(score.score), 2)
        result[f"{score.metric}_signature"] = score.signature
    return result
