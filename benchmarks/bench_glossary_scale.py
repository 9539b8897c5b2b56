"""Glossary scale: what a large termbase costs `vertaal translate` and `glossary lint`.

Generates a termbase of ``--terms`` (default 50,000) Dutch-looking entries
that occur nowhere in the text (checked), some multi-word, some with flags,
and measures, in the same run and interleaved:

* ``vertaal translate`` on ``--sentences`` FLORES-200 dev sentences (default
  300) with the shipped glossary alone, and with the shipped glossary plus the
  termbase, once with a cold automaton cache and then warm (the cache is a
  fresh ``XDG_CACHE_HOME``); the floor is at most +25% over the shipped
  glossary alone;
* ``vertaal glossary lint`` on the termbase (floor: under 10 s);

Wall time and the child's CPU time (user + system) are both reported: on a
shared machine wall time mostly measures the neighbours, CPU time the work;
* in process: loading the termbase, building the automaton cold, loading it
  warm, and matching the sentences.

Usage::

    python benchmarks/bench_glossary_scale.py
    python benchmarks/bench_glossary_scale.py --terms 5000 --sentences 100 --repeats 3

FLORES-200 (CC-BY-SA 4.0) is read from ../shared/data; nothing is written to
the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from glossary.match import Matcher  # noqa: E402
from glossary.store import (  # noqa: E402
    Glossary,
    GlossaryEntry,
    default_glossary_path,
    load_glossaries,
    load_glossary,
)

FLORES = REPO.parent / "shared" / "data" / "flores200" / "dev.nl"
if not FLORES.exists():
    FLORES = Path("/work/shared/data/flores200/dev.nl")

_ONSETS = ["b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "kr",
           "st", "gr", "sl", "sp", "tr", "br", "dr", "fl", "pl"]  # fmt: skip
_VOWELS = ["a", "e", "i", "o", "u", "aa", "ee", "oo", "ie", "oe", "ui", "ij", "eu"]
_CODAS = ["", "", "n", "r", "s", "t", "k", "l", "m", "ng", "ch", "rt", "nd"]


def _word(rng: random.Random) -> str:
    syllables = rng.randint(2, 4)
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                   for _ in range(syllables))  # fmt: skip


def make_termbase(count: int, text: str, seed: int = 12) -> Glossary:
    """``count`` entries whose terms (and forms) do not occur in ``text``."""
    rng = random.Random(seed)
    seen: set[str] = set()
    entries: list[GlossaryEntry] = []
    while len(entries) < count:
        words = [_word(rng) for _ in range(rng.choice([1, 1, 1, 2, 2, 3]))]
        if rng.random() < 0.2:
            words[0] = words[0].capitalize()
        source = " ".join(words)
        if source.casefold() in seen:
            continue
        seen.add(source.casefold())
        flags: tuple[str, ...] = ()
        roll = rng.random()
        if roll < 0.05:
            flags = ("case-sensitive",)
        elif roll < 0.08:
            flags = ("no-article",)
        elif roll < 0.10:
            flags = ("fuzzy",)
        entries.append(
            GlossaryEntry(source, "x-" + source.replace(" ", "-"), flags=flags, notes="generated")
        )
    glossary = Glossary(entries)
    matcher = Matcher(entries, cache_min_entries=len(entries) + 1)  # not cached: measured later
    occurring = {m.entry for line in text.splitlines() for m in matcher.find(line)}
    glossary.entries = [e for e in entries if e not in occurring]
    return glossary


def _run(
    args: Sequence[str], env: dict[str, str], stdin: Path | None = None
) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child: user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with Path(stdin or os.devnull).open("rb") as source:
        done = subprocess.run(
            [sys.executable, "-c", "from translate.cli import main; main()", *args],
            stdin=source,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            cwd=REPO,
            check=False,
        )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"vertaal {' '.join(args)} failed: {done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terms", type=int, default=50_000)
    parser.add_argument("--sentences", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3, help="translate runs per setting")
    parser.add_argument("--json", type=Path, default=None, help="write results here")
    args = parser.parse_args(argv)

    sentences = FLORES.read_text(encoding="utf-8").splitlines()[: args.sentences]
    text = "\n".join(sentences) + "\n"
    with tempfile.TemporaryDirectory(prefix="vertaal-scale-") as tmp:
        work = Path(tmp)
        source = work / "flores.nl.txt"
        source.write_text(text, encoding="utf-8")
        termbase_path = work / "termbase.po"
        termbase = make_termbase(args.terms, text)
        termbase.save(termbase_path)
        env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"), PYTHONPATH=str(REPO))

        results: dict[str, object] = {"terms": len(termbase), "sentences": len(sentences)}
        # in process
        start = time.perf_counter()
        loaded = load_glossaries([termbase_path])
        results["load_s"] = round(time.perf_counter() - start, 3)
        active = loaded.active()
        start = time.perf_counter()
        cold = Matcher(active, cache_dir=work / "inproc")
        results["automaton_cold_s"] = round(time.perf_counter() - start, 3)
        start = time.perf_counter()
        warm = Matcher(active, cache_dir=work / "inproc")
        results["automaton_warm_s"] = round(time.perf_counter() - start, 3)
        start = time.perf_counter()
        hits = sum(len(warm.find(line)) for line in sentences)
        results["match_s"] = round(time.perf_counter() - start, 4)
        shipped = Matcher(load_glossary(default_glossary_path()).active())
        results["hits_with_termbase"] = hits
        results["hits_shipped_only"] = sum(len(shipped.find(line)) for line in sentences)
        assert cold.cache_path == warm.cache_path

        lint_wall, lint_cpu = _run(["glossary", "lint", "-g", str(termbase_path)], env)
        results["lint_s"] = {"wall": round(lint_wall, 2), "cpu": round(lint_cpu, 2)}

        base_args = ["translate", str(source), "-o", str(work / "out.txt")]
        big_args = [*base_args, "--glossary", str(termbase_path)]
        cold = _run(big_args, env)
        runs: dict[str, list[tuple[float, float]]] = {"shipped": [], "termbase": []}
        for _ in range(args.repeats):
            runs["shipped"].append(_run(base_args, env))
            runs["termbase"].append(_run(big_args, env))
        for name, measured in runs.items():
            results[f"translate_{name}_wall_s"] = [round(w, 2) for w, _ in measured]
            results[f"translate_{name}_cpu_s"] = [round(c, 2) for _, c in measured]
        results["translate_termbase_cold"] = {"wall": round(cold[0], 2), "cpu": round(cold[1], 2)}
        for kind, position in (("wall", 0), ("cpu", 1)):
            base = statistics.median(m[position] for m in runs["shipped"])
            big = statistics.median(m[position] for m in runs["termbase"])
            results[f"ratio_{kind}"] = round(big / base, 3)

    print(f"termbase: {results['terms']} terms (none occurring), {len(sentences)} FLORES sentences")
    print(
        f"in process: load {results['load_s']} s, automaton cold {results['automaton_cold_s']} s"
        f" / warm {results['automaton_warm_s']} s, match {results['match_s']} s"
    )
    print(
        f"hits with the termbase {results['hits_with_termbase']}, "
        f"shipped alone {results['hits_shipped_only']} (equal: no termbase term occurs)"
    )
    print(f"glossary lint on the termbase: {results['lint_s']} s (floor < 10 s)")
    for name in ("shipped", "termbase"):
        print(
            f"translate, {name:>8}: wall {results[f'translate_{name}_wall_s']} s,"
            f" CPU {results[f'translate_{name}_cpu_s']} s"
        )
    print(f"translate, termbase with a cold automaton cache: {results['translate_termbase_cold']}")
    print(
        f"ratio termbase / shipped (medians): CPU {results['ratio_cpu']},"
        f" wall {results['ratio_wall']} (floor <= 1.25)"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
