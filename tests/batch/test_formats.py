"""File formats: which units are read, how translations are written back, bad input.

These tests exercise the readers and writers without a model: the
"translation" is a fixed, visible transformation (``⟨…⟩`` around the upper-cased
unit), so golden files show exactly what each writer does with its units.
Set ``UPDATE_GOLDEN=1`` to rewrite the golden files after an intended change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.batch.formats import (
    FORMATS,
    CsvFormat,
    Format,
    FormatOptions,
    JsonlFormat,
    MosesFormat,
    PoFormat,
    TextFormat,
    TmxFormat,
    TsvFormat,
    format_for,
)
from translate.errors import InputError

CORPUS = Path(__file__).parent / "data" / "corpus"
GOLDEN = Path(__file__).parent / "golden"


def fake_translate(text: str) -> str:
    """A visible stand-in for a translation (the formats never look inside)."""
    return f"⟨{text.upper()}⟩"


def rewrite(fmt: Format, source: Path, target: Path) -> list[str]:
    """Read ``source``'s units, write ``target`` with fake translations; return the units."""
    units = [unit.text for unit in fmt.read(source)]
    fmt.write(source, target, (fake_translate(u) for u in units))
    return units


CASES = [
    ("article.nl.txt", TextFormat, FormatOptions()),
    ("sub/crlf.txt", TextFormat, FormatOptions()),
    ("corpus.nl", MosesFormat, FormatOptions()),
    ("sub/pairs.tsv", TsvFormat, FormatOptions(column="text")),
    ("table.csv", CsvFormat, FormatOptions(column="zin")),
    ("records.jsonl", JsonlFormat, FormatOptions()),
    ("messages.po", PoFormat, FormatOptions()),
    ("memory.tmx", TmxFormat, FormatOptions()),
]


@pytest.mark.parametrize(("name", "cls", "options"), CASES, ids=[c[0] for c in CASES])
def test_writer_output_matches_golden_file(
    name: str, cls: type[Format], options: FormatOptions, tmp_path: Path
) -> None:
    target = tmp_path / "out"
    rewrite(cls(options), CORPUS / name, target)
    golden = GOLDEN / (name.replace("/", "__") + ".golden")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(target.read_bytes())
    assert target.read_bytes() == golden.read_bytes()


def test_registry_picks_formats_by_extension_and_override() -> None:
    line_formats = {"text", "moses", "tsv", "csv", "jsonl", "tmx", "po"}
    documents = {"html", "docx", "odt", "srt", "vtt", "markdown", "xliff", "epub"}
    assert set(FORMATS) == line_formats | documents
    assert format_for(Path("a.txt")) is TextFormat
    assert format_for(Path("a.NL")) is MosesFormat
    assert format_for(Path("a.tmx")) is TmxFormat
    assert format_for(Path("a.unknown")) is None
    assert format_for(Path("a.unknown"), "jsonl") is JsonlFormat


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("article.nl.txt", "article.en.txt"),
        ("corpus.nl", "corpus.en"),
        ("notes.txt", "notes.txt"),
        ("nl.txt", "nl.txt"),
    ],
)
def test_output_names_turn_dutch_suffix_into_english(name: str, expected: str) -> None:
    assert TextFormat().output_name(name) == expected
    assert PoFormat().output_name("app.pot") == "app.po"


def test_text_units_are_lines_and_blank_lines_are_kept() -> None:
    units = list(TextFormat().read(CORPUS / "article.nl.txt"))
    assert [u.line for u in units] == [1, 2, 5]
    assert units[1].text == "  De NAVO-top begint morgen in Den Haag."


def test_po_keeps_existing_translations_and_marks_new_ones_fuzzy(tmp_path: Path) -> None:
    import polib

    units = rewrite(PoFormat(), CORPUS / "messages.po", tmp_path / "out.po")
    assert units == ["Bestand openen", "Eén bestand verwijderd", "%d bestanden verwijderd"]
    po = polib.pofile(str(tmp_path / "out.po"))
    assert po.find("Opslaan").msgstr == "Save"
    assert po.find("Sluiten").msgstr == "Shut"
    opened = po.find("Bestand openen")
    assert opened.msgstr == "⟨BESTAND OPENEN⟩" and "fuzzy" in opened.flags
    plural = po.find("Eén bestand verwijderd")
    assert plural.msgstr_plural == {0: "⟨EÉN BESTAND VERWIJDERD⟩", 1: "⟨%D BESTANDEN VERWIJDERD⟩"}


def test_po_overwrite_replaces_existing_translations(tmp_path: Path) -> None:
    units = rewrite(
        PoFormat(FormatOptions(overwrite=True)), CORPUS / "messages.po", tmp_path / "o.po"
    )
    assert "Opslaan" in units and "Sluiten" in units


