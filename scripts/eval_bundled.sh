#!/usr/bin/env bash
# Score nl→en packages the way the model card and issue 9 report them, through the same
# Engine and defaults as `vertaal translate` (int8, beam 4):
#   scripts/eval_bundled.sh OUTDIR PACKAGE...      (PACKAGE: bundled, a name or a path)
# writes OUTDIR/{flores-devtest,tatoeba-test,article}.json and the outputs:
#   FLORES-200 devtest and Tatoeba test: benchmarks/bench_flores.py (no glossary);
#   corpora/nos-article: vertaal evaluate (with and without the shipped glossary,
#   term accuracy: a glossary term lost shows as term accuracy below 100%).
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
cd "$HERE"
OUT=${1:?usage: $0 OUTDIR PACKAGE...}
shift
DATA=${TRAIN_SHARED:-$HERE/../shared/data}
PYTHON=${PYTHON:-python3}
[[ -x "$HERE/.venv/bin/python" ]] && PYTHON="$HERE/.venv/bin/python"
mkdir -p "$OUT"
models=()
for package in "$@"; do models+=(--model "$package"); done
for set in flores-devtest tatoeba-test; do
    "$PYTHON" benchmarks/bench_flores.py --data "$DATA" --set "$set" "${models[@]}" \
        --save "$OUT/outputs" --json >"$OUT/$set.json"
done
evaluate=()
for package in "$@"; do evaluate+=(-m "$package"); done
"$PYTHON" -c 'from translate.cli import main; main()' evaluate corpora/nos-article \
    "${evaluate[@]}" --json >"$OUT/article.json"
echo "wrote $OUT"
