"""Translation quality on FLORES-200 (or Tatoeba) next to published anchors.

Translates the Dutch side of a public test set with one or more Argos
packages (default: every installed nl→en package plus the bundled model),
scores BLEU and chrF with the same code as ``vertaal score`` (sacreBLEU
defaults), and prints them next to:

* the anchor systems' published outputs in ``flores200/anchors/`` (Google,
  Microsoft, Bergamot), scored live here against the same references, and
* the published BLEU of Argos Translate's nl→en model, 29.4 on FLORES-200
  devtest (cited from ``../shared/data/README.md``; not recomputed).

Data is read from ``../shared/data`` relative to the project root (override
with ``--data``); it is never part of the project or its tests.

    python benchmarks/bench_flores.py                     # FLORES devtest, all models
    python benchmarks/bench_flores.py --model bundled --limit 200
    python benchmarks/bench_flores.py --set tatoeba-test --model translate-nl_en-1_9
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = PROJECT.parent / "shared" / "data"

PUBLISHED = {"flores-devtest": [("Argos nl_en (published, BLEU only)", 29.4)]}
"""Published scores that cannot be recomputed here (no outputs available)."""

ANCHORS = {
    "google": "Google",
    "microsoft": "Microsoft",
    "bergamot-base-memory": "Bergamot base-memory",
}


def load_set(data: Path, name: str, limit: int | None) -> tuple[list[str], list[str], str]:
    """Source lines, reference lines and a description of test set ``name``."""
    if name.startswith("flores-"):
        split = name.removeprefix("flores-")
        source = (data / "flores200" / f"{split}.nl").read_text(encoding="utf-8").splitlines()
        target = (data / "flores200" / f"{split}.en").read_text(encoding="utf-8").splitlines()
        description = f"FLORES-200 {split}"
    elif name == "tatoeba-test":
        rows = (data / "tatoeba" / "test.nl-en.tsv").read_text(encoding="utf-8").splitlines()
        pairs = [row.split("\t") for row in rows if row.strip()]
        source = [pair[0] for pair in pairs]
        target = [pair[1] for pair in pairs]
        description = "Tatoeba test (v2021-08-07 minus training overlap)"
    else:
        raise SystemExit(f"unknown test set {name!r}")
    if len(source) != len(target):
        raise SystemExit(f"{name}: {len(source)} source lines but {len(target)} references")
    if limit:
        source, target = source[:limit], target[:limit]
    return source, target, description


def default_models() -> list[str]:
    """Every installed nl→en package, then the bundled model when present."""
    from translate.packages import bundled_package_path, installed_packages

    names = [package.name for package in installed_packages() if package.is_nl_en]
    if bundled_package_path().is_dir():
        names.append("bundled")
    return names


def score(hypotheses: list[str], references: list[str]) -> dict[str, float]:
    """BLEU and chrF exactly as ``vertaal score`` computes them."""
    from translate.scoring.score import score_lines

    scores, _ = score_lines(hypotheses, [references], metrics=["bleu", "chrf"])
    return {s.metric: s.score for s in scores}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data directory")
    parser.add_argument(
        "--set",
        dest="test_set",
        default="flores-devtest",
        choices=["flores-devtest", "flores-dev", "tatoeba-test"],
    )
    parser.add_argument(
        "--model", action="append", help="package name or path, or 'bundled' (repeatable)"
    )
    parser.add_argument("--limit", type=int, help="only the first N segments (quick runs)")
    parser.add_argument("--beam-size", type=int, help="override the engine's beam size")
    parser.add_argument("--save", type=Path, help="directory to write each model's output")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)

    from translate.engine import Engine, EngineOptions
    from translate.packages import resolve_package

    sources, references, description = load_set(args.data, args.test_set, args.limit)
    rows: list[dict[str, object]] = []

    models = args.model or default_models()
    if not models:
        print("no nl→en model installed or bundled; scoring the anchors only", file=sys.stderr)
    for spec in models:
        package = resolve_package(spec)
        options = EngineOptions(beam_size=args.beam_size) if args.beam_size else None
        engine = Engine.load(package, options)
        start = time.perf_counter()
        outputs = engine.translate_sentences(sources)
        seconds = time.perf_counter() - start
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{args.test_set}.{package.name}.en").write_text(
                "\n".join(outputs) + "\n", encoding="utf-8"
            )
        rows.append(
            {
                "system": f"{package.name} ({engine.model_id})",
                "kind": "model",
                **score(outputs, references),
                "seconds": round(seconds, 1),
                "segments_per_second": round(len(sources) / seconds, 1) if seconds else None,
            }
        )

    anchor_dir = args.data / "flores200" / "anchors"
    split = args.test_set.removeprefix("flores-")
    for key, label in ANCHORS.items():
        path = anchor_dir / f"{split}.{key}.en"
        if args.test_set.startswith("flores-") and path.is_file():
            outputs = path.read_text(encoding="utf-8").splitlines()[: len(references)]
            rows.append(
                {"system": label, "kind": "anchor (scored live)", **score(outputs, references)}
            )
    if not args.limit:
        for label, bleu in PUBLISHED.get(args.test_set, []):
            rows.append({"system": label, "kind": "published", "bleu": bleu, "chrf": None})

    if args.json:
        print(json.dumps({"set": description, "segments": len(sources), "rows": rows}, indent=2))
        return 0
    print(f"{description}: {len(sources)} segments, sacreBLEU defaults (BLEU 13a, chrF2)")
    print(f"{'system':<52} {'BLEU':>6} {'chrF':>6}  {'time':>8}  kind")
    for row in rows:
        chrf = row.get("chrf")
        seconds = row.get("seconds")
        print(
            f"{row['system']!s:<52} {row['bleu']:>6.1f} "
            f"{(f'{chrf:.1f}' if isinstance(chrf, float) else '–'):>6}  "
            f"{(f'{seconds}s' if seconds is not None else ''):>8}  {row['kind']}"
        )
    return 0


if __name__ == "__main__":
    from translate.errors import VertaalError

    try:
        sys.exit(main())
    except VertaalError as error:
        sys.exit(f"error: {error.message}")
