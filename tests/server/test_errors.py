"""Bad input gets a one-line {"error": ...} with a 4xx status, never a 500."""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import httpx
import pytest

from translate.engine import Engine

from .conftest import KEY, RunningServer, running_server


def _post(server: RunningServer, path: str = "/translate", **kwargs: Any) -> httpx.Response:
    with server.client() as client:
        return client.post(path, **kwargs)


def _error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error"] and isinstance(body["error"], str)
    assert "\n" not in body["error"] and "Traceback" not in body["error"]
    return str(body["error"])


GOOD = {"q": "Goedemorgen.", "source": "nl", "target": "en"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"source": "nl", "target": "en"}, "missing q parameter"),
        ({"q": "", "source": "nl", "target": "en"}, "missing q parameter"),
        ({"q": [], "source": "nl", "target": "en"}, "missing q parameter"),
        ({"q": "Hoi", "target": "en"}, "missing source parameter"),
        ({"q": "Hoi", "source": "nl"}, "missing target parameter"),
        ({"q": ["Hoi", 3], "source": "nl", "target": "en"}, "q must be a string or a list"),
        ({"q": {"a": 1}, "source": "nl", "target": "en"}, "q must be a string or a list"),
        ({**GOOD, "source": "de"}, "de is not supported"),
        ({**GOOD, "target": "fr"}, "fr is not supported"),
        ({**GOOD, "format": "markdown"}, "markdown format is not supported"),
        ({**GOOD, "alternatives": "many"}, "alternatives must be a whole number"),
        ({**GOOD, "alternatives": 99}, "alternatives must be 0 to 8"),
        ({**GOOD, "glossary": "legal"}, "unknown glossary 'legal'; this server has: default"),
        ({**GOOD, "glossary": ["news"]}, "glossary must be a name"),
        ({**GOOD, "terms": "not json"}, "terms is not JSON"),
        ({**GOOD, "terms": {"source": "a"}}, "terms must be a list"),
        ({**GOOD, "terms": [{"source": "a"}]}, "terms[1]: source and target must be strings"),
        ({**GOOD, "terms": [{"source": " ", "target": "b"}]}, "must be non-empty single lines"),
        ({**GOOD, "terms": [{"source": "a", "target": "b"}] * 2}, "'a' is given twice"),
    ],
)
def test_bad_translate_requests_are_400(
    server: RunningServer, body: dict[str, Any], message: str
) -> None:
    assert message in _error(_post(server, json=body), 400)


@pytest.mark.parametrize(
    ("content", "headers", "message"),
    [
        (b"{bad", {"Content-Type": "application/json"}, "Invalid JSON"),
        (b"\xff\xfe", {"Content-Type": "application/json"}, "Invalid JSON"),
        (b'["q"]', {"Content-Type": "application/json"}, "the body must be an object"),
        (b"q=Hoi", {"Content-Type": "text/plain"}, "unsupported content type text/plain"),
    ],
)
def test_malformed_bodies_are_400(
    server: RunningServer, content: bytes, headers: dict[str, str], message: str
) -> None:
    assert message in _error(_post(server, content=content, headers=headers), 400)


def test_unknown_routes_and_methods_are_json(server: RunningServer) -> None:
    with server.client() as client:
        assert _error(client.get("/nowhere"), 404) == "Not Found"
        assert _error(client.get("/translate"), 405) == "Method Not Allowed"


def test_text_over_the_char_limit_is_413(engine: Engine) -> None:
    with running_server(engine, char_limit=20) as small:
        error = _error(
            _post(small, json={**GOOD, "q": ["Goedemorgen.", "Goedenavond, allemaal."]}), 413
        )
        assert error == "Invalid request: request (34) exceeds text limit (20)"
        assert _post(small, json=GOOD).status_code == 200


