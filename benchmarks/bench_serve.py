"""`vertaal serve` under load: throughput against `vertaal translate`, latency, memory.

Usage:
  python benchmarks/bench_serve.py [--data ../shared/data] [--sentences 500]
                                   [--clients 16,64] [--workers N] [--beam 4] [--json OUT]
  python benchmarks/bench_serve.py --chunks 8   # the ceiling without HTTP (see run_chunks)

The sentences are the first ``--sentences`` lines of FLORES-200 dev
(Dutch), each sent as its own request (``{"q": sentence}``) the way a CAT
tool or browser extension sends them. Measured, one after the other on the
same machine:

1. **baseline**: what ``vertaal translate`` does with the same sentences in
   one process (one line each, the shipped glossary, same beam): the model is
   loaded, then ``Engine.translate_document`` over the whole text and the
   flags of each sentence are timed. Its sentences/s is the reference (100%).
   Both sides do the same work: the same package, beam, threads (replicas x
   threads each) and compute type (checked: the benchmark stops if the
   server's differ), the shipped glossary with protected spans, the segment
   flags, no cache; neither scores the model's confidence (``vertaal
   translate`` does, so the baseline is faster than the real command).
2. **server**: ``vertaal serve --no-cache`` in its own process on
   127.0.0.1; first one request at a time on the idle server (single-request
   latency, median of 20), then for each client count that many concurrent
   clients (asyncio + httpx, keep-alive connections) draining the sentences
   as fast as answers come back. Reported: sentences/s and its ratio to the
   baseline, p50/p95 request latency, and the server's peak resident memory
   (sampled every 50 ms).

The load generator runs on the same cores as the server (loopback), which
is part of what is measured. The cache is off so every sentence is decoded.
The machine is shared: each phase reports the CPU time that other processes
used meanwhile ("others"), so a disturbed run can be told apart and rerun.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
VERTAAL = [sys.executable, "-c", "from translate.cli import main; main()"]

_BASELINE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
from bench_serve import busy_cpu
from translate.engine import Engine, EngineRequest
from translate.packages import resolve_package
from translate.server.app import engine_settings
from translate.server.batcher import SentenceOutcome
from translate.server.service import outcome_flags
from glossary.enforce import build_enforcer

text = open(sys.argv[1], encoding="utf-8").read()
enforcer = build_enforcer([], use_default=True, protect=True)  # vertaal translate's defaults
engine = Engine.load(resolve_package(None), EngineRequest(beam_size=int(sys.argv[2])).resolve())
engine.translate_document("Goedemorgen.", enforcer)  # warm up, as the server is warm
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

# (vertaal translate also scores each output's confidence, check=True; the server does not,
# so the baseline leaves that pass out too; the flags both compute, as the server does)
machine, started, cpu_started = busy_cpu(), time.perf_counter(), cpu()
translation = engine.translate_document(text, enforcer)
flags = [outcome_flags(SentenceOutcome(s.source, s.output, s.terms, spans=s.spans))
         for s in translation.segments]
seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_started
others = busy_cpu() - machine - cpu_seconds
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "others_cpu_seconds": others,
                  "sentences": len(translation.segments), "flagged": sum(map(bool, flags)),
                  "peak_rss": peak, "engine": engine_settings(engine)}))
"""

_CHUNKS = """
import json, queue, sys, threading, time
from translate.engine import Engine, EngineRequest
from translate.packages import resolve_package
from glossary.enforce import build_enforcer

sentences = open(sys.argv[1], encoding="utf-8").read().splitlines()
size, beam = int(sys.argv[2]), int(sys.argv[3])
enforcer = build_enforcer([], use_default=True, protect=True)
engine = Engine.load(resolve_package(None), EngineRequest(beam_size=beam).resolve())
enforcer.enforce(["Goedemorgen."], engine)
started = time.perf_counter()
enforcer.enforce(sentences, engine)
whole = time.perf_counter() - started
chunks = queue.SimpleQueue()
for start in range(0, len(sentences), size):
    chunks.put(sentences[start : start + size])
def work():
    while True:
        try:
            chunk = chunks.get_nowait()
        except queue.Empty:
            return
        enforcer.enforce(chunk, engine)
threads = [threading.Thread(target=work) for _ in range(engine.options.inter_threads)]
started = time.perf_counter()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"whole": whole, "chunked": time.perf_counter() - started,
                  "threads": len(threads)}))
"""


def run_chunks(sentences: list[str], size: int, beam: int) -> dict[str, Any]:
    """The ceiling without HTTP: the enforcer over all sentences in one call vs. one
    thread per replica taking chunks of ``size`` (what ``size`` concurrent clients allow)."""
    return _run_script(_CHUNKS, sentences, str(size), str(beam))


