"""The emulator served by uvicorn in a background thread, on a free port, with its own database."""

from __future__ import annotations

import asyncio
import socket
import threading
from dataclasses import replace
from pathlib import Path

import uvicorn

from emulator.app import create_app
from emulator.db import Database
from emulator.settings import Settings
from harness.asgi_transport import AsgiAdapter, AsgiTransport

# The thread that serves an in-process CRM (its event loop: a request to it is awaited there).
THREAD_NAME = "crm-emulator"


class NotifyingServer(uvicorn.Server):
    """A uvicorn server that says when it is ready (no polling, no sleeps)."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()
        self.loop: asyncio.AbstractEventLoop | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self.loop = asyncio.get_running_loop()
        self.ready.set()


class EmulatorServer:
    def __init__(self, data_dir: Path, database_url: str | None = None) -> None:
        # IPPROTO_TCP: asyncio sets TCP_NODELAY only on such sockets; without it every keep-alive
        # request waits ~40 ms for a delayed ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        port = self._socket.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.settings = replace(
            Settings(),
            database_url=database_url or f"sqlite:///{data_dir / 'crm.sqlite3'}",
            files_dir=data_dir / "files",
            public_base_url=self.base_url,
            control_api=True,
            # The loop runs only while a scenario starts it (harness/crm_operations.py), and that scenario
            # waits for its first tick: a fifth of a second here, not the production second.
            scheduler_loop=False,
            scheduler_interval_seconds=0.2,
        )
        self.database = Database(self.settings.database_url)
        self.database.drop_schema()
        self.database.create_schema()
        self.app = create_app(self.settings, self.database)
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            lifespan="on",
            timeout_keep_alive=30,
            timeout_graceful_shutdown=1,
        )
        self._server = NotifyingServer(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name=THREAD_NAME, daemon=True
        )

    def start(self) -> EmulatorServer:
        self._thread.start()
        if not self._server.ready.wait(timeout=60):
            raise RuntimeError("the emulator did not start within 60 s")
        return self

    def adapter(self) -> AsgiAdapter:
        """A requests transport to this server's app on its own loop, without the socket (harness/asgi_transport.py)."""
        return AsgiAdapter(self.app, self._loop())

    def transport(self) -> AsgiTransport:
        """The typed client's way to this server's app on its own loop, without the socket."""
        return AsgiTransport(self.app, self._loop())

    def _loop(self) -> asyncio.AbstractEventLoop:
        if self._server.loop is None:
            raise RuntimeError("the emulator is not started")
        return self._server.loop

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)
        self.database.engine.dispose()