def test_oversize_bodies_are_413_without_reading_them(server: RunningServer) -> None:
    too_big = b"x" * (server.settings.max_body_bytes + 1)
    assert "too large" in _error(
        _post(server, content=too_big, headers={"Content-Type": "application/json"}), 413
    )

    def chunks() -> Any:  # no Content-Length: counted while it arrives
        for _ in range(server.settings.max_body_bytes // 65536 + 2):
            yield b"y" * 65536

    response = _post(server, content=chunks(), headers={"Content-Type": "application/json"})
    assert "too large" in _error(response, 413)


def test_wrong_or_missing_keys_are_403(engine: Engine) -> None:
    with running_server(engine, api_keys=frozenset({KEY})) as keyed:
        assert _error(_post(keyed, json={**GOOD, "api_key": "nope"}), 403) == "Invalid API key"
        assert "Missing API key" in _error(_post(keyed, json=GOOD), 403)
        assert "Missing API key" in _error(_post(keyed, "/detect", data={"q": "Hallo"}), 403)
        assert _post(keyed, json={**GOOD, "api_key": KEY}).status_code == 200
        assert _post(keyed, data={**GOOD, "api_key": KEY}).status_code == 200


def test_a_full_queue_answers_429(engine: Engine) -> None:
    with running_server(engine, max_queued_sentences=2) as tiny:
        response = _post(tiny, json={**GOOD, "q": "Een. Twee. Drie."})
        error = _error(response, 429)
        assert error.startswith("Slowdown: the translation queue is full")
        assert response.headers["retry-after"] == "1"
        assert _post(tiny, json={**GOOD, "q": "Een. Twee."}).status_code == 200


def test_bad_files_are_400(server: RunningServer) -> None:
    def upload(name: str, data: bytes, **fields: str) -> httpx.Response:
        return _post(
            server,
            "/translate_file",
            data={"source": "nl", "target": "en", **fields},
            files={"file": (name, data, "application/octet-stream")},
        )

    assert "file format not supported (.exe)" in _error(upload("x.exe", b"MZ"), 400)
    assert "de is not supported as source" in _error(upload("a.txt", b"Hoi", source="de"), 400)
    error = _error(upload("data.jsonl", b'{"text": "Hoi"}\n{broken\n'), 400)
    assert error.startswith("Invalid request: data.jsonl:2:") and "vertaal-serve" not in error
    assert "data.jsonl" in error
    not_multipart = _post(server, "/translate_file", data={"source": "nl", "target": "en"})
    assert "multipart/form-data" in _error(not_multipart, 400)
    no_file = _post(
        server, "/translate_file", files={"source": (None, "nl"), "target": (None, "en")}
    )
    assert "missing file parameter" in _error(no_file, 400)


def test_downloads_refuse_traversal_and_unknown_names(server: RunningServer) -> None:
    with server.client() as client:
        assert client.get("/download_file/..%2F..%2Fetc%2Fpasswd").status_code == 404
        assert (
            _error(client.get("/download_file/..%5C..%5Cetc%5Cpasswd"), 400) == "Invalid filename"
        )
        assert _error(client.get("/download_file/secret.txt"), 400) == "Invalid filename"
        missing = client.get("/download_file/" + "0" * 32 + ".gone.txt")
    assert "No such file" in _error(missing, 404)


def _raw_request(url: str, head: bytes) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=30)
    sock.sendall(head)
    return sock


def test_a_stalled_upload_is_cut_off_with_408(engine: Engine) -> None:
    with running_server(engine, body_timeout=0.5) as impatient:
        body = json.dumps(GOOD).encode()
        head = (
            b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:5]
        )
        started = time.monotonic()
        with _raw_request(impatient.url, head) as sock:
            received = b""
            while chunk := sock.recv(65536):  # the server closes the connection
                received += chunk
            answer = received.decode()
        assert time.monotonic() - started < 10
        assert answer.startswith("HTTP/1.1 408")
        assert '{"error":"Request body not received in time"}' in answer
        # the server still serves others
        assert _post(impatient, json=GOOD).status_code == 200


def test_no_bad_input_gets_a_500(server: RunningServer) -> None:
    weird: list[dict[str, Any]] = [
        {"json": {**GOOD, "q": "\x00\x01\x02"}},
        {"json": {**GOOD, "q": "<<<>>>", "format": "html"}},
        {"json": {**GOOD, "q": "   "}},
        {"json": {**GOOD, "q": "🙂" * 50}},
        {"json": {**GOOD, "alternatives": 1.5}},
        {"json": {**GOOD, "terms": [None]}},
        {"data": {"q": "Hoi", "source": "nl", "target": "en", "terms": "[1]"}},
        {"json": {**GOOD, "source": ["nl"]}},
        {"json": {**GOOD, "target": {"en": 1}}},
        {"json": {**GOOD, "format": ["html"]}},
        {"json": {**GOOD, "api_key": ["x"]}},
    ]
    for kwargs in weird:
        response = _post(server, **kwargs)
        assert response.status_code < 500, (kwargs, response.text)
