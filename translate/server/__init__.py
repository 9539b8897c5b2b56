"""``vertaal serve``: a LibreTranslate-compatible HTTP server with the glossary.

Built on Starlette (routing, requests, responses) served by uvicorn. One
loaded :class:`~translate.engine.Engine` translates for every request: the
:mod:`~translate.server.batcher` queues the sentences of concurrent requests
and decodes them together. Nothing here is imported by ``vertaal --help``.
"""
