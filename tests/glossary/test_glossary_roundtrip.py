"""Lossless interchange: export then import gives back the identical glossary, for every format."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.edit import merge_entries
from glossary.interchange import export_terms, import_terms, sniff_delimiter
from glossary.store import load_glossary, new_glossary
from translate.cli import cli

GOLDEN = Path(__file__).parent / "golden"
ROUNDTRIP = GOLDEN / "roundtrip.po"


def _reimport(path: Path, target: Path, fmt: str | None = None) -> bytes:
    glossary = new_glossary(target)
    merge_entries(glossary, import_terms(path, fmt))
    glossary.save()
    return target.read_bytes()


@pytest.mark.parametrize("fmt", ["tbx", "csv", "tsv"])
def test_po_to_format_to_po_is_identical(tmp_path: Path, fmt: str) -> None:
    original = load_glossary(ROUNDTRIP)
    exported = tmp_path / f"terms.{fmt}"
    exported.write_text(export_terms(original, fmt, full=True), encoding="utf-8")
    assert _reimport(exported, tmp_path / "back.po") == ROUNDTRIP.read_bytes()


def test_po_to_po_import_is_identical(tmp_path: Path) -> None:
    assert _reimport(ROUNDTRIP, tmp_path / "back.po") == ROUNDTRIP.read_bytes()


def test_round_trip_through_the_cli(runner: CliRunner, tmp_path: Path) -> None:
    for fmt in ("tbx", "csv"):
        exported = tmp_path / f"terms.{fmt}"
        back = tmp_path / f"back-{fmt}.po"
        args = ["glossary", "export", "-g", str(ROUNDTRIP), "-o", str(exported), "--full"]
        assert runner.invoke(cli, args).exit_code == 0
        result = runner.invoke(cli, ["glossary", "import", str(exported), "-g", str(back)])
        assert result.exit_code == 0, result.output
        assert back.read_bytes() == ROUNDTRIP.read_bytes()


def test_two_column_export_warns_what_it_leaves_out(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["glossary", "export", "-g", str(ROUNDTRIP), "--format", "csv"])
    assert result.exit_code == 0
    assert "2 fuzzy (would become approved)" in result.stderr and "--full" in result.stderr
    assert result.stdout.splitlines()[0] == "nl,en"


def test_tbx_carries_flags_pos_context_and_multiline_notes() -> None:
    text = export_terms(load_glossary(ROUNDTRIP), "tbx")
    assert '<termNote type="x-vertaal-flags">fuzzy</termNote>' in text
    assert '<termNote type="partOfSpeech">noun</termNote>' in text
    assert '<descrip type="subjectField">furniture</descrip>' in text
    assert 'xml:space="preserve">North Atlantic Treaty Organization.\nSource' in text


def test_foreign_tbx_basic_status_and_part_of_speech(tmp_path: Path) -> None:
    path = tmp_path / "iate.tbx"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dct" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>
 <termEntry id="c1">
  <descrip type="subjectField">defence</descrip>
  <langSec xml:lang="nl">
   <descrip type="definition">Wapenfeit zonder geweld.</descrip>
   <termSec><term>staakt-het-vuren</term>
     <termNote type="partOfSpeech">noun</termNote>
     <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
   <termSec><term>bestand</term>
     <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
  </langSec>
  <langSec xml:lang="en">
   <termSec><term>cease-fire</term>
     <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></termSec>
   <termSec><term>ceasefire</term></termSec>
  </langSec>
 </termEntry>
</body></text></tbx>""",
        encoding="utf-8",
    )
    (entry,) = import_terms(path)
    assert (entry.source, entry.target, entry.context, entry.flags, entry.notes) == (
        "staakt-het-vuren",
        "ceasefire",
        "defence",
        ("pos:noun",),
        "Wapenfeit zonder geweld.",
    )


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("NAVO,NATO\nPoetin,Putin\n", ","),
        ("NAVO;NATO\nPoetin;Putin\n", ";"),
        ("nl;en;note\nNAVO;NATO;bondgenootschap, militair\n", ";"),
        ("NAVO\tNATO\nkomma, test\tcomma, test\n", "\t"),
        ('"komma, test","comma; test"\nNAVO,NATO\n', ","),
        ("sep=;\nNAVO;NATO\n", ";"),
    ],
)
def test_delimiter_is_sniffed(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


def test_dutch_excel_semicolon_csv_with_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffNL;EN;domain;flags;ID\r\nNAVO;NATO;defensie;no-article;17\r\n".encode())
    (entry,) = import_terms(path)
    assert (entry.source, entry.target, entry.context, entry.flags) == (
        "NAVO",
        "NATO",
        "defensie",
        ("no-article",),
    )


def test_deepl_two_column_files_still_import(tmp_path: Path) -> None:
    path = tmp_path / "deepl.csv"
    path.write_text("NAVO,NATO,extra\nPoetin,Putin,ignored\n", encoding="utf-8")
    assert [(e.source, e.target, e.flags) for e in import_terms(path)] == [
        ("NAVO", "NATO", ()),
        ("Poetin", "Putin", ()),
    ]
