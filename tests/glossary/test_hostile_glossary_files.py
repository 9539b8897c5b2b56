"""Hostile PO glossaries: refused with file:line and a fix, and never written back.

Each case is a real file on disk; every editing command is run on it and the
file must keep its exact bytes, with no temporary file left beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.po_check import parse_po
from glossary.store import Glossary, GlossaryEntry, load_glossary
from translate.cli import cli
from translate.errors import GlossaryError

HEADER = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n"X-Source-Language: nl\\n"\n\n'  # 4 lines + blank
GOOD = 'msgid "NAVO"\nmsgstr "NATO"\n\n'  # lines 6-7

CASES = {
    "unterminated string": (GOOD + 'msgid "Poetin\nmsgstr "Putin"\n', 9, "unterminated string"),
    "msgid without quotes": (GOOD + 'msgid Poetin\nmsgstr "Putin"\n', 9, "without a quoted"),
    "stray text": (GOOD + 'msgid "a"\nmsgstr "b"\nhallo wereld\n', 11, "unexpected text"),
    "missing msgstr": (GOOD + 'msgid "a"\n\nmsgid "c"\nmsgstr "d"\n', 10, "has no msgstr"),
    "msgstr first": (GOOD + 'msgstr "b"\nmsgid "a"\n', 9, "entry without msgid"),
    "keyword twice": (GOOD + 'msgid "a"\nmsgid "b"\nmsgstr "c"\n', 10, "unexpected msgid"),
    "unknown escape": (GOOD + 'msgid "a\\q"\nmsgstr "b"\n', 9, "unknown escape"),
    "trailing garbage": (GOOD + 'msgid "a" x\nmsgstr "b"\n', 9, "unexpected text"),
    "comment inside entry": (GOOD + 'msgid "a"\n# note\nmsgstr "b"\n', 10, "has no msgstr"),
    "duplicate msgid": (GOOD + 'msgid "NAVO"\nmsgstr "OTAN"\n', 9, "duplicate msgid 'NAVO'"),
    "duplicate in context": (
        'msgctxt "x"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "x"\nmsgid "a"\nmsgstr "c"\n',
        11,
        "(first at line 7)",
    ),
    "empty plural flag": (GOOD + '#, plural:\nmsgid "persoon"\nmsgstr "person"\n', 9, "plural:"),
    "blank plural flag": (GOOD + '#, plural:   \nmsgid "a"\nmsgstr "b"\n', 9, "plural:"),
}

EDITS = [
    ["add", "vragende partij", "asking party"],
    ["remove", "NAVO"],
    ["approve", "--all"],
    ["import", "{csv}"],
    ["list"],
    ["lint"],
]


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_is_refused_with_line_and_never_rewritten(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    body, line, problem = CASES[name]
    po = tmp_path / "mijn.po"
    po.write_text(HEADER + body, encoding="utf-8")
    before = po.read_bytes()
    csv_file = tmp_path / "terms.csv"
    csv_file.write_text("nl,en\nOekraïne,Ukraine\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        load_glossary(po)
    message = info.value.format_message()
    assert message.startswith(f"{po}:{line}: "), message
    assert problem in message and "; " in message  # a fix follows the problem
    for edit in EDITS:
        args = [a.replace("{csv}", str(csv_file)) for a in edit]
        result = runner.invoke(cli, ["glossary", *args, "-g", str(po)])
        assert result.exit_code == 1, (edit, result.output)
        assert result.output.startswith(f"Error: {po}:{line}: "), result.output
        assert "Traceback" not in result.output
        assert po.read_bytes() == before, edit
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    assert [n for n in leftovers if n not in ("mijn.po", "mijn.po.lock", "terms.csv")] == []


def test_same_msgid_in_different_contexts_is_fine(tmp_path: Path) -> None:
    po = tmp_path / "ok.po"
    po.write_text(
        HEADER + 'msgctxt "a"\nmsgid "x"\nmsgstr "y"\n\nmsgctxt "b"\nmsgid "x"\nmsgstr "z"\n'
        'msgid "multi"\n"line"\nmsgstr ""\n"ok \\"quoted\\" \\\\ \\n"\n',
        encoding="utf-8",
    )
    glossary = load_glossary(po)
    assert [(e.source, e.context, e.target) for e in glossary] == [
        ("x", "a", "y"),
        ("x", "b", "z"),
        ("multiline", None, 'ok "quoted" \\ \n'),
    ]


def test_translate_refuses_a_broken_glossary_before_loading_a_model(
    runner: CliRunner, tmp_path: Path
) -> None:
    po = tmp_path / "mijn.po"
    po.write_text(HEADER + CASES["unterminated string"][0], encoding="utf-8")
    result = runner.invoke(cli, ["translate", "--glossary", str(po)], input="Hallo.")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {po}:9: PO syntax error")


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
    min_size=1,
    max_size=30,
).filter(lambda t: t.strip() == t and t.strip())
NOTE = st.text(alphabet=st.sampled_from('ab #"\\\n\tçé,'), max_size=40)
FLAG = st.sampled_from(["fuzzy", "no-translate", "case-sensitive", "plural:people", "pos:noun"])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(TEXT, TEXT, st.one_of(st.none(), TEXT), st.lists(FLAG, max_size=3), NOTE),
        max_size=8,
        unique_by=lambda row: (row[0].casefold(), row[2] or ""),
    )
)
def test_strict_reader_reads_what_polib_reads(rows: list[tuple[Any, ...]]) -> None:
    """The strict reader agrees with polib (the writer's own reader) on every saved glossary."""
    entries = [
        GlossaryEntry(source, target, context, tuple(flags), note.strip("\n"))
        for source, target, context, flags, note in rows
    ]
    text = Glossary(entries).to_po_text()
    ours = parse_po(Path("x.po"), text)
    theirs = polib.pofile(text, wrapwidth=78, encoding="utf-8")
    assert ours.header == theirs.header and ours.metadata == dict(theirs.metadata)
    assert [(e.msgid, e.msgstr, e.msgctxt, e.flags, e.tcomment, e.line) for e in ours.entries] == [
        (e.msgid, e.msgstr, e.msgctxt, e.flags, e.tcomment, e.linenum) for e in theirs
    ]
