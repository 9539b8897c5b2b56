"""The data build: filters, licence filtering, weights, data card, and its CLI options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.errors import TrainingError
from translate.training.databuild import (
    BuildOptions,
    HeldOut,
    Limits,
    build,
    card_markdown,
    reject_reason,
    write_outputs,
)

from .conftest import synthetic_pairs


def write_corpus(
    folder: Path, pairs: list[tuple[str, str]], sources: list[str] | None = None
) -> Path:
    """A corpus folder in the layout of ../shared/data/parallel/*."""
    folder.mkdir(parents=True, exist_ok=True)
    name = folder.name
    (folder / f"{name}.nl").write_text("".join(s + "\n" for s, _ in pairs), encoding="utf-8")
    (folder / f"{name}.en").write_text("".join(t + "\n" for _, t in pairs), encoding="utf-8")
    if sources is not None:
        (folder / f"{name}.source.tsv").write_text(
            "".join(s + "\n" for s in sources), encoding="utf-8"
        )
    return folder


@pytest.mark.parametrize(
    ("source", "target", "reason"),
    [
        ("1", "1", "empty"),
        ("Een heel lange zin met veel woorden erin.", "Yes.", "ratio"),
        ("Bestand", "bestand", "same"),
        ("Klik op &lt;OK&gt; om door te gaan.", "Click &lt;OK&gt; to continue.", "markup"),
        ("Kan %s niet openen", "Cannot open file", "placeholder"),
        ("Kan {name} niet openen", "Cannot open {user}", "placeholder"),
        ("<b>Let op</b>: dit is belangrijk.", "Note: this is important.", "placeholder"),
        (
            "The file is not in the list of the files.",
            "Het bestand staat niet in de lijst van de bestanden.",
            "language",
        ),
    ],
)
def test_each_filter_names_its_reason(source: str, target: str, reason: str) -> None:
    assert reject_reason(source, target, Limits()) == reason


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Kan %s niet openen", "Cannot open %s"),
        ('<a href="x">Hier</a> klikken', '<a href="y">Click</a> here'),
        ("Het huis is groot.", "The house is big."),
        ("Map {name} verwijderen?", "Delete folder {name}?"),
    ],
)
def test_pairs_with_matching_placeholders_are_kept(source: str, target: str) -> None:
    assert reject_reason(source, target, Limits()) is None


def test_length_limit() -> None:
    long = "woord " * 200
    assert reject_reason(long, long.replace("woord", "word"), Limits(max_chars=600)) == "length"


def test_licence_filter_reads_each_line_from_source_tsv(tmp_path: Path) -> None:
    pairs = [("Het huis is groot.", "The house is big."), ("De kat slaapt.", "The cat sleeps.")]
    folder = write_corpus(
        tmp_path / "apps-l10n",
        pairs,
        ["inaturalist+inaturalist:config/locales/nl.yml", "util-linux+util-linux:po/nl.po"],
    )
    default = build([folder], BuildOptions())
    assert default.pairs == [pairs[0]]  # MIT kept, GPL left out
    assert default.reports[0].dropped["licence"] == 1
    assert dict(default.reports[0].licences) == {"MIT": 1}

    everything = build(
        [folder], BuildOptions(families=("permissive", "weak-copyleft", "share-alike", "copyleft"))
    )
    assert everything.pairs == pairs
    assert dict(everything.reports[0].licences) == {"MIT": 1, "GPL-2.0+": 1}


def test_unknown_corpora_and_families(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "mystery", [("Het huis is groot.", "The house is big.")])
    assert build([folder], BuildOptions()).pairs == []  # unknown licence: not kept by default
    assert build([folder], BuildOptions(families=("unknown",))).pairs != []
    with pytest.raises(TrainingError, match="unknown licence family 'gpl'"):
        build([folder], BuildOptions(families=("gpl",)))


def test_held_out_overlap_and_duplicates_are_dropped(tmp_path: Path) -> None:
    flores = tmp_path / "dev.en"
    flores.write_text("The quick brown fox jumps over the lazy dog today.\n", encoding="utf-8")
    pairs = [
        ("De snelle bruine vos springt.", "The quick brown fox jumps over the lazy dog."),
        ("Het huis is groot.", "The house is big."),
        ("Het huis is groot.", "The house is big."),
    ]
    tatoeba = tmp_path / "tatoeba.nl-en.tsv"
    tatoeba.write_text("".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")
    built = build([tatoeba], BuildOptions(held_out=HeldOut.from_files([flores])))
    assert built.pairs == [pairs[1]]
    assert built.reports[0].dropped == {"flores": 1, "duplicate": 1}


def test_weights_draw_whole_and_fractional_copies(tmp_path: Path) -> None:
    pairs = synthetic_pairs()[:200]
    tatoeba = tmp_path / "tatoeba.tsv"
    tatoeba.write_text("".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")
    built = build([tatoeba], BuildOptions(weights={"tatoeba": 2.5}))
    drawn = built.weighted(seed=7)
    assert 450 <= len(drawn) <= 550
    assert set(drawn) == set(built.pairs)
    assert built.weighted(seed=7) == drawn  # reproducible


def test_software_corpora_are_capped(tmp_path: Path) -> None:
    everyday = [(f"Ik heb {n} appels.", f"I have {n} apples.") for n in range(10, 60)]
    software = [(f"Bestand {n} openen", f"Open file {n}") for n in range(10, 410)]
    tatoeba = tmp_path / "tatoeba.tsv"
    tatoeba.write_text("".join(f"{s}\t{t}\n" for s, t in everyday), encoding="utf-8")
    help_folder = write_corpus(tmp_path / "libreoffice-help", software)
    built = build([tatoeba, help_folder], BuildOptions(max_software_share=0.5))
    card = built.card()
    weighted = {c["name"]: c["weighted"] for c in card["corpora"]}
    assert weighted["libreoffice-help"] == pytest.approx(weighted["tatoeba"], abs=2)


def test_data_card_lists_corpus_licence_weight_and_attribution(tmp_path: Path) -> None:
    tatoeba = tmp_path / "tatoeba.tsv"
    tatoeba.write_text("Het huis is groot.\tThe house is big.\n", encoding="utf-8")
    built = build([tatoeba], BuildOptions())
    write_outputs(built, tmp_path / "out")
    card = json.loads((tmp_path / "out" / "data-card.json").read_text(encoding="utf-8"))
    assert card["corpora"][0]["licences"] == {"CC-BY-2.0-FR": 1}
    assert "Tatoeba (https://tatoeba.org)" in card["corpora"][0]["attribution"]
    table = card_markdown(card)
    assert "| tatoeba | everyday | 1 | 1 | 1 | 1 | CC-BY-2.0-FR 1 |" in table
    pairs_tsv = (tmp_path / "out" / "pairs.tsv").read_text(encoding="utf-8")
    assert pairs_tsv == "Het huis is groot.\tThe house is big.\ttatoeba\n"


def test_misaligned_corpus_is_an_error_naming_the_file(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "bible", [("a b", "c d")])
    (folder / "bible.en").write_text("c d\ne f\n", encoding="utf-8")
    with pytest.raises(TrainingError, match=r"bible\.en.*2 lines but .*bible\.nl has 1"):
        build([folder], BuildOptions())


def test_cli_prepare_only_writes_the_data_card(runner: CliRunner, tmp_path: Path) -> None:
    pytest.importorskip("torch")
    corpus = write_corpus(tmp_path / "bible", synthetic_pairs(), ["ot\t1"] * len(synthetic_pairs()))
    run_dir = tmp_path / "run"
    result = runner.invoke(
        cli,
        [
            "models",
            "train",
            "--data",
            str(corpus),
            "--tiny",
            "--prepare-only",
            "--run-dir",
            str(run_dir),
            "--weight",
            "bible=2",
        ],
    )
    assert result.exit_code == 0, result.output
    card = json.loads((run_dir / "data-card.json").read_text(encoding="utf-8"))
    assert card["corpora"][0]["name"] == "bible"
    assert card["corpora"][0]["weight"] == 2
    assert card["corpora"][0]["licences"] == {"public-domain": card["kept"]}
    assert (run_dir / "data.npz").exists()
    assert not (run_dir / "checkpoint.pt").exists()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--licences", "gpl"], "unknown licence family 'gpl'"),
        (["--weight", "bible"], "is not CORPUS=WEIGHT"),
        (["--weight", "bible=-1"], "cannot be negative"),
    ],
)
def test_cli_rejects_bad_data_options(
    runner: CliRunner, tmp_path: Path, option: list[str], message: str
) -> None:
    corpus = write_corpus(tmp_path / "bible", [("Het huis is groot.", "The house is big.")])
    result = runner.invoke(
        cli,
        [
            "models",
            "train",
            "--data",
            str(corpus),
            "--prepare-only",
            "--run-dir",
            str(tmp_path / "r"),
            *option,
        ],
    )
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
