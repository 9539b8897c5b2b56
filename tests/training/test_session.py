"""``vertaal models session``: pack here, run (reverse → back-translation → forward) on a
tiny slice on the CPU, as the GPU machine runs it."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli

from .conftest import synthetic_pairs
from .test_v2_pipeline import corpus_folder

pytest.importorskip("torch")

MONO = [
    "Tom sees a dog.",
    "Anna buys the car.",
    "Maria has a key.",
    "It is 2024.",
    "This sentence is held out of training entirely.",  # overlaps the held-out file
]


def prepare(tmp_path: Path, name: str, *extra: str) -> Path:
    run_dir = tmp_path / name
    result = CliRunner().invoke(
        cli,
        [
            "models",
            "train",
            "--data",
            str(corpus_folder(tmp_path / f"{name}-data")),
            "--tiny",
            "--max-steps",
            "40",
            "--prepare-only",
            "--run-dir",
            str(run_dir),
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    return run_dir


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of a tiny forward and reverse run and the mono sentences."""
    tmp_path = tmp_path_factory.mktemp("session")
    forward = prepare(tmp_path, "forward")
    reverse = prepare(
        tmp_path, "reverse", "--reverse", "--sentencepiece", str(forward / "sentencepiece.model")
    )
    mono = tmp_path / "wiki.en"
    mono.write_text("".join(line + "\n" for line in MONO), encoding="utf-8")
    held = tmp_path / "held.en"
    held.write_text("This sentence is held out of training entirely.\n", encoding="utf-8")
    archive = tmp_path / "session.tar.xz"
    result = CliRunner().invoke(
        cli,
        [
            "models",
            "session",
            "pack",
            str(forward),
            str(reverse),
            "--mono",
            str(mono),
            "--held-out",
            str(held),
            "-o",
            str(archive),
        ],
    )
    assert result.exit_code == 0, result.output
    return archive


def test_pack_holds_both_runs_and_the_mono_ids_as_int16(packed: Path, tmp_path: Path) -> None:
    import numpy as np

    from translate.training.session import unpack_session

    with tarfile.open(packed) as archive:
        names = set(archive.getnames())
    assert {"forward/data.npz", "reverse/data.npz", "mono.npz", "pack.json"} <= names
    session = unpack_session(packed, tmp_path / "unpacked")
    counts = json.loads((session / "pack.json").read_text(encoding="utf-8"))
    assert counts == {"mono_read": 5, "mono_held_out": 1, "mono_kept": 4}
    with np.load(session / "mono.npz") as mono:
        assert mono["ids"].dtype == np.int16
        assert len(mono["lengths"]) == 4
        assert int(mono["lengths"].sum()) == len(mono["ids"])
    with np.load(session / "forward" / "data.npz") as data:
        assert data["src"].dtype == np.int16


def test_pack_refuses_a_reverse_run_with_another_vocabulary(tmp_path: Path) -> None:
    forward = prepare(tmp_path, "forward")
    reverse = prepare(tmp_path, "reverse", "--reverse")
    (reverse / "sentencepiece.model").write_bytes(b"a vocabulary of its own")
    mono = tmp_path / "wiki.en"
    mono.write_text("Tom sees a dog.\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            *("models", "session", "pack", str(forward), str(reverse)),
            *("--mono", str(mono), "-o", str(tmp_path / "s.tar.xz")),
        ],
    )
    assert result.exit_code == 1
    assert "not the forward run's" in result.output
    assert f"--sentencepiece {forward / 'sentencepiece.model'}" in result.output
    assert not (tmp_path / "s.tar.xz").exists()


def test_a_broken_archive_is_a_one_line_error(tmp_path: Path) -> None:
    archive = tmp_path / "session.tar.xz"
    archive.write_bytes(b"not an archive")
    result = CliRunner().invoke(
        cli,
        [
            *("models", "session", "run", str(archive), str(tmp_path / "out")),
            *("--minutes", "1", "--work-dir", str(tmp_path / "work")),
        ],
    )
    assert result.exit_code == 1
    assert "cannot unpack" in result.output and "Traceback" not in result.output


