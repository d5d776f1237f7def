"""Fixtures for the provider fakes' own tests: fresh fakes, the responses mount, a local HTTP peer."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import responses

from mocks import ProviderFakes
from mocks.responses_mount import mount


@dataclass
class Received:
    """One request the local peer received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class LocalPeer:
    """A real HTTP server on 127.0.0.1 standing in for the CRM (webhooks) and a file host (downloads)."""

    received: list[Received] = field(default_factory=list)
    status: int = 200
    body: bytes = b'{"ok": true}'
    content_type: str = "application/json"
    files: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    url: str = ""

    def add_file(self, path: str, content: bytes, content_type: str = "application/pdf", status: int = 200) -> str:
        """Serve ``content`` at ``path``; its absolute URL."""
        self.files[path] = (status, content_type, content)
        return self.url + path

    def reset(self) -> None:
        self.received.clear()
        self.files.clear()
        self.status, self.body, self.content_type = 200, b'{"ok": true}', "application/json"

    def posts(self, path: str | None = None) -> list[Received]:
        return [r for r in self.received if r.method == "POST" and (path is None or r.path == path)]


def _handler(peer: LocalPeer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            peer.received.append(Received(self.command, self.path, dict(self.headers.items()), body))
            if self.command == "GET" and self.path in peer.files:
                status, content_type, content = peer.files[self.path]
            else:
                status, content_type, content = peer.status, peer.content_type, peer.body
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            try:
                self.wfile.write(content)
            except (BrokenPipeError, ConnectionResetError):
                return  # the client stopped reading (a download over a size cap)

        do_GET = do_POST = do_PATCH = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return None

    return Handler


@pytest.fixture(scope="session")
def _peer_server() -> Iterator[LocalPeer]:
    found = LocalPeer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(found))
    found.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def peer(_peer_server: LocalPeer) -> LocalPeer:
    """The local peer, emptied and answering 200 ``{"ok": true}``."""
    _peer_server.reset()
    return _peer_server


@pytest.fixture
def fakes() -> ProviderFakes:
    return ProviderFakes()


@pytest.fixture
def rsps(fakes: ProviderFakes, peer: LocalPeer) -> Iterator[responses.RequestsMock]:
    """The in-process mount, with the local peer passed through (as the suite passes the emulator)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mount(mock, fakes)
        mock.add_passthru(peer.url)
        yield mock
