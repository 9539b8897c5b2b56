"""PO glossary store: loading, canonical atomic writes, locking, errors."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from glossary.store import (
    Glossary,
    GlossaryEntry,
    default_glossary_path,
    edit_glossary,
    load_glossary,
    merge_glossaries,
)
from translate.errors import GlossaryError

GOLDEN = Path(__file__).parent / "golden"


def _sample() -> Glossary:
    glossary = Glossary()
    glossary.add(GlossaryEntry("vragende partij", "asking party", notes="Diplomatic idiom."))
    glossary.add(GlossaryEntry("NIS", "NIS", flags=("no-translate", "case-sensitive")))
    glossary.add(
        GlossaryEntry(
            "NAVO",
            "NATO",
            notes="North Atlantic Treaty Organization; Dutch media write NAVO or Navo, and this "
            "note is long enough that a wrapping writer would have to break it somewhere.",
        )
    )
    glossary.add(GlossaryEntry("wapenstilstand", "armistice", flags=("fuzzy",)))
    glossary.add(
        GlossaryEntry("minister", "Minister", context="defence", flags=("plural:Ministers",))
    )
    return glossary


def test_save_matches_golden_file(tmp_path: Path) -> None:
    path = tmp_path / "g.po"
    _sample().save(path)
    assert path.read_bytes() == (GOLDEN / "sample.po").read_bytes()


def test_load_and_save_round_trips_byte_identically(tmp_path: Path) -> None:
    for source in (GOLDEN / "sample.po", default_glossary_path()):
        copy = tmp_path / source.name
        load_glossary(source).save(copy)
        assert copy.read_bytes() == source.read_bytes()


def test_entries_keep_fields_and_lines() -> None:
    glossary = load_glossary(GOLDEN / "sample.po")
    nis = glossary.find("nis")[0]
    assert nis.no_translate and nis.case_sensitive and nis.english == "NIS"
    assert nis.line is not None and nis.line > 1
    minister = glossary.find("minister", "defence")[0]
    assert minister.plural == "Ministers" and minister.context == "defence"
    assert [e.source for e in glossary.active()] == [
        e.source for e in glossary.entries if not e.fuzzy
    ]
    assert len(glossary.active(include_fuzzy=True)) == len(glossary)


def test_version_changes_with_content() -> None:
    glossary = _sample()
    before = glossary.version
    glossary.add(GlossaryEntry("Poetin", "Putin"))
    assert glossary.version != before


def test_add_existing_term_needs_replace() -> None:
    glossary = _sample()
    with pytest.raises(GlossaryError, match="exists already"):
        glossary.add(GlossaryEntry("navo", "Nato"))
    old = glossary.add(GlossaryEntry("navo", "Nato"), replace_existing=True)
    assert old is not None and old.target == "NATO"
    assert [e.english for e in glossary.find("NAVO")] == ["Nato"]


def test_merge_later_glossary_wins() -> None:
    first = Glossary([GlossaryEntry("Kiev", "Kiev"), GlossaryEntry("NAVO", "NATO")])
    second = Glossary([GlossaryEntry("kiev", "Kyiv")])
    merged = merge_glossaries([first, second])
    assert sorted(e.english for e in merged) == ["Kyiv", "NATO"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'msgid "a"\nmsgstr "b"\n\nmsgid "c"\nbogus "d"\n', r"bad\.po:5: PO syntax error"),
        (
            b'msgid ""\nmsgstr ""\n"Language: de\\n"\n"X-Source-Language: nl\\n"\n',
            r"nl→de, vertaal needs nl→en",
        ),
    ],
)
def test_bad_files_raise_one_line_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.po"
    path.write_bytes(content)
    with pytest.raises(GlossaryError, match=message) as info:
        load_glossary(path)
    assert "\n" not in info.value.format_message()


def test_not_utf8_names_file_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "bad.po"
    path.write_bytes(b'msgid "caf\xe9"\nmsgstr "x"\n')
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert info.value.message == (
        f"{path}:1: glossary not valid utf-8 (byte 0xe9 at byte offset 10); "
        "save the glossary as UTF-8"
    )


def test_missing_file_names_path(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError) as info:
        load_glossary(tmp_path / "nope.po")
    assert info.value.message == (
        f"{tmp_path / 'nope.po'}: glossary file not found; check the path or create it with add"
    )


def test_failed_edit_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "g.po"
    _sample().save(path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError), edit_glossary(path) as glossary:
        glossary.add(GlossaryEntry("Poetin", "Putin"))
        raise RuntimeError("interrupted")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def _add_many(path: str, prefix: str, count: int) -> None:
    for i in range(count):
        with edit_glossary(Path(path)) as glossary:
            glossary.add(GlossaryEntry(f"{prefix}{i}", f"{prefix.upper()}{i}"))


def test_two_processes_adding_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared.po"
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_add_many, args=(str(path), prefix, 15)) for prefix in ("a", "b")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    sources = {e.source for e in load_glossary(path)}
    assert sources == {f"{p}{i}" for p in ("a", "b") for i in range(15)}
