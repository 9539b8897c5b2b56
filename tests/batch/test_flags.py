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
