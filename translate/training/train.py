"""Data preparation and the training loop.

A run directory holds everything a run needs and produces::

    recipe.json          the Recipe (written by prepare, read by train)
    sentencepiece.model  joint SentencePiece model
    data.npz             the tokenized, augmented training pool
    valid.nl, valid.en   validation subset (optional)
    prepared.json        fingerprint of corpus + recipe (skip preparing twice)
    checkpoint.pt        last full state (model, optimizer, step, RNG) for --resume
    best/                best-chrF weights, compact shards (see compact.py)
    facts.json           what happened: steps, epochs, minutes, scores, hardware

Imports PyTorch at module level: import this module only when training.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from translate.errors import TrainingError
from translate.fileio import atomic_write
from translate.interrupts import Interrupted
from translate.training.compact import save_compact
from translate.training.config import Recipe, write_json
from translate.training.corpus import Pair, build_training_pairs
from translate.training.model import Transformer, count_parameters, model_state
from translate.training.spm import (
    PAD_ID,
    encode_corpus,
    load_processor,
    train_sentencepiece,
)

Log = Callable[[str], None]


def _fingerprint(pairs: Sequence[Pair], recipe: Recipe, valid: Sequence[Pair]) -> str:
    digest = hashlib.sha256()
    relevant = {
        "vocab": recipe.model.vocab_size,
        "augment": recipe.to_dict()["augment"],
        "seed": recipe.seed,
        "max_length": recipe.train.max_length,
    }
    digest.update(json.dumps(relevant, sort_keys=True).encode())
    for source, target in [*pairs, ("--valid--", ""), *valid]:
        digest.update(source.encode())
        digest.update(b"\t")
        digest.update(target.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def prepare(
    pairs: Sequence[Pair],
    recipe: Recipe,
    run_dir: Path,
    log: Log,
    valid: Sequence[Pair] = (),
    threads: int = 4,
) -> None:
    """Augment, train SentencePiece and tokenize into ``run_dir`` (skipped if already done).

    ``pairs`` must already be cleaned (:func:`corpus.clean_pairs`).
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    fingerprint = _fingerprint(pairs, recipe, valid)
    marker = run_dir / "prepared.json"
    if marker.exists():
        try:
            if json.loads(marker.read_text(encoding="utf-8")).get("fingerprint") == fingerprint:
                log(f"prepared data in {run_dir} is up to date; not preparing again")
                recipe.save(run_dir / "recipe.json")
                return
        except ValueError:
            pass
    started = time.monotonic()
    pool = build_training_pairs(pairs, recipe.augment, recipe.seed)
    log(f"augmented pool: {len(pool)} pairs from {len(pairs)} cleaned pairs")
    spm_sentences = [p[0] for p in pairs] + [p[1] for p in pairs]
    model_path = train_sentencepiece(
        spm_sentences,
        run_dir / "sentencepiece.model",
        recipe.model.vocab_size,
        recipe.seed,
    )
    processor = load_processor(model_path)
    recipe.model.vocab_size = processor.GetPieceSize()
    arrays = encode_corpus(processor, pool, recipe.train.max_length, threads)
    np.savez_compressed(run_dir / "data.npz", **arrays)
    if valid:
        (run_dir / "valid.nl").write_text("".join(s + "\n" for s, _ in valid), encoding="utf-8")
        (run_dir / "valid.en").write_text("".join(t + "\n" for _, t in valid), encoding="utf-8")
    recipe.save(run_dir / "recipe.json")
    source_tokens = int(arrays["src_len"].sum())
    target_tokens = int(arrays["tgt_len"].sum())
    write_json(
        marker,
        {
            "fingerprint": fingerprint,
            "pairs": len(arrays["src_len"]),
            "source_tokens": source_tokens,
            "target_tokens": target_tokens,
            "cleaned_pairs": len(pairs),
        },
    )
    log(
        f"prepared {len(arrays['src_len'])} pairs ({source_tokens} source / {target_tokens} "
        f"target tokens), vocabulary {recipe.model.vocab_size}, "
        f"in {time.monotonic() - started:.1f}s"
    )


