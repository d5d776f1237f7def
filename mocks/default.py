"""Fake of the Default provider API (``/v1``); the contract is ours (PROVIDERS.md, "Default").

Strict (from the contract): ``Authorization: Bearer <key>`` else 401 ``INVALID_API_KEY``; ``POST /messages``
needs ``Idempotency-Key`` (missing -> 400 ``VALIDATION_ERROR`` field ``Idempotency-Key``); text and
attachments travel together; validation errors name one field; text > 4096 -> 400 ``TEXT_TOO_LONG``; an
attachment declared > 16 MB -> 400 ``ATTACHMENT_TOO_LARGE``; unknown channel 404 ``CHANNEL_NOT_FOUND``;
channel ``inactive``/``blocked`` -> 409 ``CHANNEL_INACTIVE``; ``mark_not_on_whatsapp`` -> 422
``NOT_ON_WHATSAPP``; a key seen within 24 h -> the original answer replayed (header
``Idempotent-Replayed: true``), nothing sent twice; success 202 ``{"id", "status": "queued"}``.
Errors: ``{"error": {"code", "message", "field"?}}``; messages are English.

Chosen where the contract is silent:
- rate limit: 20 requests per sliding second per fake, counted after authentication -> 429
  ``RATE_LIMITED`` with ``Retry-After`` (seconds). Under a frozen clock every request is "at once":
  set ``fake.rate_limit = None`` (or a bigger ``RateLimit``) for bulk scenarios;
- idempotency: keys are remembered per fake for 24 h from acceptance, and only for accepted (202)
  requests -- a rejected request does not consume its key; the same key with a different JSON body ->
  422 ``IDEMPOTENCY_KEY_REUSED`` (field ``Idempotency-Key``); keys are at most 255 characters;
- validation (400 ``VALIDATION_ERROR``, first problem wins): body a JSON object without unknown fields;
  ``channel_id`` a non-empty string (a non-WhatsApp channel is a ``channel_id`` error); ``to`` 10..15 digits;
  ``text`` absent/null or a non-empty string; ``attachments`` absent/null or a list of at most 10 objects
  with exactly ``url`` (http(s)), ``filename`` (1..255 chars), ``content_type`` (``type/subtype``) and
  ``size`` (int >= 1), named like ``attachments[0].size``; an empty list means "no attachments"; at least
  one of text/attachments;
- each attachment is downloaded before acceptance: a failed download -> ``VALIDATION_ERROR`` on
  ``attachments[i].url``, a real size over 16 MB -> ``ATTACHMENT_TOO_LARGE`` on ``attachments[i].url``, a
  real size different from the declared one -> ``VALIDATION_ERROR`` on ``attachments[i].size``;
- unknown routes 404 ``NOT_FOUND``, wrong method 405 ``METHOD_NOT_ALLOWED``; an injected ``status`` fault
  without a body answers ``INTERNAL_ERROR`` (>= 500) / ``ERROR``;
- status webhooks: ``timestamp`` is ISO 8601 UTC with ``Z``; ``error`` (default ``DELIVERY_FAILED``) is sent
  for ``failed`` or when given; ``emit_status`` refuses to sign without ``webhook_secret`` unless
  ``unsigned=True`` or ``signature=`` is given.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mocks.channel import FakeChannel
from mocks.clock import utc_now
from mocks.content_download import DownloadError, download, is_http_url
from mocks.outbox import Attachment
from mocks.provider_fake import ProviderFake, RateLimit
from mocks.wire import FakeRequest, FakeResponse

TEXT_LIMIT = 4096
ATTACHMENT_LIMIT_BYTES = 16 * 1024 * 1024
ATTACHMENTS_LIMIT = 10
IDEMPOTENCY_WINDOW = timedelta(hours=24)
IDEMPOTENCY_KEY_LIMIT = 255
MESSAGE_FIELDS = frozenset({"channel_id", "to", "text", "attachments"})
ATTACHMENT_FIELDS = frozenset({"url", "filename", "content_type", "size"})
SIGNATURE_HEADER = "X-Default-Signature"
_TO = re.compile(r"^\d{10,15}$")
_CONTENT_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+$")
_ROUTES = {"/channels": "GET", "/messages": "POST"}

Problem = tuple[str, str]


def default_error(status: int, code: str, message: str, field: str | None = None) -> FakeResponse:
    """Default's error envelope."""
    error: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        error["field"] = field
    return FakeResponse(status, {"error": error})


