"""Term extraction: precision of the top candidates on a news corpus, termhood vs plain count.

The corpus is the news part of ``../shared/data/mono/ud.nl`` (UD_Dutch-Alpino,
2,196 sentences, CC BY-SA 4.0) plus the NOS-style article in
``corpora/nos-article``. Candidates already in the shipped glossary are left
out, as ``vertaal glossary extract`` does. The top ``--top`` (default 50) are
judged against hand labels in ``benchmarks/data/extract_labels.tsv`` (see its
header for the criterion); a candidate without a label is reported and
counted as wrong in the strict figure.

Two rankings of the same candidates, side by side: by termhood (what the
command uses) and by count alone (what the extractor did before).

Usage::

    python benchmarks/bench_extract.py
    python benchmarks/bench_extract.py --top 30 --show
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from glossary.extract import Candidate, extract_candidates, new_candidates  # noqa: E402
from glossary.store import default_glossary_path, load_glossary  # noqa: E402

DATA = REPO.parent / "shared" / "data"
if not DATA.exists():
    DATA = Path("/work/shared/data")
LABELS = REPO / "benchmarks" / "data" / "extract_labels.tsv"
ARTICLE = REPO / "corpora" / "nos-article" / "source.nl.txt"


def news_corpus() -> list[str]:
    """UD_Dutch-Alpino news sentences and the NOS article's lines."""
    ud = (DATA / "mono" / "ud.nl").read_text(encoding="utf-8").splitlines()
    source = (DATA / "mono" / "ud.nl.source.tsv").read_text(encoding="utf-8").splitlines()
    news = [line for line, where in zip(ud, source, strict=True) if "news" in where]
    return news + ARTICLE.read_text(encoding="utf-8").splitlines()


def load_labels() -> dict[str, tuple[bool, str]]:
    """term → (is a term, reason)."""
    labels = {}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        term, verdict, reason = line.split("\t")
        labels[term] = (verdict == "yes", reason)
    return labels


def judge(
    ranked: Sequence[Candidate], labels: dict[str, tuple[bool, str]], top: int
) -> tuple[int, int, list[str]]:
    """(terms, labelled, unlabelled terms) among the first ``top``."""
    good = labelled = 0
    missing = []
    for candidate in ranked[:top]:
        if candidate.term not in labels:
            missing.append(candidate.term)
            continue
        labelled += 1
        good += labels[candidate.term][0]
    return good, labelled, missing


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--show", action="store_true", help="list the candidates and labels")
    args = parser.parse_args(argv)

    lines = news_corpus()
    candidates = new_candidates(extract_candidates(lines), load_glossary(default_glossary_path()))
    labels = load_labels()
    rankings = {
        "termhood": candidates,
        "count": sorted(candidates, key=lambda c: (-c.count, c.term)),
    }
    print(f"corpus: {len(lines)} lines; {len(candidates)} new candidates; top {args.top}")
    for name, ranked in rankings.items():
        good, labelled, missing = judge(ranked, labels, args.top)
        strict = good / args.top
        print(
            f"{name:>9}: precision {good}/{labelled} labelled = {good / max(1, labelled):.0%}"
            f" (strict, unlabelled as wrong: {strict:.0%}); unlabelled: {missing or 'none'}"
        )
        if args.show:
            for rank, candidate in enumerate(ranked[: args.top], start=1):
                verdict = labels.get(candidate.term, (None, "UNLABELLED"))
                mark = {True: "+", False: "-", None: "?"}[verdict[0]]
                print(
                    f"  {rank:2} {mark} {candidate.term} [{candidate.kind}, {candidate.count}x,"
                    f" {candidate.score}] {verdict[1]}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
