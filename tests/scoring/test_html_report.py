"""The HTML report: self-contained, escaped, atomic, and rendering in a real headless browser."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest
from server.browser import chromium

from translate.errors import ScoringError
from translate.scoring.evaluate import Evaluation
from translate.scoring.html_report import highlight, render_html, write_html
from translate.scoring.quality import LineFlag

from .conftest import fixed_evaluation, write_corpus

EVIL = '<script>document.body.setAttribute("data-pwned","1")</script>'
EVIL_IMG = "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">"


@pytest.fixture
def evil_corpus(tmp_path: Path) -> Path:
    return write_corpus(
        tmp_path / "evil",
        [f"De NAVO {EVIL} zegt", f"Poetin & {EVIL_IMG} Kyiv", "Gewoon Rusland </title></style>"],
        {
            "a": [f"NATO {EVIL} says", f"Putin & {EVIL_IMG} Kyiv", "Just Russia </title>"],
            "b": ["NATO says", "Putin and Kyiv", "Only Russia"],
        },
    )


def test_highlight_escapes_text_and_skips_overlaps() -> None:
    html = highlight("a <b> & c", [(2, 5, "x", 'say "hi"'), (3, 4, "y", "inner")])
    assert html == 'a <mark class="x" title="say &quot;hi&quot;">&lt;b&gt;</mark> &amp; c'


def test_report_is_self_contained() -> None:
    html = render_html(fixed_evaluation())
    assert html.count("<script>") == 1 and html.count("</script>") == 1
    assert not re.search(r"\bsrc\s*=", html)
    assert not re.search(r"https?://", html)
    assert "@import" not in html and "url(" not in html
    assert "default-src 'none'" in html  # the browser refuses to load anything else


def test_everything_from_the_corpus_is_escaped(evil_corpus: Path) -> None:
    html = render_html(fixed_evaluation(evil_corpus))
    assert "<script>document" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert "</title></style>" not in html


def test_worst_first_puts_the_lowest_chrf_first() -> None:
    evaluation = fixed_evaluation(worse={0: "Something else entirely."})
    system = evaluation.runs[1]
    order = [int(n) for n in re.findall(r'data-line="(\d+)"', render_html(evaluation, True))]
    chrf = [system.chrf[n - 1] for n in order]
    assert chrf == sorted(chrf)
    plain = [int(n) for n in re.findall(r'data-line="(\d+)"', render_html(evaluation))]
    assert plain == list(range(1, 14))


def test_write_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    write_html(target, "<p>one</p>")
    write_html(target, "<p>two</p>")
    assert target.read_text(encoding="utf-8") == "<p>two</p>"
    assert [path.name for path in tmp_path.iterdir()] == ["report.html"]
    write_html(tmp_path / "new-dir" / "r.html", "<p>x</p>")
    assert (tmp_path / "new-dir" / "r.html").read_text(encoding="utf-8") == "<p>x</p>"
    blocked = target / "r.html"
    with pytest.raises(ScoringError) as caught:
        write_html(blocked, "<p>x</p>")
    assert caught.value.message == f"{blocked}: cannot write (Not a directory)"
    assert target.read_text(encoding="utf-8") == "<p>two</p>"


def run_chromium(
    page: Path, profile: Path, *extra: str, fragment: str = ""
) -> subprocess.CompletedProcess[str]:
    """Load ``page#fragment`` in headless Chromium; stdout is the DOM after scripts ran."""
    browser = chromium()
    assert browser is not None
    return subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *extra,
            page.resolve().as_uri() + (f"#{fragment}" if fragment else ""),
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


browser = pytest.mark.skipif(chromium() is None, reason="headless Chromium not installed")


def _console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.mark.browser
@browser
def test_report_renders_in_chromium_without_console_errors(tmp_path: Path) -> None:
    evaluation = fixed_evaluation(worse={4: "Putin said something else."})
    page = tmp_path / "report.html"
    write_html(page, render_html(evaluation, worst_first=True))
    done = run_chromium(page, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert 'data-rendered="yes"' in dom  # the script ran to the end
    assert _console_messages(done.stderr) == []
    assert "13 of 13 segments shown" in dom  # text the script computed
    for run in evaluation.runs:
        row = re.search(rf'<tr data-system="{re.escape(run.label)}">(.*?)</tr>', dom)
        assert row is not None
        shown = re.findall(r'data-metric="(\w+)">([\d.]+)<', row.group(1))
        assert shown == [(score.metric, f"{score.score:.1f}") for score in run.scores]
    # the worst segment comes first after the script re-sorted the cards
    first = int(re.findall(r'<article class="seg[^"]*" id="[^"]*" data-line="(\d+)"', dom)[0])
    system = evaluation.runs[1]
    assert system.chrf[first - 1] == min(system.chrf)
    assert dom.count('class="bar ') == 26  # two bars per segment in the chart


@pytest.mark.browser
@browser
def test_injected_markup_does_not_run_in_chromium(tmp_path: Path, evil_corpus: Path) -> None:
    page = tmp_path / "evil.html"
    write_html(page, render_html(fixed_evaluation(evil_corpus)))
    done = run_chromium(page, tmp_path / "profile", "--dump-dom")
    body = re.search(r"<body[^>]*>", done.stdout)
    assert body is not None and 'data-rendered="yes"' in body.group()
    assert "data-pwned" not in body.group()  # neither injected script nor onerror ran
    assert _console_messages(done.stderr) == []


def _flagged_evaluation() -> Evaluation:
    """The fixed evaluation with reference-free flags on lines 3 and 7 of the glossary run."""
    evaluation = fixed_evaluation()
    base, system = evaluation.runs
    flags = [
        LineFlag(3, "number", "source number 14:35 not in the output"),
        LineFlag(7, "repetition", '"the top" repeated 3+ times in a row'),
        LineFlag(7, "confidence", "low model confidence (-2.10 mean log-probability per token)"),
    ]
    flagged = dataclasses.replace(
        system, flags=sorted([*system.flags, *flags], key=lambda f: f.line)
    )
    return Evaluation(evaluation.corpus, [base, flagged], evaluation.comparisons, "g.po")


def test_flagged_segments_are_marked_with_name_and_reason() -> None:
    html = render_html(_flagged_evaluation())
    flagged = re.findall(r'<article class="seg flagged"[^>]*data-line="(\d+)"', html)
    assert flagged == ["3", "7"]
    assert '<span class="flag" data-flag="number">number: source number 14:35' in html
    assert "only flagged segments (2)" in html


@pytest.mark.browser
@browser
def test_flag_filter_shows_only_flagged_segments_in_chromium(tmp_path: Path) -> None:
    page = tmp_path / "flags.html"
    write_html(page, render_html(_flagged_evaluation()))
    done = run_chromium(page, tmp_path / "profile", "--dump-dom", fragment="flagged")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert 'data-rendered="yes"' in dom and _console_messages(done.stderr) == []
    assert "2 of 13 segments shown" in dom  # the filter ran in the browser
    visible = re.findall(r'<article class="seg( flagged)?"[^>]*data-line="(\d+)"', dom)
    assert [line for _, line in visible] == ["3", "7"]
    assert all(flag for flag, _ in visible)
