#!/usr/bin/env bash
# The bundled nl→en model's recipe, in steps. Every step runs `vertaal models train`
# (translate/training/pipeline.py), the one training entry point.
#
#   scripts/train_bundled.sh pack
#       HERE (any machine with ../shared/data; about 3 minutes on 2 cores): the data build
#       and tokenization of the forward (nl→en, recipes/gpu-forward.json, new 16k joint
#       SentencePiece) and reverse (en→nl, recipes/gpu-reverse.json, same SentencePiece)
#       runs with `vertaal models train --prepare-only`, then `vertaal models session pack`:
#       the first $MONO_LINES (default 400000) lines of mono/wiki.en minus FLORES overlaps,
#       tokenized, everything as int16 in work/session.tar.xz (about 20 MB, so the
#       working tree plus data stays under the device tool's 64 MiB).
#   scripts/train_bundled.sh gpu OUTDIR
#       ON THE GPU MACHINE (needs PyTorch, SentencePiece, numpy, sacrebleu, click; no
#       CTranslate2): `vertaal models session run` in $GPU_MINUTES (default 8.6) minutes:
#       the reverse model, tagged back-translation of the mono sentences with it (PyTorch
#       greedy, bf16), the forward model on real + synthetic pairs with checkpoint
#       averaging. The forward weights (3 shards < 15 MiB, written at every improvement),
#       SentencePiece, recipe, data card, session facts and train.log land in OUTDIR
#       (8 files: what the device tool brings back from $OUT). With the device tool:
#         scripts/train_bundled.sh pack   # here, first
#         run(command="bash scripts/train_bundled.sh gpu $OUT",
#             carry=["work/session.tar.xz"], timeout_s=600)
#   scripts/train_bundled.sh gpu-more OUTDIR [MINUTES]
#       ON THE SAME GPU MACHINE, right after `gpu` (while the device tool keeps it warm):
#       continue the forward run from its checkpoint for MINUTES (default 3.5) with
#       `vertaal models train --resume` (no export there) and put its best weights in OUTDIR.
#       The shipped v2 model is `gpu` (8.6 min) followed by `gpu-more` (3.5 min):
#         run(command="bash scripts/train_bundled.sh gpu-more $OUT 3.5", timeout_s=285)
#   scripts/train_bundled.sh export OUTDIR
#       HERE: export OUTDIR to CTranslate2 int8 into translate/bundled/nl_en and score
#       it (FLORES-200 devtest, Tatoeba test) through vertaal's Engine for the card.
#   scripts/train_bundled.sh cpu OUTDIR [MINUTES]
#       The CPU fallback: fine-tune the current bundled model (its weights and
#       vocabulary) on the same data build, recipes/cpu-finetune.json.
#   [TRAIN_RECIPE=FILE] [TRAIN_INIT_WEIGHTS=DIR] [TRAIN_LR=..] [TRAIN_WARMUP=..]
#   [TRAIN_BATCH_TOKENS=..] scripts/train_bundled.sh OUTDIR [MINUTES]
#       One stage on work/data/{train.nl-en.tsv,dev.nl,dev.en} (Tatoeba only, as the
#       v1 model was trained; TRAIN_RECIPE defaults to recipes/gpu-v1.json; the v1
#       model card's Reproduce lines use this form).
#
# Data licences: the data build keeps the licence families of --licences (default
# permissive, weak-copyleft, share-alike: GPL/LGPL/AGPL/EUPL/GFDL text is left out).
# Set TRAIN_LICENCES=permissive,weak-copyleft,share-alike,copyleft to include it.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
cd "$HERE"
export PYTHONUNBUFFERED=1
PYTHON=${PYTHON:-python3}
if [[ -x "$HERE/.venv/bin/python" && -z "${TRAIN_SYSTEM_PYTHON:-}" ]]; then
    PYTHON="$HERE/.venv/bin/python"
fi
export PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}"
SHARED=${TRAIN_SHARED:-../shared/data}
LICENCES=${TRAIN_LICENCES:-permissive,weak-copyleft,share-alike}
MONO_LINES=${MONO_LINES:-400000}
GPU_MINUTES=${GPU_MINUTES:-8.6}
# Overrides for smoke runs of the same steps on a CPU (tiny recipes, another bundle dir).
REVERSE_RECIPE=${TRAIN_REVERSE_RECIPE:-scripts/recipes/gpu-reverse.json}
FORWARD_RECIPE=${TRAIN_FORWARD_RECIPE:-scripts/recipes/gpu-forward.json}
BUNDLE=${TRAIN_BUNDLE:-translate/bundled/nl_en}

vertaal() { "$PYTHON" -c 'from translate.cli import main; main()' "$@"; }

environment() {
    echo "# $(date -u +%FT%TZ) $0 ${1:-} on $(hostname)"
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
    "$PYTHON" - <<'PY'
import importlib
for name in ("torch", "numpy", "sentencepiece", "sacrebleu", "click", "ctranslate2"):
    try:
        module = importlib.import_module(name)
        print(name, getattr(module, "__version__", "?"), end="; ")
    except ImportError:
        print(name, "missing", end="; ")
import torch
print("cuda", torch.cuda.is_available())
PY
}