class Batches:
    """The tokenized pool as padded tensors on the training device, batched by tokens."""

    def __init__(self, data_path: Path, device: torch.device, batch_tokens: int, seed: int):
        with np.load(data_path) as data:
            src, tgt = data["src"], data["tgt"]
            self.src_len = data["src_len"].astype(np.int64)
            self.tgt_len = data["tgt_len"].astype(np.int64)
        self.count = len(self.src_len)
        self.batch_tokens = batch_tokens
        self.seed = seed
        self.device = device
        self.source = self._pad(src, self.src_len).to(device)
        self.target = self._pad(tgt, self.tgt_len).to(device)

    @staticmethod
    def _pad(flat: Any, lengths: Any) -> Tensor:
        width = int(lengths.max())
        padded = np.full((len(lengths), width), PAD_ID, dtype=np.int32)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        columns = np.arange(width)[None, :]
        inside = columns < lengths[:, None]
        padded[inside] = flat[(starts[:, None] + columns)[inside]]
        return torch.from_numpy(padded)

    def epoch(self, epoch: int) -> list[Any]:
        """Index arrays of one epoch's batches, reproducible from (seed, epoch)."""
        rng = np.random.default_rng(self.seed * 1000 + epoch)
        order = rng.permutation(self.count)
        # Sort within large windows so batches hold similar lengths (little padding)
        # while the epoch order stays random.
        window = 64 * max(1, self.batch_tokens // 16)
        batches: list[Any] = []
        for start in range(0, self.count, window):
            chunk = order[start : start + window]
            width = np.maximum(self.src_len[chunk], self.tgt_len[chunk])
            chunk = chunk[np.argsort(width, kind="stable")]
            width = np.maximum(self.src_len[chunk], self.tgt_len[chunk])
            begin = 0
            widest = 0
            for i in range(len(chunk)):
                widest = max(widest, int(width[i]))
                if (i + 1 - begin) * widest > self.batch_tokens and i > begin:
                    batches.append(chunk[begin:i])
                    begin = i
                    widest = int(width[i])
            batches.append(chunk[begin:])
        rng.shuffle(batches)
        return batches

    def tensors(self, indices: Any) -> tuple[Tensor, Tensor, Tensor]:
        """Source, decoder input (``<s>`` + target) and decoder output (target + ``</s>``)."""
        index = torch.from_numpy(np.asarray(indices, dtype=np.int64)).to(self.device)
        source = self.source[index, : int(self.src_len[indices].max())].long()
        target = self.target[index, : int(self.tgt_len[indices].max())].long()
        bos = torch.ones_like(target[:, :1])
        target_in = torch.cat([bos, target[:, :-1]], dim=1)
        return source, target_in, target


@dataclass
class Validator:
    """Greedy-decodes a validation subset and scores it with chrF."""

    sources: list[list[int]]
    references: list[str]
    processor: Any
    device: torch.device

    def score(self, model: Transformer, use_bf16: bool) -> tuple[float, list[str]]:
        """chrF of the current model on the subset, and its outputs (in input order)."""
        import sacrebleu

        model.eval()
        order = sorted(range(len(self.sources)), key=lambda i: len(self.sources[i]))
        outputs: list[str] = [""] * len(self.sources)
        for start in range(0, len(order), 64):
            chunk = order[start : start + 64]
            width = max(len(self.sources[i]) for i in chunk)
            batch = torch.full((len(chunk), width), PAD_ID, dtype=torch.long)
            for row, i in enumerate(chunk):
                batch[row, : len(self.sources[i])] = torch.tensor(self.sources[i])
            with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=use_bf16):
                decoded = model.greedy(batch.to(self.device), max_length=2 * width + 10)
            for i, tokens in zip(chunk, decoded, strict=True):
                outputs[i] = self.processor.Decode(tokens)
        model.train()
        return float(sacrebleu.corpus_chrf(outputs, [self.references]).score), outputs


