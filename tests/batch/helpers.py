"""Helpers shared by the batch tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Options every real-model CLI test passes: a narrow beam keeps the tests fast.
FAST = ["--beam-size", "2", "--quiet"]


def manifest(outdir: Path) -> dict[str, Any]:
    """The job's manifest.json."""
    data: dict[str, Any] = json.loads((outdir / "manifest.json").read_text("utf-8"))
    return data


def numbered_sentences(count: int) -> list[str]:
    """``count`` distinct, plausible Dutch sentences (numbers make each one unique)."""
    places = ["Amsterdam", "Utrecht", "Groningen", "Zwolle", "Breda", "Leiden", "Delft"]
    templates = [
        "In {place} wonen {n} mensen.",
        "De trein naar {place} vertrekt om {h} uur.",
        "Er zijn {n} fietsen gestolen in {place}.",
        "Het museum in {place} trok vorig jaar {n} bezoekers.",
    ]
    return [
        templates[i % len(templates)].format(
            place=places[i % len(places)], n=100 + 7 * i, h=1 + i % 23
        )
        for i in range(count)
    ]
