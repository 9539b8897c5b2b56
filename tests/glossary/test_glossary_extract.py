"""Term extraction: whole compounds and phrases, termhood ranking, proposals with context."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from glossary.extract import (
    _differing_span,
    _plausible,
    candidates_to_entries,
    extract_candidates,
    load_reference,
)
from glossary.store import load_glossary
from translate.cli import cli

NEWS = [
    "Volgens Noord-Korea waren de ballistische raketten een test.",
    "Japan meldde dat Noord-Korea opnieuw ballistische raketten afvuurde.",
    "De Noorse inlichtingendienst waarschuwde voor Groot-Brittannië en voor Noord-Korea.",
    "Een woordvoerder van de inlichtingendienst zei dat Groot-Brittannië bezorgd is.",
    "Het huis is groot. Het huis is oud. Mijn huis is mooi. Zijn huis is klein. Ons huis.",
    "Tom zei dat Kremlin-woordvoerder Peskov en een Kremlin-adviseur het niet wisten.",
]


def _by_term() -> dict[str, tuple[str, int, float]]:
    return {c.term: (c.kind, c.count, c.score) for c in extract_candidates(NEWS)}


def test_compounds_names_and_phrases_are_kept_whole() -> None:
    found = _by_term()
    assert found["Noord-Korea"][:2] == ("name", 3)  # once sentence-initial
    assert found["Groot-Brittannië"][:2] == ("name", 2)
    assert found["inlichtingendienst"][:2] == ("compound", 2)
    assert found["ballistische raket"][:2] == ("phrase", 2)  # base form of the noun
    assert found["Kremlin"][:2] == ("name", 2)
    assert not {"Noord", "Korea", "Groot", "raket"} & set(found)


def test_plural_nouns_come_back_to_a_known_base_form() -> None:
    lines = ["De vragende partijen kwamen.", "Twee vragende partijen praatten."]
    assert "vragende partij" in {c.term for c in extract_candidates(lines)}


def test_termhood_ranks_domain_words_over_everyday_words() -> None:
    lines = [*NEWS, "De Regering zei het. De Regering zweeg. Dat vond de Regering ook."] * 2
    ranked = [c.term for c in extract_candidates(lines)]
    assert "huis" not in ranked  # everyday and short: not a candidate at all
    # "Regering" occurs more often than "Groot-Brittannië" but is everyday Dutch
    counts = {c.term: c.count for c in extract_candidates(lines)}
    assert counts["Regering"] > counts["Groot-Brittannië"]
    assert ranked.index("Groot-Brittannië") < ranked.index("Regering")


def test_reference_table_is_shipped_and_counts_general_dutch() -> None:
    reference = load_reference()
    assert reference.tokens > 100_000
    assert reference.counts["de"] > reference.counts.get("inlichtingendienst", 0)
    assert reference.rate("inlichtingendienst") < reference.rate("huis")


def test_proposals_carry_the_source_sentence_and_are_fuzzy() -> None:
    (entry, *_) = candidates_to_entries(extract_candidates(NEWS), renderings={})
    assert entry.fuzzy and "\nsource: " in entry.notes and entry.notes.startswith("extracted: ")


def test_differing_span_finds_the_rendering_between_agreeing_words() -> None:
    plain = "Japan said that North Korea fired ballistic missiles again."
    masked = "Japan said that ｟1｠ fired ballistic missiles again."
    assert _differing_span(plain, masked, "｟1｠") == "North Korea"
    assert _differing_span("The summit begins.", "The ｟1｠ begins.", "｟1｠") == "summit"
    # translations that disagree everywhere say nothing
    assert _differing_span("A b c d e f.", "｟1｠ x y z w v.", "｟1｠") == ""


def test_extract_cli_proposes_with_english_and_source(runner: CliRunner, tmp_path: Path) -> None:
    corpus = tmp_path / "nieuws.txt"
    corpus.write_text("\n".join(NEWS) + "\n", encoding="utf-8")
    known = tmp_path / "known.po"  # not the shipped glossary, which has Noord-Korea already
    known.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n', encoding="utf-8")
    po = tmp_path / "voorstel.po"
    args = ["glossary", "extract", str(corpus), "-g", str(known)]
    result = runner.invoke(cli, [*args, "-o", str(po), "--top", "3"])
    assert result.exit_code == 0, result.output
    entries = list(load_glossary(po))
    assert len(entries) == 3 and all(e.fuzzy for e in entries)
    assert all("\nsource: " in e.notes for e in entries)
    # the model's rendering where it is plausible, else left empty for the reviewer
    assert all(_plausible(e.target, e.source) for e in entries if e.target)
    listed = runner.invoke(cli, [*args, "--no-english"])
    assert "Noord-Korea\t\textracted: name" in listed.stdout
