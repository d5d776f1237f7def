"""A fake's profile: the provider's wire details the test steps need, so the steps hold none.

Steps speak of "the send requests", "the channel list request", "the idempotency key", "how the provider
says the key is wrong"; each fake answers in its provider's terms. Field names a feature compares
(``channelId``, ``to``, ...) are the feature's own business: they are the contract the QA team checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mocks.journal import JournalEntry


@dataclass(frozen=True)
class Route:
    method: str
    path: str

    def matches(self, entry: JournalEntry) -> bool:
        return entry.method == self.method and entry.path == self.path

    def fault_target(self) -> dict[str, str]:
        """``fail_next``'s method/path parameters for this route."""
        return {"method": self.method, "path": self.path}


@dataclass(frozen=True)
class CannedAnswer:
    """An answer a fault makes the fake give (``fail_next("status", status=..., body=...)``)."""

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)

    def fault(self) -> dict[str, Any]:
        found: dict[str, Any] = {"status": self.status, "body": self.body}
        if self.headers:
            found["headers"] = dict(self.headers)
        return found


@dataclass(frozen=True)
class FakeProfile:
    """How one provider's requests look, for the steps.

    ``send``/``channels``: the routes; ``channel_of``/``number_of``: how a send names the channel and the
    number; ``auth``: how a request authenticates (``header`` name or ``query`` parameter); ``key_of``:
    the request's idempotency key (None: the provider has none); ``request_id_of``: the provider's id of
    an answer (for support), when it gives one; ``status_words``: the provider's words for the CRM's
    statuses (sent, delivered, read, error); ``key_rejected``: how it refuses the CRM's credentials on a
    send; ``error_in_ok``: a 2xx answer that carries an error (None when the provider has no such thing);
    ``accepted_without_id``: a 2xx answer that names no message id; ``signature_count``: how many
    signatures a webhook delivery carries (several during a secret rotation); ``delivery_id_of``: a webhook
    delivery's own id, where the provider gives one (None otherwise); ``refusals``: the send
    refusals the provider documents, by a provider-neutral name (``spam``, ``quota``, ``wrong_transport``,
    ``first_message_not_allowed``, ``template_required``), each as the provider gives it;
    ``looked_up_by_id``: the message id a request asks the provider about by that id (None for any other
    request; the whole field None when the provider cannot be asked).
    """

    provider: str
    send: Route
    channels: Route
    channel_of: Callable[[JournalEntry], Any]
    number_of: Callable[[JournalEntry], Any]
    auth: Mapping[str, str]
    key_of: Callable[[JournalEntry], str | None]
    request_id_of: Callable[[JournalEntry], str | None]
    status_words: Mapping[str, str]
    key_rejected: CannedAnswer
    error_in_ok: Callable[[str], CannedAnswer] | None
    accepted_without_id: CannedAnswer
    signature_count: Callable[[Any], int]
    delivery_id_of: Callable[[Any], str | None]
    delivery_error: Callable[[str], dict[str, str]]
    refusals: Mapping[str, CannedAnswer] = field(default_factory=dict)
    looked_up_by_id: Callable[[JournalEntry], str | None] | None = None

    def sends(self, journal: Any) -> list[JournalEntry]:
        """The journal's send requests, oldest first."""
        return [entry for entry in journal if self.send.matches(entry)]
