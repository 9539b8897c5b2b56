"""Hostile packages and package servers: corrupt models, malformed indexes, dripping downloads.

Real archives built from the bundled package, a real HTTP server on 127.0.0.1
that stalls, drips, lies about lengths and loops redirects, and real signals
to a real ``vertaal models install`` process. After every failure nothing is
installed, no staging directory is left, and an installed package is untouched.
"""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.errors import PackageError
from translate.packages import (
    DownloadLimits,
    fetch_index,
    install_from_index,
    install_package_dir,
    install_package_file,
    installed_packages,
)

Behaviour = Callable[[BaseHTTPRequestHandler], None]


class _Server:
    """Path → behaviour; records every request path."""

    def __init__(self) -> None:
        self.routes: dict[str, Behaviour] = {}
        self.requests: list[str] = []
        self.base = ""

    def body(self, path: str, data: bytes, length: int | None = None) -> None:
        def send(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(data) if length is None else length))
            handler.end_headers()
            handler.wfile.write(data)

        self.routes[path] = send

    def index(self, entries: object) -> None:
        self.body("/index.json", json.dumps(entries).encode())


def _drip(seconds_between: float, total_bytes: int = 10_000) -> Behaviour:
    """Headers at once, then one byte every ``seconds_between`` (never a read timeout)."""

    def send(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(total_bytes))
        handler.end_headers()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            handler.wfile.write(b"P")
            handler.wfile.flush()
            time.sleep(seconds_between)

    return send


def _stall(handler: BaseHTTPRequestHandler) -> None:
    """Headers and a few bytes, then silence."""
    handler.send_response(200)
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    handler.wfile.write(b"PK")
    handler.wfile.flush()
    time.sleep(30)


def _silent(handler: BaseHTTPRequestHandler) -> None:
    """Accept the request and never answer."""
    time.sleep(30)


def _redirect_loop(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(302)
    handler.send_header("Location", handler.path)
    handler.send_header("Content-Length", "0")
    handler.end_headers()


@pytest.fixture
def server() -> Iterator[_Server]:
    state = _Server()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            behaviour = state.routes.get(self.path)
            if behaviour is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                behaviour(self)  # the client may give up, as it should

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02})
    thread.daemon = True
    thread.start()
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _entry(links: object, **fields: Any) -> dict[str, Any]:
    return {
        "code": "translate-nl_en",
        "type": "translate",
        "from_code": "nl",
        "to_code": "en",
        "package_version": "1.0",
        "links": links,
        **fields,
    }


def _clean(root: Path) -> bool:
    """Nothing installed and no staging directory left."""
    return not root.exists() or not any(root.iterdir())


def _refused(call: Callable[[], object], pattern: str) -> str:
    with pytest.raises(PackageError, match=pattern) as raised:
        call()
    message = str(raised.value)
    assert "\n" not in message
    return message


# --------------------------------------------------------------------------- corrupt packages


