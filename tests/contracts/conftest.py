"""The contract tests reuse the fakes' local HTTP peer."""

from tests.mocks.conftest import _peer_server, peer

__all__ = ["_peer_server", "peer"]
