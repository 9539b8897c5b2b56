"""One owner for the glossary a run applies: load_glossaries, domains, --no-default-glossary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.lint import lint_glossary
from glossary.match import find_terms
from glossary.store import (
    Glossary,
    GlossaryEntry,
    default_glossary_path,
    load_glossaries,
    load_glossary,
)
from translate.batch.job import BatchOptions, glossary_version
from translate.cli import cli
from translate.errors import GlossaryError

HEADER = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n"X-Source-Language: nl\\n"\n\n'


def _po(path: Path, body: str) -> Path:
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.fixture
def domains_po(tmp_path: Path) -> Path:
    return _po(
        tmp_path / "domains.po",
        'msgid "top"\nmsgstr "top"\n\n'
        'msgctxt "defence"\nmsgid "top"\nmsgstr "summit"\n\n'
        'msgctxt "mountains"\nmsgid "top"\nmsgstr "peak"\n\n'
        'msgctxt "defence"\nmsgid "luchtafweer"\nmsgstr "air defence"\n',
    )


def test_domains_select_contexts_and_entries_without_context_always_apply(
    domains_po: Path,
) -> None:
    text = "De top over luchtafweer."
    none = load_glossaries([domains_po], default=False)
    defence = load_glossaries([domains_po], default=False, domains=["defence"])
    mountains = load_glossaries([domains_po], default=False, domains=["mountains"])
    assert [m.target for m in find_terms(text, defence)] == ["summit", "air defence"]
    assert [m.target for m in find_terms(text, mountains)] == ["peak"]
    assert len(none) == 2 and len(defence) == 3 and len(mountains) == 2
    assert len({none.version, defence.version, mountains.version}) == 3


def test_unknown_domain_is_refused_with_the_known_ones(domains_po: Path) -> None:
    with pytest.raises(GlossaryError, match=r"no entries in domain 'defense'.*defence, mountains"):
        load_glossaries([domains_po], default=False, domains=["defense"])


def test_user_files_win_over_shipped_and_later_over_earlier(tmp_path: Path) -> None:
    first = _po(tmp_path / "a.po", 'msgid "NAVO"\nmsgstr "the Alliance"\n')
    second = _po(tmp_path / "b.po", 'msgid "navo"\nmsgstr "NATO alliance"\n')
    assert [m.target for m in find_terms("De NAVO.", load_glossaries([first]))] == ["the Alliance"]
    both = load_glossaries([first, second])
    assert [m.target for m in find_terms("De NAVO.", both)] == ["NATO alliance"]
    assert both.sources == (default_glossary_path(), first, second)
    assert load_glossaries([], default=False).sources == ()


def test_one_version_keys_translate_cache_and_batch_journal(tmp_path: Path) -> None:
    from glossary.enforce import build_enforcer

    extra = _po(tmp_path / "x.po", 'msgid "top"\nmsgstr "summit"\n')
    glossary = load_glossaries([extra])
    enforcer = build_enforcer([extra])
    assert enforcer is not None and enforcer.version.startswith(glossary.version)
    assert glossary_version(BatchOptions(glossary_paths=(extra,))) == glossary.version
    only = BatchOptions(glossary_paths=(extra,), use_default_glossary=False)
    assert glossary_version(only) == load_glossaries([extra], default=False).version
    assert glossary_version(BatchOptions(use_default_glossary=False)) == "none"


def test_lint_warns_about_shadowed_entries_and_split_domains(domains_po: Path) -> None:
    glossary = Glossary(
        [
            GlossaryEntry("kat", "cat", line=3),
            GlossaryEntry("Kat", "Kat", flags=("case-sensitive",), line=7),
        ]
    )
    (issue,) = [i for i in lint_glossary(glossary) if "shadowed" in i.message]
    assert issue.line == 3 and "case-sensitive 'Kat → Kat' (line 7)" in issue.message
    split = lint_glossary(load_glossary(domains_po))
    assert any("different targets in domains 'defence', 'mountains'" in i.message for i in split)


def test_glossary_match_and_list_take_domains(runner: CliRunner, domains_po: Path) -> None:
    result = runner.invoke(
        cli, ["glossary", "match", "-g", str(domains_po), "--domain", "mountains", "de top"]
    )
    assert result.exit_code == 0 and "→ peak" in result.stdout
    listed = runner.invoke(cli, ["glossary", "list", "-g", str(domains_po), "--domain", "defence"])
    assert listed.exit_code == 0 and "peak" not in listed.stdout and "summit" in listed.stdout


def test_translate_with_only_a_user_glossary_and_a_domain(
    runner: CliRunner, domains_po: Path
) -> None:
    args = ["translate", "--no-default-glossary", "--glossary", str(domains_po), "--json"]
    result = runner.invoke(
        cli, [*args, "--domain", "defence"], input="De NAVO en de top beginnen.\n"
    )
    assert result.exit_code == 0, result.output
    terms = [t for s in json.loads(result.stdout)["segments"] for t in s.get("terms", [])]
    assert [t["source"] for t in terms] == ["top"]  # no NAVO: the shipped glossary is off
    assert "summit" in json.dumps(terms)
    bad = runner.invoke(cli, ["translate", "--no-glossary", "--domain", "x"], input="Hallo.")
    assert bad.exit_code == 2


def test_lint_against_default_names_replaced_and_shadowed_shipped_entries(
    runner: CliRunner, tmp_path: Path
) -> None:
    mine = _po(
        tmp_path / "mijn.po",
        'msgid "navo"\nmsgstr "the Alliance"\n\n'
        '#, case-sensitive\nmsgid "Rusland"\nmsgstr "Russia (state)"\n\n'
        'msgid "kat"\nmsgstr "cat"\n',
    )
    result = runner.invoke(cli, ["glossary", "lint", "-g", str(mine), "--against-default"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if "news.nl-en.po:" in line]
    assert len(lines) == 2
    assert lines[0].startswith(f"{mine}:6: warning: 'navo → the Alliance' replaces 'NAVO → NATO'")
    assert "case-sensitive 'Rusland → Russia (state)' wins over 'Rusland → Russia'" in lines[1]
    plain = runner.invoke(cli, ["glossary", "lint", "-g", str(mine)])
    assert "news.nl-en.po" not in plain.stdout


def test_without_a_domain_the_context_free_entry_of_a_term_applies(domains_po: Path) -> None:
    text = "De top over luchtafweer."
    every = load_glossaries([domains_po], default=False)
    # "top" has a context-free entry: it applies; "luchtafweer" has only a domain entry: it too
    assert [m.target for m in find_terms(text, every)] == ["top", "air defence"]
    chosen = load_glossaries([domains_po], default=False, domains=["defence"])
    assert [m.target for m in find_terms(text, chosen)] == ["summit", "air defence"]
