"""A failed worker stops the job with a BatchError; a bug in a shard keeps its traceback."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from translate.batch import job
from translate.batch.executors import InlineExecutor, ResultFuture
from translate.batch.job import BatchOptions, run_batch
from translate.batch.worker import ModelSpec
from translate.engine import EngineOptions
from translate.errors import BatchError

pytestmark = pytest.mark.usefixtures("bundled_model")


class FailingExecutor(InlineExecutor):
    """The real in-process executor, except that every shard fails with ``error``."""

    def __init__(self, spec: ModelSpec, error: BaseException) -> None:
        super().__init__(spec)
        self.error = error

    def submit(self, sentences: Sequence[str]) -> ResultFuture:
        future: Future[object] = Future()
        future.set_exception(self.error)
        return future


def _run_with(error: BaseException, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        job, "make_executor", lambda spec, *args, **kwargs: FailingExecutor(spec, error)
    )
    source = tmp_path / "a.txt"
    source.write_text("De kat slaapt.\nDe hond blaft.\n", encoding="utf-8")
    options = BatchOptions(engine_options=EngineOptions(beam_size=1), cache_path=None)
    run_batch([source], tmp_path / "out", options)


def test_a_bug_in_a_shard_keeps_its_type_and_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bug = TypeError("unsupported operand type(s) for +: 'int' and 'str'")
    with pytest.raises(TypeError) as raised:
        _run_with(bug, tmp_path, monkeypatch)
    assert raised.value is bug and not isinstance(raised.value, BatchError)


@pytest.mark.parametrize("failure", [BrokenProcessPool("a worker died"), MemoryError()])
def test_a_failed_worker_becomes_a_resumable_batch_error(
    failure: BaseException, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(BatchError) as raised:
        _run_with(failure, tmp_path, monkeypatch)
    assert str(raised.value).startswith(f"translation failed ({type(failure).__name__}")
    assert str(raised.value).endswith("; rerun the same command to resume")
    assert raised.value.__cause__ is failure  # kept for library callers; the CLI shows one line