def _run_script(script: str, sentences: list[str], *arguments: str) -> dict[str, Any]:
    """Run ``script`` in a fresh Python on a file of ``sentences``; the JSON of its last line."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
        f.write("\n".join(sentences) + "\n")
        name = f.name
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, name, *arguments],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        Path(name).unlink()
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def busy_cpu() -> float:
    """CPU seconds the whole machine has been busy (all processes, all cores) since boot."""
    import psutil

    times = psutil.cpu_times()
    return float(
        sum(getattr(times, name, 0.0) for name in ("user", "nice", "system", "irq", "softirq"))
        + getattr(times, "steal", 0.0)
    )


def load_sentences(data: Path, count: int) -> list[str]:
    """The first ``count`` Dutch sentences of FLORES-200 dev, one per line, no blanks."""
    path = data / "flores200" / "dev.nl"
    if not path.is_file():
        sys.exit(f"bench_serve: {path} not found; pass --data DIR (the shared data folder)")
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line][:count]


def run_baseline(sentences: list[str], beam: int) -> dict[str, Any]:
    """``vertaal translate``'s work on the sentences, timed in a fresh process."""
    result = _run_script(_BASELINE, sentences, str(beam), str(Path(__file__).parent))
    result["sentences_per_second"] = len(sentences) / result["seconds"]
    result["sentences_per_cpu_second"] = len(sentences) / result["cpu_seconds"]
    return result


class Server:
    """``vertaal serve --port 0`` in a subprocess; its port and memory sampling."""

    def __init__(self, beam: int, workers: int | None) -> None:
        args = [*VERTAAL, "serve", "--port", "0", "--no-cache", "--beam-size", str(beam)]
        if workers:
            args += ["--workers", str(workers)]
        args += ["--queue-limit", "100000"]
        self.process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert self.process.stdout is not None
        self.port = 0
        for line in self.process.stdout:
            found = re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", line)
            if found:
                self.port = int(found.group(1))
                break
        if not self.port:
            sys.exit("bench_serve: the server did not start")
        self.peak_rss = 0
        self._sampling = False
        self._sampler: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start_sampling(self) -> None:
        import psutil

        process = psutil.Process(self.process.pid)
        self.peak_rss = 0
        self._sampling = True

        def sample() -> None:
            while self._sampling:
                self.peak_rss = max(self.peak_rss, process.memory_info().rss)
                time.sleep(0.05)

        self._sampler = threading.Thread(target=sample, daemon=True)
        self._sampler.start()

    def stop_sampling(self) -> int:
        self._sampling = False
        if self._sampler is not None:
            self._sampler.join()
        return self.peak_rss

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far."""
        import psutil

        times = psutil.Process(self.process.pid).cpu_times()
        return float(times.user + times.system)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(60)


def _body(sentence: str) -> dict[str, str]:
    return {"q": sentence, "source": "nl", "target": "en"}


async def idle_latency(url: str, sentences: list[str], count: int = 20) -> float:
    """Median seconds of one request at a time on an otherwise idle server."""
    import httpx

    times = []
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        for sentence in sentences[:count]:
            started = time.perf_counter()
            response = await client.post("/translate", json=_body(sentence))
            times.append(time.perf_counter() - started)
            response.raise_for_status()
    return statistics.median(times)


async def load(url: str, sentences: list[str], clients: int) -> dict[str, float]:
    """``clients`` concurrent clients send every sentence once; throughput and latency."""
    import httpx

    queue: asyncio.Queue[str] = asyncio.Queue()
    for sentence in sentences:
        queue.put_nowait(sentence)
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(client: httpx.AsyncClient) -> None:
        while True:
            try:
                sentence = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            response = await client.post("/translate", json=_body(sentence))
            latencies.append(time.perf_counter() - started)
            response.raise_for_status()

    async with httpx.AsyncClient(base_url=url, timeout=600, limits=limits) as client:
        before = (await client.get("/vertaal/stats")).json()
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
        seconds = time.perf_counter() - started
        after = (await client.get("/vertaal/stats")).json()
    latencies.sort()
    return {
        "requests_per_batch": (after["jobs"] - before["jobs"])
        / max(1, after["batches"] - before["batches"]),
        "seconds": seconds,
        "sentences_per_second": len(sentences) / seconds,
        "p50": latencies[len(latencies) // 2],
        "p95": latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))],
    }


async def server_settings(url: str) -> dict[str, Any]:
    """The server's model and decoding options (from ``/vertaal/stats``)."""
    import httpx

    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        engine: dict[str, Any] = (await client.get("/vertaal/stats")).json()["engine"]
    return engine


def check_same_settings(baseline: dict[str, Any], server: dict[str, Any]) -> None:
    """Stop unless both sides use the same model and options; print them."""
    if baseline != server:
        sys.exit(f"bench_serve: the sides differ: baseline {baseline}, server {server}")
    print(
        f"both sides: {server['model']}, beam {server['beam_size']}, "
        f"{server['inter_threads']} replica(s) x {server['intra_threads']} thread(s), "
        f"{server['compute_type']}, batches of {server['max_batch_tokens']} tokens; "
        "shipped glossary with protected spans, segment flags, no cache",
        flush=True,
    )


