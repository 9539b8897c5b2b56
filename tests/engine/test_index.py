"""Installing from a package index over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.errors import PackageError
from translate.packages import DownloadLimits, install_from_index, installed_packages


class _Site:
    """What the test server serves: path -> (status, body, declared length or None)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes, int | None]] = {}
        self.requests: list[str] = []

    def add(self, path: str, body: bytes, status: int = 200, length: int | None = None) -> None:
        self.routes[path] = (status, body, length)


@pytest.fixture
def site() -> Iterator[tuple[_Site, str]]:
    content = _Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            content.requests.append(self.path)
            status, body, length = content.routes.get(self.path, (404, b"not found", None))
            self.send_response(status)
            self.send_header("Content-Length", str(length if length is not None else len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            if length is not None and length > len(body):
                self.close_connection = True  # a truncated download: the body stops early

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        yield content, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _index(link: str, from_code: str = "nl", to_code: str = "en", version: str = "1.0") -> bytes:
    return json.dumps(
        [
            {"code": "translate-de_en", "from_code": "de", "to_code": "en", "links": ["x"]},
            {
                "code": f"translate-{from_code}_{to_code}",
                "type": "translate",
                "from_code": from_code,
                "to_code": to_code,
                "package_version": version,
                "links": [link],
            },
        ]
    ).encode()


def _nothing_installed(root: Path) -> bool:
    return not root.exists() or not any(root.iterdir())


def test_install_nl_en_from_index_and_translate(
    site: tuple[_Site, str],
    argosmodel: Path,
    monkeypatch: pytest.MonkeyPatch,
    packages_root: Path,
    runner: CliRunner,
) -> None:
    content, base = site
    content.add("/index.json", _index("packages/translate-nl_en-1_0.argosmodel"))
    content.add("/packages/translate-nl_en-1_0.argosmodel", argosmodel.read_bytes())
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"{base}/index.json")
    result = runner.invoke(cli, ["models", "install", "nl", "en"])
    assert result.exit_code == 0, result.output
    assert "installed translate-nl_en-1_0" in result.output
    assert [p.name for p in installed_packages()] == ["translate-nl_en-1_0"]
    assert sorted(p.name for p in packages_root.iterdir()) == ["translate-nl_en-1_0"]
    translated = runner.invoke(cli, ["translate", "--no-glossary"], input="Goedemorgen.\n")
    assert translated.exit_code == 0, translated.output
    assert "translate-nl_en-1_0" in translated.stderr
    assert translated.stdout.strip() and translated.stdout.endswith("\n")


def test_base_url_index_like_argospm(
    site: tuple[_Site, str], argosmodel: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content, base = site
    content.add("/argos/index.json", _index(f"{base}/dl/nl_en.argosmodel"))
    content.add("/dl/nl_en.argosmodel", argosmodel.read_bytes())
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"{base}/argos/")
    assert install_from_index("nl", "en").is_nl_en
    assert content.requests == ["/argos/index.json", "/dl/nl_en.argosmodel"]


def _expect_error(call: Callable[[], object], pattern: str, root: Path) -> PackageError:
    with pytest.raises(PackageError, match=pattern) as raised:
        call()
    assert "\n" not in raised.value.message
    assert installed_packages() == []
    assert _nothing_installed(root), "no package and no staging leftovers"
    return raised.value


def test_server_down(packages_root: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _expect_error(
        lambda: install_from_index(
            index_url=f"http://127.0.0.1:{port}/index.json", limits=DownloadLimits(timeout=5)
        ),
        "cannot connect",
        packages_root,
    )


def test_index_404(site: tuple[_Site, str], packages_root: Path) -> None:
    _, base = site
    _expect_error(
        lambda: install_from_index(
            index_url=f"{base}/index.json", limits=DownloadLimits(timeout=5)
        ),
        "HTTP 404",
        packages_root,
    )


def test_package_404(site: tuple[_Site, str], packages_root: Path) -> None:
    content, base = site
    content.add("/index.json", _index("missing.argosmodel"))
    _expect_error(
        lambda: install_from_index(
            index_url=f"{base}/index.json", limits=DownloadLimits(timeout=5)
        ),
        r"missing\.argosmodel: HTTP 404",
        packages_root,
    )


def test_truncated_download_leaves_nothing(
    site: tuple[_Site, str], argosmodel: Path, packages_root: Path
) -> None:
    content, base = site
    body = argosmodel.read_bytes()
    content.add("/index.json", _index("p.argosmodel"))
    content.add("/p.argosmodel", body[: len(body) // 2], length=len(body))
    _expect_error(
        lambda: install_from_index(
            index_url=f"{base}/index.json", limits=DownloadLimits(timeout=5)
        ),
        "download incomplete",
        packages_root,
    )


def test_corrupt_download_is_not_installed(
    site: tuple[_Site, str], argosmodel: Path, packages_root: Path
) -> None:
    content, base = site
    body = bytearray(argosmodel.read_bytes())
    body[len(body) // 3 : len(body) // 3 + 64] = bytes(64)  # damaged in transit, length intact
    content.add("/index.json", _index("p.argosmodel"))
    content.add("/p.argosmodel", bytes(body))
    _expect_error(
        lambda: install_from_index(
            index_url=f"{base}/index.json", limits=DownloadLimits(timeout=5)
        ),
        "damaged archive|not a zip",
        packages_root,
    )


def test_index_without_the_pair(site: tuple[_Site, str], packages_root: Path) -> None:
    content, base = site
    content.add("/index.json", _index("p.argosmodel", "fr", "en"))
    _expect_error(
        lambda: install_from_index(
            index_url=f"{base}/index.json", limits=DownloadLimits(timeout=5)
        ),
        "no nl→en package listed",
        packages_root,
    )


def test_index_that_is_not_json(site: tuple[_Site, str], packages_root: Path) -> None:
    content, base = site
    content.add("/index.json", b"<html>oops</html>")
    _expect_error(
        lambda: install_from_index(
            index_url=f"{base}/index.json", limits=DownloadLimits(timeout=5)
        ),
        "not valid JSON",
        packages_root,
    )


def test_package_for_another_pair_than_listed(
    site: tuple[_Site, str], tmp_path: Path, packages_root: Path, fake_package, zip_package
) -> None:
    content, base = site
    german = zip_package(fake_package(tmp_path / "de", "de", "en"), tmp_path / "de.argosmodel")
    content.add("/index.json", _index("p.argosmodel"))
    content.add("/p.argosmodel", german.read_bytes())
    _expect_error(
        lambda: install_from_index(
            index_url=f"{base}/index.json", limits=DownloadLimits(timeout=5)
        ),
        "expected a nl→en package, got de→en",
        packages_root,
    )


def test_cli_reports_download_errors_in_one_line(
    site: tuple[_Site, str], runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, base = site
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"{base}/nothing-here.json")
    result = runner.invoke(cli, ["models", "install", "nl", "en", "--timeout", "5"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: {base}/nothing-here.json: HTTP 404 Not Found"
    )
    assert "Traceback" not in result.output
