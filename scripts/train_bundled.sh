#!/usr/bin/env bash
# The bundled nl→en model's recipe, in steps. Every step runs `vertaal models train`
# (translate/training/pipeline.py), the one training entry point.
#
#   scripts/train_bundled.sh pack
#       HERE (any machine with ../shared/data): copy the corpora, FLORES-200 and the
#       first $MONO_LINES (default 200000) lines of mono/wiki.en into work/gpu-data/
#       (git-ignored) and compress them to work/gpu-data.tar.xz (about 17 MB, so the
#       working tree plus data stays under the device tool's 64 MiB).
#   scripts/train_bundled.sh gpu OUTDIR
#       ON THE GPU MACHINE (one command, estimated 9-10 minutes on one H200; never run yet): unpack the data,
#       train the reverse en→nl model (recipes/gpu-reverse.json), back-translate the
#       wiki.en slice with it (CTranslate2, greedy, int8), build the data again with the
#       tagged synthetic pairs, train the forward nl→en model (recipes/gpu-forward.json,
#       deep encoder / shallow decoder, new 16k joint SentencePiece, checkpoint
#       averaging) and leave its weights (3 shards < 15 MiB), SentencePiece, recipe,
#       data card and train.log in OUTDIR (7 files, about 45 MB: within what the device
#       tool brings back from $OUT). With the device tool:
#         scripts/train_bundled.sh pack   # here, first
#         run(command="PYTHONUNBUFFERED=1 bash scripts/train_bundled.sh gpu $OUT",
#             carry=["work/gpu-data.tar.xz"], timeout_s=600)
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
SHARED=${TRAIN_SHARED:-$HERE/../shared/data}
LICENCES=${TRAIN_LICENCES:-permissive,weak-copyleft,share-alike}
MONO_LINES=${MONO_LINES:-200000}
# Overrides for smoke runs of the same steps on a CPU (tiny recipes, another bundle dir).
REVERSE_RECIPE=${TRAIN_REVERSE_RECIPE:-scripts/recipes/gpu-reverse.json}
FORWARD_RECIPE=${TRAIN_FORWARD_RECIPE:-scripts/recipes/gpu-forward.json}
BUNDLE=${TRAIN_BUNDLE:-translate/bundled/nl_en}

vertaal() { "$PYTHON" -c 'from translate.cli import main; main()' "$@"; }

environment() {
    echo "# $(date -u +%FT%TZ) $0 ${1:-} on $(hostname)"
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
    "$PYTHON" -c 'import torch, ctranslate2, sentencepiece, sacrebleu, numpy; print("torch", torch.__version__, "cuda", torch.cuda.is_available(), "ctranslate2", ctranslate2.__version__, "cuda devices", ctranslate2.get_cuda_device_count(), "sentencepiece", sentencepiece.__version__, "sacrebleu", sacrebleu.__version__)'
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
    local target=work/gpu-data
    rm -rf "$target"
    mkdir -p "$target/parallel" "$target/tatoeba" "$target/flores200" "$target/mono"
    for folder in "$SHARED"/parallel/*/; do
        mkdir -p "$target/parallel/$(basename "$folder")"
        cp "$folder"*.nl "$folder"*.en "$target/parallel/$(basename "$folder")/"
        cp "$folder"*.source.tsv "$target/parallel/$(basename "$folder")/" 2>/dev/null || true
    done
    cp "$SHARED"/tatoeba/*.tsv "$target/tatoeba/"
    cp "$SHARED"/flores200/dev.* "$SHARED"/flores200/devtest.* "$target/flores200/"
    head -n "$MONO_LINES" "$SHARED/mono/wiki.en" >"$target/mono/wiki.en"
    tar -C work -cf - gpu-data | xz -T2 -6 >work/gpu-data.tar.xz
    ls -l work/gpu-data.tar.xz
}

gpu() {
    local out=$1 data=work/gpu-data runs=work/v2
    mkdir -p "$out" "$runs"
    [[ -d $data ]] || xz -dc work/gpu-data.tar.xz | tar -C work -xf -
    environment "gpu $out" 2>&1 | tee "$out/train.log"
    [[ -n ${TRAIN_ALLOW_CPU:-} ]] ||
        "$PYTHON" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else "no CUDA for PyTorch: this recipe needs the GPU")'
    local -a corpora
    mapfile -d '' corpora < <(data_args "$data")
    vertaal models train --reverse "${corpora[@]}" --licences "$LICENCES" \
        --recipe "$REVERSE_RECIPE" \
        --valid-src "$data/flores200/dev.nl" --valid-ref "$data/flores200/dev.en" \
        --run-dir "$runs/reverse" --bundle "$runs/en_nl" -o "$runs/en_nl.argosmodel" \
        2>&1 | tee -a "$out/train.log"
    vertaal models train "${corpora[@]}" --licences "$LICENCES" \
        --mono "$data/mono/wiki.en" --mono-limit "$MONO_LINES" --backtranslate-with "$runs/en_nl" \
        --recipe "$FORWARD_RECIPE" \
        --valid-src "$data/flores200/dev.nl" --valid-ref "$data/flores200/dev.en" \
        --run-dir "$runs/forward" -o "$runs/nl_en.argosmodel" \
        --test "FLORES-200 devtest" "$data/flores200/devtest.nl" "$data/flores200/devtest.en" \
        2>&1 | tee -a "$out/train.log"
    cp "$runs"/forward/best/* "$out/"
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
    export) export_here "${2:?usage: $0 export OUTDIR}" ;;
    cpu) cpu "${2:?usage: $0 cpu OUTDIR [MINUTES]}" "${3:-85}" ;;
    "" | -h | --help) sed -n '2,40p' "$0" ; exit 2 ;;
    *) stage "$@" ;;
esac
