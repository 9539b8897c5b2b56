"""The joint SentencePiece model and the one-time tokenization of the corpus.

One unigram model covers Dutch and English (the Transformer ties its source,
target and output embeddings, so both sides share one vocabulary). All
placeholders (and the back-translation tag) are user-defined symbols, so each
is always a single piece, and byte fallback means no character ever becomes ``<unk>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from translate.errors import TrainingError, option
from translate.placeholders import ALL_PLACEHOLDERS

BT_TAG = "｟BT｠"
"""Marks back-translated (synthetic) sources; one piece in every vocabulary trained here."""
PAD_ID = 3
"""Padding id; ``<unk>`` = 0, ``<s>`` = 1, ``</s>`` = 2 as SentencePiece and CTranslate2 expect."""
BOS_ID = 1
EOS_ID = 2


def train_sentencepiece(
    sentences: Sequence[str], model_path: Path, vocab_size: int, seed: int = 1234
) -> Path:
    """Train a unigram model on ``sentences`` and write it to ``model_path``."""
    import sentencepiece as spm

    if hasattr(spm, "set_random_generator_seed"):
        spm.set_random_generator_seed(seed)
    prefix = model_path.with_suffix("")
    try:
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(sentences),
            model_prefix=str(prefix),
            model_type="unigram",
            vocab_size=vocab_size,
            character_coverage=0.9999,
            byte_fallback=True,
            user_defined_symbols=[*ALL_PLACEHOLDERS, BT_TAG],
            unk_id=0,
            bos_id=BOS_ID,
            eos_id=EOS_ID,
            pad_id=PAD_ID,
            # A sample of at most 400k sentences: the v2 data (with back-translation) is
            # larger, and unigram training time grows with it; smaller corpora are read whole.
            input_sentence_size=400_000,
            shuffle_input_sentence=True,
            # One thread: multi-threaded unigram training gives a different model
            # for a different thread count, and the recipe must be reproducible.
            num_threads=1,
            hard_vocab_limit=False,
            minloglevel=2,
        )
    except RuntimeError as error:
        raise TrainingError(f"SentencePiece training failed: {error}") from None
    produced = prefix.with_suffix(".model")
    _forget_prefix(produced)
    if produced != model_path:
        produced.replace(model_path)
    prefix.with_suffix(".vocab").unlink(missing_ok=True)
    return model_path


def _forget_prefix(model_path: Path) -> None:
    """Blank the output path SentencePiece records in the model, so equal runs give equal bytes."""
    try:
        from sentencepiece import sentencepiece_model_pb2
    except ImportError:  # needs protobuf, which a training machine may lack; cosmetic only
        return
    proto = sentencepiece_model_pb2.ModelProto()  # type: ignore[attr-defined]
    proto.ParseFromString(model_path.read_bytes())
    proto.trainer_spec.model_prefix = ""
    model_path.write_bytes(proto.SerializeToString())


def load_processor(model_path: Path) -> Any:
    """A ``SentencePieceProcessor`` for ``model_path``."""
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor()
    try:
        processor.Load(str(model_path))
    except (OSError, RuntimeError) as error:
        raise TrainingError(f"{model_path}: not a SentencePiece model: {error}") from None
    return processor


def vocabulary(processor: Any) -> list[str]:
    """Every piece, in id order (the CTranslate2 vocabulary)."""
    return [processor.IdToPiece(i) for i in range(processor.GetPieceSize())]


def encode_corpus(
    processor: Any, pairs: Sequence[tuple[str, str]], max_length: int, threads: int = 4
) -> dict[str, Any]:
    """Token ids for every pair that fits ``max_length`` (source without, target with ``</s>``).

    Returns numpy arrays: ``src`` and ``tgt`` (flat int32 ids) with
    ``src_len`` and ``tgt_len`` (int32 lengths), ready for ``numpy.savez``.
    """
    import numpy as np

    sources = processor.Encode([p[0] for p in pairs], num_threads=threads)
    targets = processor.Encode([p[1] for p in pairs], num_threads=threads)
    src_flat: list[int] = []
    tgt_flat: list[int] = []
    src_len: list[int] = []
    tgt_len: list[int] = []
    for source, target in zip(sources, targets, strict=True):
        target = [*target, EOS_ID]
        if not source or len(source) > max_length or len(target) > max_length:
            continue
        src_flat.extend(source)
        tgt_flat.extend(target)
        src_len.append(len(source))
        tgt_len.append(len(target))
    if not src_len:
        raise TrainingError(
            "no training pair fits the maximum length", hint=f"raise {option('max_length')}"
        )
    return {
        "src": np.asarray(src_flat, dtype=np.int32),
        "tgt": np.asarray(tgt_flat, dtype=np.int32),
        "src_len": np.asarray(src_len, dtype=np.int32),
        "tgt_len": np.asarray(tgt_len, dtype=np.int32),
    }
