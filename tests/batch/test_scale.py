"""Scaling out: worker processes and a real Dask cluster give the same output as one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.batch.job import BatchOptions, run_batch
from translate.engine import EngineOptions

from .helpers import manifest, numbered_sentences

pytestmark = pytest.mark.usefixtures("bundled_model")


def make_inputs(directory: Path) -> Path:
    directory.mkdir()
    sentences = numbered_sentences(40)
    (directory / "a.nl").write_text("\n".join(sentences[:20]) + "\n", encoding="utf-8")
    (directory / "b.txt").write_text("\n".join(sentences[20:]) + "\n", encoding="utf-8")
    return directory


def options(**changes: object) -> BatchOptions:
    base = BatchOptions(
        engine_options=EngineOptions(beam_size=2, intra_threads=1),
        cache_path=None,
        chunk_size=8,
    )
    import dataclasses

    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def read_outputs(outdir: Path) -> dict[str, bytes]:
    return {name: (outdir / name).read_bytes() for name in ("a.en", "b.txt")}


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    base = tmp_path_factory.mktemp("local")
    inputs = make_inputs(base / "in")
    run_batch([inputs], base / "out", options())
    return read_outputs(base / "out")


def test_two_worker_processes_match_one_process(
    tmp_path: Path, local_run: dict[str, bytes]
) -> None:
    inputs = make_inputs(tmp_path / "in")
    report = run_batch([inputs], tmp_path / "out", options(workers=2))
    assert not report.failed
    assert read_outputs(tmp_path / "out") == local_run
    assert manifest(tmp_path / "out")["totals"]["model_sentences"] == 40


def test_dask_local_cluster_matches_local_run(tmp_path: Path, local_run: dict[str, bytes]) -> None:
    from distributed import LocalCluster

    inputs = make_inputs(tmp_path / "in")
    with LocalCluster(
        host="127.0.0.1",
        protocol="tcp://",  # a real TCP scheduler: shards are serialized as on a cluster
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        dashboard_address=None,
    ) as cluster:
        report = run_batch(
            [inputs], tmp_path / "out", options(dask_scheduler=cluster.scheduler_address)
        )
        # two files of 20 segments in chunks of 8: six shards and one model-id probe ran there
        executed = sum(w.state.executed_count for w in cluster.workers.values())
    assert executed == 7
    assert not report.failed
    assert read_outputs(tmp_path / "out") == local_run
    totals = manifest(tmp_path / "out")["totals"]
    assert totals["model_sentences"] == 40 and totals["segments"] == 40
