#!/usr/bin/env bash
# Train the bundled nl→en model: scripts/train_bundled.sh OUTDIR [MAX_MINUTES]
#
# Reads work/data/{train.nl-en.tsv,dev.nl,dev.en} (Tatoeba train, FLORES-200 dev;
# copy them there from the shared data folder, it is git-ignored). Prepared data
# (SentencePiece + tokenized pool) is cached in work/data/prepared-$SIZE and reused
# when corpus and recipe are unchanged. Trains for MAX_MINUTES (default 6.5) of wall
# clock on CUDA if present, and leaves in OUTDIR only: sentencepiece.model,
# recipe.json (recipe + training facts), train.log and weights-NN.npz (compact best
# weights, each < 15 MiB). Turn OUTDIR into an Argos package with:
#   vertaal models train --export-only OUTDIR -o nl_en.argosmodel
#
# TRAIN_SIZE=gpu|cpu|tiny picks the recipe (default gpu); TRAIN_LIMIT_PAIRS=N uses
# the first N pairs only (smoke tests). A second stage continues from an earlier
# stage's weights: TRAIN_INIT_WEIGHTS=DIR, with TRAIN_LR, TRAIN_WARMUP and
# TRAIN_BATCH_TOKENS overriding the recipe.
set -euo pipefail
if [[ $# -lt 1 ]]; then
    echo "usage: $0 OUTDIR [MAX_MINUTES]" >&2
    exit 2
fi
OUTDIR=$1
MINUTES=${2:-6.5}
SIZE=${TRAIN_SIZE:-gpu}
HERE=$(cd "$(dirname "$0")/.." && pwd)
DATA=${TRAIN_DATA:-$HERE/work/data}
mkdir -p "$OUTDIR"
cd "$HERE"
export PYTHONUNBUFFERED=1
PYTHON=${PYTHON:-python3}
if [[ -x "$HERE/.venv/bin/python" && -z "${TRAIN_SYSTEM_PYTHON:-}" ]]; then
    PYTHON="$HERE/.venv/bin/python"
fi
{
    echo "# $(date -u +%FT%TZ) $0 $OUTDIR $MINUTES (size $SIZE) on $(hostname)"
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
    "$PYTHON" -c 'import torch, sentencepiece, sacrebleu, numpy; print("torch", torch.__version__, "cuda", torch.cuda.is_available(), "sentencepiece", sentencepiece.__version__, "sacrebleu", sacrebleu.__version__, "numpy", numpy.__version__)'
    "$PYTHON" -m translate.training.bundled "$DATA" "$OUTDIR" \
        --minutes "$MINUTES" --size "$SIZE" --run-dir "$DATA/prepared-$SIZE" \
        ${TRAIN_LIMIT_PAIRS:+--limit-pairs "$TRAIN_LIMIT_PAIRS"} \
        ${TRAIN_INIT_WEIGHTS:+--init-weights "$TRAIN_INIT_WEIGHTS"} \
        ${TRAIN_LR:+--lr "$TRAIN_LR"} ${TRAIN_WARMUP:+--warmup "$TRAIN_WARMUP"} \
        ${TRAIN_BATCH_TOKENS:+--batch-tokens "$TRAIN_BATCH_TOKENS"}
} 2>&1 | tee "$OUTDIR/train.log"
exit "${PIPESTATUS[0]}"
