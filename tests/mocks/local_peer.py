"""A real HTTP server on 127.0.0.1 for the fakes' tests: the CRM's webhook receiver and a file host."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any


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
    redirects: dict[str, str] = field(default_factory=dict)  # path -> Location of a 3xx
    url: str = ""

    def add_file(self, path: str, content: bytes, content_type: str = "application/pdf", status: int = 200) -> str:
        """Serve ``content`` at ``path``; its absolute URL."""
        self.files[path] = (status, content_type, content)
        return self.url + path

    def reset(self) -> None:
        self.received.clear()
        self.files.clear()
        self.redirects.clear()
        self.status, self.body, self.content_type = 200, b'{"ok": true}', "application/json"

    def posts(self, path: str | None = None) -> list[Received]:
        return [r for r in self.received if r.method == "POST" and (path is None or r.path == path)]


def handler_for(peer: LocalPeer) -> type[BaseHTTPRequestHandler]:
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
            if self.path in peer.redirects:
                self.send_header("Location", peer.redirects[self.path])
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
