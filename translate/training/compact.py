"""Compact weight files: per-row int8 matrices with fp16 scales, fp16 for the rest.

The GPU machine hands its result back through a narrow channel (few files,
each under 15 MiB), so the best weights travel in this form and are rebuilt to
float32 here before CTranslate2 quantizes them again. Both quantizations are
per-row absmax, so the second one reproduces the first exactly: the
round-trip costs nothing beyond the int8 the shipped model has anyway.

Uses numpy only (no PyTorch, no CTranslate2).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from translate.errors import TrainingError
from translate.fileio import atomic_write

SHARD_PREFIX = "weights-"
MAX_SHARD_BYTES = 14 * 1024 * 1024


def save_compact(state: Mapping[str, Any], directory: Path) -> list[Path]:
    """Write ``state`` (name -> float array) as ``weights-NN.npz`` shards; return their paths.

    Old shards in ``directory`` are replaced only after the new ones are written.
    """
    import numpy as np

    shards: list[dict[str, Any]] = [{}]
    sizes = [0]
    for name, value in state.items():
        array = np.asarray(value, dtype=np.float32)
        entries: dict[str, Any]
        if array.ndim == 2:
            absmax = np.abs(array).max(axis=1, keepdims=True)
            scale = (np.maximum(absmax, 1e-12) / 127.0).astype(np.float16)
            scale = np.where(scale == 0, np.float16(1e-7), scale)
            quantized = np.clip(np.rint(array / scale.astype(np.float32)), -127, 127)
            entries = {f"{name}::int8": quantized.astype(np.int8), f"{name}::scale": scale}
        else:
            entries = {f"{name}::fp16": array.astype(np.float16)}
        size = sum(int(v.nbytes) for v in entries.values())
        if sizes[-1] and sizes[-1] + size > MAX_SHARD_BYTES:
            shards.append({})
            sizes.append(0)
        shards[-1].update(entries)
        sizes[-1] += size
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for index, shard in enumerate(shards):
        path = directory / f"{SHARD_PREFIX}{index:02d}.npz"
        atomic_write(path, partial(_save_npz, shard))
        written.append(path)
    for stale in directory.glob(f"{SHARD_PREFIX}*.npz"):
        if stale not in written:
            stale.unlink()
    return written


def _save_npz(arrays: Mapping[str, Any], temporary: Path) -> None:
    import numpy as np

    # an open file, because given a path numpy appends ".npz" to a name without it
    with temporary.open("wb") as stream:
        np.savez(stream, **arrays)


def load_compact(directory: Path) -> dict[str, Any]:
    """Rebuild float32 arrays from the shards in ``directory``."""
    import numpy as np

    shards = sorted(directory.glob(f"{SHARD_PREFIX}*.npz"))
    if not shards:
        raise TrainingError(
            f"{directory}: no {SHARD_PREFIX}*.npz weight shards; give a training output directory"
        )
    state: dict[str, Any] = {}
    for shard in shards:
        with np.load(shard) as data:
            for key in data.files:
                name, kind = key.rsplit("::", 1)
                if kind == "int8":
                    scale = data[f"{name}::scale"].astype(np.float32)
                    state[name] = data[key].astype(np.float32) * scale
                elif kind == "fp16":
                    state[name] = data[key].astype(np.float32)
    return state
