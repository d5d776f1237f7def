"""Fake of Wazzup API v3 (``/v3``), from its public documentation (contract: contracts/wazzup.yaml).

From the documentation: ``Authorization: Bearer <key>`` else 401; every request is checked against the
contract first (a field that is missing, mistyped or undocumented -> 400 ``INVALID_MESSAGE_DATA`` with the
field *names* in ``data.fields``); ``text`` or ``contentUri``, never both (``MESSAGE_ONLY_TEXT_OR_CONTENT``);
chatType must fit the channel (``WRONG_TRANSPORT``; ``whatsapp`` and ``wapi`` channels take ``whatsapp``);
WhatsApp text <= 10 000 characters, WABA <= 4096 (``MESSAGE_TEXT_TOO_LONG``); the file is downloaded
without following redirects (``MESSAGE_DOWNLOAD_CONTENT_ERROR``), over 10 MB
``MESSAGES_CONTENT_SIZE_EXCEEDED``; the same ``crmMessageId`` within 60 s of its first receipt -> 400
``REPEATED_CRM_MESSAGE_ID`` with ``data.crmMessageId`` (only messages that were sent are remembered);
> 500 requests per 5 s -> 429; success 201 ``{"messageId", "chatId"}``. Subscribing (``PATCH /webhooks``)
POSTs ``{"test": true}`` to the address first and needs 200 (``testPostNotPassed``); status webhooks are
POSTed there with no Authorization header: the fake knows the CRM only by the address it registered.

Chosen where the documentation is silent (docs/DECISIONS.md): the errors of the channel states
(``phoneUnavailable``/``init`` and the states that need a person -> ``MESSAGE_CHANNEL_UNAVAILABLE``,
``blocked``/``disabled`` -> ``CHANNEL_BLOCKED``, ``notEnoughMoney`` -> ``CHANNEL_NO_MONEY``, WABA
``rejected``/``onModeration`` -> ``CHANNEL_WAPI_REJECTED``); 401/429 use ``UNAUTHORIZED`` /
``TOO_MANY_REQUESTS`` with ``Retry-After``; a forged delivery replaces the last path segment of the
registered address (where the CRM keeps its secret), an unsigned one drops it.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from mocks.channel import FakeChannel
from mocks.clock import utc_now
from mocks.content_download import DownloadError, download
from mocks.outbox import Attachment
from mocks.profile import CannedAnswer, FakeProfile, Route
from mocks.provider_fake import ProviderFake, RateLimit, StatusOptions
from mocks.webhook_delivery import WebhookDelivery, encode_payload
from mocks.wire import FakeRequest, FakeResponse

WAZZUP_STATES = frozenset(
    {
        "active",
        "init",
        "disabled",
        "phoneUnavailable",
        "qr",
        "qridle",
        "openElsewhere",
        "openelsewhere",
        "notEnoughMoney",
        "foreignphone",
        "unauthorized",
        "waitForPassword",
        "blocked",
        "onModeration",
        "rejected",
    }
)
WHATSAPP_TRANSPORTS = frozenset({"whatsapp", "wapi"})
CHAT_TYPES_OF = {"whatsapp": {"whatsapp", "whatsgroup"}, "wapi": {"whatsapp"}}
TEXT_LIMITS = {"whatsapp": 10_000, "wapi": 4096}
CONTENT_LIMIT_BYTES = 10 * 1024 * 1024
CRM_MESSAGE_ID_WINDOW = timedelta(seconds=60)
_STATE_ERRORS = {
    "blocked": ("CHANNEL_BLOCKED", "Channel is blocked"),
    "disabled": ("CHANNEL_BLOCKED", "Channel is switched off"),
    "notEnoughMoney": ("CHANNEL_NO_MONEY", "Channel is not paid"),
    "rejected": ("CHANNEL_WAPI_REJECTED", "WABA channel is rejected"),
    "onModeration": ("CHANNEL_WAPI_REJECTED", "WABA channel is on moderation"),
}


def wazzup_error(status: int, code: str, description: str, data: Any = None) -> FakeResponse:
    """Wazzup's error envelope."""
    body = {"status": status, "requestId": str(uuid.uuid4()), "error": code, "description": description}
    body["data"] = data if data is not None else {}
    return FakeResponse(status, body)


