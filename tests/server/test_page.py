"""The translator's page: server-rendered, escaped, and working in headless Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from translate.server.page import highlight

from .browser import Browser, chromium
from .conftest import RunningServer

EVIL = (
    '<script>document.body.setAttribute("data-pwned","1")</script>'
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">"
)
DUTCH = "De NAVO-top begint morgen in Den Haag.\nHet kabinet zwijgt."


def test_highlight_escapes_and_marks() -> None:
    marked = highlight("De <NAVO> & Den Haag", [("NAVO", 'glossary: "NATO"'), ("den haag", "x")])
    assert marked == (
        'De &lt;<mark title="glossary: &quot;NATO&quot;">NAVO</mark>&gt; &amp; '
        '<mark title="x">Den Haag</mark>'
    )


def test_the_empty_form_and_its_headers(server: RunningServer) -> None:
    with server.client() as client:
        response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    page = response.text
    assert '<form method="post" action="/" enctype="multipart/form-data"' in page
    assert '<option value="news">' in page
    assert not re.search(r"https?://(?!127)", page)  # nothing from elsewhere (no CDN)
    with server.client() as client:
        assert client.get("/static/page.css").status_code == 200
        assert "clipboard" in client.get("/static/page.js").text


def test_posting_the_form_renders_the_translation_without_javascript(
    server: RunningServer,
) -> None:
    with server.client() as client:
        response = client.post("/", data={"q": DUTCH + "\n" + EVIL, "glossary": "default"})
    assert response.status_code == 200
    page = response.text
    assert "<script>document" not in page and "<img" not in page
    assert "&lt;script&gt;" in page
    assert '<mark title="glossary: NATO">NAVO</mark>' in page
    assert re.search(r'<mark title="glossary term for NAVO \(\w+\)">NATO</mark>', page)
    assert page.count('<tr data-segment="') + page.count('<tr class="flagged" data-segment="') >= 3
    assert 'download="translation.en.txt"' in page and "data:text/plain;charset=utf-8," in page


def test_uploading_a_text_file(server: RunningServer) -> None:
    with server.client() as client:
        response = client.post(
            "/",
            data={"q": "", "glossary": "default"},
            files={"file": ("artikel.txt", DUTCH.encode(), "text/plain")},
        )
        binary = client.post(
            "/", data={"q": ""}, files={"file": ("x.txt", b"\x00\x01\xff", "text/plain")}
        )
        empty = client.post("/", data={"q": "  "})
    assert response.status_code == 200 and "NATO" in response.text
    assert binary.status_code == 400 and 'class="error"' in binary.text
    assert empty.status_code == 400 and "Nothing to translate" in empty.text


def test_page_errors_render_as_pages(server: RunningServer) -> None:
    with server.client() as client:
        unknown = client.post("/", data={"q": "Hoi", "glossary": "<b>nope</b>"})
        too_long = client.post("/", data={"q": "a" * (server.settings.char_limit + 1)})
    assert unknown.status_code == 400 and "unknown glossary &#x27;&lt;b&gt;nope" in unknown.text
    assert too_long.status_code == 413 and "at most" in too_long.text


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    started = Browser(tmp_path / "profile")
    try:
        yield started
    finally:
        started.close()


needs_chromium = pytest.mark.skipif(chromium() is None, reason="headless Chromium not installed")


@pytest.mark.browser
@needs_chromium
def test_fill_and_submit_the_form_in_chromium(server: RunningServer, browser: Browser) -> None:
    browser.navigate(server.url + "/")
    assert browser.evaluate("document.body.dataset.enhanced || ''") == ""  # no result yet
    browser.evaluate(
        f"""document.querySelector('#q').value = {DUTCH + chr(10) + EVIL!r};
        document.querySelector('select[name=glossary]').value = 'default';
        document.querySelector('#submit').click(); true"""
    )
    browser.wait_for_event("Page.loadEventFired")
    assert browser.evaluate("location.pathname") == "/"
    rows = browser.evaluate(
        "Array.from(document.querySelectorAll('table.side-by-side tbody tr'))"
        ".map(r => Array.from(r.cells).map(c => c.textContent))"
    )
    assert rows[0][1] == "De NAVO-top begint morgen in Den Haag."
    assert "NATO" in rows[0][2] and "The Hague" in rows[0][2]
    assert any(EVIL[:20] in row[1] for row in rows)  # the markup is shown as text
    marks = browser.evaluate(
        "Array.from(document.querySelectorAll('mark')).map(m => m.textContent)"
    )
    assert {"NAVO", "Den Haag", "NATO", "The Hague"} <= set(marks)
    translation = browser.evaluate("document.querySelector('#translation').value")
    assert translation.startswith(rows[0][2].split("untranslated")[0].strip()[:10])
    assert browser.evaluate("document.querySelector('#q').value") == DUTCH + "\n" + EVIL
    # the enhancement script ran; the injected markup did not
    assert browser.evaluate("document.body.dataset.enhanced") == "yes"
    assert browser.evaluate("document.querySelector('#copy').hidden") is False
    assert browser.evaluate("document.body.getAttribute('data-pwned')") is None
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    assert browser.problems() == []


def test_static_files_cannot_escape_their_folder(server: RunningServer) -> None:
    with httpx.Client(base_url=server.url) as client:
        assert client.get("/static/../app.py").status_code == 404
        assert client.get("/static/%2e%2e/app.py").status_code == 404
