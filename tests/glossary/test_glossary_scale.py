"""The one-automaton matcher: same answers as term-by-term matching, cached on disk by content."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.match import Matcher, TermMatch, find_terms
from glossary.store import Glossary, GlossaryEntry, default_glossary_path, load_glossary

NEWS = load_glossary(default_glossary_path())
TEXTS = [
    "De NAVO-top in Den Haag begint morgen; de vragende partijen praten met Poetins mensen.",
    "Kennis, vonnis, Nissan en ANIS zijn geen NIS.",
    "Navo-secretaris-generaal Rutte sprak in  Den\nHaag over de Oekraïense luchtafweersystemen.",
    "STRAßE en İstanbul: Rusland’s plannen, 's-Gravenhage en het Kremlin.",
]


def _as_pairs(matches: list[TermMatch]) -> list[tuple[int, int, str, str, str]]:
    return [(m.start, m.end, m.entry.source, m.reason, m.form) for m in matches]


@pytest.mark.parametrize("text", TEXTS)
def test_cached_automaton_gives_the_same_matches(tmp_path: Path, text: str) -> None:
    fresh = Matcher(NEWS.entries)
    building = Matcher(NEWS.entries, cache_dir=tmp_path, cache_min_entries=1)
    assert building.cache_path is not None and building.cache_path.exists()
    loaded = Matcher(NEWS.entries, cache_dir=tmp_path, cache_min_entries=1)
    assert _as_pairs(fresh.find(text)) == _as_pairs(building.find(text))
    assert _as_pairs(fresh.find(text)) == _as_pairs(loaded.find(text))


def test_cache_key_follows_content(tmp_path: Path) -> None:
    first = Matcher([GlossaryEntry("top", "summit")], cache_dir=tmp_path, cache_min_entries=1)
    second = Matcher([GlossaryEntry("tap", "tap")], cache_dir=tmp_path, cache_min_entries=1)
    assert first.cache_path != second.cache_path
    assert [m.text for m in second.find("de top en de tap")] == ["tap"]
    flagged = Matcher(
        [GlossaryEntry("top", "summit", flags=("case-sensitive",))],
        cache_dir=tmp_path,
        cache_min_entries=1,
    )
    assert flagged.cache_path != first.cache_path


def test_damaged_or_hostile_cache_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    entries = [GlossaryEntry("top", "summit")]
    path = Matcher(entries, cache_dir=tmp_path, cache_min_entries=1).cache_path
    assert path is not None
    # a pickle that would run a command if it were unpickled without restriction
    path.write_bytes(b"cos\nsystem\n(S'touch " + str(tmp_path / "pwned").encode() + b"'\ntR.")
    matcher = Matcher(entries, cache_dir=tmp_path, cache_min_entries=1)
    assert [m.text for m in matcher.find("de top")] == ["top"]
    assert not (tmp_path / "pwned").exists()
    path.write_bytes(b"not a pickle")
    assert [m.text for m in Matcher(entries, cache_dir=tmp_path, cache_min_entries=1).find("top")]


def test_unwritable_cache_dir_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    matcher = Matcher(
        [GlossaryEntry("top", "summit")], cache_dir=blocker / "sub", cache_min_entries=1
    )
    assert [m.text for m in matcher.find("de top")] == ["top"]


def test_default_cache_dir_is_under_xdg_cache_home(tmp_path: Path) -> None:
    entries = [GlossaryEntry(f"term{i}", f"t{i}") for i in range(3)]
    matcher = Matcher(entries, cache_min_entries=1)
    assert matcher.cache_path is not None
    assert matcher.cache_path.is_relative_to(Path(os.environ["XDG_CACHE_HOME"]))


def test_large_glossary_matches_terms_among_many(tmp_path: Path) -> None:
    entries = [GlossaryEntry(f"qterm{i}", f"x{i}") for i in range(3000)]
    entries.append(GlossaryEntry("NAVO", "NATO"))
    matcher = Matcher(entries, cache_dir=tmp_path)
    assert matcher.cache_path is not None  # above the threshold: cached
    assert [m.target for m in matcher.find("De NAVO en qterm2999 maar niet qterm30000.")] == [
        "NATO",
        "x2999",
    ]


WORDS = st.sampled_from(
    ["de", "NAVO", "navo", "top", "toppen", "NIS", "kennis", "Den", "Haag", "vragende",
     "partij", "partijen", "-", "Poetins", "Rusland", "'s-Gravenhage", "Kremlin", "ANIS"]
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=12), st.sampled_from([" ", "  ", "\n", "-"]))
def test_matches_never_overlap_and_lie_on_word_boundaries(words: list[str], sep: str) -> None:
    text = sep.join(words)
    matches = find_terms(text, NEWS)
    for before, after in itertools.pairwise(matches):
        assert before.end <= after.start
    for match in matches:
        assert text[match.start : match.end] == match.text
        assert match.start == 0 or not text[match.start - 1].isalnum()


def test_precedence_case_sensitive_and_chosen_domain() -> None:
    plain = GlossaryEntry("kat", "cat")
    exact = GlossaryEntry("Kat", "Kat", flags=("case-sensitive",))
    glossary = Glossary([exact, plain])
    assert [m.target for m in find_terms("Kat zag een kat.", glossary)] == ["Kat", "cat"]
    # order in the file does not matter
    assert [m.target for m in find_terms("Kat zag een kat.", Glossary([plain, exact]))] == [
        "Kat",
        "cat",
    ]
    domain = GlossaryEntry("bank", "bench", context="furniture")
    both = Glossary([domain, GlossaryEntry("bank", "bank")])
    assert [m.target for m in find_terms("de bank", both)] == ["bench"]


def test_cache_keeps_only_the_most_recently_used_automata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = []
    for number in range(4):
        matcher = Matcher(
            [GlossaryEntry(f"term{number}", "x")], cache_dir=tmp_path, cache_min_entries=1
        )
        assert matcher.cache_path is not None
        os.utime(matcher.cache_path, (1000 + number, 1000 + number))
        paths.append(matcher.cache_path)
    # loading the oldest marks it used; the next write prunes down to the newest CACHE_KEEP
    Matcher([GlossaryEntry("term0", "x")], cache_dir=tmp_path, cache_min_entries=1)
    monkeypatch.setattr("glossary.match.CACHE_KEEP", 2)
    Matcher([GlossaryEntry("term9", "x")], cache_dir=tmp_path, cache_min_entries=1)
    left = {p.name for p in tmp_path.glob("*.pickle")}
    assert len(left) == 2 and paths[0].name in left  # used most recently, so kept
    assert not {paths[1].name, paths[2].name, paths[3].name} & left


def test_processes_building_the_same_cache_at_once_all_succeed(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from glossary.match import Matcher\n"
        "from glossary.store import GlossaryEntry\n"
        "entries = [GlossaryEntry(f'qterm{i}', f'x{i}') for i in range(3000)]\n"
        "matcher = Matcher(entries, cache_dir=Path(sys.argv[1]), cache_min_entries=1)\n"
        "print([m.target for m in matcher.find('een qterm2999 hier')])\n"
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    outputs = [worker.communicate(timeout=120)[0].strip() for worker in workers]
    assert [w.returncode for w in workers] == [0, 0, 0, 0]
    assert outputs == ["['x2999']"] * 4
    assert len(list(tmp_path.glob("*.pickle"))) == 1 and not list(tmp_path.glob("*.tmp"))