def _load_validator(
    run_dir: Path, recipe: Recipe, processor: Any, device: torch.device
) -> Validator | None:
    source_path, reference_path = run_dir / "valid.nl", run_dir / "valid.en"
    if not source_path.exists() or recipe.train.validate_sentences <= 0:
        return None
    sources = source_path.read_text(encoding="utf-8").splitlines()[
        : recipe.train.validate_sentences
    ]
    references = reference_path.read_text(encoding="utf-8").splitlines()[: len(sources)]
    limit = recipe.model.max_positions - 1
    encoded = [ids[:limit] for ids in processor.Encode(sources)]
    return Validator(encoded, references, processor, device)


def learning_rate(step: int, base: float, warmup: int) -> float:
    """Linear warm-up, then inverse square root decay."""
    step = max(step, 1)
    return base * min(step / max(warmup, 1), math.sqrt(max(warmup, 1) / step))


@dataclass
class TrainResult:
    """What a call to :func:`train` achieved."""

    step: int
    epoch: int
    best_chrf: float | None
    stopped_because: str
    facts: dict[str, Any]


def _rng_state() -> dict[str, Any]:
    state: dict[str, Any] = {
        "python": random.getstate(),
        "numpy": np.random.get_state(),
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: dict[str, Any]) -> None:
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def pick_device(requested: str | None = None) -> torch.device:
    """CUDA when available (or requested), else CPU."""
    if requested:
        return torch.device(requested)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