def _invalid(fields: list[str], code: str = "INVALID_MESSAGE_DATA") -> FakeResponse:
    return wazzup_error(400, code, "Invalid request data", {"fields": sorted(dict.fromkeys(fields))})


def _entry_json(entry: Any) -> dict[str, Any]:
    return entry.json if isinstance(entry.json, dict) else {}


PROFILE = FakeProfile(
    provider="wazzup",
    send=Route("POST", "/message"),
    channels=Route("GET", "/channels"),
    channel_of=lambda e: _entry_json(e).get("channelId"),
    number_of=lambda e: _entry_json(e).get("chatId"),
    auth={"header": "Authorization", "scheme": "Bearer"},
    key_of=lambda e: _entry_json(e).get("crmMessageId"),
    request_id_of=lambda e: e.response.get("requestId") if isinstance(e.response, dict) else None,
    status_words={"sent": "sent", "delivered": "delivered", "read": "read", "error": "error"},
    key_rejected=CannedAnswer(401, {"status": 401, "error": "UNAUTHORIZED", "description": "Invalid API key"}),
    error_in_ok=None,
    accepted_without_id=CannedAnswer(201, {"chatId": "79998885522"}),
    signature_count=lambda delivery: 0,
    delivery_id_of=lambda delivery: None,
    delivery_error=lambda reason: {"error": "UNKNOWN_ERROR", "description": reason},
    refusals={
        # https://wazzup24.com/help/api-en/sending-messages/ (errors of POST /message)
        "spam": CannedAnswer(400, wazzup_error(400, "MESSAGES_IS_SPAM", "Message is considered spam").json),
        "quota": CannedAnswer(400, wazzup_error(400, "CHANNEL_LIMIT_EXCEEDED", "Channel limit exceeded").json),
        "wrong_transport": CannedAnswer(
            400, wazzup_error(400, "WRONG_TRANSPORT", "chatType does not fit the channel").json
        ),
        "first_message_not_allowed": CannedAnswer(
            400, wazzup_error(400, "MESSAGES_NOT_TEXT_FIRST", "The tariff does not allow writing first").json
        ),
    },
)