# The corpora of a data directory, as --data arguments (Tatoeba first).
data_args() {
    local data=$1
    printf -- '--data\0%s\0' "$data/tatoeba/train.nl-en.tsv"
    for folder in "$data"/parallel/*/; do
        printf -- '--data\0%s\0' "${folder%/}"
    done
    for split in dev devtest; do
        printf -- '--held-out\0%s\0--held-out\0%s\0' "$data/flores200/$split.nl" "$data/flores200/$split.en"
    done
}

pack() {
    local runs=work/v2 session=work/session.tar.xz
    local -a corpora held
    mapfile -d '' corpora < <(data_args "$SHARED")
    held=(--held-out "$SHARED/flores200/dev.en" --held-out "$SHARED/flores200/devtest.en")
    vertaal models train "${corpora[@]}" --licences "$LICENCES" --recipe "$FORWARD_RECIPE" \
        --valid-src "$SHARED/flores200/dev.nl" --valid-ref "$SHARED/flores200/dev.en" \
        --run-dir "$runs/forward" --prepare-only
    vertaal models train "${corpora[@]}" --licences "$LICENCES" --recipe "$REVERSE_RECIPE" --reverse \
        --sentencepiece "$runs/forward/sentencepiece.model" \
        --valid-src "$SHARED/flores200/dev.nl" --valid-ref "$SHARED/flores200/dev.en" \
        --run-dir "$runs/reverse" --prepare-only
    vertaal models session pack "$runs/forward" "$runs/reverse" --mono "$SHARED/mono/wiki.en" \
        --mono-limit "$MONO_LINES" "${held[@]}" -o "$session"
}

gpu() {
    local out=$1
    mkdir -p "$out"
    environment "gpu $out" 2>&1 | tee "$out/train.log"
    [[ -n ${TRAIN_ALLOW_CPU:-} ]] ||
        "$PYTHON" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else "no CUDA for PyTorch: this recipe needs the GPU")'
    vertaal models session run "${SESSION_ARCHIVE:-work/session.tar.xz}" "$out" --minutes "$GPU_MINUTES" \
        --work-dir "${SESSION_WORK:-work/session}" \
        ${GPU_REVERSE_MINUTES:+--reverse-minutes "$GPU_REVERSE_MINUTES"} \
        ${GPU_BACKTRANSLATE_MINUTES:+--backtranslate-minutes "$GPU_BACKTRANSLATE_MINUTES"} \
        2>&1 | tee -a "$out/train.log"
    ls -l "$out"
}

gpu_more() {
    local out=$1 minutes=${2:-3.5} run=${SESSION_WORK:-work/session}/forward
    mkdir -p "$out"
    vertaal models train --resume --run-dir "$run" --max-minutes "$minutes" 2>&1 | tee "$out/resume.log"
    # A continuation that never beat the session's best leaves no best/: OUTDIR keeps those.
    if [[ -d $run/best ]]; then cp "$run"/best/* "$out/"; fi
    cp "$run/facts.json" "$out/"
    ls -l "$out"
}

export_here() {
    local model=$1
    cut -f1 "$SHARED/tatoeba/test.nl-en.tsv" >work/tatoeba-test.nl
    cut -f2 "$SHARED/tatoeba/test.nl-en.tsv" >work/tatoeba-test.en
    vertaal models train --export-only "$model" --bundle "$BUNDLE" --package-version 2.0 \
        --test "FLORES-200 devtest" "$SHARED/flores200/devtest.nl" "$SHARED/flores200/devtest.en" \
        --test "Tatoeba test" work/tatoeba-test.nl work/tatoeba-test.en
}

cpu() {
    local out=$1 minutes=${2:-85}
    local -a corpora
    mapfile -d '' corpora < <(data_args "$SHARED")
    environment cpu
    nice -n 19 "$PYTHON" -c 'from translate.cli import main; main()' models train "${corpora[@]}" \
        --licences "$LICENCES" --weight tatoeba=0.5 \
        --recipe scripts/recipes/cpu-finetune.json --max-minutes "$minutes" \
        --init-weights translate/bundled/nl_en --sentencepiece translate/bundled/nl_en/sentencepiece.model \
        --valid-src "$SHARED/flores200/dev.nl" --valid-ref "$SHARED/flores200/dev.en" \
        --threads 2 --run-dir "$out" -o "$out/nl_en.argosmodel" 2>&1 | tee -a "$out.log"
}

stage() {
    local out=$1 minutes=${2:-6.5} data=${TRAIN_DATA:-$HERE/work/data}
    mkdir -p "$out"
    {
        environment stage
        vertaal models train "$data/train.nl-en.tsv" --recipe "${TRAIN_RECIPE:-scripts/recipes/gpu-v1.json}" \
            --max-minutes "$minutes" --valid-src "$data/dev.nl" --valid-ref "$data/dev.en" \
            --run-dir "$data/run-$(basename "$out")" -o "$out/nl_en.argosmodel" \
            ${TRAIN_INIT_WEIGHTS:+--init-weights "$TRAIN_INIT_WEIGHTS"} \
            ${TRAIN_LR:+--lr "$TRAIN_LR"} ${TRAIN_WARMUP:+--warmup "$TRAIN_WARMUP"} \
            ${TRAIN_BATCH_TOKENS:+--batch-tokens "$TRAIN_BATCH_TOKENS"}
        cp "$data/run-$(basename "$out")"/best/* "$out/"
    } 2>&1 | tee "$out/train.log"
}

case "${1:-}" in
    pack) pack ;;
    gpu) gpu "${2:?usage: $0 gpu OUTDIR}" ;;
    gpu-more) gpu_more "${2:?usage: $0 gpu-more OUTDIR [MINUTES]}" "${3:-3.5}" ;;
    export) export_here "${2:?usage: $0 export OUTDIR}" ;;
    cpu) cpu "${2:?usage: $0 cpu OUTDIR [MINUTES]}" "${3:-85}" ;;
    "" | -h | --help) sed -n '2,/^set -e/{/^set -e/!p}' "$0" ; exit 2 ;;
    *) stage "$@" ;;
esac
