"""A whole training session for one GPU machine, in one wall-clock budget.

The machine lent for training has PyTorch, SentencePiece and numpy but none of
vertaal's runtime (no CTranslate2), no network, and minutes rather than hours.
So everything that needs only a CPU happens here first, and the session there
only trains and decodes:

* :func:`pack_session` (here): takes two run directories prepared with
  ``vertaal models train --prepare-only`` (forward nl→en, and reverse en→nl on
  the same SentencePiece model), tokenizes the English monolingual sentences
  to back-translate (minus any that overlap the held-out sets), stores every
  id array as int16 and compresses the lot into one ``.tar.xz``.
* :func:`run_session` (there): trains the reverse model, back-translates the
  monolingual ids with it (PyTorch greedy decoding, bf16, large batches),
  filters the synthetic pairs with the data build's own filters, tags them
  with ``｟BT｠``, adds them to the forward pool and trains the forward model
  in what time is left. The forward model's weights, vocabulary, recipe, data
  card and facts land in the output directory, ready for
  ``vertaal models train --export-only`` back here.
"""

from __future__ import annotations

import json
import re
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.errors import TrainingError
from translate.fileio import read_text
from translate.training.config import Recipe, write_json

Log = Callable[[str], None]

FORWARD = "forward"
REVERSE = "reverse"
MONO = "mono.npz"
PACK_NAME = "session.tar.xz"
MONO_MIN_TOKENS = 4
"""Shorter English sentences (headings, list items) teach little as back-translations."""


def _to_int16(arrays: dict[str, Any]) -> dict[str, Any]:
    import numpy as np

    return {name: np.asarray(array, dtype=np.int16) for name, array in arrays.items()}


def _check_prepared(run_dir: Path) -> None:
    for name in ("recipe.json", "sentencepiece.model", "data.npz"):
        if not (run_dir / name).is_file():
            raise TrainingError(
                f"{run_dir}: no {name}; prepare it first with "
                "vertaal models train ... --prepare-only --run-dir " + str(run_dir)
            )


def pack_session(
    forward_dir: Path,
    reverse_dir: Path,
    mono: Path,
    mono_limit: int,
    held_out: Sequence[Path],
    target: Path,
    log: Log,
) -> dict[str, int]:
    """Write ``target`` (a ``.tar.xz``) holding both prepared runs and the tokenized mono text."""
    import numpy as np

    from translate.training.databuild import HeldOut, normalise
    from translate.training.spm import load_processor

    for run_dir in (forward_dir, reverse_dir):
        _check_prepared(run_dir)
    vocabulary = forward_dir / "sentencepiece.model"
    if vocabulary.read_bytes() != (reverse_dir / "sentencepiece.model").read_bytes():
        raise TrainingError(
            f"{reverse_dir}: its SentencePiece model is not the forward run's; prepare it "
            f"with --sentencepiece {vocabulary}"
        )
    recipe = Recipe.load(forward_dir / "recipe.json")
    lines = read_text(mono, error=TrainingError).splitlines()
    if mono_limit:
        lines = lines[:mono_limit]
    held = HeldOut.from_files(held_out)
    sentences = [normalise(line) for line in lines if line.strip()]
    kept = [s for s in sentences if not held.overlaps(s)]
    processor = load_processor(vocabulary)
    encoded = processor.Encode(kept, num_threads=4)
    limit = recipe.train.max_length - 1
    ids = [row for row in encoded if MONO_MIN_TOKENS <= len(row) <= limit]
    counts = {
        "mono_read": len(lines),
        "mono_held_out": len(sentences) - len(kept),
        "mono_kept": len(ids),
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=target.name + ".", dir=target.parent) as temporary:
        staging = Path(temporary)
        for name, run_dir in ((FORWARD, forward_dir), (REVERSE, reverse_dir)):
            folder = staging / name
            folder.mkdir()
            for item in run_dir.iterdir():
                if item.name == "data.npz":
                    with np.load(item) as data:
                        np.savez(folder / "data.npz", **_to_int16(dict(data)))
                elif item.is_file() and item.name not in ("checkpoint.pt", "facts.json"):
                    shutil.copyfile(item, folder / item.name)
        np.savez(
            staging / MONO,
            ids=np.asarray([t for row in ids for t in row], dtype=np.int16),
            lengths=np.asarray([len(row) for row in ids], dtype=np.int16),
        )
        write_json(staging / "pack.json", counts)
        with tarfile.open(target, "w:xz", preset=6) as archive:
            for item in sorted(staging.iterdir()):
                archive.add(item, arcname=item.name)
    log(
        f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB): {counts['mono_kept']:,} of "
        f"{counts['mono_read']:,} English sentences to back-translate "
        f"({counts['mono_held_out']} overlapped the held-out sets)"
    )
    return counts


