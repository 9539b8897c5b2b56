"""`vertaal serve` as a real process: start-up, options, and SIGTERM with a request in flight."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from translate.cli import cli

VERTAAL = [sys.executable, "-c", "from translate.cli import main; main()"]


@contextmanager
def serve_process(*args: str) -> Iterator[tuple[subprocess.Popen[str], int, list[str]]]:
    """``vertaal serve --port 0 ...``; yields the process, its port and its stderr lines."""
    process = subprocess.Popen(
        [*VERTAAL, "serve", "--port", "0", "--no-cache", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 60
        port = None
        while port is None:
            assert time.monotonic() < deadline, "".join(lines)
            line = process.stdout.readline()
            assert line, "the server exited while starting:\n" + "".join(lines)
            lines.append(line)
            found = re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", line)
            port = int(found.group(1)) if found else None
        yield process, port, lines
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(30)


def _read_response(sock: socket.socket) -> tuple[int, dict[str, object]]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, data
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"content-length: (\d+)", head, re.IGNORECASE).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk
        body += chunk
    return int(head.split()[1]), json.loads(body)


def test_sigterm_finishes_the_request_in_flight() -> None:
    body = json.dumps({"q": "De NAVO-top begint morgen.", "source": "nl", "target": "en"}).encode()
    with serve_process() as (process, port, _lines):
        sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        with sock:
            head = (
                b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
            )
            sock.sendall(head + body[:10])  # the request is in flight: half its body sent
            time.sleep(0.5)
            process.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            assert process.poll() is None  # still waiting for our request
            # new connections are refused while it drains
            try:
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                refused = False
            except OSError:
                refused = True
            assert refused
            sock.sendall(body[10:])
            status, answer = _read_response(sock)
        assert status == 200 and "NATO" in str(answer["translatedText"])
        assert process.wait(30) == 143  # the project's convention after SIGTERM


def test_cli_help_and_bad_options(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "vertaal serve --port 8080" in result.output
    empty = tmp_path / "keys.txt"
    empty.write_text("# no keys yet\n", encoding="utf-8")
    result = runner.invoke(cli, ["serve", "--api-keys", str(empty)])
    assert result.exit_code == 1
    assert (
        result.output.strip()
        == f"Error: {empty}: no API keys in the file; put one key on each line"
    )
    spaced = tmp_path / "spaced.txt"
    spaced.write_text("good-key\nbad key\n", encoding="utf-8")
    result = runner.invoke(cli, ["serve", "--api-keys", str(spaced)])
    assert (
        result.exit_code == 1 and f"{spaced}:2: an API key cannot contain spaces" in result.output
    )
    missing = runner.invoke(cli, ["serve", "--glossary", str(tmp_path / "nope.po")])
    assert missing.exit_code == 1 and "nope.po" in missing.output
    domain = runner.invoke(cli, ["serve", "--domain", "astrology"])
    assert domain.exit_code == 1 and "no entries in domain 'astrology'" in domain.output
    both = runner.invoke(cli, ["serve", "--no-cache", "--cache", str(tmp_path / "c")])
    assert both.exit_code == 2


def test_a_taken_port_is_a_one_line_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*VERTAAL, "serve", "--port", str(port), "--no-cache"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        f"Error: cannot listen on 127.0.0.1:{port}; is another server using the port?"
    )
    assert "Traceback" not in done.stderr


_PROBE = """
import sys
from translate.cli import cli
try:
    cli.main(args=sys.argv[1:], prog_name="vertaal", standalone_mode=False)
except SystemExit:
    pass
heavy = ("starlette", "uvicorn", "lxml", "langdetect", "ctranslate2", "multipart")
print("HEAVY:" + ",".join(sorted(m for m in heavy if m in sys.modules)))
"""


def test_help_does_not_load_the_server_stack() -> None:
    for args in (["--help"], ["serve", "--help"]):
        done = subprocess.run(
            [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip().splitlines()[-1] == "HEAVY:", done.stdout[-300:]
