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
from dataclasses import dataclass, field
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
    sentencepiece_model: Path | None = None,
) -> None:
    """Augment, train SentencePiece and tokenize into ``run_dir`` (skipped if already done).

    ``pairs`` must already be cleaned (:func:`corpus.clean_pairs` or the data build).
    ``sentencepiece_model`` reuses an existing vocabulary instead of training one
    (needed to warm-start from a model trained with it).
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    fingerprint = _fingerprint(pairs, recipe, valid)
    if sentencepiece_model is not None:
        fingerprint += ":" + hashlib.sha256(sentencepiece_model.read_bytes()).hexdigest()
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
    model_path = run_dir / "sentencepiece.model"
    if sentencepiece_model is not None:
        shutil.copyfile(sentencepiece_model, model_path)
    else:
        spm_sentences = [p[0] for p in pairs] + [p[1] for p in pairs]
        train_sentencepiece(spm_sentences, model_path, recipe.model.vocab_size, recipe.seed)
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


def load_weights(model: Transformer, weights: dict[str, Any], origin: Path) -> None:
    """Put ``weights`` (name → numpy array, from ``origin``) into ``model``.

    The sinusoidal position tables may be missing (they are not learnt); any
    other difference in shape or names is a :class:`TrainingError`.
    """
    state = {name: torch.from_numpy(array) for name, array in weights.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or [m for m in missing if "position" not in m]:
        raise TrainingError(
            f"{origin}: weights do not fit this model shape "
            f"(missing {missing[:3]}, unexpected {unexpected[:3]})"
        )


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


@dataclass
class RunState:
    """Where a run stands: what a checkpoint saves besides weights and optimizer."""

    step: int = 0
    epoch: int = 0
    batch_in_epoch: int = 0
    best_chrf: float | None = None
    best_step: int = 0
    previous_seconds: float = 0.0
    history: list[dict[str, Any]] = field(default_factory=list)
    averaged: int = 0
    """How many checkpoints the output weights average (0 = a single checkpoint)."""


class TrainingRun:
    """One training run in stages: setup (the constructor), :meth:`resume` or :meth:`initialise`,
    :meth:`loop` (which calls :meth:`step` and :meth:`validate`), :meth:`finish`."""

    def __init__(
        self,
        run_dir: Path,
        log: Log,
        device: torch.device | None = None,
        output_dir: Path | None = None,
    ) -> None:
        """Stage 1 (setup): recipe, seeds, data, validator, model and optimizer."""
        self.wall_start = time.monotonic()
        self.run_dir = run_dir
        self.log = log
        self.device = device or pick_device()
        self.output_dir = output_dir or run_dir / "best"
        self.recipe = Recipe.load(run_dir / "recipe.json")
        self.limits = self.recipe.train
        self.use_bf16 = self.device.type == "cuda"
        self.state = RunState()
        self.checkpoint_path = run_dir / "checkpoint.pt"
        self.initialised_from: Path | None = None
        self.reserve = 0.0
        self.recent: list[dict[str, Tensor]] = []
        """Weights at the last ``average_last`` validations (CPU copies)."""
        if self.device.type == "cuda":
            torch.backends.cuda.matmul.allow_tf32 = True
            torch.backends.cudnn.allow_tf32 = True
        seed = self.limits.seed
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)
        self.processor = load_processor(run_dir / "sentencepiece.model")
        self.batches = Batches(run_dir / "data.npz", self.device, self.limits.batch_tokens, seed)
        self.validator = _load_validator(run_dir, self.recipe, self.processor, self.device)
        self.model = Transformer(self.recipe.model).to(self.device)
        fused = {"fused": True} if self.device.type == "cuda" else {}
        named = list(self.model.named_parameters())
        self.optimizer = torch.optim.AdamW(
            [
                {
                    "params": [p for _, p in named if p.dim() >= 2],
                    "weight_decay": self.limits.weight_decay,
                },
                {"params": [p for _, p in named if p.dim() < 2], "weight_decay": 0.0},
            ],
            lr=self.limits.lr,
            betas=(0.9, 0.98),
            eps=1e-8,
            **fused,
        )

    def initialise(self, init_weights: Path | None) -> None:
        """Stage 2 (new run): start from earlier weights (same shape), fresh optimizer."""
        if init_weights is not None:
            from translate.training.warmstart import load_initial_weights

            load_weights(self.model, load_initial_weights(init_weights), init_weights)
            self.initialised_from = init_weights
            self.log(f"initialised from {init_weights}")

    def resume(self) -> None:
        """Stage 2 (continued run): model, optimizer, position and RNG from the checkpoint."""
        if not self.checkpoint_path.exists():
            raise TrainingError(
                f"{self.checkpoint_path}: no checkpoint to resume from; train without --resume"
            )
        try:
            checkpoint = torch.load(self.checkpoint_path, map_location="cpu", weights_only=False)
        except Exception as error:  # torch raises several unrelated types for bad files
            raise TrainingError(
                f"{self.checkpoint_path}: cannot read checkpoint ({error}); "
                "train again without --resume"
            ) from None
        if checkpoint["recipe"]["model"] != self.recipe.to_dict()["model"]:
            raise TrainingError(
                f"{self.checkpoint_path}: checkpoint was trained with another model shape; "
                "resume with the same recipe"
            )
        self.model.load_state_dict(checkpoint["model"])
        self.optimizer.load_state_dict(checkpoint["optimizer"])
        self.state = RunState(
            step=checkpoint["step"],
            epoch=checkpoint["epoch"],
            batch_in_epoch=checkpoint["batch_in_epoch"],
            best_chrf=checkpoint["best_chrf"],
            best_step=checkpoint.get("best_step", 0),
            previous_seconds=checkpoint["seconds"],
            history=checkpoint["history"],
        )
        _set_rng_state(checkpoint["rng"])
        self.log(
            f"resumed from step {self.state.step} (epoch {self.state.epoch}, "
            f"batch {self.state.batch_in_epoch})"
        )

    def seconds(self) -> float:
        """Training seconds so far, earlier sessions of a resumed run included."""
        return self.state.previous_seconds + time.monotonic() - self.wall_start

    def save_checkpoint(self) -> None:
        """Everything :meth:`resume` needs, written atomically."""
        state = self.state
        checkpoint = {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "step": state.step,
            "epoch": state.epoch,
            "batch_in_epoch": state.batch_in_epoch,
            "best_chrf": state.best_chrf,
            "best_step": state.best_step,
            "seconds": self.seconds(),
            "history": state.history,
            "rng": _rng_state(),
            "recipe": self.recipe.to_dict(),
        }
        atomic_write(self.checkpoint_path, lambda temporary: torch.save(checkpoint, temporary))

    def save_best(self) -> None:
        """The current weights as the run's output (compact shards + SentencePiece + recipe)."""
        save_compact(model_state(self.model), self.output_dir)
        shutil.copyfile(
            self.run_dir / "sentencepiece.model", self.output_dir / "sentencepiece.model"
        )
        facts = {"best_step": self.state.best_step, "best_valid_chrf": self.state.best_chrf}
        write_json(self.output_dir / "recipe.json", {**self.recipe.to_dict(), "facts": facts})

    def validate(self) -> float | None:
        """chrF on the validation subset; keeps the weights when it is the best so far."""
        if self.validator is None:
            return None
        state = self.state
        began = time.monotonic()
        chrf, outputs = self.validator.score(self.model, self.use_bf16)
        improved = state.best_chrf is None or chrf > state.best_chrf
        if improved:
            state.best_chrf, state.best_step = chrf, state.step
            self.save_best()
        state.history.append({"step": state.step, "chrf": round(chrf, 2)})
        if self.limits.average_last > 1:
            self.recent.append(
                {k: v.detach().float().cpu().clone() for k, v in self.model.state_dict().items()}
            )
            del self.recent[: -self.limits.average_last]
        self.log(
            f"step {state.step} validation chrF {chrf:.2f} (best {state.best_chrf:.2f}"
            f"{', saved' if improved else ''}) in {time.monotonic() - began:.1f}s; "
            f"e.g. {outputs[0][:120]!r}"
        )
        return chrf

    def step(self, indices: Any) -> tuple[Tensor, Tensor, float]:
        """One optimisation step on a batch: its loss, target tokens and learning rate."""
        source, target_in, target_out = self.batches.tensors(indices)
        lr = learning_rate(self.state.step + 1, self.limits.lr, self.limits.warmup_steps)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.use_bf16):
            logits = self.model(source, target_in)
        loss = F.cross_entropy(
            logits.float().view(-1, logits.shape[-1]),
            target_out.reshape(-1),
            ignore_index=PAD_ID,
            label_smoothing=self.limits.label_smoothing,
        )
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()  # type: ignore[no-untyped-call]
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.limits.clip_norm)
        self.optimizer.step()
        self.state.step += 1
        self.state.batch_in_epoch += 1
        return loss.detach(), (target_out != PAD_ID).sum(), lr

    def _initial_reserve(self, budget: float) -> float:
        # Stopping must leave time for the final validation and saves; the reserve
        # grows to what the last validation + checkpoint actually took.
        reserve = 10.0 if self.device.type == "cuda" else 3.0
        if self.validator is not None and self.device.type != "cuda" and math.isfinite(budget):
            # CPU greedy decoding is slow; until one validation has been timed, keep a tenth back.
            reserve = max(reserve, 0.1 * budget)
        return reserve

    def loop(self) -> str:
        """Stage 3: train until a step, epoch or time limit (or Ctrl-C); say which stopped it."""
        limits, state = self.limits, self.state
        budget = limits.max_minutes * 60.0 if limits.max_minutes > 0 else math.inf
        self.reserve = self._initial_reserve(budget)
        meter = _LossMeter()
        self.model.train()
        try:
            while True:
                if limits.max_epochs and state.epoch >= limits.max_epochs:
                    return "max epochs"
                epoch_batches = self.batches.epoch(state.epoch)
                while state.batch_in_epoch < len(epoch_batches):
                    if limits.max_steps and state.step >= limits.max_steps:
                        return "max steps"
                    if time.monotonic() - self.wall_start + self.reserve >= budget:
                        return "time limit"
                    loss, tokens, lr = self.step(epoch_batches[state.batch_in_epoch])
                    meter.add(loss, tokens)
                    self._bookkeeping(meter, lr)
                state.epoch += 1
                state.batch_in_epoch = 0
        except (KeyboardInterrupt, Interrupted):
            # Ctrl-C still validates, saves and exports what has been learnt;
            # --resume continues from here.
            return "interrupted"

    def _bookkeeping(self, meter: _LossMeter, lr: float) -> None:
        """Log, validate and checkpoint when their intervals come round."""
        limits, step = self.limits, self.state.step
        if step % limits.log_every == 0:
            self.log(
                f"step {step} epoch {self.state.epoch} {meter.report()} lr {lr:.2e} "
                f"elapsed {time.monotonic() - self.wall_start:.0f}s"
            )
        for every, action in (
            (limits.validate_every, self.validate),
            (limits.checkpoint_every, self.save_checkpoint),
        ):
            if every and step % every == 0:
                began = time.monotonic()
                action()
                self.reserve = max(self.reserve, 2 * (time.monotonic() - began) + 5)

    def average(self) -> float | None:
        """Validate the mean of the last checkpoints' weights; it becomes the output if better.

        Leaves the model holding the best weights seen (averaged or not)."""
        if len(self.recent) < 2 or self.validator is None:
            return None
        count = len(self.recent)
        averaged = {k: sum(w[k] for w in self.recent) / count for k in self.recent[0]}
        current = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
        self.model.load_state_dict(averaged)
        before = self.state.best_chrf
        chrf, _ = self.validator.score(self.model, self.use_bf16)
        self.log(f"average of the last {count} validated checkpoints: chrF {chrf:.2f}")
        if before is None or chrf > before:
            self.state.best_chrf = chrf
            self.state.averaged = count
            self.save_best()
        else:
            self.model.load_state_dict(current)
        return chrf

    def finish(self, stopped: str) -> TrainResult:
        """Stage 4: final validation, checkpoint averaging, saves, ``facts.json``; the result."""
        state = self.state
        history = state.history
        last = history[-1] if history else None
        final_chrf: float | None = (
            last["chrf"] if last and last["step"] == state.step else self.validate()
        )
        averaged_chrf = self.average()
        if self.validator is None:
            self.save_best()
        self.save_checkpoint()
        seconds = self.seconds()
        device = self.device
        facts: dict[str, Any] = {
            "steps": state.step,
            "epochs_completed": state.epoch,
            "training_pairs": self.batches.count,
            "parameters": count_parameters(self.model),
            "train_seconds": round(seconds, 1),
            "best_step": state.best_step if self.validator is not None else state.step,
            "best_valid_chrf": None if state.best_chrf is None else round(state.best_chrf, 2),
            "last_valid_chrf": None if final_chrf is None else round(final_chrf, 2),
            "valid_sentences": 0 if self.validator is None else len(self.validator.sources),
            "history": history,
            "device": torch.cuda.get_device_name(device)
            if device.type == "cuda"
            else platform.processor() or "cpu",
            "torch": torch.__version__,
            "stopped_because": stopped,
        }
        if averaged_chrf is not None:
            facts["averaged_valid_chrf"] = round(averaged_chrf, 2)
            facts["averaged_checkpoints"] = state.averaged
        if self.initialised_from is not None:
            facts["initialised_from"] = str(self.initialised_from)
        write_json(self.run_dir / "facts.json", facts)
        if (self.output_dir / "recipe.json").exists():
            write_json(self.output_dir / "recipe.json", {**self.recipe.to_dict(), "facts": facts})
        self.log(
            f"stopped ({stopped}) at step {state.step}, epoch {state.epoch}, after {seconds:.0f}s; "
            f"best chrF {state.best_chrf}"
        )
        return TrainResult(state.step, state.epoch, state.best_chrf, stopped, facts)


