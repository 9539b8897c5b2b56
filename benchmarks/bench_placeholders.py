"""Placeholder survival: does the model copy ``｟1｠``, ``｟2｠``... into its output?

Glossary enforcement (glossary/enforce.py) replaces Dutch terms by placeholders
and relies on the model to emit each of them exactly once. This benchmark masks
FLORES-200 dev sentences the way enforcement does and counts what comes back:

* spans to mask: the shipped glossary's matches (:func:`glossary.match.find_terms`)
  plus names, numbers and acronyms written identically in the Dutch sentence
  and its English reference (:func:`translate.training.corpus.aligned_spans`),
  so that most sentences carry a few placeholders; glossary matches win overlaps;
* masking: :func:`glossary.enforce.mask` itself (numbered in source order,
  compound hyphens split as enforcement does, at most 20 per sentence);
* decoding: the vertaal :class:`~translate.engine.Engine` (CTranslate2, default
  options: int8, beam 4).

Two paths are reported: a single decode (what the model does on its own) and
the n-best repair that :class:`glossary.enforce.Enforcer` applies before
falling back (a sentence whose output lost or doubled a placeholder takes the
first of 8 hypotheses that :func:`glossary.enforce.restore` accepts). A third
line runs the real Enforcer on the sentences with glossary terms (few in
FLORES: the shipped glossary is a news glossary) and reports how many terms
came through their placeholder and how many were verified in the output.

Usage::

    python benchmarks/bench_placeholders.py                 # bundled model, all of dev
    python benchmarks/bench_placeholders.py --limit 300 --examples 5
    python benchmarks/bench_placeholders.py --model /path/to/package --json out.json

The data lives outside the repository (``../shared/data`` from the repository
root); it is read only by this script, never by tests.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from glossary.enforce import PLACEHOLDER, Enforcer, mask, restore  # noqa: E402
from glossary.match import EXACT, TermMatch, find_terms  # noqa: E402
from glossary.store import Glossary, GlossaryEntry, default_glossary_path, load_glossary  # noqa: E402
from translate.placeholders import MAX_PLACEHOLDERS, PLACEHOLDER_PATTERN  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "flores200"
NBEST = 8  # as Enforcer's default

GLOSSARY_KIND = "glossary term"
IDENTICAL_KIND = "identical span"


@dataclass(frozen=True)
class Case:
    """One masked sentence: what was masked and which kind each placeholder stands for."""

    source: str
    masked: str
    matches: list[TermMatch]
    kinds: list[str]  # per placeholder, in number order


def identical_spans(source: str, reference: str) -> list[tuple[int, int]]:
    """Source offsets of names, numbers and acronyms written the same in the reference."""
    from translate.training.corpus import aligned_spans

    spans: list[tuple[int, int]] = []
    for s in aligned_spans(source, reference):
        if source[s.source_start : s.source_end] != reference[s.target_start : s.target_end]:
            continue
        # "11:20", "1.000", "+1": one term, as a glossary match would be, not "｟1｠:｟2｠"
        if spans:
            start, end = spans[-1]
            gap = source[end : s.source_start]
            joined = source[start : s.source_end]
            if 0 < len(gap) <= 2 and not any(c.isspace() for c in gap) and joined in reference:
                spans[-1] = (start, s.source_end)
                continue
        spans.append((s.source_start, s.source_end))
    return spans


def build_case(source: str, reference: str, glossary: Glossary) -> Case | None:
    """Mask ``source`` as enforcement would, or None when nothing can be masked."""
    terms = find_terms(source, glossary)
    chosen: list[tuple[TermMatch, str]] = [(m, GLOSSARY_KIND) for m in terms]
    for start, end in identical_spans(source, reference):
        if any(start < m.end and m.start < end for m in terms):
            continue
        text = source[start:end]
        # A term that stays as it is; only the offsets and reason matter to mask().
        entry = GlossaryEntry(source=text, target=text, flags=("no-translate",))
        chosen.append((TermMatch(start, end, entry, EXACT, text), IDENTICAL_KIND))
    if not chosen:
        return None
    chosen.sort(key=lambda item: item[0].start)
    chosen = chosen[:MAX_PLACEHOLDERS]
    matches = [m for m, _ in chosen]
    return Case(source, mask(source, matches), matches, [k for _, k in chosen])


@dataclass
class Tally:
    """Counts for one decoding path."""

    placeholders: int = 0
    once: int = 0
    dropped: int = 0
    duplicated: int = 0
    sentences: int = 0
    exact_sets: int = 0
    foreign: int = 0  # placeholders in the output that the source did not have
    by_kind: Counter[str] | None = None
    once_by_kind: Counter[str] | None = None

    def add(self, case: Case, output: str) -> None:
        """Count one sentence's output."""
        if self.by_kind is None or self.once_by_kind is None:
            self.by_kind, self.once_by_kind = Counter(), Counter()
        wanted = len(case.kinds)
        got = Counter(PLACEHOLDER_PATTERN.findall(output))
        self.sentences += 1
        for number, kind in enumerate(case.kinds, start=1):
            count = got[str(number)]
            self.placeholders += 1
            self.by_kind[kind] += 1
            if count == 1:
                self.once += 1
                self.once_by_kind[kind] += 1
            elif count == 0:
                self.dropped += 1
            else:
                self.duplicated += 1
        self.foreign += sum(c for n, c in got.items() if not 1 <= int(n) <= wanted)
        self.exact_sets += got == Counter(str(n) for n in range(1, wanted + 1))

    def report(self) -> dict[str, Any]:
        """Shares in percent, with the raw counts."""

        def pct(part: int, whole: int) -> float:
            return round(100.0 * part / whole, 1) if whole else 0.0

        kinds = self.by_kind or Counter()
        once = self.once_by_kind or Counter()
        return {
            "sentences": self.sentences,
            "placeholders": self.placeholders,
            "emitted_once_pct": pct(self.once, self.placeholders),
            "dropped_pct": pct(self.dropped, self.placeholders),
            "duplicated_pct": pct(self.duplicated, self.placeholders),
            "exact_set_sentences_pct": pct(self.exact_sets, self.sentences),
            "foreign_placeholders": self.foreign,
            "once_pct_by_kind": {k: pct(once[k], n) for k, n in sorted(kinds.items())},
            "placeholders_by_kind": dict(sorted(kinds.items())),
        }


