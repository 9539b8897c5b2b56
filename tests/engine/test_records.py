"""JSON records built by the core types: documents (`translate --json`), packages."""

from __future__ import annotations

import json
from dataclasses import dataclass

from translate.engine import DocumentTranslation, Engine, Segment
from translate.packages import ArgosPackage


@dataclass(frozen=True)
class _Term:
    source: str
    target: str


def test_record_of_a_real_translation(engine: Engine) -> None:
    document = engine.translate_document("Goedemorgen.\n\nHet regent.\n")
    record = document.to_dict("artikel.txt")
    assert list(record) == [
        "input",
        "model",
        "model_path",
        "seconds",
        "glossary",
        "segments",
        "text",
    ]
    assert record["input"] == "artikel.txt" and record["model"] == engine.model_id
    assert record["model_path"] == str(engine.package.path) and record["glossary"] is False
    assert [s["source"] for s in record["segments"]] == ["Goedemorgen.", "Het regent."]
    assert all(list(s) == ["index", "source", "output", "seconds"] for s in record["segments"])
    assert record["text"] == document.text
    assert "input" not in document.to_dict()
    json.dumps(record)  # JSON-ready as it is


def test_terms_are_listed_when_a_glossary_was_applied() -> None:
    segment = Segment(0, "De NAVO.", "NATO.", 0.123456, terms=(_Term("NAVO", "NATO"),))
    document = DocumentTranslation("NATO.", [segment], 0.5, "m@1#abc", glossary_applied=True)
    record = document.to_dict()
    assert record["segments"] == [
        {
            "index": 0,
            "source": "De NAVO.",
            "output": "NATO.",
            "seconds": 0.1235,
            "terms": [{"source": "NAVO", "target": "NATO"}],
        }
    ]
    assert record["seconds"] == 0.5 and record["glossary"] is True


def test_package_record(bundled: ArgosPackage) -> None:
    record = bundled.to_dict()
    assert record["name"] == bundled.name and record["bundled"] is True
    assert (record["from_code"], record["to_code"]) == ("nl", "en")
    assert record["path"] == str(bundled.path) and record["size_bytes"] == bundled.size_bytes()
    assert record["placeholders"] is bundled.supports_placeholders
    json.dumps(record)