@dataclass(frozen=True)
class SessionPlan:
    """How a session spends its wall-clock budget."""

    seconds: float
    """Everything, from unpacking to the last file written."""
    reverse_seconds: float = 100.0
    backtranslate_seconds: float = 75.0
    """At most this long decoding; what is done by then is used."""
    finish_seconds: float = 30.0
    """Kept back at the end for the final validation, averaging and copying."""
    min_forward_seconds: float = 30.0
    """Less than this left for the forward model is an error, not a useless model."""
    real_copies: int = 2
    """Copies of the real pool beside the synthetic pairs (real text keeps its say)."""
    decode_tokens: int = 96_000
    """Source tokens per back-translation batch."""


def unpack_session(archive: Path, into: Path) -> Path:
    """Unpack a :func:`pack_session` archive into ``into`` (once); return ``into``."""
    if not (into / FORWARD / "recipe.json").is_file():
        into.mkdir(parents=True, exist_ok=True)
        try:
            with tarfile.open(archive, "r:xz") as packed:
                packed.extractall(into, filter="data")
        except (tarfile.TarError, OSError) as error:
            raise TrainingError(f"{archive}: cannot unpack ({error}); pack it again") from None
    return into


def run_session(session_dir: Path, output: Path, plan: SessionPlan, log: Log) -> dict[str, Any]:
    """Reverse model → tagged back-translation → forward model, within ``plan.seconds``."""
    import torch

    from translate.training.train import pick_device, train

    started = time.monotonic()
    deadline = started + plan.seconds
    device = pick_device()
    forward_dir, reverse_dir = session_dir / FORWARD, session_dir / REVERSE
    for run_dir in (forward_dir, reverse_dir):
        _check_prepared(run_dir)
    output.mkdir(parents=True, exist_ok=True)
    facts: dict[str, Any] = {
        "device": str(device),
        "budget_seconds": plan.seconds,
        "real_copies": plan.real_copies,
    }
    if device.type == "cuda":
        facts["gpu"] = torch.cuda.get_device_name(device)

    _set_minutes(reverse_dir, plan.reverse_seconds)
    reverse = train(reverse_dir, log, device=device)
    facts["reverse"] = {**reverse.facts, "history": reverse.facts.get("history", [])[-3:]}

    model = load_model(reverse_dir / "best", device)
    with _load_arrays(session_dir / MONO) as mono:
        english = _split(mono["ids"], mono["lengths"])
    bt_deadline = min(time.monotonic() + plan.backtranslate_seconds, deadline)
    began = time.monotonic()
    dutch = backtranslate_ids(model, english, device, plan.decode_tokens, bt_deadline, log)
    facts["backtranslation_seconds"] = round(time.monotonic() - began, 1)
    del model
    if device.type == "cuda":
        torch.cuda.empty_cache()

    report = add_backtranslations(forward_dir, english, dutch, plan.real_copies, log)
    facts["backtranslation"] = report
    shutil.copyfile(forward_dir / "data-card.json", output / "data-card.json")
    write_json(output / "session.json", facts)

    remaining = deadline - time.monotonic() - plan.finish_seconds
    if remaining < plan.min_forward_seconds:
        raise TrainingError(
            f"only {remaining:.0f}s left for the forward model; give the session more time"
        )
    _set_minutes(forward_dir, remaining)
    # Straight into the output: every improvement is there even if the session is cut short.
    forward = train(forward_dir, log, device=device, output_dir=output)
    facts["forward"] = forward.facts
    facts["session_seconds"] = round(time.monotonic() - started, 1)
    write_json(output / "session.json", facts)
    log(f"session done in {facts['session_seconds']}s; forward model in {output}")
    return facts


def _set_minutes(run_dir: Path, seconds: float) -> None:
    recipe = Recipe.load(run_dir / "recipe.json")
    recipe.train.max_minutes = max(seconds, 1.0) / 60.0
    recipe.save(run_dir / "recipe.json")


def _load_arrays(path: Path) -> Any:
    """``numpy.load`` with a one-line error for a missing or broken file."""
    import numpy as np

    try:
        return np.load(path)
    except (OSError, ValueError) as error:
        raise TrainingError(f"{path}: cannot read ({error}); pack the session again") from None


def _split(flat: Any, lengths: Any) -> list[list[int]]:
    rows: list[list[int]] = []
    start = 0
    for length in lengths.tolist():
        rows.append(flat[start : start + length].tolist())
        start += length
    return rows


def load_model(model_dir: Path, device: Any) -> Any:
    """The Transformer saved in ``model_dir`` (compact shards and ``recipe.json``), for decoding."""
    from translate.training.compact import load_compact
    from translate.training.model import Transformer
    from translate.training.train import load_weights

    model = Transformer(Recipe.of_model(model_dir).model)
    load_weights(model, load_compact(model_dir), model_dir)
    return model.to(device).eval()


