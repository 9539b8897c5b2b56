"""Build glossary/reference.nl.tsv: Dutch word frequencies of general text, for term extraction.

`vertaal glossary extract` ranks candidate terms by *termhood*: how much more
often a word occurs in the user's corpus than in general Dutch. This script
counts words (lower-cased) in two general corpora from ../shared/data:

* Tatoeba, Dutch side of train.nl-en.tsv (everyday sentences; CC-BY 2.0 FR,
  contributors listed in train.attribution.tsv);
* UD_Dutch-LassySmall, the Dutch Wikipedia part of mono/ud.nl (CC BY-SA 4.0).
  The news part (UD_Dutch-Alpino) is left out: it is the extraction
  benchmark's test corpus.

Only words seen at least ``--min-count`` times are kept, so the table stays
small. Run from the project root:

    python scripts/build_reference_frequencies.py
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
if not DATA.exists():  # worktrees live one level deeper than the main checkout
    DATA = Path("/work/shared/data")
OUT = ROOT / "glossary" / "reference.nl.tsv"
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def sentences(data: Path) -> list[str]:
    """Dutch general-text sentences: Tatoeba and the Wikipedia part of ud.nl."""
    lines = []
    for row in (data / "tatoeba" / "train.nl-en.tsv").read_text(encoding="utf-8").splitlines():
        lines.append(row.split("\t")[0])
    ud = (data / "mono" / "ud.nl").read_text(encoding="utf-8").splitlines()
    source = (data / "mono" / "ud.nl.source.tsv").read_text(encoding="utf-8").splitlines()
    lines += [line for line, where in zip(ud, source, strict=True) if "wiki" in where]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    counts: Counter[str] = Counter()
    lines = sentences(args.data)
    for line in lines:
        counts.update(word.lower() for word in WORD.findall(line))
    total = sum(counts.values())
    kept = sorted(
        ((w, n) for w, n in counts.items() if n >= args.min_count), key=lambda x: (-x[1], x[0])
    )
    header = [
        "# Dutch word frequencies of general text, for ranking term candidates by termhood.",
        "# Built by scripts/build_reference_frequencies.py from Tatoeba (Dutch side of the",
        "# manythings.org export; CC-BY 2.0 FR; tatoeba.org, sentence contributors) and",
        "# UD_Dutch-LassySmall (Dutch Wikipedia; CC BY-SA 4.0). This table: CC BY-SA 4.0.",
        f"# sentences\t{len(lines)}",
        f"# tokens\t{total}",
        f"# min-count\t{args.min_count}",
    ]
    body = [f"{word}\t{count}" for word, count in kept]
    args.out.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(kept)} words of {len(counts)}, {total} tokens, {len(lines)} sentences")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