def repair_with_nbest(engine: Any, cases: Sequence[Case], outputs: list[str]) -> list[str]:
    """Outputs after the Enforcer's n-best repair (first hypothesis ``restore`` accepts)."""
    broken = [i for i, (c, o) in enumerate(zip(cases, outputs, strict=True)) if not _ok(c, o)]
    repaired = list(outputs)
    if not broken:
        return repaired
    hypotheses = engine.translate_nbest([cases[i].masked for i in broken], NBEST)
    for i, candidates in zip(broken, hypotheses, strict=True):
        for candidate in candidates:
            if _ok(cases[i], candidate):
                repaired[i] = candidate
                break
    return repaired


def _ok(case: Case, output: str) -> bool:
    return restore(output, case.matches) is not None


def read_lines(path: Path) -> list[str]:
    """Lines of a UTF-8 text file, or exit with a one-line message."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise SystemExit(f"bench_placeholders: cannot read {path}: {error.strerror}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print (and optionally save) the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=DATA / "dev",
        help="path prefix of the line-aligned pair PREFIX.nl / PREFIX.en "
        "(default: ../shared/data/flores200/dev from the repository root)",
    )
    parser.add_argument(
        "--model", default="bundled", help="package name or path (default: bundled)"
    )
    parser.add_argument("--limit", type=int, default=0, help="first N masked sentences (0 = all)")
    parser.add_argument(
        "--glossary", type=Path, default=None, help="PO glossary (default: shipped)"
    )
    parser.add_argument("--no-repair", action="store_true", help="skip the n-best repair path")
    parser.add_argument("--examples", type=int, default=0, help="print N failing sentences")
    parser.add_argument("--json", type=Path, default=None, help="also write the report here")
    args = parser.parse_args(argv)

    from translate.engine import Engine
    from translate.packages import resolve_package

    sources = read_lines(args.data.with_name(args.data.name + ".nl"))
    references = read_lines(args.data.with_name(args.data.name + ".en"))
    if len(sources) != len(references):
        raise SystemExit(f"bench_placeholders: {args.data}.nl and .en differ in line count")
    glossary = load_glossary(args.glossary or default_glossary_path())
    cases = [
        c for s, r in zip(sources, references, strict=True) if (c := build_case(s, r, glossary))
    ]
    if args.limit:
        cases = cases[: args.limit]

    package = resolve_package(args.model)
    engine = Engine.load(package)
    started = time.perf_counter()
    outputs = engine.translate_sentences([c.masked for c in cases])
    single_seconds = time.perf_counter() - started
    single = Tally()
    for case, output in zip(cases, outputs, strict=True):
        single.add(case, output)
    report: dict[str, Any] = {
        "model": engine.model_id,
        "data": str(args.data),
        "source_sentences": len(sources),
        "single_decode": {**single.report(), "seconds": round(single_seconds, 1)},
    }
    repaired = outputs
    if not args.no_repair:
        started = time.perf_counter()
        repaired = repair_with_nbest(engine, cases, outputs)
        repair = Tally()
        for case, output in zip(cases, repaired, strict=True):
            repair.add(case, output)
        report["with_nbest_repair"] = {
            **repair.report(),
            "seconds": round(time.perf_counter() - started, 1),
        }

    with_terms = [c.source for c in cases if GLOSSARY_KIND in c.kinds]
    if with_terms:
        started = time.perf_counter()
        enforced = Enforcer(glossary).enforce(with_terms, engine)
        applied = [t for sentence in enforced for t in sentence.terms]
        report["enforcer_glossary_terms"] = {
            "sentences": len(with_terms),
            "terms": len(applied),
            "via_placeholder_pct": round(
                100.0 * sum(t.method == PLACEHOLDER for t in applied) / len(applied), 1
            ),
            "verified_pct": round(100.0 * sum(t.verified for t in applied) / len(applied), 1),
            "seconds": round(time.perf_counter() - started, 1),
        }

    print(f"model {report['model']}; {len(cases)} masked sentences of {len(sources)} ({args.data})")
    for name in ("single_decode", "with_nbest_repair"):
        if name not in report:
            continue
        r = report[name]
        print(
            f"{name:18} {r['placeholders']} placeholders: {r['emitted_once_pct']}% once, "
            f"{r['dropped_pct']}% dropped, {r['duplicated_pct']}% duplicated; "
            f"{r['exact_set_sentences_pct']}% of sentences with exactly the source's set; "
            f"by kind (once %): {r['once_pct_by_kind']}; {r['seconds']} s"
        )
    if "enforcer_glossary_terms" in report:
        r = report["enforcer_glossary_terms"]
        print(
            f"enforcer           {r['terms']} glossary terms in {r['sentences']} sentences: "
            f"{r['via_placeholder_pct']}% through their placeholder, "
            f"{r['verified_pct']}% verified in the output; {r['seconds']} s"
        )
    shown = 0
    for case, output in zip(cases, outputs, strict=True):
        if shown >= args.examples:
            break
        if not _ok(case, output):
            print(f"  {case.masked}\n  => {output}")
            shown += 1
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