# Over the complexity limit until i9 (issue 13's train() split, owner of training/) splits it.
def train(  # noqa: C901
    run_dir: Path,
    log: Log,
    resume: bool = False,
    device: torch.device | None = None,
    output_dir: Path | None = None,
    init_weights: Path | None = None,
) -> TrainResult:
    """Train (or resume) the run in ``run_dir`` until a step, epoch or time limit.

    Best-chrF weights go to ``output_dir`` (default ``run_dir / "best"``) as
    compact shards after every validation that improves and at the end; with
    no validation data the last weights are kept instead. ``init_weights`` (a
    directory of compact shards from an earlier run of the same shape) starts a
    new run from those weights with a fresh optimizer and schedule.
    """
    wall_start = time.monotonic()
    recipe = Recipe.load(run_dir / "recipe.json")
    limits = recipe.train
    device = device or pick_device()
    output_dir = output_dir or run_dir / "best"
    use_bf16 = device.type == "cuda"
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True

    random.seed(limits.seed)
    np.random.seed(limits.seed)
    torch.manual_seed(limits.seed)

    processor = load_processor(run_dir / "sentencepiece.model")
    batches = Batches(run_dir / "data.npz", device, limits.batch_tokens, limits.seed)
    validator = _load_validator(run_dir, recipe, processor, device)
    model = Transformer(recipe.model)
    if init_weights is not None and not resume:
        from translate.training.compact import load_compact

        start = {
            name: torch.from_numpy(array) for name, array in load_compact(init_weights).items()
        }
        missing, unexpected = model.load_state_dict(start, strict=False)
        if unexpected or [m for m in missing if "position" not in m]:
            raise TrainingError(
                f"{init_weights}: weights do not fit this model shape "
                f"(missing {missing[:3]}, unexpected {unexpected[:3]})"
            )
        log(f"initialised from {init_weights}")
    model = model.to(device)
    fused = {"fused": True} if device.type == "cuda" else {}
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": limits.weight_decay},
            {"params": no_decay, "weight_decay": 0.0},
        ],
        lr=limits.lr,
        betas=(0.9, 0.98),
        eps=1e-8,
        **fused,
    )

    step = epoch = batch_in_epoch = 0
    best_chrf: float | None = None
    best_step = 0
    previous_seconds = 0.0
    history: list[dict[str, Any]] = []
    checkpoint_path = run_dir / "checkpoint.pt"
    if resume:
        if not checkpoint_path.exists():
            raise TrainingError(
                f"{checkpoint_path}: no checkpoint to resume from; train without --resume"
            )
        try:
            checkpoint = torch.load(checkpoint_path, map_location="cpu", weights_only=False)
        except Exception as error:  # torch raises several unrelated types for bad files
            raise TrainingError(
                f"{checkpoint_path}: cannot read checkpoint ({error}); train again without --resume"
            ) from None
        if checkpoint["recipe"]["model"] != recipe.to_dict()["model"]:
            raise TrainingError(
                f"{checkpoint_path}: checkpoint was trained with another model shape; "
                "resume with the same recipe"
            )
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        step, epoch, batch_in_epoch = (
            checkpoint["step"],
            checkpoint["epoch"],
            checkpoint["batch_in_epoch"],
        )
        best_chrf = checkpoint["best_chrf"]
        best_step = checkpoint.get("best_step", 0)
        previous_seconds = checkpoint["seconds"]
        history = checkpoint["history"]
        _set_rng_state(checkpoint["rng"])
        log(f"resumed from step {step} (epoch {epoch}, batch {batch_in_epoch})")

    log(
        f"device {device}; {count_parameters(model) / 1e6:.1f}M parameters; "
        f"{batches.count} training pairs; batch {limits.batch_tokens} tokens"
    )

    def save_checkpoint() -> None:
        state = {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "step": step,
            "epoch": epoch,
            "batch_in_epoch": batch_in_epoch,
            "best_chrf": best_chrf,
            "best_step": best_step,
            "seconds": previous_seconds + time.monotonic() - wall_start,
            "history": history,
            "rng": _rng_state(),
            "recipe": recipe.to_dict(),
        }
        atomic_write(checkpoint_path, lambda temporary: torch.save(state, temporary))

    def save_best() -> None:
        save_compact(model_state(model), output_dir)
        shutil.copyfile(run_dir / "sentencepiece.model", output_dir / "sentencepiece.model")
        write_json(
            output_dir / "recipe.json",
            {**recipe.to_dict(), "facts": {"best_step": best_step, "best_valid_chrf": best_chrf}},
        )

    def validate() -> float | None:
        nonlocal best_chrf, best_step
        if validator is None:
            return None
        began = time.monotonic()
        chrf, outputs = validator.score(model, use_bf16)
        improved = best_chrf is None or chrf > best_chrf
        if improved:
            best_chrf, best_step = chrf, step
            save_best()
        history.append({"step": step, "chrf": round(chrf, 2)})
        log(
            f"step {step} validation chrF {chrf:.2f} (best {best_chrf:.2f}"
            f"{', saved' if improved else ''}) in {time.monotonic() - began:.1f}s; "
            f"e.g. {outputs[0][:120]!r}"
        )
        return chrf

    budget = limits.max_minutes * 60.0 if limits.max_minutes > 0 else math.inf
    # Stopping must leave time for the final validation and saves; the reserve
    # grows to what the last validation + checkpoint actually took.
    reserve = 10.0 if device.type == "cuda" else 3.0
    if validator is not None and device.type != "cuda" and math.isfinite(budget):
        # CPU greedy decoding is slow; until one validation has been timed, keep a tenth back.
        reserve = max(reserve, 0.1 * budget)
    stopped = "max steps"
    tokens_since: Tensor | int = 0
    loss_sum: Tensor | float = 0.0
    loss_count = 0
    log_clock = time.monotonic()
    model.train()
    done = False
    try:
        while not done:
            if limits.max_epochs and epoch >= limits.max_epochs:
                stopped = "max epochs"
                break
            epoch_batches = batches.epoch(epoch)
            while batch_in_epoch < len(epoch_batches):
                if limits.max_steps and step >= limits.max_steps:
                    stopped, done = "max steps", True
                    break
                if time.monotonic() - wall_start + reserve >= budget:
                    stopped, done = "time limit", True
                    break
                source, target_in, target_out = batches.tensors(epoch_batches[batch_in_epoch])
                lr = learning_rate(step + 1, limits.lr, limits.warmup_steps)
                for group in optimizer.param_groups:
                    group["lr"] = lr
                with torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_bf16):
                    logits = model(source, target_in)
                loss = F.cross_entropy(
                    logits.float().view(-1, logits.shape[-1]),
                    target_out.reshape(-1),
                    ignore_index=PAD_ID,
                    label_smoothing=limits.label_smoothing,
                )
                optimizer.zero_grad(set_to_none=True)
                loss.backward()  # type: ignore[no-untyped-call]
                torch.nn.utils.clip_grad_norm_(model.parameters(), limits.clip_norm)
                optimizer.step()
                step += 1
                batch_in_epoch += 1
                # Accumulated on the device: reading a value each step would stall the GPU.
                tokens_since = tokens_since + (target_out != PAD_ID).sum()
                loss_sum = loss_sum + loss.detach()
                loss_count += 1
                if step % limits.log_every == 0:
                    elapsed = time.monotonic() - log_clock
                    log(
                        f"step {step} epoch {epoch} loss {float(loss_sum) / loss_count:.3f} "
                        f"lr {lr:.2e} {loss_count / elapsed:.2f} steps/s "
                        f"{float(tokens_since) / elapsed:.0f} tgt tok/s "
                        f"elapsed {time.monotonic() - wall_start:.0f}s"
                    )
                    loss_sum, loss_count, tokens_since = 0.0, 0, 0
                    log_clock = time.monotonic()
                if limits.validate_every and step % limits.validate_every == 0:
                    began = time.monotonic()
                    validate()
                    reserve = max(reserve, 2 * (time.monotonic() - began) + 5)
                if limits.checkpoint_every and step % limits.checkpoint_every == 0:
                    began = time.monotonic()
                    save_checkpoint()
                    reserve = max(reserve, 2 * (time.monotonic() - began) + 5)
            else:
                epoch += 1
                batch_in_epoch = 0
                continue
            break
    except (KeyboardInterrupt, Interrupted):
        # Ctrl-C still validates, saves and exports what has been learnt;
        # --resume continues from here.
        stopped = "interrupted"

    final_chrf = validate() if not history or history[-1]["step"] != step else history[-1]["chrf"]
    if validator is None:
        save_best()
    save_checkpoint()
    seconds = previous_seconds + time.monotonic() - wall_start
    facts = {
        "steps": step,
        "epochs_completed": epoch,
        "training_pairs": batches.count,
        "parameters": count_parameters(model),
        "train_seconds": round(seconds, 1),
        "best_step": best_step if validator is not None else step,
        "best_valid_chrf": None if best_chrf is None else round(best_chrf, 2),
        "last_valid_chrf": None if final_chrf is None else round(final_chrf, 2),
        "valid_sentences": 0 if validator is None else len(validator.sources),
        "history": history,
        "device": torch.cuda.get_device_name(device)
        if device.type == "cuda"
        else platform.processor() or "cpu",
        "torch": torch.__version__,
        "stopped_because": stopped,
    }
    if init_weights is not None:
        facts["initialised_from"] = str(init_weights)
    write_json(run_dir / "facts.json", facts)
    if (output_dir / "recipe.json").exists():
        write_json(output_dir / "recipe.json", {**recipe.to_dict(), "facts": facts})
    log(
        f"stopped ({stopped}) at step {step}, epoch {epoch}, after {seconds:.0f}s; "
        f"best chrF {best_chrf}"
    )
    return TrainResult(step, epoch, best_chrf, stopped, facts)
