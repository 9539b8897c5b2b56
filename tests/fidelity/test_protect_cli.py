"""``vertaal translate`` keeps and converts protected spans and reports flags."""

from __future__ import annotations

import json

from click.testing import CliRunner

from translate.cli import cli

TEXT = (
    "Het project kost 3,7 miljard euro. De trein vertrekt om 14.35 uur van spoor 7. "
    "Bel 020-1234567 voor informatie.\n"
)


def test_json_records_carry_spans_flags_and_confidence(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["translate", "--no-glossary", "--json"], input=TEXT)
    assert result.exit_code == 0, result.output
    segments = json.loads(result.stdout)["segments"]
    assert [[s["target"] for s in segment["spans"]] for segment in segments] == [
        ["3.7 billion"],
        ["14:35", "7"],
        ["020-1234567"],
    ]
    assert all(span["verified"] for segment in segments for span in segment["spans"])
    for segment in segments:
        assert isinstance(segment["confidence"], float)
        assert all(set(flag) == {"name", "reason"} for flag in segment["flags"])
    assert "3.7 billion" in segments[0]["output"] and "14:35" in segments[1]["output"]
    summary = [line for line in result.stderr.splitlines() if line.startswith("flags:")]
    assert len(summary) == 1 and "of 3 sentences" in summary[0]


def test_no_protect_leaves_numbers_to_the_model_and_flags_them(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["translate", "--no-glossary", "--no-protect", "--json"], input=TEXT
    )
    assert result.exit_code == 0, result.output
    segments = json.loads(result.stdout)["segments"]
    assert all("spans" not in segment for segment in segments)
    # the small model mangles at least one of these numbers; the check says which
    numbered = [s for s in segments if any(f["name"] == "number" for f in s["flags"])]
    assert numbered, segments
    assert "number" in result.stderr.splitlines()[-1]
