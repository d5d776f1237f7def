"""Fake of Wazzup API v3 (``/v3``), strict as the public documentation describes it.

Strict (from the contract): ``Authorization: Bearer <key>`` else 401; ``POST /message`` with exactly one of
``text``/``contentUri`` (both -> ``MESSAGE_ONLY_TEXT_OR_CONTENT``, neither -> ``INVALID_MESSAGE_DATA``);
``chatType`` ``whatsapp``; ``chatId`` digits; text <= 10 000 chars; unknown channel -> ``CHANNEL_NOT_FOUND``;
state ``blocked`` -> ``CHANNEL_BLOCKED``, ``notEnoughMoney`` -> ``CHANNEL_NO_MONEY``, other non-active ->
``MESSAGE_CHANNEL_UNAVAILABLE``; ``crmMessageId`` repeated within 60 s of its acceptance ->
``REPEATED_CRM_MESSAGE_ID`` (afterwards it is forgotten and the message is sent again); ``contentUri``
is downloaded (non-200/failure -> ``MESSAGE_DOWNLOAD_CONTENT_ERROR``, > 10 MB ->
``MESSAGES_CONTENT_SIZE_EXCEEDED``); > 500 requests per 5 s -> 429; success 201.

Assumed where the contract is silent:
- all message errors are HTTP 400 with ``data.fields`` = ``[{"name", "description"}]`` for
  ``INVALID_MESSAGE_DATA``; 401 uses error ``UNAUTHORIZED``, 429 ``TOO_MANY_REQUESTS`` with ``Retry-After``,
  unknown routes 404 ``NOT_FOUND`` / 405 ``METHOD_NOT_ALLOWED``; descriptions are English;
- ``channelId`` must look like a UUID; ``chatId`` is 10..15 digits; ``text`` must not be blank;
- top-level message fields other than channelId, chatType, chatId, text, contentUri, crmMessageId,
  crmUserId, refMessageId are rejected as ``INVALID_MESSAGE_DATA`` (stricter than life: catches typos such
  as ``crmMessageID`` that the real service would silently ignore);
- a channel whose transport is not ``whatsapp`` -> ``INVALID_MESSAGE_DATA`` on ``channelId``;
- ``crmMessageId`` is remembered per account only when the message was accepted; the repeat check runs
  right after field validation; a ``mark_not_on_whatsapp`` number -> 400 ``BAD_CONTACT``;
- the rate window is per fake (one account), counts authenticated requests, rejected ones excluded;
- ``PATCH /webhooks`` needs ``webhooksUri`` (http(s), <= 200 chars) and ``subscriptions`` (an object of
  booleans with keys messagesAndStatuses, contactsAndDealsCreation, channelsUpdates, templateStatus), else
  400 ``INVALID_WEBHOOKS_DATA``; then it POSTs ``{"test": true}`` (``Authorization: Bearer <crmKey>`` when
  ``webhook_secret`` is set); any answer but 200 -> 400 ``WEBHOOK_TEST_FAILED``, nothing saved; success
  200 ``{"ok": true}``;
- status webhooks: ``timestamp`` is ISO 8601 UTC with milliseconds and ``Z``; ``error`` (default
  ``{"error": "UNKNOWN_ERROR", "description": ...}``) is sent for ``error`` or when given; ``emit_status``
  refuses when the saved subscription has ``messagesAndStatuses`` false; ``signature=`` replaces the
  crmKey in the bearer header, ``unsigned=True`` drops the header.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import Any

import requests

from mocks.channel import FakeChannel
from mocks.clock import utc_now
from mocks.content_download import DownloadError, download, is_http_url
from mocks.outbox import Attachment
from mocks.provider_fake import ProviderFake, RateLimit
from mocks.webhook_delivery import deliver, encode_payload
from mocks.wire import FakeRequest, FakeResponse

WAZZUP_STATES = frozenset(
    {
        "active", "init", "disabled", "phoneUnavailable", "qridle", "openelsewhere", "notEnoughMoney",
        "foreignphone", "unauthorized", "waitForPassword", "blocked", "onModeration", "rejected",
    }
)  # fmt: skip
TEXT_LIMIT = 10_000
CONTENT_LIMIT_BYTES = 10 * 1024 * 1024
CRM_MESSAGE_ID_WINDOW = timedelta(seconds=60)
WEBHOOKS_URI_LIMIT = 200
SUBSCRIPTION_KEYS = frozenset({"messagesAndStatuses", "contactsAndDealsCreation", "channelsUpdates", "templateStatus"})
MESSAGE_FIELDS = frozenset(
    {"channelId", "chatType", "chatId", "text", "contentUri", "crmMessageId", "crmUserId", "refMessageId"}
)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_CHAT_ID = re.compile(r"^\d{10,15}$")
_ROUTES = {"/channels": {"GET"}, "/message": {"POST"}, "/webhooks": {"GET", "PATCH"}}
_STATE_ERRORS = {
    "blocked": ("CHANNEL_BLOCKED", "Channel is blocked"),
    "notEnoughMoney": ("CHANNEL_NO_MONEY", "Channel is not paid"),
}

Problems = list[tuple[str, str]]


def wazzup_error(status: int, code: str, description: str, data: Any = None) -> FakeResponse:
    """Wazzup's error envelope."""
    body = {"status": status, "requestId": str(uuid.uuid4()), "error": code, "description": description}
    body["data"] = data if data is not None else {}
    return FakeResponse(status, body)


