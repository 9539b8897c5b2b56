"""Reference-free flags counted in the batch manifest."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.batch.job import flag_counts
from translate.cli import cli

from .helpers import FAST, manifest


def test_flag_counts_per_segment_and_name() -> None:
    sources = ["Het kost 3,7 miljard euro.", "De top begint morgen.", "Het regent."]
    outputs = ["It costs 37 billion euros.", "the top the top the top the top", "It rains."]
    assert flag_counts(sources, outputs) == (2, {"number": 1, "repetition": 1})


@pytest.mark.usefixtures("bundled_model")
def test_manifest_counts_flagged_segments(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Het regent vandaag.\nDe trein vertrekt om 14.35 uur.\n", encoding="utf-8")
    result = runner.invoke(cli, ["batch", *FAST, str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    data = manifest(tmp_path / "out")
    entry = data["files"][0]
    assert isinstance(entry["flagged"], int) and 0 <= entry["flagged"] <= 2
    assert sum(entry["flags"].values()) >= entry["flagged"]
    assert data["totals"]["flagged"] == entry["flagged"]
    assert data["totals"]["flags"] == entry["flags"]


@pytest.mark.usefixtures("bundled_model")
def test_batch_keeps_protected_spans_unless_told_not_to(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("De trein vertrekt om 14.35 uur en kost €5,50.\n", encoding="utf-8")
    cache = str(tmp_path / "cache.sqlite")
    result = runner.invoke(
        cli, ["batch", *FAST, str(source), "-o", str(tmp_path / "on"), "--cache", cache]
    )
    assert result.exit_code == 0, result.output
    output = (tmp_path / "on" / "a.txt").read_text(encoding="utf-8")
    assert "14:35" in output and "€5.50" in output
    assert manifest(tmp_path / "on")["files"][0]["flags"].get("number") is None
    # an unprotected run shares the cache file but never the protected translations
    result = runner.invoke(
        cli,
        [
            "batch",
            *FAST,
            str(source),
            "-o",
            str(tmp_path / "off"),
            "--cache",
            cache,
            "--no-protect",
        ],
    )
    assert result.exit_code == 0, result.output
    assert manifest(tmp_path / "off")["totals"]["cached_sentences"] == 0
