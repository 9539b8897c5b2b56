"""Protected spans and reference-free flags: what they fix, what they cost, how well flags work.

Measures, with the bundled model (or ``--package``), beam 4, in one run:

* **numbers** on FLORES-200 devtest: of the sentences with digits, the share
  whose every source number (times, dates, amounts; :func:`translate.protect.
  source_numbers`) appears in the output in English notation, with protection
  on and off; the misses with protection on are printed;
* **chrF** on FLORES devtest and on the NOS article (corpora/nos-article,
  both references), protection on against off (same run, same engine);
* **names** (:mod:`glossary.names`): devtest and article chrF with
  protection on but names left to the model, the names kept, and the CPU
  seconds of the whole devtest with and without names (best of 2, alternating);
* **speed** on text without spans (the FLORES devtest sentences where
  the enforcer finds no span or name): sentences/s with
  protection off divided by on, alternating three rounds (ratio ≥ 0.95 wanted);
* **flags** on FLORES-200 dev (``--flags``): precision and recall of
  "flagged" (any flag) against "low sentence chrF" (the lowest quintile), per
  flag, and for a range of confidence thresholds (to calibrate
  :data:`translate.scoring.quality.LOW_CONFIDENCE`).

Usage::

    nice python benchmarks/bench_fidelity.py                  # numbers, chrF, speed
    nice python benchmarks/bench_fidelity.py --flags --json out.json
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

from glossary.enforce import Enforcer  # noqa: E402
from translate.protect import NAME, find_spans, source_numbers  # noqa: E402
from translate.scoring.quality import (  # noqa: E402
    SEGMENT_FLAGS,
    number_problem,
    segment_flags,
)

DATA = REPO.parent / "shared" / "data" / "flores200"
if not DATA.is_dir():
    DATA = Path("/work/shared/data/flores200")
ARTICLE = REPO / "corpora" / "nos-article"


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def translate(engine: Any, enforcer: Enforcer, sentences: Sequence[str]) -> list[str]:
    return [result.output for result in enforcer.enforce(list(sentences), engine)]


def chrf(hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> float:
    import sacrebleu

    return round(
        float(sacrebleu.corpus_chrf(list(hypotheses), [list(r) for r in references]).score), 2
    )


def numbers_report(sources: Sequence[str], outputs: Sequence[str]) -> dict[str, Any]:
    with_digits = [i for i, s in enumerate(sources) if any(c.isdigit() for c in s)]
    checked = [i for i in with_digits if source_numbers(sources[i])]
    misses = [
        {"line": i + 1, "source": sources[i], "output": outputs[i], "problem": problem}
        for i in checked
        if (problem := number_problem(sources[i], outputs[i]))
    ]
    share = (len(checked) - len(misses)) / len(checked) if checked else 1.0
    return {
        "sentences_with_digits": len(with_digits),
        "sentences_with_numbers": len(checked),
        "all_numbers_right": len(checked) - len(misses),
        "share": round(share, 4),
        "misses": misses,
    }


def article(engine: Any, **enforcers: Enforcer) -> dict[str, float]:
    paragraphs = [p for p in read_lines(ARTICLE / "source.nl.txt") if p.strip()]
    references = [
        [line for line in read_lines(ARTICLE / name) if line.strip()]
        for name in ("ref-a.en.txt", "ref-b.en.txt")
    ]
    results = {}
    for label, enforcer in enforcers.items():
        outputs = [engine.translate_document(p, enforcer, check=False).text for p in paragraphs]
        results[label] = chrf(outputs, references)
    return results


def names_report(
    engine: Any, on: Enforcer, without_names: Enforcer, sentences: Sequence[str]
) -> dict[str, Any]:
    """Names kept on devtest, and CPU seconds with and without them (best of 2, alternating)."""
    cpu: dict[str, list[float]] = {"names": [], "without": []}
    kept: list[Any] = []
    for _ in range(2):
        for label, enforcer in (("without", without_names), ("names", on)):
            started = time.process_time()
            results = enforcer.enforce(sentences, engine)
            cpu[label].append(time.process_time() - started)
            if enforcer is on:
                kept = [[span for span in r.spans if span.kind == NAME] for r in results]
    best = {label: min(values) for label, values in cpu.items()}
    return {
        "names_kept": sum(map(len, kept)),
        "sentences_with_names": sum(1 for names in kept if names),
        "cpu_without_names": round(best["without"], 2),
        "cpu_with_names": round(best["names"], 2),
        "cpu_ratio_with_over_without": round(best["names"] / best["without"], 3),
    }


def speed(engine: Any, on: Enforcer, off: Enforcer, sentences: Sequence[str]) -> dict[str, Any]:
    """Wall and CPU seconds (best of 3, alternating) off and on, and the span finder alone.

    CPU time of this process (all its CTranslate2 threads) is the steadier figure on a
    shared machine; the wall ratio is printed too.
    """
    wall: dict[str, list[float]] = {"on": [], "off": []}
    cpu: dict[str, list[float]] = {"on": [], "off": []}
    for _ in range(3):
        for label, enforcer in (("off", off), ("on", on)):
            started, started_cpu = time.perf_counter(), time.process_time()
            translate(engine, enforcer, sentences)
            wall[label].append(time.perf_counter() - started)
            cpu[label].append(time.process_time() - started_cpu)
    started = time.perf_counter()
    for sentence in sentences:
        find_spans(sentence)
    finder = time.perf_counter() - started
    best_wall = {label: min(values) for label, values in wall.items()}
    best_cpu = {label: min(values) for label, values in cpu.items()}
    return {
        "sentences": len(sentences),
        "wall_off": round(best_wall["off"], 3),
        "wall_on": round(best_wall["on"], 3),
        "wall_ratio_off_over_on": round(best_wall["off"] / best_wall["on"], 4),
        "cpu_off": round(best_cpu["off"], 3),
        "cpu_on": round(best_cpu["on"], 3),
        "cpu_ratio_off_over_on": round(best_cpu["off"] / best_cpu["on"], 4),
        "span_finder_seconds": round(finder, 4),
    }


def check_cost(engine: Any, on: Enforcer, sentences: Sequence[str]) -> dict[str, Any]:
    """CPU seconds of ``translate_document`` with and without the per-sentence checks
    (the output scoring behind the confidence flag, and the flags), best of 3."""
    text = "\n".join(sentences) + "\n"
    cpu: dict[str, list[float]] = {"checked": [], "unchecked": []}
    for _ in range(3):
        for label, check in (("unchecked", False), ("checked", True)):
            started = time.process_time()
            engine.translate_document(text, on, check=check)
            cpu[label].append(time.process_time() - started)
    best = {label: min(values) for label, values in cpu.items()}
    return {
        "cpu_unchecked": round(best["unchecked"], 3),
        "cpu_checked": round(best["checked"], 3),
        "ratio_unchecked_over_checked": round(best["unchecked"] / best["checked"], 4),
    }


def flags_report(engine: Any, on: Enforcer) -> dict[str, Any]:
    import sacrebleu

    sources = read_lines(DATA / "dev.nl")
    references = read_lines(DATA / "dev.en")
    enforced = on.enforce(sources, engine)
    outputs = [r.output for r in enforced]
    confidences = engine.score_outputs(sources, outputs)
    sentence_chrf = [
        sacrebleu.sentence_chrf(o, [r]).score for o, r in zip(outputs, references, strict=True)
    ]
    cut = sorted(sentence_chrf)[len(sentence_chrf) // 5]
    low = {i for i, score in enumerate(sentence_chrf) if score < cut}
    flags = [
        segment_flags(s, o, r.spans, c)
        for s, o, r, c in zip(sources, outputs, enforced, confidences, strict=True)
    ]

    def pr(flagged: set[int]) -> dict[str, Any]:
        hits = len(flagged & low)
        return {
            "flagged": len(flagged),
            "precision": round(hits / len(flagged), 3) if flagged else None,
            "recall": round(hits / len(low), 3) if low else None,
        }

    by_flag = {
        name: pr({i for i, fs in enumerate(flags) if any(f.name == name for f in fs)})
        for name in SEGMENT_FLAGS
    }
    thresholds = {
        str(t): pr({i for i, c in enumerate(confidences) if c is not None and c < t})
        for t in (-0.8, -1.0, -1.2, -1.5, -1.8, -2.0, -2.5)
    }
    return {
        "sentences": len(sources),
        "low_chrf_below": round(cut, 2),
        "low_chrf_sentences": len(low),
        "any_flag": pr({i for i, fs in enumerate(flags) if fs}),
        "base_rate": round(len(low) / len(sources), 3),
        "by_flag": by_flag,
        "confidence_thresholds": thresholds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="unpacked Argos package (default bundled)")
    parser.add_argument("--flags", action="store_true", help="also flag precision/recall on dev")
    parser.add_argument("--json", type=Path, help="write the results here too")
    parser.add_argument("--speed-only", action="store_true", help="only the speed comparison")
    args = parser.parse_args()

    from translate.engine import Engine, EngineOptions
    from translate.packages import bundled_package, load_package

    package = load_package(args.package) if args.package else bundled_package()
    engine = Engine.load(package, EngineOptions(beam_size=4))
    on, off = Enforcer(None, protect=True), Enforcer(None, protect=False)
    without_names = Enforcer(None, protect=True, names=False)

    sources = read_lines(DATA / "devtest.nl")
    references = [read_lines(DATA / "devtest.en")]
    results: dict[str, Any] = {"model": engine.model_id}
    plain = [s for s in sources if not on.items(s)]
    if args.speed_only:
        print(json.dumps(speed(engine, on, off, plain), indent=2))
        print(json.dumps(check_cost(engine, on, plain), indent=2))
        return
    outputs_off = translate(engine, off, sources)
    outputs_on = translate(engine, on, sources)
    results["devtest_chrf"] = {
        "off": chrf(outputs_off, references),
        "on": chrf(outputs_on, references),
        "on_without_names": chrf(translate(engine, without_names, sources), references),
    }
    results["numbers_on"] = numbers_report(sources, outputs_on)
    results["numbers_off"] = {
        k: v for k, v in numbers_report(sources, outputs_off).items() if k != "misses"
    }
    results["article_chrf"] = article(engine, off=off, on=on, on_without_names=without_names)
    results["names"] = names_report(engine, on, without_names, sources)
    results["speed_without_spans"] = speed(engine, on, off, plain)
    results["check_cost"] = check_cost(engine, on, plain)
    if args.flags:
        results["flags_dev"] = flags_report(engine, on)

    numbers = results["numbers_on"]
    print(f"model {results['model']}")
    print(
        f"devtest numbers right (protection on): {numbers['all_numbers_right']}/"
        f"{numbers['sentences_with_numbers']} = {numbers['share']:.1%} "
        f"(off: {results['numbers_off']['share']:.1%}); misses:"
    )
    for miss in numbers["misses"]:
        print(f"  line {miss['line']}: {miss['problem']}\n    nl: {miss['source']}")
        print(f"    en: {miss['output']}")
    for corpus in ("devtest", "article"):
        scores = results[f"{corpus}_chrf"]
        print(
            f"{corpus} chrF off {scores['off']} / on {scores['on']} "
            f"(on, names left to the model: {scores['on_without_names']})"
        )
    print(f"names: {results['names']}")
    speed_result = results["speed_without_spans"]
    print(
        f"speed on {speed_result['sentences']} sentences without spans: wall off "
        f"{speed_result['wall_off']} s / on {speed_result['wall_on']} s = "
        f"{speed_result['wall_ratio_off_over_on']}; CPU off {speed_result['cpu_off']} s / on "
        f"{speed_result['cpu_on']} s = {speed_result['cpu_ratio_off_over_on']}; "
        f"span finder alone {speed_result['span_finder_seconds']} s"
    )
    print(f"checks (scoring + flags) in translate_document: {results['check_cost']}")
    if args.flags:
        print(json.dumps(results["flags_dev"], indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
