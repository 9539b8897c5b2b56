"""How long ``vertaal --help`` takes compared with starting Python at all.

Usage: python benchmarks/bench_startup.py [-n RUNS]

Prints the median wall time of each over RUNS runs and the difference, which
is what vertaal's own imports cost (heavy libraries must not be among them).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=20)
    args = parser.parse_args()
    script = Path(sys.executable).with_name("vertaal")
    vertaal = [str(script)] if script.exists() else [shutil.which("vertaal") or "vertaal"]
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "vertaal --help": [*vertaal, "--help"],
        "vertaal models --help": [*vertaal, "models", "--help"],
        "vertaal translate --help": [*vertaal, "translate", "--help"],
    }
    _median_seconds(commands["vertaal --help"], 2)  # warm the file cache
    results = {name: _median_seconds(command, args.runs) for name, command in commands.items()}
    baseline = results["python -c pass"]
    print(f"median of {args.runs} runs")
    for name, seconds in results.items():
        extra = "" if name == "python -c pass" else f"  (+{(seconds - baseline) * 1000:.0f} ms)"
        print(f"{name:26s} {seconds * 1000:7.1f} ms{extra}")


if __name__ == "__main__":
    main()