def backtranslate_ids(
    model: Any,
    sources: Sequence[Sequence[int]],
    device: Any,
    batch_tokens: int,
    deadline: float,
    log: Log,
) -> list[list[int] | None]:
    """Greedy translations of ``sources`` (token ids), shortest first, until ``deadline``.

    Entries not reached by then, or that ran into the length limit without
    finishing, are ``None``.
    """
    import torch

    from translate.training.spm import PAD_ID

    order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
    results: list[list[int] | None] = [None] * len(sources)
    done = 0
    position = 0
    while position < len(order):
        if time.monotonic() >= deadline:
            log(f"back-translation stopped at its time limit after {done:,} sentences")
            break
        end = position
        while end < len(order) and (end - position + 1) * len(sources[order[end]]) <= batch_tokens:
            end += 1
        end = max(end, position + 1)
        chunk = order[position:end]
        width = max(len(sources[i]) for i in chunk)
        batch = torch.full((len(chunk), width), PAD_ID, dtype=torch.long)
        for row, i in enumerate(chunk):
            batch[row, : len(sources[i])] = torch.tensor(sources[i])
        limit = int(1.6 * width) + 8
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            decoded = model.greedy(batch.to(device), max_length=limit)
        for i, tokens in zip(chunk, decoded, strict=True):
            # Hitting the limit means no end of sentence: a runaway, not a translation.
            results[i] = tokens if 0 < len(tokens) < limit else None
        done += len(chunk)
        position = end
    log(f"back-translated {done:,} of {len(sources):,} sentences")
    return results


_LETTER_RUN = re.compile(r"([^\W\d_])\1{3,}")
"""Four of one letter in a row: no Dutch word has that; a decoder stuck in a loop does."""


def stuttering(tokens: Sequence[int], text: str, run: int = 4) -> bool:
    """Whether a decoded sentence loops: ``run`` equal tokens in a row, or a letter run."""
    for start in range(len(tokens) - run + 1):
        if len(set(tokens[start : start + run])) == 1:
            return True
    return _LETTER_RUN.search(text) is not None


def add_backtranslations(
    run_dir: Path,
    english: Sequence[Sequence[int]],
    dutch: Sequence[Sequence[int] | None],
    real_copies: int,
    log: Log,
) -> dict[str, Any]:
    """Filter and tag the synthetic pairs, and rewrite ``run_dir``'s pool with them in it.

    The synthetic Dutch goes through the data build's filters (length, ratio,
    untranslated, language, markup, placeholders) as text; kept pairs get
    ``｟BT｠`` in front of the source. The real pool is repeated ``real_copies`` times.
    """
    import numpy as np

    from translate.training.databuild import BuildOptions, BuiltData, add_synthetic
    from translate.training.spm import BT_TAG, encode_corpus, load_processor

    processor = load_processor(run_dir / "sentencepiece.model")
    recipe = Recipe.load(run_dir / "recipe.json")
    pairs: list[tuple[str, str]] = []
    unusable = {"unfinished": 0, "repetition": 0}
    for en, nl in zip(english, dutch, strict=True):
        if nl is None:
            unusable["unfinished"] += 1
            continue
        source = processor.Decode(list(nl))
        if stuttering(nl, source):
            unusable["repetition"] += 1
            continue
        pairs.append((source, processor.Decode(list(en))))
    built = BuiltData([], [], [], ())
    report = add_synthetic(built, "backtranslation", pairs, BuildOptions(), BT_TAG)
    report.read += sum(unusable.values())
    report.dropped.update({reason: n for reason, n in unusable.items() if n})
    # The packed pool is kept aside, so that running the session again in the same
    # folder starts from the real pairs, not from the last merge.
    real_path = run_dir / "real.npz"
    if not real_path.exists():
        shutil.copyfile(run_dir / "data.npz", real_path)
    with np.load(real_path) as data:
        real = {name: data[name] for name in ("src", "tgt", "src_len", "tgt_len")}
    parts = {name: [real[name]] * real_copies for name in real}
    if built.pairs:
        synthetic = encode_corpus(processor, built.pairs, recipe.train.max_length)
        for name in real:
            parts[name].append(synthetic[name].astype(real[name].dtype))
    merged: dict[str, Any] = {name: np.concatenate(arrays) for name, arrays in parts.items()}
    np.savez(run_dir / "data.npz", **merged)
    card_path = run_dir / "data-card.json"
    card = json.loads(card_path.read_text(encoding="utf-8")) if card_path.exists() else {}
    entry = report.to_dict()
    corpora = [c for c in card.get("corpora", []) if c.get("name") != entry["name"]]
    card["corpora"] = [*corpora, entry]
    card["kept"] = sum(c["kept"] for c in card["corpora"])
    card["weighted"] = sum(c.get("weighted", c["kept"]) for c in card["corpora"])
    card["real_copies"] = real_copies
    write_json(card_path, card)
    for example in built.pairs[:3]:
        log(f"back-translation example: {example[0]!r} ← {example[1]!r}")
    log(
        f"back-translation: {report.kept:,} of {len(english):,} synthetic pairs kept; pool "
        f"{len(merged['src_len']):,} pairs ({real_copies}× {len(real['src_len']):,} real)"
    )
    return entry
