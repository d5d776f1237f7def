"""Fixtures for the provider fakes' own tests: fresh fakes, the responses mount, a local HTTP peer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
import responses

from mocks import ProviderFakes
from mocks.responses_mount import mount
from tests.mocks.local_peer import LocalPeer, handler_for


@pytest.fixture(scope="session")
def _peer_server() -> Iterator[LocalPeer]:
    found = LocalPeer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(found))
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
