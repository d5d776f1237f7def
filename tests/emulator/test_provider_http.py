"""The adapters' HTTP calls over real sockets: one request per call, each on its own connection, no cookies
carried over, and a transport failure said to have "never left" only when no connection was made."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
import requests

from emulator.providers import http
from emulator.providers.http import TransportFailure

OK = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nSet-Cookie: s=1; Path=/\r\n\r\n{}"


@dataclass
class Peer:
    """A TCP server that reads each request of each connection and then does what ``answer`` says."""

    answer: Callable[[socket.socket], None]
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)

    def serve(self, listener: socket.socket) -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._converse, args=(connection,), daemon=True).start()

    def _converse(self, connection: socket.socket) -> None:
        with connection:
            while True:  # every request this connection carries (a kept-alive one carries more)
                head = _read_head(connection)
                if not head:
                    return
                self.requests.append(head)
                self.answer(connection)


def _read_head(connection: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = connection.recv(65536)
        except OSError:
            return b""
        if not chunk:
            return b""
        data += chunk
    return data


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[socket.socket], None]], tuple[Peer, str]]]:
    listeners: list[socket.socket] = []

    def start(answer: Callable[[socket.socket], None]) -> tuple[Peer, str]:
        listener = socket.create_server(("127.0.0.1", 0))
        listeners.append(listener)
        peer = Peer(answer)
        threading.Thread(target=peer.serve, args=(listener,), daemon=True).start()
        return peer, f"http://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    for listener in listeners:
        listener.close()


def _answer_and_keep_open(connection: socket.socket) -> None:
    connection.sendall(OK.replace(b"\r\n\r\n", b"\r\nConnection: keep-alive\r\n\r\n", 1))


def test_each_call_is_one_request_on_its_own_connection(serve: Callable[..., tuple[Peer, str]]) -> None:
    peer, url = serve(_answer_and_keep_open)  # a server that would keep every connection for more requests
    for _ in range(3):
        answer = http.call("POST", f"{url}/message", json={"text": "x"}, timeout=5)
        assert isinstance(answer, requests.Response) and answer.status_code == 200
    assert (peer.connections, len(peer.requests)) == (3, 3)


def test_no_cookie_is_carried_from_one_call_to_the_next(serve: Callable[..., tuple[Peer, str]]) -> None:
    peer, url = serve(lambda connection: connection.sendall(OK))
    http.call("GET", f"{url}/channels", timeout=5)
    http.call("GET", f"{url}/channels", timeout=5)
    assert [b"cookie:" in head.lower() for head in peer.requests] == [False, False]


def test_a_call_answered_by_a_closed_connection_may_have_arrived_and_is_not_resent(
    serve: Callable[..., tuple[Peer, str]],
) -> None:
    peer, url = serve(lambda connection: connection.shutdown(socket.SHUT_RDWR))
    answer = http.call("POST", f"{url}/message", json={"text": "x"}, timeout=5)
    assert isinstance(answer, TransportFailure) and answer.may_have_arrived
    assert len(peer.requests) == 1


def test_a_call_without_an_answer_in_time_may_have_arrived_and_is_not_resent(
    serve: Callable[..., tuple[Peer, str]],
) -> None:
    release = threading.Event()
    peer, url = serve(lambda connection: release.wait(5))
    try:
        answer = http.call("POST", f"{url}/message", json={"text": "x"}, timeout=0.3)
    finally:
        release.set()
    assert isinstance(answer, TransportFailure) and answer.may_have_arrived
    assert len(peer.requests) == 1


def test_a_refused_connection_never_left() -> None:
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    answer = http.call("POST", f"http://127.0.0.1:{port}/message", json={"text": "x"}, timeout=5)
    assert answer == TransportFailure(False, "сервис недоступен (соединение не установлено)")


def test_the_environments_proxy_is_used(
    serve: Callable[..., tuple[Peer, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy, proxy_url = serve(lambda connection: connection.sendall(OK))
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    answers: list[object] = []
    caller = threading.Thread(  # a thread of its own: settings are read once per thread and origin
        target=lambda: answers.append(http.call("GET", "http://provider.invalid/channels", timeout=5))
    )
    caller.start()
    caller.join()
    assert isinstance(answers[0], requests.Response) and answers[0].status_code == 200
    assert [head.split(b"\r\n")[0] for head in proxy.requests] == [b"GET http://provider.invalid/channels HTTP/1.1"]