@pytest.fixture
def corrupt_model(tmp_path: Path, copy_package: Any) -> Path:
    """A package whose model.bin is garbage of a plausible size."""
    directory = copy_package(tmp_path / "translate-nl_en-9_9", package_version="9.9")
    model = directory / "model" / "model.bin"
    size = model.stat().st_size
    model.unlink()  # a new file: never write through to the bundled one
    model.write_bytes(b"\x00garbage" * (size // 8))
    return directory


def test_corrupt_model_archive_is_refused_and_nothing_installed(
    corrupt_model: Path, tmp_path: Path, packages_root: Path, zip_package: Any
) -> None:
    archive = zip_package(corrupt_model, tmp_path / "bad.argosmodel", "translate-nl_en-9_9")
    message = _refused(lambda: install_package_file(archive), "does not load or translate")
    assert message.startswith(f"{archive}: ") and "nothing was installed" in message
    assert ".vertaal-" not in message  # names the package's file, not the staging directory
    assert _clean(packages_root)


def test_corrupt_model_never_replaces_a_working_package(
    corrupt_model: Path,
    tmp_path: Path,
    packages_root: Path,
    copy_package: Any,
    runner: CliRunner,
) -> None:
    good = install_package_dir(copy_package(tmp_path / "x" / corrupt_model.name))
    before = (good.path / "model" / "model.bin").read_bytes()
    result = runner.invoke(cli, ["models", "install", str(corrupt_model), "--force"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.strip().splitlines()[-1].startswith(f"Error: {corrupt_model}: ")
    assert (good.path / "model" / "model.bin").read_bytes() == before
    assert [p.name for p in packages_root.iterdir()] == [good.path.name]
    translated = runner.invoke(cli, ["translate", "--no-glossary"], input="Goedemorgen.\n")
    assert translated.exit_code == 0, translated.output  # the preferred model still works


def test_corrupt_tokenizer_is_refused(
    tmp_path: Path, packages_root: Path, copy_package: Any
) -> None:
    directory = copy_package(tmp_path / "bad-tokenizer")
    (directory / "sentencepiece.model").unlink()
    (directory / "sentencepiece.model").write_bytes(b"not a sentencepiece model")
    _refused(lambda: install_package_dir(directory), "does not load or translate")
    assert _clean(packages_root)


def test_corrupt_model_from_the_index_is_refused(
    server: _Server, corrupt_model: Path, tmp_path: Path, packages_root: Path, zip_package: Any
) -> None:
    archive = zip_package(corrupt_model, tmp_path / "p.argosmodel")
    server.index([_entry(["p.argosmodel"])])
    server.body("/p.argosmodel", archive.read_bytes())
    _refused(
        lambda: install_from_index(index_url=f"{server.base}/index.json"),
        "does not load or translate",
    )
    assert _clean(packages_root)


# --------------------------------------------------------------------------- malformed indexes


@pytest.mark.parametrize(
    ("entries", "pattern"),
    [
        ([_entry("https://example.invalid/p.argosmodel")], r"entry 1 \(translate-nl_en\): links"),
        ([_entry([1, 2])], r"entry 1 \(translate-nl_en\): links\.\d: \d is not of type 'string'"),
        ([_entry([])], r"entry 1 .*links"),
        ([{"code": "x", "from_code": "nl", "links": ["a"]}], r"entry 1 \(x\).*'to_code'"),
        ([_entry(["a"], package_version=2)], r"package_version: 2 is not of type 'string'"),
        ({"packages": []}, r"invalid package index: .* is not of type 'array'"),
        (["not an object"], r"entry 1: the entry: 'not an object' is not of type 'object'"),
    ],
    ids=["links-string", "links-ints", "links-empty", "no-to-code", "version-int", "object", "str"],
)
def test_malformed_index_is_one_message_and_no_package_request(
    server: _Server, packages_root: Path, entries: object, pattern: str
) -> None:
    server.index(entries)
    _refused(lambda: install_from_index(index_url=f"{server.base}/index.json"), pattern)
    assert server.requests == ["/index.json"]
    assert _clean(packages_root)


def test_malformed_index_on_the_command_line(
    server: _Server, runner: CliRunner, packages_root: Path
) -> None:
    server.index([_entry("p.argosmodel")] * 40)
    result = runner.invoke(
        cli, ["models", "install", "nl", "en", "--index", f"{server.base}/index.json"]
    )
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "invalid package index" in errors[0]
    assert "--index" in errors[0]
    assert server.requests == ["/index.json"]


# --------------------------------------------------------------------------- slow and lying servers


def test_dripping_download_stops_at_the_deadline(server: _Server, packages_root: Path) -> None:
    server.index([_entry(["p.argosmodel"])])
    server.routes["/p.argosmodel"] = _drip(0.2)
    started = time.monotonic()
    message = _refused(
        lambda: install_from_index(
            index_url=f"{server.base}/index.json", limits=DownloadLimits(timeout=2, deadline=1.5)
        ),
        r"download not finished after 1\.5 s",
    )
    assert time.monotonic() - started < 10
    assert "--deadline" in message
    assert _clean(packages_root)


def test_stalled_download_hits_the_read_timeout(server: _Server, packages_root: Path) -> None:
    server.index([_entry(["p.argosmodel"])])
    server.routes["/p.argosmodel"] = _stall
    started = time.monotonic()
    _refused(
        lambda: install_from_index(
            index_url=f"{server.base}/index.json", limits=DownloadLimits(timeout=1)
        ),
        r"sent nothing for 1 s \(2 bytes received\)",
    )
    assert time.monotonic() - started < 10
    assert _clean(packages_root)


def test_server_that_never_answers_the_index_request(server: _Server, runner: CliRunner) -> None:
    server.routes["/index.json"] = _silent
    started = time.monotonic()
    result = runner.invoke(
        cli,
        ["models", "install", "nl", "en", "--index", f"{server.base}/index.json", "--timeout", "1"],
    )
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert "sent nothing for 1 s" in result.stderr.strip().splitlines()[-1]


def test_declared_length_over_the_limit_is_refused_before_downloading(
    server: _Server, packages_root: Path
) -> None:
    server.index([_entry(["p.argosmodel"])])
    server.body("/p.argosmodel", b"PK", length=10**12)
    _refused(
        lambda: install_from_index(
            index_url=f"{server.base}/index.json", limits=DownloadLimits(max_bytes=10**6)
        ),
        "over the limit",
    )
    assert _clean(packages_root)


def test_body_longer_than_declared_is_cut_and_refused(
    server: _Server, argosmodel: Path, packages_root: Path
) -> None:
    body = argosmodel.read_bytes()
    server.index([_entry(["p.argosmodel"])])
    server.body("/p.argosmodel", body, length=len(body) // 2)  # lies: claims half
    _refused(
        lambda: install_from_index(index_url=f"{server.base}/index.json"),
        "damaged archive|not a zip|not an Argos package",
    )
    assert _clean(packages_root)


def test_redirect_loop_is_one_message(server: _Server, packages_root: Path) -> None:
    server.index([_entry(["p.argosmodel"])])
    server.routes["/p.argosmodel"] = _redirect_loop
    _refused(lambda: install_from_index(index_url=f"{server.base}/index.json"), "redirects")
    assert len(server.requests) < 40
    assert _clean(packages_root)


def test_fetch_index_reads_a_valid_index(server: _Server) -> None:
    server.index([_entry(["p.argosmodel"]), {"from_code": "de", "to_code": "en", "links": ["x"]}])
    assert [e["from_code"] for e in fetch_index(f"{server.base}/index.json")] == ["nl", "de"]


# --------------------------------------------------------------------------- signals mid-download


def _vertaal(*args: str) -> list[str]:
    return [sys.executable, "-c", "from translate.cli import main; main()", *args]


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"]
)
def test_signal_mid_download_removes_the_staging_directory(
    server: _Server, packages_root: Path, signum: int, status: int
) -> None:
    server.index([_entry(["p.argosmodel"])])
    server.routes["/p.argosmodel"] = _drip(0.05)
    process = subprocess.Popen(
        _vertaal("models", "install", "nl", "en", "--index", f"{server.base}/index.json"),
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while "/p.argosmodel" not in server.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    assert any(p.name.startswith(".vertaal-") for p in packages_root.iterdir())
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == status, err
    assert "Traceback" not in err
    assert _clean(packages_root)


def test_staging_left_by_sigkill_is_removed_by_the_next_install(
    server: _Server, packages_root: Path, argosmodel: Path
) -> None:
    server.index([_entry(["p.argosmodel"])])
    server.routes["/p.argosmodel"] = _drip(0.05)
    index = f"{server.base}/index.json"
    process = subprocess.Popen(_vertaal("models", "install", "nl", "en", "--index", index))
    deadline = time.monotonic() + 60
    while "/p.argosmodel" not in server.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    process.kill()
    process.wait(timeout=30)
    assert [p.name for p in packages_root.iterdir() if p.name.startswith(".vertaal-")]
    server.body("/p.argosmodel", argosmodel.read_bytes())
    installed = install_from_index(index_url=index)
    assert sorted(p.name for p in packages_root.iterdir()) == [installed.path.name]
    assert [p.name for p in installed_packages()] == [installed.path.name]
