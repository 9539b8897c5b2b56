"""Concurrent requests share decoding batches and get the same answers as alone."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx

from translate.engine import Engine
from translate.server.batcher import Batcher, batch_budget
from translate.server.glossaries import GlossaryCatalog

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
    assert stats["engine"]["model"] == engine.model_id
    assert stats["engine"]["beam_size"] == engine.options.beam_size


def _translate_together(
    batcher: Batcher, rounds: list[list[str]], spacing: float = 0.0
) -> list[list[str]]:
    """Run ``batcher``; each round's sentences are sent as one-sentence jobs, the next
    round when all are answered: the first round's all at once, later rounds' ``spacing``
    seconds apart."""
    choice = GlossaryCatalog().default

    async def send(sentence: str, delay: float) -> str:
        await asyncio.sleep(delay)
        [outcome] = await batcher.translate([sentence], choice)
        return outcome.output

    async def run() -> list[list[str]]:
        await batcher.start()
        try:
            answers = []
            for number, sentences in enumerate(rounds):
                step = spacing if number else 0.0
                sends = [send(s, i * step) for i, s in enumerate(sentences)]
                answers.append(list(await asyncio.gather(*sends)))
            return answers
        finally:
            await batcher.stop()

    return asyncio.run(run())


def test_jobs_queued_together_are_decoded_in_one_batch(engine: Engine) -> None:
    batcher = Batcher(engine, workers=1)
    [answers] = _translate_together(batcher, [SENTENCES])
    assert batcher.stats.batches == 1
    assert batcher.stats.largest_batch_jobs == len(SENTENCES)
    enforcer = GlossaryCatalog().default.enforcer
    assert enforcer is not None
    assert answers == [enforcer.enforce([s], engine)[0].output for s in SENTENCES]


def test_waiting_jobs_are_shared_among_idle_workers(engine: Engine) -> None:
    # eight equal jobs and two idle workers: four each, not eight for one and none for the other
    batcher = Batcher(engine, workers=2)
    _translate_together(batcher, [[SENTENCES[0]] * 8])
    assert batcher.stats.batches == 2
    assert batcher.stats.largest_batch_jobs == 4


def test_a_busy_worker_waits_for_as_many_requests_as_it_just_answered(engine: Engine) -> None:
    # the second round's jobs arrive 30 ms apart; the worker, having just answered four,
    # waits for four (its window here is long) and decodes them together
    batcher = Batcher(engine, workers=1, max_linger=10.0, linger_fraction=1000.0)
    first, second = _translate_together(batcher, [SENTENCES[:4], SENTENCES[4:]], spacing=0.03)
    assert batcher.stats.batches == 2
    assert batcher.stats.waited_batches == 1
    assert batcher.stats.largest_batch_jobs == 4
    assert len(first) == len(second) == 4


def test_an_idle_server_answers_a_lone_request_without_waiting(engine: Engine) -> None:
    batcher = Batcher(engine, workers=1, max_linger=10.0, linger_fraction=1000.0)
    _translate_together(batcher, [[sentence] for sentence in SENTENCES[:3]])
    assert batcher.stats.batches == 3
    assert batcher.stats.waited_batches == 0


def test_a_worker_takes_its_share_of_the_work_in_flight() -> None:
    # both idle: half the queue each
    assert batch_budget(queued_tokens=800, decoding_tokens=0, workers=2, batch_tokens=2048) == 400
    # another worker decodes a large batch: the gatherer leaves it part of the queue
    assert batch_budget(queued_tokens=600, decoding_tokens=40, workers=2, batch_tokens=2048) == 320
    # another decodes a straggler: the gatherer takes what is queued
    assert batch_budget(queued_tokens=40, decoding_tokens=600, workers=2, batch_tokens=2048) == 320
    # one worker: everything, up to the token budget
    assert batch_budget(queued_tokens=5000, decoding_tokens=0, workers=1, batch_tokens=2048) == 2048