def test_tmx_adds_target_tuv_only_where_missing(tmp_path: Path) -> None:
    import defusedxml.ElementTree as ET

    units = rewrite(TmxFormat(), CORPUS / "memory.tmx", tmp_path / "o.tmx")
    assert units == ["De trein vertrekt."]
    tus = ET.parse(str(tmp_path / "o.tmx")).getroot().findall("body/tu")
    segs = [[("".join(s.itertext())) for s in tu.iter("seg")] for tu in tus]
    assert segs == [
        ["De trein vertrekt.", "⟨DE TREIN VERTREKT.⟩"],
        ["Het <b>regent</b>.", "It rains."],
    ]
    units = rewrite(TmxFormat(FormatOptions(overwrite=True)), CORPUS / "memory.tmx", tmp_path / "p")
    assert units == ["De trein vertrekt.", "Het <b>regent</b>."]


def test_jsonl_translates_nested_fields(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"a": {"b": "Hallo"}, "n": 1}\n', encoding="utf-8")
    fmt = JsonlFormat(FormatOptions(field="a.b"))
    rewrite(fmt, source, tmp_path / "out.jsonl")
    assert json.loads((tmp_path / "out.jsonl").read_text("utf-8")) == {
        "a": {"b": "⟨HALLO⟩"},
        "n": 1,
    }


# --- layout properties --------------------------------------------------------------------

lines = st.lists(
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00\ufeff"),
        max_size=30,
    ),
    max_size=8,
)
endings = st.sampled_from(["\n", "\r\n"])


@settings(max_examples=60, deadline=None)
@given(lines=lines, ending=endings, final=st.booleans())
def test_identity_translation_reproduces_text_and_moses_files_exactly(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str], ending: str, final: bool
) -> None:
    directory = tmp_path_factory.mktemp("prop")
    data = ending.join(lines) + (ending if final and lines else "")
    source = directory / "in.txt"
    source.write_bytes(data.encode("utf-8"))
    for fmt in (TextFormat(), MosesFormat()):
        units = [u.text for u in fmt.read(source)]
        fmt.write(source, directory / "out", iter(units))
        assert (directory / "out").read_bytes() == data.encode("utf-8")


cells = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\r\n\x00\ufeff"),
    max_size=12,
)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(cells, min_size=2, max_size=3), min_size=1, max_size=6))
def test_identity_translation_reproduces_tsv_files_exactly(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    directory = tmp_path_factory.mktemp("tsv")
    data = "".join("\t".join(row) + "\n" for row in rows)
    source = directory / "in.tsv"
    source.write_text(data, encoding="utf-8", newline="")
    fmt = TsvFormat(FormatOptions(column="2"))
    units = [u.text for u in fmt.read(source)]
    fmt.write(source, directory / "out", iter(units))
    assert (directory / "out").read_text("utf-8") == data


# --- bad input ----------------------------------------------------------------------------

BAD = [
    ("a.txt", b"Goed.\n\xff kapot\n", TextFormat, "a.txt:2: not valid UTF-8"),
    ("b.jsonl", b'{"text": "a"}\n{"text": "b",\n', JsonlFormat, "b.jsonl:2: invalid JSON"),
    ("c.jsonl", b'{"text": "a"}\n{"tekst": "b"}\n', JsonlFormat, "c.jsonl:2: no field 'text'"),
    (
        "d.tmx",
        b'<tmx><body><tu><tuv xml:lang="nl"><seg>x</seg>\n</tu>',
        TmxFormat,
        "d.tmx:2: malformed XML",
    ),
    ("e.po", b'msgid "a"\nmsgstr ""\nmsgid\n', PoFormat, "e.po:3: malformed PO"),
    ("f.tsv", b"een\ttwee\ndrie\n", TsvFormat, "f.tsv:2: row has 1 columns"),
    ("g.csv", b'a,b\n1,"open\n', CsvFormat, "g.csv:2: malformed CSV"),
    ("h.nl", b"Goed.\n\x00\x01\n", MosesFormat, "h.nl:2: contains NUL bytes"),
    (
        "i.tmx",
        b'<!DOCTYPE tmx [<!ENTITY a "b">]><tmx><body/></tmx>',
        TmxFormat,
        "i.tmx: unsafe XML",
    ),
]


@pytest.mark.parametrize(("name", "data", "cls", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_files_are_reported_with_path_and_line(
    name: str, data: bytes, cls: type[Format], message: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    options = FormatOptions(column="2") if cls is TsvFormat else FormatOptions(column="b")
    with pytest.raises(InputError) as caught:
        list(cls(options).read(path))
    assert str(caught.value.message).startswith(f"{tmp_path}/{message}")
