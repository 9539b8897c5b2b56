"""A real `vertaal serve` application under uvicorn on 127.0.0.1, with the bundled model."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from translate.engine import Engine, EngineOptions
from translate.packages import bundled_package
from translate.server.app import create_app
from translate.server.batcher import Batcher
from translate.server.glossaries import GlossaryCatalog
from translate.server.service import ServerSettings

KEY = "test-key-0123"


@dataclass
class RunningServer:
    """A server in a thread: its base URL and the parts tests look into."""

    url: str
    batcher: Batcher
    settings: ServerSettings
    engine: Engine

    def client(self, **options: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **options)


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The bundled model, loaded once for every server of the session."""
    return Engine.load(bundled_package(), EngineOptions(beam_size=2))


@contextmanager
def running_server(
    engine: Engine,
    *,
    glossaries: tuple[Path, ...] = (),
    cache_path: Path | None = None,
    workers: int = 1,
    max_queued_sentences: int = 4096,
    protect: bool = True,
    **settings: Any,
) -> Iterator[RunningServer]:
    """Start uvicorn on a free port (port 0) in a thread; stop it and wait on exit."""
    import uvicorn

    config_settings = ServerSettings(**settings)
    catalog = GlossaryCatalog(list(glossaries), protect=protect)
    batcher = Batcher(
        engine, workers=workers, max_queued_sentences=max_queued_sentences, cache_path=cache_path
    )
    app = create_app(config_settings, engine, catalog, batcher)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the server thread died while starting"
        assert time.monotonic() < deadline, "the server did not start in 30 s"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield RunningServer(f"http://127.0.0.1:{port}", batcher, config_settings, engine)
    finally:
        server.should_exit = True
        thread.join(30)
        assert not thread.is_alive(), "the server did not stop"


ServerFactory = Callable[..., Any]


@pytest.fixture(scope="module")
def server(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One shared server: default glossary, a translation cache, no API keys."""
    cache = tmp_path_factory.mktemp("cache") / "cache.sqlite"
    with running_server(engine, cache_path=cache) as running:
        yield running