def _invalid(problems: Problems, code: str = "INVALID_MESSAGE_DATA") -> FakeResponse:
    fields = [{"name": name, "description": text} for name, text in problems]
    return wazzup_error(400, code, "Invalid request data", {"fields": fields})


def _message_problems(body: dict[str, Any]) -> Problems:
    problems: Problems = [(name, "Unknown field") for name in sorted(set(body) - MESSAGE_FIELDS)]
    if not isinstance(body.get("channelId"), str) or not _UUID.match(body["channelId"]):
        problems.append(("channelId", "Required; a channel UUID"))
    if body.get("chatType") != "whatsapp":
        problems.append(("chatType", "Required; 'whatsapp'"))
    if not isinstance(body.get("chatId"), str) or not _CHAT_ID.match(body["chatId"]):
        problems.append(("chatId", "Required; the phone number, digits only"))
    text, content = body.get("text"), body.get("contentUri")
    if text is not None and (not isinstance(text, str) or not text.strip()):
        problems.append(("text", "Must be a non-empty string"))
    if content is not None and not is_http_url(content):
        problems.append(("contentUri", "Must be an http(s) URL"))
    if text is None and content is None:
        problems.append(("text", "Either text or contentUri is required"))
    for name in ("crmMessageId", "crmUserId", "refMessageId"):
        value = body.get(name)
        if value is not None and (not isinstance(value, str) or not value or len(value) > 200):
            problems.append((name, "Must be a non-empty string of at most 200 characters"))
    return problems


def _subscription_problems(body: dict[str, Any]) -> Problems:
    unknown = sorted(set(body) - {"webhooksUri", "subscriptions"})
    problems: Problems = [(name, "Unknown field") for name in unknown]
    uri = body.get("webhooksUri")
    if not isinstance(uri, str) or not is_http_url(uri) or len(uri) > WEBHOOKS_URI_LIMIT:
        problems.append(("webhooksUri", f"Required; an http(s) URL of at most {WEBHOOKS_URI_LIMIT} characters"))
    subscriptions = body.get("subscriptions")
    if not isinstance(subscriptions, dict):
        problems.append(("subscriptions", "Required; an object"))
        return problems
    for key, value in subscriptions.items():
        if key not in SUBSCRIPTION_KEYS or not isinstance(value, bool):
            problems.append((f"subscriptions.{key}", "Unknown subscription or not a boolean"))
    return problems


