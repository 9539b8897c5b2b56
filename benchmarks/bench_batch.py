"""Batch throughput and memory: ``vertaal batch`` on a generated 10,000-segment corpus.

Usage:
  python benchmarks/bench_batch.py [--sizes 2500,5000,10000] [--modes single,inter2,workers2,dask]
                                   [--memory-sizes 2500,5000,10000] [--quick]
                                   [--beam 4] [--chunk-size 64] [--model NAME|PATH] [--json OUT]

The corpus is built from the FLORES-200 dev and devtest Dutch sentences
(``../shared/data/flores200``) and repeated with variation, so that no two
segments are the same and neither deduplication nor the cache hides work:
every repeat rewrites the numbers in a sentence, or, when it has none, puts a
dated lead-in before it ("Op 14 maart 2019: ..."). It is written straight to
files of 500 segments in three formats (Moses ``.nl``, ``.txt``, ``.jsonl``),
never held in memory.

Each measurement runs the real command line in a fresh process, with
``--no-cache`` and a fresh output directory, and samples the resident memory
of the whole process tree every 50 ms (worker processes included; for Dask,
the cluster's worker processes too). Modes:

* ``single``: one process, CTranslate2 with one replica on all cores;
* ``inter2``: one process, two CTranslate2 replicas (``--inter-threads 2``);
* ``workers2``: two worker processes, one core each (``--workers 2``);
* ``dask``: a ``dask.distributed.LocalCluster`` on 127.0.0.1 with two
  single-threaded worker processes (``--dask-scheduler``, ``--threads 1``),
  started fresh for each run.

Reported: wall-clock segments/s (model loading included, as a user sees it)
and peak RSS. By default the memory series (2,500 / 5,000 / 10,000 segments)
is taken in ``single`` mode and every mode is timed on 10,000 segments.
``--quick`` uses 500/1,000/2,000 segments.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FLORES = REPO / ".." / "shared" / "data" / "flores200"
SEGMENTS_PER_FILE = 500
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"


def base_sentences() -> list[str]:
    """FLORES dev + devtest Dutch (2,009 lines; the only list held in memory)."""
    lines: list[str] = []
    for name in ("dev.nl", "devtest.nl"):
        lines += [
            ln.strip() for ln in (FLORES / name).read_text("utf-8").splitlines() if ln.strip()
        ]
    return lines


def varied_segments(count: int) -> Iterator[str]:
    """``count`` distinct segments: FLORES sentences, each repeat varied."""
    base = base_sentences()
    months = MONTHS.split()
    for i in range(count):
        sentence, repeat = base[i % len(base)], i // len(base)
        if repeat == 0:
            yield sentence
        elif re.search(r"\d", sentence):
            shift = 7 * repeat
            yield re.sub(r"\d+", lambda m, shift=shift: str(int(m.group()) + shift), sentence)
        else:
            day, month, year = 1 + (i * 7) % 28, months[(i + repeat) % 12], 1990 + repeat
            yield f"Op {day} {month} {year}: {sentence[0].lower()}{sentence[1:]}"


def write_corpus(directory: Path, count: int) -> None:
    """Write ``count`` segments as files of 500, cycling through .nl, .txt and .jsonl."""
    directory.mkdir(parents=True)
    handle = None
    for i, segment in enumerate(varied_segments(count)):
        if i % SEGMENTS_PER_FILE == 0:
            if handle:
                handle.close()
            number = i // SEGMENTS_PER_FILE
            suffix = (".nl", ".txt", ".jsonl")[number % 3]
            handle = (directory / f"part-{number:03d}{suffix}").open("w", encoding="utf-8")
        assert handle is not None
        if handle.name.endswith(".jsonl"):
            handle.write(json.dumps({"id": i, "text": segment}, ensure_ascii=False) + "\n")
        else:
            handle.write(segment + "\n")
    if handle:
        handle.close()


class TreeMemory:
    """Samples the summed RSS of this process's descendants; keeps the peak."""

    def __init__(self, interval: float = 0.05) -> None:
        import psutil

        self._me = psutil.Process(os.getpid())
        self._interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            for child in self._me.children(recursive=True):
                with contextlib.suppress(psutil.Error):  # a child may exit meanwhile
                    total += child.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self._interval)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_mode(mode: str, corpus: Path, outdir: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable, "-c", "from translate.cli import main; main()",
        "batch", str(corpus), "-o", str(outdir), "--no-cache", "--quiet",
        "--beam-size", str(args.beam), "--chunk-size", str(args.chunk_size),
    ]  # fmt: skip
    if args.model:
        command += ["--model", args.model]
    cluster = None
    if mode == "inter2":
        command += ["--inter-threads", "2"]
    elif mode == "workers2":
        command += ["--workers", "2"]
    elif mode == "dask":
        from distributed import LocalCluster

        cluster = LocalCluster(
            host="127.0.0.1",
            protocol="tcp://",
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        command += ["--dask-scheduler", cluster.scheduler_address, "--threads", "1"]
    elif mode != "single":
        raise SystemExit(f"unknown mode {mode!r}")
    try:
        with TreeMemory() as memory:
            started = time.perf_counter()
            subprocess.run(command, check=True)
            wall = time.perf_counter() - started
    finally:
        if cluster is not None:
            cluster.close()
    totals = json.loads((outdir / "manifest.json").read_text("utf-8"))["totals"]
    return {
        "mode": mode,
        "segments": totals["segments"],
        "words": totals["words"],
        "wall_s": round(wall, 2),
        "segments_per_s": round(totals["segments"] / wall, 1),
        "words_per_s": round(totals["words"] / wall, 1),
        "peak_rss_mib": round(memory.peak / 2**20, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="segments for the throughput runs (default 10000)")
    parser.add_argument("--memory-sizes", help="segments for the memory series (single mode)")
    parser.add_argument("--modes", default="single,inter2,workers2,dask")
    parser.add_argument("--quick", action="store_true", help="500/1,000/2,000 segments")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--chunk-size", type=int, default=64)
    parser.add_argument("--model", help="package name or path (default: best installed/bundled)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    memory_sizes = [
        int(n)
        for n in (
            args.memory_sizes or ("500,1000,2000" if args.quick else "2500,5000,10000")
        ).split(",")
        if n
    ]
    sizes = [int(n) for n in (args.sizes or ("2000" if args.quick else "10000")).split(",") if n]
    modes = [m for m in args.modes.split(",") if m]

    # modes side by side first (closest in time, so under the same machine load),
    # then the rest of the memory series
    plan = [(mode, n) for n in sizes for mode in modes]
    plan += [("single", n) for n in memory_sizes if ("single", n) not in plan]
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        for mode, size in plan:
            corpus = Path(tmp) / f"corpus-{size}"
            if not corpus.exists():
                write_corpus(corpus, size)
            result = run_mode(mode, corpus, Path(tmp) / f"out-{mode}-{size}", args)
            results.append(result)
            print(
                f"{mode:9} {size:6d} segments  {result['segments_per_s']:7.1f} seg/s  "
                f"{result['words_per_s']:8.1f} words/s  "
                f"peak RSS {result['peak_rss_mib']:7.1f} MiB  ({result['wall_s']} s)",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
