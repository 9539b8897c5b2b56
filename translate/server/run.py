"""Running the application under uvicorn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from translate.errors import VertaalError

if TYPE_CHECKING:
    from translate.engine import Engine
    from translate.server.batcher import Batcher
    from translate.server.glossaries import GlossaryCatalog
    from translate.server.service import ServerSettings


class ServeError(VertaalError):
    """The server cannot start (address in use, no permission to bind)."""


def serve(
    settings: ServerSettings,
    engine: Engine,
    catalog: GlossaryCatalog,
    batcher: Batcher,
    *,
    host: str,
    port: int,
) -> None:
    """Serve until SIGINT or SIGTERM; requests in flight are finished first.

    uvicorn re-raises the signal once it has shut down, so the command line's
    signal handling (:mod:`translate.cli.signals`) ends the process with the
    usual status (130 after Ctrl-C, 143 after SIGTERM).
    """
    import uvicorn

    from translate.server.app import create_app

    app = create_app(settings, engine, catalog, batcher)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="info",
        access_log=False,
        timeout_keep_alive=5,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    try:
        server.run()
    except SystemExit:  # uvicorn exits when it cannot bind, after logging why
        if server.started:
            raise
        raise ServeError(
            f"cannot listen on {host}:{port}; is another server using the port?"
        ) from None
    if not server.started:
        raise ServeError(f"cannot listen on {host}:{port}; is another server using the port?")