class WazzupFake(ProviderFake):
    """Wazzup: bearer key, channels with 13 states, 60 s ``crmMessageId`` window, subscription webhooks."""

    name = "wazzup"
    default_base_url = "https://api.wazzup24.com/v3"
    channel_states = WAZZUP_STATES
    status_vocabulary = frozenset({"sent", "delivered", "read", "error"})
    default_rate_limit = RateLimit(requests=500, per_seconds=5.0)

    def _reset_provider_state(self) -> None:
        self._crm_message_ids: dict[str, datetime] = {}
        self.subscriptions: dict[str, bool] | None = None

    def _new_channel(self, phone: str, state: str, name: str, transport: str) -> FakeChannel:
        return FakeChannel(id=str(uuid.uuid4()), phone=phone, name=name, state=state, transport=transport)

    def process(self, request: FakeRequest) -> FakeResponse:
        methods = _ROUTES.get(request.path)
        if methods is None:
            return wazzup_error(404, "NOT_FOUND", f"No route {request.path}")
        if request.method not in methods:
            return wazzup_error(405, "METHOD_NOT_ALLOWED", f"{request.method} is not allowed here")
        if request.bearer_token() not in self.api_keys:
            return wazzup_error(401, "UNAUTHORIZED", "Invalid API key")
        retry_after = self._over_rate_limit()
        if retry_after is not None:
            return self.rate_limited(retry_after)
        if request.path == "/channels":
            return FakeResponse(200, [self._channel_json(c) for c in self.channels.values()])
        if request.path == "/message":
            return self._send(request)
        if request.method == "GET":
            return FakeResponse(200, self._subscription_json())
        return self._subscribe(request)

    @staticmethod
    def _channel_json(channel: FakeChannel) -> dict[str, Any]:
        return {
            "channelId": channel.id,
            "transport": channel.transport,
            "plainId": channel.phone,
            "state": channel.state,
        }

    def _send(self, request: FakeRequest) -> FakeResponse:
        body = request.json
        if request.json_error is not None or not isinstance(body, dict):
            return _invalid([("body", "Must be a JSON object")])
        problems = _message_problems(body)
        if problems:
            return _invalid(problems)
        text: str | None = body.get("text")
        content_uri: str | None = body.get("contentUri")
        if text is not None and content_uri is not None:
            return wazzup_error(400, "MESSAGE_ONLY_TEXT_OR_CONTENT", "Send either text or contentUri")
        if text is not None and len(text) > TEXT_LIMIT:
            return wazzup_error(400, "MESSAGE_TEXT_TOO_LONG", f"Text is longer than {TEXT_LIMIT} characters")
        crm_message_id: str | None = body.get("crmMessageId")
        if crm_message_id is not None and self._recently_sent(crm_message_id):
            return wazzup_error(400, "REPEATED_CRM_MESSAGE_ID", "This crmMessageId was already sent")
        channel = self.channel_by_id(body["channelId"])
        if channel is None:
            return wazzup_error(400, "CHANNEL_NOT_FOUND", "Channel not found")
        if channel.transport != "whatsapp":
            return _invalid([("channelId", f"Channel transport is {channel.transport}, not whatsapp")])
        if channel.state != "active":
            code, description = _STATE_ERRORS.get(
                channel.state, ("MESSAGE_CHANNEL_UNAVAILABLE", f"Channel is {channel.state}")
            )
            return wazzup_error(400, code, description)
        chat_id: str = body["chatId"]
        if chat_id in self.not_on_whatsapp:
            return wazzup_error(400, "BAD_CONTACT", "The contact has no WhatsApp account")
        attachments: list[Attachment] = []
        if content_uri is not None:
            try:
                got = download(content_uri, CONTENT_LIMIT_BYTES)
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
        now = utc_now()
        for known, accepted_at in list(self._crm_message_ids.items()):
            if now - accepted_at >= CRM_MESSAGE_ID_WINDOW:
                del self._crm_message_ids[known]
        return crm_message_id in self._crm_message_ids

    def _subscription_json(self) -> dict[str, Any]:
        subscriptions = self.subscriptions or dict.fromkeys(sorted(SUBSCRIPTION_KEYS), False)
        return {"webhooksUri": self.webhook_url, "subscriptions": subscriptions}

    def _subscribe(self, request: FakeRequest) -> FakeResponse:
        body = request.json
        if request.json_error is not None or not isinstance(body, dict):
            return _invalid([("body", "Must be a JSON object")], "INVALID_WEBHOOKS_DATA")
        problems = _subscription_problems(body)
        uri, subscriptions = body.get("webhooksUri"), body.get("subscriptions")
        if problems or not isinstance(uri, str) or not isinstance(subscriptions, dict):
            return _invalid(problems, "INVALID_WEBHOOKS_DATA")
        try:
            test = deliver(uri, encode_payload({"test": True}), self.webhook_headers(b"", None, False))
        except requests.RequestException as error:
            return wazzup_error(400, "WEBHOOK_TEST_FAILED", f"Test POST failed: {error}")
        self.webhook_deliveries.append(test)
        if test.status != 200:
            answered = f"Test POST answered {test.status}"
            return wazzup_error(400, "WEBHOOK_TEST_FAILED", answered, {"status": test.status})
        self.webhook_url = uri
        self.subscriptions = {key: bool(subscriptions.get(key, False)) for key in sorted(SUBSCRIPTION_KEYS)}
        return FakeResponse(200, {"ok": True})

    def error_body_for_status(self, status: int) -> Any:
        code = "INTERNAL_SERVER_ERROR" if status >= 500 else "UNKNOWN_ERROR"
        return wazzup_error(status, code, "Injected failure").json

    def rate_limited(self, retry_after: int) -> FakeResponse:
        response = wazzup_error(429, "TOO_MANY_REQUESTS", "More than 500 requests in 5 seconds")
        response.headers["Retry-After"] = str(retry_after)
        return response

    def _webhook_target(self) -> str:
        if self.subscriptions is not None and not self.subscriptions.get("messagesAndStatuses"):
            raise RuntimeError("wazzup: messagesAndStatuses is off in the subscription; nothing is sent")
        return super()._webhook_target()

    def status_payload(
        self, message_id: str, status: str, error: dict[str, Any] | None, now: datetime
    ) -> dict[str, Any]:
        item: dict[str, Any] = {
            "messageId": message_id,
            "timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
            "status": status,
        }
        if error is not None or status == "error":
            item["error"] = error or {"error": "UNKNOWN_ERROR", "description": "Not delivered"}
        return {"statuses": [item]}

    def webhook_headers(self, raw: bytes, signature: str | None, unsigned: bool) -> dict[str, str]:
        token = signature if signature is not None else self.webhook_secret
        if unsigned or token is None:
            return {}
        return {"Authorization": f"Bearer {token}"}
