"""Read a CTranslate2 ``model.bin`` back into the training layout (warm starts).

The shipped package keeps only the int8 CTranslate2 model, not the training
weights. To fine-tune it further (on a CPU, where training from scratch is out
of reach) the int8 matrices are dequantized with their per-row scales and the
variables are renamed to :mod:`translate.training.model`'s names, the inverse
of :func:`translate.training.export.build_spec`. The result is float32 and can
be written with :func:`translate.training.compact.save_compact`; the int8
rounding it carries is what the shipped model has anyway.

The binary layout follows ``ctranslate2.specs.model_spec.ModelSpec._serialize``
(version 6): a header, ``count`` variables (name, rank, shape, dtype id, byte
count, bytes) and aliases. Uses numpy only.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any, BinaryIO

from translate.errors import TrainingError

_DTYPES = ("float32", "int8", "int16", "int32", "float16", "bfloat16")
_LINEAR_NAMES = {
    "self_attention/linear_0": "self_attention.qkv",
    "self_attention/linear_1": "self_attention.out",
    "attention/linear_0": "attention.q",
    "attention/linear_1": "attention.kv",
    "attention/linear_2": "attention.out",
    "ffn/linear_0": "ffn.linear_0",
    "ffn/linear_1": "ffn.linear_1",
}
_NORM_NAMES = {
    "self_attention/layer_norm": "self_attention.layer_norm",
    "attention/layer_norm": "attention.layer_norm",
    "ffn/layer_norm": "ffn.layer_norm",
}
_LAYER = re.compile(r"^(?P<side>encoder|decoder)/layer_(?P<index>\d+)/(?P<rest>.+)$")


def _read(stream: BinaryIO, fmt: str) -> Any:
    size = struct.calcsize(fmt)
    data = stream.read(size)
    if len(data) != size:
        raise TrainingError("truncated CTranslate2 model file")
    return struct.unpack(fmt, data)[0]


def _read_string(stream: BinaryIO) -> str:
    length = _read(stream, "H")
    raw = stream.read(length)
    return raw[:-1].decode("utf-8")


def read_ctranslate2(path: Path) -> dict[str, Any]:
    """All variables of a CTranslate2 ``model.bin`` as numpy arrays (aliases resolved)."""
    import numpy as np

    variables: dict[str, Any] = {}
    try:
        with path.open("rb") as stream:
            version = _read(stream, "I")
            if version < 5:
                raise TrainingError(f"{path}: CTranslate2 binary version {version} is too old")
            _read_string(stream)  # spec name
            _read(stream, "I")  # revision
            for _ in range(_read(stream, "I")):
                name = _read_string(stream)
                shape = tuple(_read(stream, "I") for _ in range(_read(stream, "B")))
                dtype = _DTYPES[_read(stream, "B")]
                size = _read(stream, "I")
                raw = stream.read(size)
                if dtype == "bfloat16":
                    as_int = np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16
                    array = as_int.view(np.float32)
                else:
                    array = np.frombuffer(raw, dtype=np.dtype(dtype))
                variables[name] = array.reshape(shape) if shape else array.reshape(())

            for _ in range(_read(stream, "I")):
                alias, real = _read_string(stream), _read_string(stream)
                variables[alias] = variables[real]
                if f"{real}_scale" in variables:
                    variables[f"{alias}_scale"] = variables[f"{real}_scale"]
    except OSError as error:
        raise TrainingError(f"{path}: cannot read CTranslate2 model: {error.strerror}") from None
    return variables


def _dequantize(variables: dict[str, Any], name: str) -> Any:
    import numpy as np

    value = variables[name]
    scale = variables.get(f"{name}_scale")
    if scale is None:
        return value.astype(np.float32)
    scale = np.asarray(scale, dtype=np.float32)
    if scale.ndim == 0:
        return value.astype(np.float32) / scale
    return value.astype(np.float32) / scale[:, None]


def _training_name(name: str) -> str | None:
    """Training-layout name of a CTranslate2 variable (None: not a trained weight)."""
    if name in ("encoder/embeddings_0/weight", "decoder/embeddings/weight"):
        return "embeddings.weight"
    for side in ("encoder", "decoder"):
        if name == f"{side}/layer_norm/gamma":
            return f"{side}_norm.weight"
        if name == f"{side}/layer_norm/beta":
            return f"{side}_norm.bias"
    match = _LAYER.match(name)
    if match is None:
        return None
    prefix = f"{match['side']}_layers.{match['index']}"
    module, _, leaf = match["rest"].rpartition("/")
    if module in _LINEAR_NAMES and leaf in ("weight", "bias"):
        return f"{prefix}.{_LINEAR_NAMES[module]}.{leaf}"
    if module in _NORM_NAMES and leaf in ("gamma", "beta"):
        return f"{prefix}.{_NORM_NAMES[module]}.{'weight' if leaf == 'gamma' else 'bias'}"
    return None


def training_state(model_bin: Path) -> dict[str, Any]:
    """Float32 weights named as :class:`translate.training.model.Transformer` names them."""
    variables = read_ctranslate2(model_bin)
    state: dict[str, Any] = {}
    for name in variables:
        if name.endswith("_scale"):
            continue
        target = _training_name(name)
        if target is not None and target not in state:
            state[target] = _dequantize(variables, name)
    if "embeddings.weight" not in state:
        raise TrainingError(f"{model_bin}: no embeddings found; not a vertaal Transformer model")
    return state


def load_initial_weights(path: Path) -> dict[str, Any]:
    """Weights to start from: compact shards, or a CTranslate2 model (directory or package)."""
    from translate.training.compact import load_compact

    for candidate in (path / "model.bin", path / "model" / "model.bin"):
        if candidate.is_file():
            return training_state(candidate)
    return load_compact(path)