def measure_load(
    server: Server, sentences: list[str], clients: int, baseline: dict[str, Any]
) -> dict[str, Any]:
    """One load run against the server, as ratios to ``baseline``; printed."""
    server.start_sampling()
    machine, cpu_started, own_started = busy_cpu(), server.cpu_seconds(), _own_cpu()
    run: dict[str, Any] = dict(asyncio.run(load(server.url, sentences, clients)))
    cpu = server.cpu_seconds() - cpu_started
    run["client_cpu_seconds"] = _own_cpu() - own_started
    run["others_cpu_seconds"] = busy_cpu() - machine - cpu - run["client_cpu_seconds"]
    run["server_cpu_seconds"] = cpu
    run["clients"] = clients
    run["peak_rss"] = server.stop_sampling()
    run["ratio"] = run["sentences_per_second"] / baseline["sentences_per_second"]
    run["cpu_ratio"] = (len(sentences) / cpu) / baseline["sentences_per_cpu_second"]
    print(
        f"  {clients:3d} clients: {run['sentences_per_second']:.1f} sentences/s = "
        f"{run['ratio']:.0%} of baseline ({run['cpu_ratio']:.0%} per CPU-second); "
        f"latency p50 {run['p50'] * 1000:.0f} ms, p95 {run['p95'] * 1000:.0f} ms; "
        f"{run['requests_per_batch']:.1f} requests per batch; "
        f"server peak RSS {run['peak_rss'] / 2**20:.0f} MiB; CPU-s: server {cpu:.1f}, "
        f"clients {run['client_cpu_seconds']:.1f}, others {run['others_cpu_seconds']:.1f}",
        flush=True,
    )
    return run


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median wall-clock ratio (the lower one of an even count)."""
    ordered = sorted(runs, key=lambda run: run["ratio"])
    return ordered[(len(ordered) - 1) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--clients", default="16,64")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="Interleaved repetitions.")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--chunks",
        type=int,
        default=None,
        metavar="N",
        help="Only measure the ceiling without HTTP: chunks of N sentences, one thread per "
        "replica, against all sentences in one call; then exit.",
    )
    args = parser.parse_args()
    sentences = load_sentences(args.data, args.sentences)
    if args.chunks:
        machine = busy_cpu()
        ceiling = run_chunks(sentences, args.chunks, args.beam)
        print(
            f"{len(sentences)} sentences, beam {args.beam}: {ceiling['threads']} threads x "
            f"chunks of {args.chunks}: {ceiling['whole'] / ceiling['chunked']:.0%} of the "
            f"sentences/s of one call ({ceiling['chunked']:.1f} s vs {ceiling['whole']:.1f} s); "
            f"machine busy {busy_cpu() - machine:.1f} CPU-s in all"
        )
        return
    client_counts = [int(c) for c in args.clients.split(",")]
    print(f"{len(sentences)} FLORES dev sentences, beam {args.beam}", flush=True)
    report: dict[str, Any] = {"sentences": len(sentences), "rounds": []}
    server = Server(args.beam, args.workers)
    try:
        asyncio.run(idle_latency(server.url, sentences[-20:], 3))  # warm up
        report["idle_latency"] = asyncio.run(idle_latency(server.url, sentences))
        print(f"idle single-request latency: {report['idle_latency'] * 1000:.0f} ms (median)")
        server_engine = asyncio.run(server_settings(server.url))
        for round_number in range(1, args.rounds + 1):
            # each round: the baseline, then each client count, right after it
            baseline = run_baseline(sentences, args.beam)
            if round_number == 1:
                check_same_settings(baseline["engine"], server_engine)
            print(
                f"round {round_number}: baseline (vertaal translate, one process) "
                f"{baseline['sentences_per_second']:.1f} sentences/s "
                f"({baseline['sentences_per_cpu_second']:.1f} per CPU-second), "
                f"peak RSS {baseline['peak_rss'] / 2**20:.0f} MiB; "
                f"others {baseline['others_cpu_seconds']:.1f} CPU-s",
                flush=True,
            )
            runs = [measure_load(server, sentences, clients, baseline) for clients in client_counts]
            report["rounds"].append({"baseline": baseline, "runs": runs})
    finally:
        server.stop()
    print("median over rounds:")
    for index, clients in enumerate(client_counts):
        run = _median_run([r["runs"][index] for r in report["rounds"]])
        print(
            f"  {clients:3d} clients: {run['ratio']:.0%} of vertaal translate "
            f"({run['cpu_ratio']:.0%} per CPU-second), p50 {run['p50'] * 1000:.0f} ms, "
            f"p95 {run['p95'] * 1000:.0f} ms, peak RSS {run['peak_rss'] / 2**20:.0f} MiB"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