def test_session_trains_reverse_backtranslates_and_trains_forward(
    packed: Path, tmp_path: Path
) -> None:
    from translate.training.compact import load_compact
    from translate.training.session import SessionPlan, run_session, unpack_session

    session = unpack_session(packed, tmp_path / "work")
    # Generous times: both runs stop at the 40 steps they were prepared with, however
    # busy the machine is.
    plan = SessionPlan(seconds=600, reverse_seconds=200, backtranslate_seconds=100)
    lines: list[str] = []
    facts = run_session(session, tmp_path / "out", plan, lines.append)
    out = tmp_path / "out"
    assert load_compact(out)  # the forward weights, as compact shards
    assert (out / "sentencepiece.model").is_file()
    saved = json.loads((out / "session.json").read_text(encoding="utf-8"))
    assert saved["forward"]["steps"] == 40 and saved["reverse"]["steps"] == 40
    assert facts["backtranslation"]["read"] == 4  # every packed mono sentence accounted for
    report = facts["backtranslation"]
    assert report["kept"] + sum(report["dropped"].values()) == 4
    card = json.loads((out / "data-card.json").read_text(encoding="utf-8"))
    assert card["corpora"][-1]["name"] == "backtranslation"
    assert any(line.startswith("back-translated ") for line in lines)


def test_backtranslations_are_filtered_tagged_and_added(packed: Path, tmp_path: Path) -> None:
    """Real Dutch for the English (what a perfect reverse model would give): all kept, tagged."""
    import numpy as np

    from translate.training.session import add_backtranslations, unpack_session
    from translate.training.spm import BT_TAG, load_processor

    session = unpack_session(packed, tmp_path / "work")
    run_dir = session / "forward"
    processor = load_processor(run_dir / "sentencepiece.model")
    pairs = synthetic_pairs()[:20]
    english = processor.Encode([en for _, en in pairs])
    dutch: list[list[int] | None] = list(processor.Encode([nl for nl, _ in pairs]))
    dutch[0] = None  # a sentence the decoder never finished
    dutch[1] = [dutch[1][0]] * 6 if dutch[1] else None  # a decoder stuck in a loop
    with np.load(run_dir / "data.npz") as data:
        real = len(data["src_len"])
    report = add_backtranslations(run_dir, english, dutch, 2, lambda _: None)
    assert report["read"] == 20
    assert report["dropped"]["unfinished"] == 1 and report["dropped"]["repetition"] == 1
    assert report["kept"] == 18
    tag = processor.PieceToId(BT_TAG)
    with np.load(run_dir / "data.npz") as data:
        assert len(data["src_len"]) == 2 * real + 18
        starts = np.concatenate([[0], np.cumsum(data["src_len"])[:-1]])
        # The tag leads each synthetic source (after SentencePiece's word-start piece, if any).
        leading = (data["src"][starts] == tag) | (data["src"][starts + 1] == tag)
        assert int(leading.sum()) == 18
        assert not leading[: 2 * real].any()  # and never a real one
    # Again in the same folder (a rerun): from the real pairs, not from the last merge.
    add_backtranslations(run_dir, english, dutch, 2, lambda _: None)
    with np.load(run_dir / "data.npz") as data:
        assert len(data["src_len"]) == 2 * real + 18
    card = json.loads((run_dir / "data-card.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in card["corpora"]].count("backtranslation") == 1
    assert card["kept"] == sum(c["kept"] for c in card["corpora"])


@pytest.mark.parametrize(
    ("tokens", "text", "loops"),
    [
        ([5, 6, 7, 8], "Een gewone zin.", False),
        ([5, 5, 5, 6], "Drie keer hetzelfde stuk mag.", False),
        ([5, 5, 5, 5], "nieuwe nieuwe nieuwe nieuwe", True),
        ([5, 6, 7], "Wieeeeeeee.", True),
        ([5, 6, 7], "Het jaar 2000000.", False),
    ],
)
def test_stuttering(tokens: list[int], text: str, loops: bool) -> None:
    from translate.training.session import stuttering

    assert stuttering(tokens, text) is loops


def test_backtranslation_stops_at_its_deadline(packed: Path, tmp_path: Path) -> None:
    import time

    import torch

    from translate.training.session import backtranslate_ids, load_model, unpack_session
    from translate.training.train import train

    session = unpack_session(packed, tmp_path / "work")
    train(session / "reverse", lambda _: None)
    model = load_model(session / "reverse" / "best", torch.device("cpu"))
    sources = [[5, 6, 7], [8, 9, 10, 11]]
    lines: list[str] = []
    late = backtranslate_ids(
        model, sources, torch.device("cpu"), 1000, time.monotonic(), lines.append
    )
    assert late == [None, None]
    assert "stopped at its time limit after 0 sentences" in lines[0]
    done = backtranslate_ids(
        model, sources, torch.device("cpu"), 1000, time.monotonic() + 60, lines.append
    )
    assert lines[-1] == "back-translated 2 of 2 sentences"
    assert all(result is None or result for result in done)