class _LossMeter:
    """Loss and throughput since the last log line, accumulated on the device
    (reading a value each step would stall the GPU)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Start a new logging interval."""
        self.loss: Tensor | float = 0.0
        self.tokens: Tensor | int = 0
        self.count = 0
        self.clock = time.monotonic()

    def add(self, loss: Tensor, tokens: Tensor) -> None:
        """Count one step."""
        self.loss = self.loss + loss
        self.tokens = self.tokens + tokens
        self.count += 1

    def report(self) -> str:
        """Mean loss, steps/s and target tokens/s of the interval; starts a new one."""
        elapsed = max(time.monotonic() - self.clock, 1e-9)
        text = (
            f"loss {float(self.loss) / max(self.count, 1):.3f} "
            f"{self.count / elapsed:.2f} steps/s {float(self.tokens) / elapsed:.0f} tgt tok/s"
        )
        self.reset()
        return text


def train(
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
    directory of compact shards from an earlier run of the same shape, or a
    CTranslate2 model or package directory) starts a new run from those
    weights with a fresh optimizer and schedule.
    """
    run = TrainingRun(run_dir, log, device, output_dir)
    if resume:
        run.resume()
    else:
        run.initialise(init_weights)
    log(
        f"device {run.device}; {count_parameters(run.model) / 1e6:.1f}M parameters; "
        f"{run.batches.count} training pairs; batch {run.limits.batch_tokens} tokens"
    )
    return run.finish(run.loop())
