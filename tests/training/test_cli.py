"""``vertaal models train``: usage, errors, training, resuming and exporting."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli

pytest.importorskip("torch")


def test_train_needs_an_output(runner: CliRunner, corpus_file: Path) -> None:
    result = runner.invoke(cli, ["models", "train", str(corpus_file)])
    assert result.exit_code == 2
    assert "-o OUT.argosmodel" in result.output


def test_bad_corpus_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    corpus = tmp_path / "bad.tsv"
    corpus.write_text("Hallo.\tHello.\nzonder tab\n", encoding="utf-8")
    result = runner.invoke(
        cli, ["models", "train", str(corpus), "-o", str(tmp_path / "x.argosmodel"), "--tiny"]
    )
    assert result.exit_code == 1
    assert "bad.tsv:2: expected Dutch<TAB>English" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.argosmodel").exists()


def test_bad_layers_is_a_usage_error(runner: CliRunner, corpus_file: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "models",
            "train",
            str(corpus_file),
            "-o",
            str(tmp_path / "x.argosmodel"),
            "--layers",
            "6,x",
        ],
    )
    assert result.exit_code == 2
    assert "ENC,DEC" in result.output


def test_resume_without_a_run_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "models",
            "train",
            "--resume",
            "--run-dir",
            str(tmp_path / "none"),
            "-o",
            str(tmp_path / "x.argosmodel"),
        ],
    )
    assert result.exit_code == 1
    assert "nothing to resume" in result.output


def test_train_resume_and_export_only(runner: CliRunner, corpus_file: Path, tmp_path: Path) -> None:
    output = tmp_path / "nl_en.argosmodel"
    run_dir = tmp_path / "run"
    common = ["-o", str(output), "--run-dir", str(run_dir), "--tiny"]
    first = runner.invoke(cli, ["models", "train", str(corpus_file), "--max-steps", "10", *common])
    assert first.exit_code == 0, first.output
    assert zipfile.is_zipfile(output)
    assert "trained 10 steps" in first.output

    second = runner.invoke(cli, ["models", "train", "--resume", "--max-steps", "15", *common])
    assert second.exit_code == 0, second.output
    assert "resumed from step 10" in second.output
    assert "trained 15 steps" in second.output

    bundle = tmp_path / "bundle"
    exported = runner.invoke(
        cli,
        [
            "models",
            "train",
            "--export-only",
            str(run_dir / "best"),
            "--bundle",
            str(bundle),
            "-o",
            str(tmp_path / "again.argosmodel"),
        ],
    )
    assert exported.exit_code == 0, exported.output
    readme = (bundle / "README.md").read_text(encoding="utf-8")
    # a corpus given on the command line is named in the card, not passed off as Tatoeba
    assert "tiny.nl-en.tsv, 296 pairs after cleaning" in readme
    assert "Tatoeba" not in readme
    assert {p.name for p in bundle.iterdir()} == {
        "metadata.json",
        "model",
        "sentencepiece.model",
        "README.md",
    }
    assert zipfile.is_zipfile(tmp_path / "again.argosmodel")


def test_run_dir_alone_trains_without_exporting(
    runner: CliRunner, corpus_file: Path, tmp_path: Path
) -> None:
    """What a PyTorch-only GPU machine runs: the weights stay in RUN/best, nothing is exported."""
    run_dir = tmp_path / "run"
    arguments = ["models", "train", str(corpus_file), "--tiny", "--max-steps", "5"]
    result = runner.invoke(cli, [*arguments, "--run-dir", str(run_dir)])
    assert result.exit_code == 0, result.output
    assert f"weights in {run_dir / 'best'}; export them with" in result.output
    assert list((run_dir / "best").glob("weights-*.npz"))
    assert not list(tmp_path.rglob("*.argosmodel"))


def test_export_without_ctranslate2_is_a_one_line_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    (tmp_path / "weights").mkdir()
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # as on the GPU machine
    result = runner.invoke(
        cli, ["models", "train", "--export-only", str(tmp_path / "weights"), "-o", "x.argosmodel"]
    )
    assert result.exit_code == 1
    assert "exporting needs CTranslate2, which is not installed here" in result.output
    assert "Traceback" not in result.output


def test_export_only_rejects_a_directory_without_weights(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli,
        ["models", "train", "--export-only", str(tmp_path), "-o", str(tmp_path / "x.argosmodel")],
    )
    assert result.exit_code == 1
    assert "no recipe.json" in result.output


def test_unwritable_run_dir_is_a_one_line_error(
    runner: CliRunner, corpus_file: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    result = runner.invoke(
        cli,
        [
            "models",
            "train",
            str(corpus_file),
            "--tiny",
            "--run-dir",
            str(blocker / "run"),
            "-o",
            str(tmp_path / "x.argosmodel"),
        ],
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert str(blocker) in result.output