class WazzupFake(ProviderFake):
    """Wazzup: bearer key, channels, the 60 s ``crmMessageId`` window, a subscription with unsigned webhooks."""

    name = "wazzup"
    title = "Wazzup"
    default_base_url = "https://api.wazzup24.com/v3"
    channel_states = WAZZUP_STATES
    inactive_state = "disabled"
    status_vocabulary = frozenset({"sent", "delivered", "read", "error", "edited"})
    default_rate_limit = RateLimit(requests=500, per_seconds=5.0)
    profile = PROFILE
    contract_webhook = "messagesAndStatuses"
    learns_webhook_by_registration = True

    @property
    def webhook_secrets(self) -> list[str]:
        """Wazzup signs nothing: the CRM's secret is whatever its registered ``webhooksUri`` holds (its last
        path segment), which the fake knows only from ``PATCH /webhooks``."""
        if not self.webhook_url:
            return []
        last = urlsplit(self.webhook_url).path.rstrip("/").rsplit("/", 1)[-1]
        return [last] if last else []

    def _reset_provider_state(self) -> None:
        self._crm_message_ids: dict[str, datetime] = {}
        self.subscriptions: dict[str, bool] | None = None

    def _new_channel(self, phone: str, state: str, name: str, transport: str) -> FakeChannel:
        return FakeChannel(id=str(uuid.uuid4()), phone=phone, name=name, state=state, transport=transport)

    def process(self, request: FakeRequest) -> FakeResponse:
        route = self.contract.knows_route(request.method, request.path)
        if route is None:
            return wazzup_error(404, "NOT_FOUND", f"No route {request.path}")
        if route is False:
            return wazzup_error(405, "METHOD_NOT_ALLOWED", f"{request.method} is not allowed here")
        if request.bearer_token() not in self.api_keys:
            return wazzup_error(401, "UNAUTHORIZED", "Invalid API key")
        retry_after = self._over_rate_limit()
        if retry_after is not None:
            return self.rate_limited(retry_after)
        code = "INVALID_WEBHOOKS_DATA" if request.path == "/webhooks" else "INVALID_MESSAGE_DATA"
        problems = self.contract_problems(request)
        if any(p.field == "webhooksUri" for p in problems):
            return wazzup_error(400, "uriNotValid", "webhooksUri is not a valid URI of at most 200 characters")
        if problems:
            return _invalid([p.field for p in problems], code)
        if request.path == "/channels":
            return FakeResponse(200, [self._channel_json(c) for c in self.channels.values()])
        if request.path == "/message":
            return self._send(request.json)
        if request.method == "GET":
            return FakeResponse(200, {"webhooksUri": self.webhook_url, "subscriptions": self.subscriptions or {}})
        return self._subscribe(request.json)

    @staticmethod
    def _channel_json(channel: FakeChannel) -> dict[str, Any]:
        return {
            "channelId": channel.id,
            "transport": channel.transport,
            "plainId": channel.phone,
            "state": channel.state,
        }

    def _send(self, body: dict[str, Any]) -> FakeResponse:
        text: str | None = body.get("text")
        content_uri: str | None = body.get("contentUri")
        if text is not None and content_uri is not None:
            return wazzup_error(400, "MESSAGE_ONLY_TEXT_OR_CONTENT", "Send either text or contentUri")
        if text is None and content_uri is None and "templateId" not in body:
            return _invalid(["text", "contentUri"])
        crm_message_id: str | None = body.get("crmMessageId")
        if crm_message_id is not None and self._recently_sent(crm_message_id):
            data = {"crmMessageId": crm_message_id}
            return wazzup_error(
                400, "REPEATED_CRM_MESSAGE_ID", "You have already sent message with the same crmMessageId", data
            )
        channel = self.channel_by_id(body["channelId"])
        if channel is None:
            return wazzup_error(400, "CHANNEL_NOT_FOUND", "Channel not found")
        if body["chatType"] not in CHAT_TYPES_OF.get(channel.transport, {channel.transport}):
            return wazzup_error(400, "WRONG_TRANSPORT", f"chatType {body['chatType']} does not fit the channel")
        chat_id: str = body.get("chatId") or ""
        if channel.transport in WHATSAPP_TRANSPORTS and not (chat_id.isdigit() and 10 <= len(chat_id) <= 15):
            return _invalid(["chatId"])
        if text is not None and len(text) > TEXT_LIMITS.get(channel.transport, 10_000):
            return wazzup_error(400, "MESSAGE_TEXT_TOO_LONG", "Text is too long for this messenger")
        if channel.state != "active":
            code, description = _STATE_ERRORS.get(
                channel.state, ("MESSAGE_CHANNEL_UNAVAILABLE", f"Channel is {channel.state}: wait a minute")
            )
            return wazzup_error(400, code, description)
        if chat_id in self.not_on_whatsapp:
            return wazzup_error(400, "BAD_CONTACT", "The contact has no WhatsApp account")
        attachments: list[Attachment] = []
        if content_uri is not None:
            try:
                got = download(content_uri, CONTENT_LIMIT_BYTES, follow_redirects=False)
            except DownloadError as error:
                if error.too_large:
                    return wazzup_error(400, "MESSAGES_CONTENT_SIZE_EXCEEDED", "Content is larger than 10 MB")
                return wazzup_error(400, "MESSAGE_DOWNLOAD_CONTENT_ERROR", error.reason)
            attachments.append(
                Attachment(url=got.url, filename=got.filename, content_type=got.content_type, size=got.size)
            )
        message_id = str(uuid.uuid4())
        self._accept(message_id, channel, chat_id, text, attachments, crm_message_id)
        if crm_message_id is not None:
            self._crm_message_ids[crm_message_id] = utc_now()
        return FakeResponse(201, {"messageId": message_id, "chatId": chat_id})

    def _recently_sent(self, crm_message_id: str) -> bool:
        """Whether the id came within the window. Ids are forgotten oldest first, as many as have left the
        window, not all scanned per request; the id asked about is judged by its own age either way."""
        now = utc_now()
        while self._crm_message_ids:
            oldest = next(iter(self._crm_message_ids))
            if now - self._crm_message_ids[oldest] < CRM_MESSAGE_ID_WINDOW:
                break
            del self._crm_message_ids[oldest]
        received_at = self._crm_message_ids.get(crm_message_id)
        if received_at is not None and now - received_at >= CRM_MESSAGE_ID_WINDOW:
            del self._crm_message_ids[crm_message_id]
            return False
        return received_at is not None

    def drop_subscription(self) -> None:
        """Wazzup forgets the account's webhook address and subscription (its settings were changed in the
        Wazzup cabinet, say): nothing is delivered until the CRM subscribes again."""
        with self._lock:
            self._learn_webhook(None)
            self.subscriptions = None

    def _subscribe(self, body: dict[str, Any]) -> FakeResponse:
        uri: str = body["webhooksUri"]
        test = self.test_call(uri, {}, encode_payload({"test": True}))
        if not isinstance(test, WebhookDelivery):
            return wazzup_error(400, "testPostNotPassed", f"Test POST failed: {test}")
        if test.status != 200:
            return wazzup_error(400, "testPostNotPassed", "Webhooks request not valid. Response status must be 200")
        self._learn_webhook(uri)
        self.subscriptions = {key: bool(value) for key, value in body["subscriptions"].items()}
        return FakeResponse(200, {"ok": True})

    def error_for_status(self, status: int) -> FakeResponse:
        code = "INTERNAL_SERVER_ERROR" if status >= 500 else "UNKNOWN_ERROR"
        return wazzup_error(status, code, "Injected failure")

    def rate_limited(self, retry_after: int) -> FakeResponse:
        response = wazzup_error(429, "TOO_MANY_REQUESTS", "More than 500 requests in 5 seconds")
        response.headers["Retry-After"] = str(retry_after)
        return response

    def status_delivery(
        self, message_id: str, status: str, error: dict[str, Any] | None, options: StatusOptions
    ) -> tuple[str, str, dict[str, str], bytes]:
        if self.subscriptions is not None and not self.subscriptions.get("messagesAndStatuses"):
            raise RuntimeError("wazzup: messagesAndStatuses is off in the subscription; nothing is sent")
        url = self._webhook_target()
        if options.forged or options.unsigned:
            base, _, _ = url.rstrip("/").rpartition("/")
            url = f"{base}/{secrets.token_urlsafe(24)}" if options.forged else base
        now = utc_now()
        item: dict[str, Any] = {
            "messageId": message_id,
            "timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
            "status": status,
        }
        if error is not None or status == "error":
            item["error"] = error or {"error": "UNKNOWN_ERROR", "description": "Not delivered"}
        return url, "POST", {}, encode_payload({"statuses": [item]})

    def reply_delivery(self, channel: FakeChannel, number: str, text: str) -> tuple[str, dict[str, str], bytes]:
        """``messages`` of https://wazzup24.com/help/webhooks/ : an incoming message (not an echo)."""
        now = utc_now()
        item = {
            "messageId": str(uuid.uuid4()),
            "dateTime": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
            "channelId": channel.id,
            "chatType": "whatsapp",
            "chatId": number,
            "type": "text",
            "isEcho": False,
            "status": "inbound",
            "text": text,
        }
        return self._webhook_target(), {}, encode_payload({"messages": [item]})

    def emit_payload(self, payload: dict[str, Any]) -> int:
        """POST any documented delivery (``messages`` and ``statuses`` together, say) to the address."""
        delivery = self.post_webhook(self._webhook_target(), encode_payload(payload), {})
        with self._lock:
            self.webhook_deliveries.append(delivery)
        return delivery.status
