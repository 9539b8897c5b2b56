"""Tagged back-translation: English monolingual text → synthetic Dutch with a reverse model.

The reverse (en→nl) package is trained by the same pipeline (``vertaal models
train --reverse``). Its CTranslate2 model translates the English sentences with
greedy search, int8 weights and large token batches (the fast setting; quality
matters less for synthetic sources than quantity). Each synthetic Dutch
sentence gets :data:`~translate.training.spm.BT_TAG` in front, so the forward model
can tell synthetic from real sources (tagged back-translation, Caswell et al.
2019); real input never carries the tag.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from translate.errors import TrainingError
from translate.fileio import read_text

Pair = tuple[str, str]


def read_mono(path: Path, limit: int) -> list[str]:
    """The first ``limit`` non-empty lines of ``path`` (0 = all), whitespace collapsed."""
    sentences: list[str] = []
    for line in read_text(path, error=TrainingError).splitlines():
        text = " ".join(line.split())
        if text:
            sentences.append(text)
            if limit and len(sentences) >= limit:
                break
    return sentences


def backtranslate(
    package_dir: Path,
    sentences: Sequence[str],
    log: Callable[[str], None],
    device: str = "auto",
    chunk: int = 20000,
) -> list[Pair]:
    """(synthetic Dutch, English) pairs for ``sentences``, in order (untagged: see
    :func:`translate.training.databuild.add_synthetic`, which filters and tags them).

    ``device`` is ``cpu``, ``cuda`` or ``auto`` (CUDA when CTranslate2 sees a GPU).
    """
    import ctranslate2

    from translate.training.spm import load_processor

    if device == "auto":
        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    model_dir = package_dir / "model"
    if not (model_dir / "model.bin").is_file():
        raise TrainingError(f"{package_dir}: no model/model.bin; give an unpacked package")
    processor = load_processor(package_dir / "sentencepiece.model")
    translator = ctranslate2.Translator(
        str(model_dir), device=device, compute_type="int8_float16" if device == "cuda" else "int8"
    )
    pairs: list[Pair] = []
    for start in range(0, len(sentences), chunk):
        part = list(sentences[start : start + chunk])
        tokens = processor.Encode(part, out_type=str)
        results = translator.translate_batch(
            [t[:250] for t in tokens],
            beam_size=1,
            max_batch_size=16384 if device == "cuda" else 4096,
            batch_type="tokens",
            max_decoding_length=256,
        )
        for english, result in zip(part, results, strict=True):
            # Empty outputs stay in: the data build drops them and the data card counts them.
            pairs.append((processor.Decode(result.hypotheses[0]).strip(), english))
        log(f"back-translated {min(start + chunk, len(sentences))}/{len(sentences)} sentences")
    return pairs
