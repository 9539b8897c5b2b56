"""Engine options are decided in one place (``EngineRequest.resolve``); --help says so."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from translate.cli import cli
from translate.engine import (
    DEFAULT_BEAM_SIZE,
    DEFAULT_COMPUTE_TYPE,
    DEFAULT_MAX_BATCH_TOKENS,
    EngineOptions,
    EngineRequest,
    split_threads,
)


def _threads(options: EngineOptions) -> tuple[int, int]:
    return options.inter_threads, options.intra_threads


def test_defaults_fill_every_unasked_option() -> None:
    options = EngineRequest().resolve(cores=2)
    assert _threads(options) == (2, 0)  # two replicas on two cores, threads per replica at load
    assert options.beam_size == DEFAULT_BEAM_SIZE == EngineOptions().beam_size
    assert options.compute_type == DEFAULT_COMPUTE_TYPE == EngineOptions().compute_type
    assert options.max_batch_tokens == DEFAULT_MAX_BATCH_TOKENS == EngineOptions().max_batch_tokens
    assert EngineRequest().resolve() == EngineOptions()  # the library default agrees


def test_asked_options_win() -> None:
    options = EngineRequest(beam_size=2, compute_type="float32", max_batch_tokens=64).resolve()
    assert (options.beam_size, options.compute_type, options.max_batch_tokens) == (
        2,
        "float32",
        64,
    )


@pytest.mark.parametrize(
    ("request_", "cores", "expected"),
    [
        (EngineRequest(threads=1), 8, (1, 1)),
        (EngineRequest(threads=3), 8, (2, 1)),
        (EngineRequest(threads=8), 2, (4, 2)),  # asked for more than there are: as asked
        (EngineRequest(threads=4, inter_threads=2), 8, (2, 2)),
        (EngineRequest(threads=3, inter_threads=4), 8, (4, 1)),
        (EngineRequest(inter_threads=3), 8, (3, 0)),
        (EngineRequest(), 8, (4, 0)),
        (EngineRequest(workers=2), 2, (1, 1)),  # each worker gets its share of the cores
        (EngineRequest(workers=2), 8, (4, 1)),
        (EngineRequest(workers=3), 16, (4, 1)),
        (EngineRequest(workers=2, inter_threads=3), 2, (1, 1)),
        (EngineRequest(workers=2, threads=4), 2, (2, 2)),  # threads chosen: kept per worker
    ],
)
def test_threads_replicas_and_workers(
    request_: EngineRequest, cores: int, expected: tuple[int, int]
) -> None:
    assert _threads(request_.resolve(cores=cores)) == expected


@given(st.integers(1, 64), st.integers(1, 8), st.integers(1, 64))
def test_sharing_among_workers_is_applied_once(cores: int, workers: int, threads: int) -> None:
    for request_ in (
        EngineRequest(workers=workers),
        EngineRequest(workers=workers, threads=threads),
    ):
        options = request_.resolve(cores=cores)
        # the batch executors share the cores again for library callers: no change
        assert options.shared_by(workers, cores=cores) == options
        assert options.inter_threads >= 1 and options.intra_threads >= 0


@given(st.integers(1, 256))
def test_threads_alone_match_the_split_rule(threads: int) -> None:
    assert _threads(EngineRequest(threads=threads).resolve()) == split_threads(threads)
    assert EngineRequest(threads=threads).resolve() == EngineOptions.for_threads(threads)


def _help_line(command: str, flag: str) -> str:
    """The help of ``flag`` (up to the next option), whitespace-normalised."""
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    return text.split(f" {flag} ", 1)[1].split(" --", 1)[0]


def test_batch_help_states_the_replicas_the_engine_uses() -> None:
    text = _help_line("batch", "--inter-threads")
    one = EngineRequest().resolve().inter_threads
    two = EngineRequest(workers=2).resolve().inter_threads
    assert f"default: {one} here with one worker, {two} per worker with two" in text


@pytest.mark.parametrize("command", ["translate", "batch"])
def test_help_defaults_come_from_the_engine(command: str) -> None:
    assert f"(default {DEFAULT_BEAM_SIZE})" in _help_line(command, "--beam-size")
    assert f"(default {DEFAULT_COMPUTE_TYPE})" in _help_line(command, "--compute-type")
    options = EngineRequest().resolve()
    threads = _help_line(command, "--threads")
    assert re.search(
        rf"{options.inter_threads} replica\(s\) of {options.resolved_intra_threads()}", threads
    )


def test_translate_help_states_the_batch_size() -> None:
    assert f"(default {DEFAULT_MAX_BATCH_TOKENS})" in _help_line("translate", "--batch-tokens")
