"""The API as a stage: uvicorn in the current thread, stopped by a threading.Event."""

from __future__ import annotations

import logging
import threading

import uvicorn

from pipeline.api.app import create_app
from pipeline.config import Settings

log = logging.getLogger(__name__)


class ApiServer:
    """Serves `create_app(settings)` on settings.api.host:port until `stop` is set."""

    def __init__(self, settings: Settings, host: str | None = None, port: int | None = None) -> None:
        self.settings = settings
        self.host = host or settings.api.host
        self.port = settings.api.port if port is None else port
        self._server: uvicorn.Server | None = None

    @property
    def started(self) -> bool:
        return bool(self._server and self._server.started)

    def run(self, stop: threading.Event) -> None:
        """Block serving requests; return shortly after `stop` is set."""
        config = uvicorn.Config(create_app(self.settings), host=self.host, port=self.port,
                                log_config=None, access_log=False, lifespan="on", timeout_graceful_shutdown=3)
        server = uvicorn.Server(config)
        self._server = server

        def watch() -> None:
            stop.wait()
            server.should_exit = True

        threading.Thread(target=watch, name="api-stop-watch", daemon=True).start()
        log.info("api listening", extra={"host": self.host, "port": self.port})
        server.run()
        log.info("api stopped")
