"""Concurrent requests share decoding batches and get the same answers as alone."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from translate.engine import Engine

from .conftest import running_server

SENTENCES = [
    "De NAVO-top begint morgen in Den Haag.",
    "Het kabinet wil meer geld voor defensie.",
    "Goedemorgen, hoe gaat het met u?",
    "De minister sprak gisteren met de pers.",
    "In Brussel wordt over de begroting onderhandeld.",
    "Het weer wordt morgen zonnig en warm.",
    "De trein naar Utrecht heeft vertraging.",
    "Rusland en Oekraïne praten opnieuw.",
]


def test_concurrent_requests_are_batched_and_answered_alike(engine: Engine) -> None:
    with running_server(engine, workers=1) as server:
        alone = {}
        with server.client() as client:
            for sentence in SENTENCES:
                body = {"q": sentence, "source": "nl", "target": "en"}
                alone[sentence] = client.post("/translate", json=body).json()["translatedText"]
        batches_before = server.batcher.stats.batches

        def send(sentence: str) -> str:
            with httpx.Client(base_url=server.url, timeout=60) as client:
                body = {"q": sentence, "source": "nl", "target": "en", "glossary": "default"}
                response = client.post("/translate", json=body)
                assert response.status_code == 200, response.text
                return str(response.json()["translatedText"])

        requests = SENTENCES * 4
        with ThreadPoolExecutor(len(requests)) as pool:
            answers = list(pool.map(send, requests))
        assert answers == [alone[s] for s in requests]
        stats = server.batcher.stats
        assert stats.largest_batch_jobs > 1  # some requests shared a batch
        assert stats.batches - batches_before < len(requests)
        assert server.batcher.queued_sentences == 0


def test_different_glossaries_in_one_batch_stay_apart(engine: Engine) -> None:
    terms = [{"source": "kabinet", "target": "Cabinet Office"}]
    with running_server(engine, workers=1) as server:

        def send(index: int) -> dict[str, object]:
            body: dict[str, object] = {"q": "Het kabinet zwijgt.", "source": "nl", "target": "en"}
            if index % 2:
                body["terms"] = terms
            with httpx.Client(base_url=server.url, timeout=60) as client:
                result: dict[str, object] = client.post("/translate", json=body).json()
                return result

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(send, range(8)))
    for index, answer in enumerate(answers):
        assert ("Cabinet Office" in str(answer["translatedText"])) == bool(index % 2)


def test_stats_count_batches(engine: Engine) -> None:
    with running_server(engine) as server, server.client() as client:
        client.post("/translate", json={"q": "Goedemorgen.", "source": "nl", "target": "en"})
        stats = client.get("/vertaal/stats").json()
    assert stats["batches"] >= 1 and stats["jobs"] >= 1 and stats["queued_sentences"] == 0
    assert stats["workers"] == 1
