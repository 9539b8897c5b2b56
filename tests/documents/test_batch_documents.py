"""``vertaal batch`` over a tree of documents: outputs, per-file errors, resume, cache, manifest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from translate.batch.job import BatchOptions, FileReport, NullBatchProgress, run_batch
from translate.cli import cli
from translate.documents import extract_document
from translate.documents.inline import tag_ids, to_markup

from . import samples
from .builders import build_docx


def manifest(outdir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((outdir / "manifest.json").read_text("utf-8"))
    return data


def _tree(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "verslag.nl.docx").write_bytes(build_docx())
    (root / "sub" / "film.srt").write_text(samples.SRT, encoding="utf-8")
    (root / "sub" / "pagina.html").write_text(samples.HTML, encoding="utf-8")
    (root / "kapot.docx").write_bytes(b"PK\x03\x04 broken")
    return root


def test_batch_translates_documents_and_reports_a_bad_one(
    runner: CliRunner, tmp_path: Path
) -> None:
    source, out = _tree(tmp_path / "in"), tmp_path / "out"
    args = ["batch", str(source), "-o", str(out), "--beam-size", "2", "--quiet", "--no-cache"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output  # one file failed
    report = manifest(out)
    files = {Path(f["input"]).name: f for f in report["files"]}
    assert files["kapot.docx"]["status"] == "failed"
    assert f"{source / 'kapot.docx'}: corrupt DOCX" in files["kapot.docx"]["error"]
    for name, fmt in (("verslag.nl.docx", "docx"), ("film.srt", "srt"), ("pagina.html", "html")):
        assert files[name]["status"] == "done" and files[name]["format"] == fmt
        path = next(source.rglob(name))
        assert files[name]["segments"] == len(extract_document(path, fmt).segments)
    assert files["verslag.nl.docx"]["output"] == "verslag.en.docx"
    before = extract_document(source / "verslag.nl.docx", "docx").segments
    after = extract_document(out / "verslag.en.docx", "docx").segments
    assert [tag_ids(s) for s in after] == [tag_ids(s) for s in before]
    assert report["totals"]["terms"] >= 1  # Den Haag in the subtitles


class _Interrupt(NullBatchProgress):
    """Stops the job (as Ctrl-C would) after some segments are committed."""

    def __init__(self, after: int) -> None:
        self.left = after

    def advance(self, segments: int) -> None:
        self.left -= segments
        if self.left <= 0:
            raise KeyboardInterrupt

    def file_finished(self, report: FileReport) -> None:
        pass


def test_interrupted_document_job_resumes_to_the_same_result(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "verslag.docx").write_bytes(build_docx())
    options = BatchOptions(chunk_size=2, cache_path=None, engine_options=None)
    reference = run_batch([source], tmp_path / "reference", options)
    assert reference.files[0].status == "done"
    interrupted = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_batch([source], interrupted, options, progress=_Interrupt(after=5))
    resumed = run_batch([source], interrupted, options)
    assert 0 < resumed.files[0].resumed < resumed.files[0].segments
    expected = extract_document(tmp_path / "reference" / "verslag.docx", "docx").segments
    got = extract_document(interrupted / "verslag.docx", "docx").segments
    assert [to_markup(s) for s in got] == [to_markup(s) for s in expected]


def test_cache_serves_a_second_job(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "film.srt").write_text(samples.SRT, encoding="utf-8")
    options = BatchOptions(cache_path=tmp_path / "cache.sqlite")
    first = run_batch([source], tmp_path / "one", options)
    second = run_batch([source], tmp_path / "two", options)
    assert first.files[0].model_sentences > 0
    assert second.files[0].model_sentences == 0 and second.files[0].cached_sentences > 0
    assert (tmp_path / "one" / "film.srt").read_bytes() == (
        tmp_path / "two" / "film.srt"
    ).read_bytes()
