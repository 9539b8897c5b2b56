"""Glossary enforcement: term adherence and translation quality, with and without glossary.

Measures, for each enforcement strategy and for no glossary at all:

* the NOS article (corpora/nos-article): chrF and BLEU against ref-a and
  ref-b (both references together), and term adherence: of the glossary terms
  found in the Dutch paragraphs, the share whose English target occurs in the
  translated paragraph;
* the trap set (tests/glossary/data/traps.tsv): adherence on sentences
  with inflection, compounds, case and false-hit traps, and whether the
  sentences without terms are left exactly as the plain translation;
* optionally FLORES-200 dev (``--flores N``, first N sentences, data outside
  the repository): chrF with and without glossary, and adherence.

Usage::

    python benchmarks/bench_glossary.py                      # bundled model
    python benchmarks/bench_glossary.py --flores 400 --json out.json
    python benchmarks/bench_glossary.py --package /path/to/nl_en.argosmodel-dir
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from glossary.enforce import Enforcer, build_enforcer, count_target  # noqa: E402

ARTICLE = REPO / "corpora" / "nos-article"
TRAPS = REPO / "tests" / "glossary" / "data" / "traps.tsv"
FLORES = Path("/work/shared/data/flores200/dev")


def adherence(
    enforcer: Enforcer, sources: Sequence[str], outputs: Sequence[str]
) -> tuple[int, int]:
    """(targets found, targets expected) over aligned source/output texts."""
    found = expected = 0
    for source, output in zip(sources, outputs, strict=True):
        needed: dict[str, int] = {}
        for match in enforcer.find(source):
            needed[match.target] = needed.get(match.target, 0) + 1
        for target, count in needed.items():
            expected += count
            found += min(count, count_target(output, target))
    return found, expected


def scores(hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> dict[str, float]:
    import sacrebleu

    chrf = sacrebleu.corpus_chrf(list(hypotheses), [list(r) for r in references])
    bleu = sacrebleu.corpus_bleu(list(hypotheses), [list(r) for r in references])
    return {"chrF": round(chrf.score, 2), "BLEU": round(bleu.score, 2)}


def translate(engine: Any, enforcer: Enforcer | None, sentences: Sequence[str]) -> list[str]:
    if enforcer is None:
        return list(engine.translate_sentences(list(sentences)))
    return [r.output for r in enforcer.enforce(list(sentences), engine)]


def article_paragraphs(engine: Any, enforcer: Enforcer | None) -> tuple[list[str], list[str]]:
    text = (ARTICLE / "source.nl.txt").read_text(encoding="utf-8")
    translated = engine.translate_document(text, enforcer).text
    sources = [line for line in text.splitlines() if line.strip()]
    outputs = [line for line in translated.splitlines() if line.strip()]
    return sources, outputs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package", default=None, help="package name or path (default bundled)")
    parser.add_argument("--flores", type=int, default=0, help="also N FLORES dev sentences")
    parser.add_argument(
        "--strategies",
        default="auto,substitute,hybrid",
        help="comma-separated strategies (auto, mask, substitute, hybrid; +nosplit: NAVO-chef"
        " masked as ｟1｠-chef, not ｟1｠ chef; +noterms: never translate a term on its own;"
        " +protect: numbers, codes, tags... kept as well, as `vertaal translate` does)",
    )
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--show", action="store_true", help="print the article translations")
    parser.add_argument("--json", type=Path, default=None, help="write results here")
    args = parser.parse_args(argv)

    from translate.engine import Engine, EngineOptions
    from translate.packages import bundled_package, resolve_package

    package = resolve_package(args.package) if args.package else bundled_package()
    engine = Engine.load(package, EngineOptions(beam_size=args.beam))
    print(f"model: {engine.model_id} (placeholders: {engine.supports_placeholders})")

    refs = [
        (ARTICLE / name).read_text(encoding="utf-8").splitlines()
        for name in ("ref-a.en.txt", "ref-b.en.txt")
    ]
    traps = [
        line.split("\t")
        for line in TRAPS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    trap_sources = [t[0] for t in traps]
    flores_src: list[str] = []
    flores_ref: list[str] = []
    if args.flores:
        flores_src = (FLORES.with_suffix(".nl")).read_text(encoding="utf-8").splitlines()
        flores_ref = (FLORES.with_suffix(".en")).read_text(encoding="utf-8").splitlines()
        flores_src, flores_ref = flores_src[: args.flores], flores_ref[: args.flores]

    measure = build_enforcer([])
    assert measure is not None
    results: dict[str, Any] = {}
    plain_traps: list[str] = []
    for name in ["none", *args.strategies.split(",")]:
        strategy, *options = name.split("+")
        enforcer = None if name == "none" else build_enforcer([], strategy=strategy)
        if enforcer is not None:
            enforcer.split_compounds = "nosplit" not in options
            enforcer.translate_terms = "noterms" not in options
            enforcer.protect = "protect" in options  # numbers, codes... kept too (the CLI default)
        row: dict[str, Any] = {}
        started = time.perf_counter()
        sources, outputs = article_paragraphs(engine, enforcer)
        row["article_seconds"] = round(time.perf_counter() - started, 2)
        if len(outputs) == len(refs[0]):
            row["article"] = scores(outputs, refs)
        found, expected = adherence(measure, sources, outputs)
        row["article_terms"] = f"{found}/{expected}"
        if args.show:
            print(f"--- {name}")
            print("\n".join(outputs))
        trap_out = translate(engine, enforcer, trap_sources)
        found, expected = adherence(measure, trap_sources, trap_out)
        row["trap_terms"] = f"{found}/{expected}"
        if name == "none":
            plain_traps = trap_out
        else:
            untouched = [
                o == p
                for s, o, p in zip(trap_sources, trap_out, plain_traps, strict=True)
                if not measure.find(s)
            ]
            row["trap_no_term_sentences_unchanged"] = f"{sum(untouched)}/{len(untouched)}"
            if enforcer is not None:
                results_ = enforcer.enforce(trap_sources, engine)
                row["trap_summary"] = Enforcer.summary(results_)
        if flores_src:
            started = time.perf_counter()
            out = translate(engine, enforcer, flores_src)
            row["flores_seconds"] = round(time.perf_counter() - started, 2)
            row["flores"] = scores(out, [flores_ref])
            found, expected = adherence(measure, flores_src, out)
            row["flores_terms"] = f"{found}/{expected}"
        results[name] = row
        print(f"{name:>10}: {json.dumps(row, ensure_ascii=False)}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
