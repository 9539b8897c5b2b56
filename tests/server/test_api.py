"""LibreTranslate's endpoints on a real server, over raw HTTP (httpx) and the official client."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from libretranslatepy import LibreTranslateAPI

from .conftest import KEY, RunningServer, running_server

SENTENCE = "De NAVO-top begint morgen in Den Haag."


def _translate(server: RunningServer, **body: object) -> httpx.Response:
    with server.client() as client:
        return client.post("/translate", json={"source": "nl", "target": "en", **body})


def test_languages_answer_get_and_post(server: RunningServer) -> None:
    with server.client() as client:
        origin = {"Origin": "https://example.org"}
        for response in (client.get("/languages", headers=origin), client.post("/languages")):
            assert response.status_code == 200
            assert response.json() == [
                {"code": "nl", "name": "Dutch", "targets": ["en"]},
                {"code": "en", "name": "English", "targets": []},
            ]
        assert (
            client.get("/languages", headers=origin).headers["access-control-allow-origin"] == "*"
        )


def test_translate_a_string_with_the_glossary_reported(server: RunningServer) -> None:
    response = _translate(server, q=SENTENCE)
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body["translatedText"], str)
    assert "NATO" in body["translatedText"] and "The Hague" in body["translatedText"]
    assert "detectedLanguage" not in body and "alternatives" not in body
    [segment] = body["vertaal"]["segments"]
    assert segment["source"] == SENTENCE and segment["translation"] == body["translatedText"]
    assert {t["target"] for t in segment["terms"]} == {"NATO", "The Hague"}
    assert all(t["verified"] for t in segment["terms"])
    assert body["vertaal"]["glossary"] == "default"
    assert body["vertaal"]["model"] == server.engine.model_id


def test_translate_a_list_keeps_order_and_layout(server: RunningServer) -> None:
    texts = ["Goedemorgen.", "De NAVO vergadert.\n\nHet kabinet zwijgt.", SENTENCE]
    body = _translate(server, q=texts).json()
    assert isinstance(body["translatedText"], list) and len(body["translatedText"]) == 3
    assert body["translatedText"][1].count("\n\n") == 1  # the paragraph break is kept
    assert [len(s) for s in body["vertaal"]["segments"]] == [1, 2, 1]
    single = [_translate(server, q=text).json()["translatedText"] for text in texts]
    assert body["translatedText"] == single


def test_form_bodies_work_like_json(server: RunningServer) -> None:
    with server.client() as client:
        form = client.post("/translate", data={"q": SENTENCE, "source": "nl", "target": "en"})
    assert form.status_code == 200
    assert form.json()["translatedText"] == _translate(server, q=SENTENCE).json()["translatedText"]


def test_source_auto_reports_the_detected_language(server: RunningServer) -> None:
    text = "Het kabinet heeft vandaag besloten om meer geld uit te geven aan defensie."
    body = _translate(server, q=text, source="auto").json()
    assert body["detectedLanguage"]["language"] == "nl"
    assert body["detectedLanguage"]["confidence"] > 50
    listed = _translate(server, q=[text, text], source="auto").json()
    assert [d["language"] for d in listed["detectedLanguage"]] == ["nl", "nl"]
    english = "This sentence is plainly written in English and nothing else at all."
    refused = _translate(server, q=english, source="auto")
    assert refused.status_code == 400 and "en is not supported" in refused.json()["error"]


def test_alternatives_are_other_hypotheses(server: RunningServer) -> None:
    body = _translate(server, q="Het kabinet zwijgt.", alternatives=3).json()
    assert isinstance(body["alternatives"], list) and 1 <= len(body["alternatives"]) <= 3
    assert body["translatedText"] not in body["alternatives"]
    listed = _translate(server, q=["Het kabinet zwijgt.", "Goedemorgen."], alternatives=2).json()
    assert len(listed["alternatives"]) == 2 and all(
        isinstance(a, list) for a in listed["alternatives"]
    )


def test_html_keeps_tags_and_leaves_scripts_alone(server: RunningServer) -> None:
    html = '<p class="x">De <b>NAVO</b> vergadert.<script>var s = "De NAVO";</script></p>'
    body = _translate(server, q=html, format="html").json()
    out = body["translatedText"]
    assert out.startswith('<p class="x">') and out.endswith("</p>")
    assert "<b>NATO</b>" in out
    assert '<script>var s = "De NAVO";</script>' in out  # copied, not translated
    # the sentence is translated whole, the inline tag projected onto its translation
    sources = [s["source"] for s in body["vertaal"]["segments"]]
    assert sources[0] == "De NAVO vergadert."
    escaped = _translate(server, q="<p>Goedemorgen &lt;b&gt;</p>", format="html").json()
    assert "<b>" not in escaped["translatedText"]  # escaped text stays escaped


def test_a_named_glossary_and_inline_terms(server: RunningServer) -> None:
    none = _translate(server, q=SENTENCE, glossary="none").json()
    assert none["vertaal"]["glossary"] == "none"
    assert none["vertaal"]["segments"][0]["terms"] == []
    terms = [{"source": "kabinet", "target": "Cabinet Office"}]
    body = _translate(server, q="Het kabinet zwijgt.", terms=terms).json()
    assert "Cabinet Office" in body["translatedText"]
    [term] = body["vertaal"]["segments"][0]["terms"]
    assert term["target"] == "Cabinet Office" and term["verified"] is True
    # inline terms over no glossary: only the inline term
    only = _translate(
        server, q=SENTENCE, glossary="none", terms=[{"source": "top", "target": "summit"}]
    )
    assert [t["target"] for t in only.json()["vertaal"]["segments"][0]["terms"]] == []


def test_repeated_sentences_come_from_the_cache(server: RunningServer) -> None:
    text = "Dit is een zin die maar voor de cache bestaat."
    first = _translate(server, q=text).json()
    second = _translate(server, q=text).json()
    assert first["vertaal"]["segments"][0]["cached"] is False
    assert second["vertaal"]["segments"][0]["cached"] is True
    assert first["translatedText"] == second["translatedText"]


def test_detect(server: RunningServer) -> None:
    with server.client() as client:
        response = client.post("/detect", data={"q": "Dit is zonder twijfel een Nederlandse zin."})
    assert response.status_code == 200
    detections = response.json()
    assert detections[0]["language"] == "nl" and 0 < detections[0]["confidence"] <= 100


def test_frontend_settings(server: RunningServer) -> None:
    with server.client() as client:
        settings = client.get("/frontend/settings").json()
    assert settings["charLimit"] == server.settings.char_limit
    assert settings["apiKeys"] is False and settings["keyRequired"] is False
    assert ".txt" in settings["supportedFilesFormat"] and ".po" in settings["supportedFilesFormat"]
    assert settings["language"]["source"] == {"code": "nl", "name": "Dutch"}
    assert settings["language"]["target"] == {"code": "en", "name": "English"}
    assert "news" in settings["vertaal"]["glossaries"]


def test_translate_file_and_download(server: RunningServer, tmp_path: Path) -> None:
    source = "Goedemorgen.\nDe NAVO vergadert.\n"
    with server.client() as client:
        response = client.post(
            "/translate_file",
            data={"source": "nl", "target": "en"},
            files={"file": ("bericht.nl.txt", source.encode(), "text/plain")},
        )
        assert response.status_code == 200, response.text
        url = response.json()["translatedFileUrl"]
        assert url.startswith(server.url + "/download_file/") and url.endswith(".bericht.en.txt")
        download = client.get(url)
    assert download.status_code == 200
    assert 'filename="bericht.en.txt"' in download.headers["content-disposition"]
    lines = download.text.splitlines()
    assert len(lines) == 2 and "NATO" in lines[1]


def test_translate_file_html_document(server: RunningServer) -> None:
    page = (
        '<!DOCTYPE html><html lang="nl"><head><title>Nieuws</title></head><body>'
        "<h1>De NAVO-top</h1><p>Het <em>kabinet</em> zwijgt.</p>"
        "<script>var x = '<b>De NAVO</b>';</script></body></html>"
    )
    with server.client() as client:
        response = client.post(
            "/translate_file",
            data={"source": "nl", "target": "en"},
            files={"file": ("nieuws.nl.html", page.encode(), "text/html")},
        )
        assert response.status_code == 200, response.text
        url = response.json()["translatedFileUrl"]
        assert url.endswith(".nieuws.en.html")
        translated = client.get(url).text
    assert "NATO" in translated and "<em>" in translated
    assert "var x = '<b>De NAVO</b>';" in translated  # scripts are left alone


def test_translate_file_fills_a_po_file(server: RunningServer) -> None:
    po = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "De NAVO vergadert."\nmsgstr ""\n'
    )
    with server.client() as client:
        response = client.post(
            "/translate_file",
            data={"source": "nl", "target": "en"},
            files={"file": ("app.po", po.encode(), "text/x-gettext-translation")},
        )
        assert response.status_code == 200, response.text
        text = client.get(response.json()["translatedFileUrl"]).text
    import polib

    [entry] = polib.pofile(text)
    assert entry.msgid == "De NAVO vergadert." and "NATO" in entry.msgstr
    assert "fuzzy" in entry.flags  # machine translations are marked for review


def test_the_official_client(server: RunningServer) -> None:
    client = LibreTranslateAPI(server.url)
    assert "NATO" in client.translate(SENTENCE, "nl", "en")
    assert client.detect("Dit is zonder twijfel een Nederlandse zin.")[0]["language"] == "nl"
    assert [language["code"] for language in client.languages()] == ["nl", "en"]


def test_the_official_client_with_api_keys(engine: object) -> None:
    import urllib.error

    with running_server(engine, api_keys=frozenset({KEY})) as keyed:  # type: ignore[arg-type]
        good = LibreTranslateAPI(keyed.url, api_key=KEY)
        assert "NATO" in good.translate(SENTENCE, "nl", "en")
        with pytest.raises(urllib.error.HTTPError) as refused:
            LibreTranslateAPI(keyed.url, api_key="wrong").translate(SENTENCE, "nl", "en")
        assert refused.value.code == 403
        assert json.loads(refused.value.read())["error"] == "Invalid API key"
        with pytest.raises(urllib.error.HTTPError) as missing:
            LibreTranslateAPI(keyed.url).translate(SENTENCE, "nl", "en")
        assert missing.value.code == 403
        assert [language["code"] for language in good.languages()] == ["nl", "en"]


def test_glossary_files_and_domains_by_name(engine: object, tmp_path: Path) -> None:
    terms = tmp_path / "ministerie.po"
    terms.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "defence"\nmsgid "kabinet"\nmsgstr "Cabinet Office"\n',
        encoding="utf-8",
    )
    with running_server(engine, glossaries=(terms,)) as named:  # type: ignore[arg-type]
        with named.client() as client:
            names = client.get("/frontend/settings").json()["vertaal"]["glossaries"]
        assert {"default", "none", "news", "ministerie", "defence"} <= set(names)
        for name in ("ministerie", "defence", "default"):
            body = _translate(named, q="Het kabinet zwijgt.", glossary=name).json()
            assert "Cabinet Office" in body["translatedText"], name
            assert body["vertaal"]["glossary"] == name
        plain = _translate(named, q="Het kabinet zwijgt.", glossary="news").json()
        assert "Cabinet Office" not in plain["translatedText"]


def test_the_cache_is_shared_with_vertaal_batch(engine: object, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from translate.cli import cli

    cache = tmp_path / "cache.sqlite"
    source = tmp_path / "in" / "zinnen.txt"
    source.parent.mkdir()
    sentence = "De burgemeester opent morgen het nieuwe station."
    source.write_text(sentence + "\n", encoding="utf-8")
    done = CliRunner().invoke(
        cli,
        [
            *("batch", str(source.parent), "-o", str(tmp_path / "out")),
            *("--cache", str(cache), "--beam-size", "2", "--quiet"),
        ],
    )
    assert done.exit_code == 0, done.output
    # batch and the server both keep protected spans by default, so they share sentences
    with running_server(engine, cache_path=cache, protect=True) as shared:  # type: ignore[arg-type]
        body = _translate(shared, q=sentence).json()
    assert body["vertaal"]["segments"][0]["cached"] is True
    written = (tmp_path / "out" / "zinnen.txt").read_text(encoding="utf-8").strip()
    assert body["translatedText"] == written


def test_protected_spans_and_flags_are_reported(server: RunningServer) -> None:
    body = _translate(server, q="Bel 020-1234567 of kijk op https://www.nos.nl/nieuws.").json()
    [segment] = body["vertaal"]["segments"]
    kept = {span["text"] for span in segment["protected"]}
    assert "https://www.nos.nl/nieuws" in kept
    assert "https://www.nos.nl/nieuws" in body["translatedText"]
    assert all({"name", "reason"} == set(flag) for flag in segment["flags"])