def sign(raw: bytes, secret: str) -> str:
    """The ``X-Default-Signature`` value for ``raw`` body bytes."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), raw, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class _Remembered:
    fingerprint: str
    status: int
    body: Any
    accepted_at: datetime


def _attachment_problem(index: int, item: Any) -> Problem | None:
    name = f"attachments[{index}]"
    if not isinstance(item, dict):
        return name, "must be an object"
    unknown = sorted(set(item) - ATTACHMENT_FIELDS)
    if unknown:
        return f"{name}.{unknown[0]}", "unknown field"
    if not is_http_url(item.get("url")):
        return f"{name}.url", "must be an http(s) URL"
    filename = item.get("filename")
    if not isinstance(filename, str) or not 1 <= len(filename) <= 255:
        return f"{name}.filename", "must be a string of 1..255 characters"
    content_type = item.get("content_type")
    if not isinstance(content_type, str) or not _CONTENT_TYPE.match(content_type):
        return f"{name}.content_type", "must be a MIME type like image/png"
    size = item.get("size")
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        return f"{name}.size", "must be a positive integer (bytes)"
    return None


def _message_problem(body: dict[str, Any]) -> Problem | None:
    unknown = sorted(set(body) - MESSAGE_FIELDS)
    if unknown:
        return unknown[0], "unknown field"
    if not isinstance(body.get("channel_id"), str) or not body["channel_id"]:
        return "channel_id", "required"
    if not isinstance(body.get("to"), str) or not _TO.match(body["to"]):
        return "to", "required; 10..15 digits"
    text, attachments = body.get("text"), body.get("attachments")
    if text is not None and (not isinstance(text, str) or not text.strip()):
        return "text", "must be a non-empty string (omit it for no text)"
    if attachments is not None:
        if not isinstance(attachments, list) or len(attachments) > ATTACHMENTS_LIMIT:
            return "attachments", f"must be a list of at most {ATTACHMENTS_LIMIT} attachments"
        for index, item in enumerate(attachments):
            problem = _attachment_problem(index, item)
            if problem is not None:
                return problem
    if text is None and not attachments:
        return "text", "text or attachments required"
    return None


class DefaultFake(ProviderFake):
    """Default: bearer key, Idempotency-Key replay for 24 h, text and files in one request, HMAC webhooks."""

    name = "default"
    default_base_url = "https://api.default.example/v1"
    channel_states = frozenset({"active", "inactive", "blocked"})
    status_vocabulary = frozenset({"sent", "delivered", "read", "failed"})
    default_rate_limit = RateLimit(requests=20, per_seconds=1.0)

    def _reset_provider_state(self) -> None:
        self._idempotency: dict[str, _Remembered] = {}

    def _new_channel(self, phone: str, state: str, name: str, transport: str) -> FakeChannel:
        return FakeChannel(id=str(uuid.uuid4()), phone=phone, name=name, state=state, transport=transport)

    def process(self, request: FakeRequest) -> FakeResponse:
        method = _ROUTES.get(request.path)
        if method is None:
            return default_error(404, "NOT_FOUND", f"no route {request.path}")
        if request.method != method:
            return default_error(405, "METHOD_NOT_ALLOWED", f"{request.method} is not allowed here")
        if request.bearer_token() not in self.api_keys:
            return default_error(401, "INVALID_API_KEY", "missing or unknown API key")
        retry_after = self._over_rate_limit()
        if retry_after is not None:
            return self.rate_limited(retry_after)
        if request.path == "/channels":
            channels = [
                {"id": c.id, "phone": c.phone, "name": c.name, "transport": c.transport, "state": c.state}
                for c in self.channels.values()
            ]
            return FakeResponse(200, channels)
        return self._send(request)

    def _send(self, request: FakeRequest) -> FakeResponse:
        key = (request.header("Idempotency-Key") or "").strip()
        if not key or len(key) > IDEMPOTENCY_KEY_LIMIT:
            required = f"required; 1..{IDEMPOTENCY_KEY_LIMIT} characters"
            return default_error(400, "VALIDATION_ERROR", required, "Idempotency-Key")
        body = request.json
        if request.json_error is not None or not isinstance(body, dict):
            return default_error(400, "VALIDATION_ERROR", "body must be a JSON object", "body")
        fingerprint = json.dumps(body, sort_keys=True, ensure_ascii=False)
        remembered = self._remembered(key)
        if remembered is not None:
            if remembered.fingerprint != fingerprint:
                message = "this Idempotency-Key was used with a different request"
                return default_error(422, "IDEMPOTENCY_KEY_REUSED", message, "Idempotency-Key")
            replay = json.loads(json.dumps(remembered.body))
            return FakeResponse(remembered.status, replay, {"Idempotent-Replayed": "true"})
        refusal = self._refusal(body)
        if refusal is not None:
            return refusal
        attachments = self._fetch_attachments(body.get("attachments") or [])
        if isinstance(attachments, FakeResponse):
            return attachments
        channel = self.channel_by_id(body["channel_id"])
        assert channel is not None  # checked by _refusal
        message_id = str(uuid.uuid4())
        self._accept(message_id, channel, body["to"], body.get("text"), attachments, key)
        answer = {"id": message_id, "status": "queued"}
        self._idempotency[key] = _Remembered(fingerprint, 202, answer, utc_now())
        return FakeResponse(202, dict(answer))

    def _refusal(self, body: dict[str, Any]) -> FakeResponse | None:
        """Why the provider refuses ``body`` before fetching anything (None: it does not)."""
        problem = _message_problem(body)
        if problem is not None:
            return default_error(400, "VALIDATION_ERROR", problem[1], problem[0])
        text: str | None = body.get("text")
        if text is not None and len(text) > TEXT_LIMIT:
            return default_error(400, "TEXT_TOO_LONG", f"text is longer than {TEXT_LIMIT} characters", "text")
        for index, item in enumerate(body.get("attachments") or []):
            if item["size"] > ATTACHMENT_LIMIT_BYTES:
                field = f"attachments[{index}].size"
                return default_error(400, "ATTACHMENT_TOO_LARGE", "an attachment is over 16 MB", field)
        channel = self.channel_by_id(body["channel_id"])
        if channel is None:
            return default_error(404, "CHANNEL_NOT_FOUND", "no such channel", "channel_id")
        if channel.transport != "whatsapp":
            return default_error(400, "VALIDATION_ERROR", "not a WhatsApp channel", "channel_id")
        if channel.state != "active":
            return default_error(409, "CHANNEL_INACTIVE", f"the channel is {channel.state}", "channel_id")
        if body["to"] in self.not_on_whatsapp:
            return default_error(422, "NOT_ON_WHATSAPP", "the recipient has no WhatsApp account", "to")
        return None

    @staticmethod
    def _fetch_attachments(declared: list[dict[str, Any]]) -> list[Attachment] | FakeResponse:
        """Download every attachment and check its declared size; the refusal when one fails."""
        attachments: list[Attachment] = []
        for index, item in enumerate(declared):
            field = f"attachments[{index}]"
            try:
                got = download(item["url"], ATTACHMENT_LIMIT_BYTES)
            except DownloadError as error:
                if error.too_large:
                    return default_error(400, "ATTACHMENT_TOO_LARGE", error.reason, f"{field}.url")
                return default_error(400, "VALIDATION_ERROR", f"download failed: {error.reason}", f"{field}.url")
            if got.size != item["size"]:
                mismatch = f"declared {item['size']} bytes, the file has {got.size}"
                return default_error(400, "VALIDATION_ERROR", mismatch, f"{field}.size")
            attachments.append(
                Attachment(url=item["url"], filename=item["filename"], content_type=item["content_type"], size=got.size)
            )
        return attachments

    def _remembered(self, key: str) -> _Remembered | None:
        now = utc_now()
        for known, remembered in list(self._idempotency.items()):
            if now - remembered.accepted_at >= IDEMPOTENCY_WINDOW:
                del self._idempotency[known]
        return self._idempotency.get(key)

    def error_body_for_status(self, status: int) -> Any:
        code = "INTERNAL_ERROR" if status >= 500 else "ERROR"
        return default_error(status, code, "injected failure").json

    def rate_limited(self, retry_after: int) -> FakeResponse:
        response = default_error(429, "RATE_LIMITED", "too many requests")
        response.headers["Retry-After"] = str(retry_after)
        return response

    def status_payload(
        self, message_id: str, status: str, error: dict[str, Any] | None, now: datetime
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {"id": message_id, "status": status}
        if error is not None or status == "failed":
            payload["error"] = error or {
                "code": "DELIVERY_FAILED",
                "message": "the message was not delivered",
            }
        payload["timestamp"] = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        return payload

    def webhook_headers(self, raw: bytes, signature: str | None, unsigned: bool) -> dict[str, str]:
        if unsigned:
            return {}
        if signature is not None:
            return {SIGNATURE_HEADER: signature}
        if self.webhook_secret is None:
            raise RuntimeError("default: webhook_secret is not set; pass unsigned=True to send unsigned")
        return {SIGNATURE_HEADER: sign(raw, self.webhook_secret)}
