"""CSV/TSV/TBX import and export, and refusal of hostile XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.interchange import export_terms, import_terms
from glossary.store import Glossary, GlossaryEntry
from translate.errors import GlossaryError

GOLDEN = Path(__file__).parent / "golden"


def _glossary() -> Glossary:
    return Glossary(
        [
            GlossaryEntry("vragende partij", "asking party", notes='Idiom, "quoted" & <b>.'),
            GlossaryEntry("NAVO", "NATO"),
            GlossaryEntry("Den Haag", "The Hague", context="places"),
            GlossaryEntry("komma, test", "comma, test"),
        ]
    )


@pytest.mark.parametrize("fmt", ["csv", "tsv", "tbx"])
def test_export_then_import_round_trips(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"terms.{fmt}"
    path.write_text(export_terms(_glossary(), fmt), encoding="utf-8")
    back = import_terms(path)
    assert sorted((e.source, e.target) for e in back) == sorted(
        (e.source, e.target) for e in _glossary()
    )
    if fmt == "tbx":
        by_source = {e.source: e for e in back}
        assert by_source["Den Haag"].context == "places"
        assert by_source["vragende partij"].notes == 'Idiom, "quoted" & <b>.'


@pytest.mark.parametrize("fmt", ["csv", "tbx"])
def test_export_matches_golden(fmt: str) -> None:
    assert export_terms(_glossary(), fmt) == (GOLDEN / f"export.{fmt}").read_text(encoding="utf-8")


def test_csv_without_header_and_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "deepl.csv"
    path.write_bytes("\ufeffNAVO,NATO\nPoetin,Putin\n\n".encode())
    assert [(e.source, e.target) for e in import_terms(path)] == [
        ("NAVO", "NATO"),
        ("Poetin", "Putin"),
    ]


def test_csv_row_with_one_column_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("nl\ten\nNAVO\tNATO\nPoetin\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"bad\.tsv:3: expected two columns"):
        import_terms(path)


def test_tbx_v2_martif_is_read(tmp_path: Path) -> None:
    path = tmp_path / "old.tbx"
    path.write_text(
        """<?xml version="1.0"?>
<martif type="TBX" xml:lang="en"><text><body>
  <termEntry id="1">
    <descrip type="definition">Military alliance.</descrip>
    <langSet xml:lang="nl-NL"><tig><term>NAVO</term></tig><tig><term>Navo</term></tig></langSet>
    <langSet xml:lang="en-GB"><ntig><termGrp><term>NATO</term></termGrp></ntig></langSet>
  </termEntry>
  <termEntry id="2"><langSet xml:lang="fr"><tig><term>OTAN</term></tig></langSet></termEntry>
</body></text></martif>""",
        encoding="utf-8",
    )
    entries = import_terms(path)
    assert [(e.source, e.target, e.notes) for e in entries] == [
        ("NAVO", "NATO", "Military alliance."),
        ("Navo", "NATO", "Military alliance."),
    ]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<tbx><text><body><termEntry>
<langSec xml:lang="nl"><termSec><term>&lol9;</term></termSec></langSec>
<langSec xml:lang="en"><termSec><term>x</term></termSec></langSec>
</termEntry></body></text></tbx>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE tbx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<tbx><text><body><termEntry>
<langSec xml:lang="nl"><termSec><term>&secret;</term></termSec></langSec>
<langSec xml:lang="en"><termSec><term>x</term></termSec></langSec>
</termEntry></body></text></tbx>
"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "external"])
def test_hostile_tbx_is_refused(tmp_path: Path, xml: str) -> None:
    path = tmp_path / "evil.tbx"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"evil\.tbx: unsafe XML refused"):
        import_terms(path)


def test_broken_tbx_names_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.tbx"
    path.write_text("<tbx>\n<text>\n<body>\n</text>\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"broken\.tbx:4: XML syntax error"):
        import_terms(path)
