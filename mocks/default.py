"""Fake of the Default provider API (``/v1``), contract 2 (contracts/default.yaml, PROVIDERS.md "Default").

Every request is checked against the contract first (-> 400 ``VALIDATION_ERROR`` naming each field);
errors are RFC 9457 problem details (``application/problem+json``) with ``code``, ``request_id`` and
``errors``. ``GET /channels`` pages with an opaque ``next_cursor`` (``page_size`` caps a page, as a
service may return fewer than ``limit``). ``POST /messages`` needs ``Idempotency-Key``: a key is kept 72 h;
the same key and body replay the original answer (``Idempotent-Replayed: true``), another body ->
422 ``IDEMPOTENCY_KEY_REUSED``, a key still in progress (fault ``processing``) -> 409
``REQUEST_IN_PROGRESS``. ``GET /messages/{id}`` and ``GET /messages?idempotency_key=`` report what became of
a message (404 while it is unknown or in progress). ``PUT /webhook {"url", "secret"}`` sends a signed
``webhook.test`` first (2xx needed, else 422 ``WEBHOOK_TEST_FAILED``); a new secret replaces the previous
one, which still signs deliveries for 24 h (several signatures). Deliveries follow Standard Webhooks,
signed with the ``standardwebhooks`` package.

Chosen where the contract is silent: 20 requests per sliding second (429 ``RATE_LIMITED``); text and
attachments are checked by declared size, then downloaded (a failed download or a size other than the
declared one is a ``VALIDATION_ERROR`` on that attachment); unknown routes 404 ``NOT_FOUND``.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from standardwebhooks import Webhook

from mocks.channel import FakeChannel
from mocks.clock import utc_now
from mocks.content_download import DownloadError, download
from mocks.outbox import Attachment
from mocks.profile import CannedAnswer, FakeProfile, Route
from mocks.provider_fake import ProviderFake, RateLimit, StatusOptions
from mocks.webhook_delivery import WebhookDelivery, encode_payload
from mocks.wire import FakeRequest, FakeResponse

TEXT_LIMIT = 4096
ATTACHMENT_LIMIT_BYTES = 16 * 1024 * 1024
KEY_RETENTION = timedelta(hours=72)
ROTATION_GRACE = timedelta(hours=24)
DEFAULT_PAGE = 20
_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def problem(status: int, code: str, detail: str, errors: list[dict[str, str]] | None = None) -> FakeResponse:
    """An RFC 9457 problem details answer."""
    body: dict[str, Any] = {
        "type": f"https://api.default.example/problems/{code.lower().replace('_', '-')}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
        "request_id": f"req_{uuid.uuid4().hex[:20]}",
    }
    if errors:
        body["errors"] = errors
    return FakeResponse(status, body, content_type="application/problem+json")


def _one(field_name: str, message: str) -> list[dict[str, str]]:
    return [{"field": field_name, "message": message}]


@dataclass
class _Remembered:
    fingerprint: str
    body: dict[str, Any]
    accepted_at: datetime
    ready_at: datetime


@dataclass
class _State:
    id: str
    key: str
    status: str = "queued"
    error: dict[str, Any] | None = None
    updated_at: datetime = field(default_factory=utc_now)

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"id": self.id, "status": self.status, "updated_at": _iso(self.updated_at)}
        if self.error is not None:
            found["error"] = self.error
        return found


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _entry_json(entry: Any) -> dict[str, Any]:
    return entry.json if isinstance(entry.json, dict) else {}


PROFILE = FakeProfile(
    provider="default",
    send=Route("POST", "/messages"),
    channels=Route("GET", "/channels"),
    channel_of=lambda e: _entry_json(e).get("channel_id"),
    number_of=lambda e: _entry_json(e).get("to"),
    auth={"header": "Authorization", "scheme": "Bearer"},
    key_of=lambda e: e.header("Idempotency-Key"),
    request_id_of=lambda e: e.response.get("request_id") if isinstance(e.response, dict) else None,
    status_words={"sent": "sent", "delivered": "delivered", "read": "read", "error": "failed"},
    key_rejected=CannedAnswer(401, problem(401, "INVALID_API_KEY", "missing or unknown API key").json),
    error_in_ok=None,
    accepted_without_id=CannedAnswer(202, {"status": "queued"}),
    signature_count=lambda delivery: len(delivery.headers.get("webhook-signature", "").split()),
    delivery_id_of=lambda delivery: delivery.headers.get("webhook-id"),
    delivery_error=lambda reason: {"code": "DELIVERY_FAILED", "message": reason},
    looked_up_by_id=lambda e: (
        e.path.removeprefix("/messages/") if e.method == "GET" and e.path.startswith("/messages/") else None
    ),
    refusals={
        "template_required": CannedAnswer(
            422,
            problem(
                422,
                "SESSION_WINDOW_CLOSED",
                "the client has not written for 24 hours: only a template may be sent",
                _one("text", "outside the 24-hour session window"),
            ).json,
            {"Content-Type": "application/problem+json"},
        ),
        "quota": CannedAnswer(
            429,
            problem(429, "RATE_LIMITED", "too many requests").json,
            {"Content-Type": "application/problem+json", "Retry-After": "30"},
        ),
    },
)


class DefaultFake(ProviderFake):
    """Default: bearer key, paged channels, idempotency with reconciliation, Standard Webhooks."""

    name = "default"
    title = "Default"
    default_base_url = "https://api.default.example/v1"
    channel_states = frozenset({"active", "inactive", "blocked"})
    inactive_state = "inactive"
    status_vocabulary = frozenset({"sent", "delivered", "read", "failed"})
    default_rate_limit = RateLimit(requests=20, per_seconds=1.0)
    profile = PROFILE
    contract_webhook = "event"
    signs_webhooks = True
    learns_webhook_by_registration = True

    def _reset_provider_state(self) -> None:
        self._keys: dict[str, _Remembered] = {}
        self._messages: dict[str, _State] = {}
        self._registered_secrets: list[tuple[str, datetime | None]] = []  # (secret, honoured until)
        self._slow_for: float | None = None

    def _new_channel(self, phone: str, state: str, name: str, transport: str) -> FakeChannel:
        return FakeChannel(id=str(uuid.uuid4()), phone=phone, name=name, state=state, transport=transport)

    def process(self, request: FakeRequest) -> FakeResponse:
        route = self.contract.knows_route(request.method, request.path)
        if route is None:
            return problem(404, "NOT_FOUND", f"no route {request.path}")
        if route is False:
            return problem(405, "METHOD_NOT_ALLOWED", f"{request.method} is not allowed here")
        if request.bearer_token() not in self.api_keys:
            return problem(401, "INVALID_API_KEY", "missing or unknown API key")
        retry_after = self._over_rate_limit()
        if retry_after is not None:
            return self.rate_limited(retry_after)
        problems = self.contract_problems(request)
        if problems:
            errors = [{"field": p.field, "message": p.message} for p in problems]
            return problem(400, "VALIDATION_ERROR", "the request does not follow the contract", errors)
        if request.path == "/channels":
            return self._channels(request.query)
        if request.path == "/webhook":
            return self._register(request.json)
        if request.path == "/messages" and request.method == "POST":
            return self._send(request)
        return self._look_up(request)

    def _channels(self, query: Any) -> FakeResponse:
        listed = list(self.channels.values())
        try:
            start = (
                int(base64.urlsafe_b64decode(query["cursor"]).decode().removeprefix("at:"))
                if query.get("cursor")
                else 0
            )
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return problem(400, "VALIDATION_ERROR", "unknown cursor", _one("cursor", "not a cursor Default gave"))
        size = min(int(query.get("limit") or DEFAULT_PAGE), self.page_size or 100)
        page = listed[start : start + size]
        more = start + size < len(listed)
        cursor = base64.urlsafe_b64encode(f"at:{start + size}".encode()).decode() if more else None
        data = [
            {"id": c.id, "phone": c.phone, "name": c.name, "transport": c.transport, "state": c.state} for c in page
        ]
        return FakeResponse(200, {"data": data, "next_cursor": cursor})

    def _remembered(self, key: str) -> _Remembered | None:
        """What the key was first used for, unless it is older than the retention (then it is forgotten).

        Keys are forgotten oldest first, as many as have expired, not all scanned per request; the key
        asked about is judged by its own age either way."""
        now = utc_now()
        while self._keys:
            oldest = next(iter(self._keys))
            if now - self._keys[oldest].accepted_at < KEY_RETENTION:
                break
            del self._keys[oldest]
        remembered = self._keys.get(key)
        if remembered is not None and now - remembered.accepted_at >= KEY_RETENTION:
            del self._keys[key]
            return None
        return remembered

    def _send(self, request: FakeRequest) -> FakeResponse:
        key = str(request.header("Idempotency-Key"))
        body: dict[str, Any] = request.json
        fingerprint = json.dumps(body, sort_keys=True, ensure_ascii=False)
        remembered = self._remembered(key)
        if remembered is not None:
            if remembered.fingerprint != fingerprint:
                return problem(
                    422,
                    "IDEMPOTENCY_KEY_REUSED",
                    "this Idempotency-Key was used with another request",
                    _one("Idempotency-Key", "used with another body"),
                )
            if remembered.ready_at > utc_now():
                return problem(409, "REQUEST_IN_PROGRESS", "the first request with this key is still being processed")
            return FakeResponse(202, dict(remembered.body), {"Idempotent-Replayed": "true"})
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
        now = utc_now()
        ready = now + timedelta(seconds=self._slow_for) if self._slow_for else now
        self._keys[key] = _Remembered(fingerprint, answer, now, ready)
        self._messages[message_id] = _State(message_id, key, updated_at=now)
        return FakeResponse(202, dict(answer))

    def process_slowly(self, request: FakeRequest, seconds: float) -> FakeResponse:
        self._slow_for = seconds
        try:
            return self.process(request)
        finally:
            self._slow_for = None

    def _refusal(self, body: dict[str, Any]) -> FakeResponse | None:
        text: str | None = body.get("text")
        attachments = body.get("attachments") or []
        if text is None and not attachments:
            return problem(
                400, "VALIDATION_ERROR", "text or attachments required", _one("text", "text or attachments required")
            )
        if text is not None and len(text) > TEXT_LIMIT:
            return problem(
                400, "TEXT_TOO_LONG", f"text is longer than {TEXT_LIMIT} characters", _one("text", "too long")
            )
        for index, item in enumerate(attachments):
            if item["size"] > ATTACHMENT_LIMIT_BYTES:
                return problem(
                    400,
                    "ATTACHMENT_TOO_LARGE",
                    "an attachment is over 16 MB",
                    _one(f"attachments.{index}.size", "over 16 MB"),
                )
        channel = self.channel_by_id(body["channel_id"])
        if channel is None:
            return problem(404, "CHANNEL_NOT_FOUND", "no such channel", _one("channel_id", "unknown"))
        if channel.transport != "whatsapp":
            return problem(
                400, "VALIDATION_ERROR", "not a WhatsApp channel", _one("channel_id", "not a WhatsApp channel")
            )
        if channel.state != "active":
            return problem(
                409, "CHANNEL_INACTIVE", f"the channel is {channel.state}", _one("channel_id", channel.state)
            )
        if body["to"] in self.not_on_whatsapp:
            return problem(
                422, "NOT_ON_WHATSAPP", "the recipient has no WhatsApp account", _one("to", "not on WhatsApp")
            )
        return None

    @staticmethod
    def _fetch_attachments(declared: list[dict[str, Any]]) -> list[Attachment] | FakeResponse:
        attachments: list[Attachment] = []
        for index, item in enumerate(declared):
            name = f"attachments.{index}"
            try:
                got = download(item["url"], ATTACHMENT_LIMIT_BYTES)
            except DownloadError as error:
                if error.too_large:
                    return problem(400, "ATTACHMENT_TOO_LARGE", error.reason, _one(f"{name}.url", "over 16 MB"))
                return problem(
                    400,
                    "VALIDATION_ERROR",
                    f"download failed: {error.reason}",
                    _one(f"{name}.url", "could not be downloaded"),
                )
            if got.size != item["size"]:
                mismatch = f"declared {item['size']} bytes, the file has {got.size}"
                return problem(400, "VALIDATION_ERROR", mismatch, _one(f"{name}.size", mismatch))
            attachments.append(
                Attachment(url=item["url"], filename=item["filename"], content_type=item["content_type"], size=got.size)
            )
        return attachments

    def _look_up(self, request: FakeRequest) -> FakeResponse:
        if request.path == "/messages":
            remembered = self._remembered(str(request.query.get("idempotency_key")))
            found = None
            if remembered is not None and remembered.ready_at <= utc_now():
                found = self._messages.get(str(remembered.body["id"]))
        else:
            found = self._messages.get(request.path.removeprefix("/messages/"))
        if found is None:
            return problem(404, "MESSAGE_NOT_FOUND", "Default has no such message")
        return FakeResponse(200, found.to_json())

    def _register(self, body: dict[str, Any]) -> FakeResponse:
        url, secret = body["url"], body["secret"]
        try:
            Webhook(secret)
        except (ValueError, binascii.Error):
            return problem(400, "VALIDATION_ERROR", "not a whsec_ secret", _one("secret", "not base64"))
        now = utc_now()
        raw = encode_payload({"type": "webhook.test", "timestamp": _iso(now), "data": {}})
        test = self.test_call(url, self._signed_headers(raw, [secret], now), raw)
        if not isinstance(test, WebhookDelivery) or not 200 <= test.status < 300:
            answered = test if isinstance(test, str) else f"answered {test.status}"
            return problem(422, "WEBHOOK_TEST_FAILED", f"the webhook.test event was not acknowledged: {answered}")
        current = [s for s, _ in self._registered_secrets[:1]]
        self._registered_secrets = [(secret, None)]
        if current and current[0] != secret:
            self._registered_secrets.append((current[0], now + ROTATION_GRACE))
        self._learn_webhook(url)
        return FakeResponse(200, {"url": url})

    @property
    def webhook_secrets(self) -> list[str]:
        """The secrets the CRM registered with ``PUT /webhook`` (the newest first)."""
        return [secret for secret, _ in self._registered_secrets]

    def _active_secrets(self, now: datetime) -> list[str]:
        return [s for s, until in self._registered_secrets if until is None or now < until]

    @staticmethod
    def _signed_headers(
        raw: bytes, secret_list: list[str], moment: datetime, delivery_id: str | None = None
    ) -> dict[str, str]:
        webhook_id = delivery_id or f"msg_{uuid.uuid4().hex}"
        body = raw.decode("utf-8")
        signatures = " ".join(Webhook(s).sign(webhook_id, moment, body) for s in secret_list)
        stamp = str(int(moment.timestamp()))
        return {"webhook-id": webhook_id, "webhook-timestamp": stamp, "webhook-signature": signatures}

    def record_status(self, message_id: str, status: str, error: dict[str, Any] | None) -> None:
        found = self._messages.get(message_id)
        if found is None:
            return
        found.status = status
        found.updated_at = utc_now()
        if status == "failed":
            found.error = error or {"code": "DELIVERY_FAILED", "message": "the message was not delivered"}

    def status_delivery(
        self, message_id: str, status: str, error: dict[str, Any] | None, options: StatusOptions
    ) -> tuple[str, str, dict[str, str], bytes]:
        url = self._webhook_target()
        moment = utc_now() - timedelta(seconds=options.signed_ago)
        data: dict[str, Any] = {"id": message_id, "status": status, "timestamp": _iso(moment)}
        if error is not None or status == "failed":
            data["error"] = error or {"code": "DELIVERY_FAILED", "message": "the message was not delivered"}
        raw = encode_payload({"type": "message.status", "timestamp": _iso(moment), "data": data})
        if options.unsigned:
            return url, "POST", {}, raw
        secret_list = self._active_secrets(utc_now())
        if options.forged:
            secret_list = ["whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()]
        if options.previous_secret_only:
            secret_list = [s for s, _ in self._registered_secrets[1:2]]
            if not secret_list:
                raise RuntimeError("default: the CRM never rotated its webhook secret; there is no previous one")
        if not secret_list:
            raise RuntimeError("default: no webhook secret was registered (PUT /webhook); nothing is signed")
        headers = self._signed_headers(raw, secret_list, moment, options.reuse_delivery_id)
        if options.garbled_first_signature:
            garbage = "v1," + base64.b64encode(secrets.token_bytes(32)).decode()
            headers["webhook-signature"] = f"{garbage} {headers['webhook-signature']}"
        return url, "POST", headers, raw

    def emit_event(self, event_type: str, data: dict[str, Any]) -> WebhookDelivery:
        """An event of any type, signed like every Default event: a type a later version of the contract may add.

        Not kept in ``webhook_deliveries``: today's contract does not list the type, and the contract audit
        checks every delivery kept there."""
        moment = utc_now()
        raw = encode_payload({"type": event_type, "timestamp": _iso(moment), "data": data})
        secret_list = self._active_secrets(moment)
        if not secret_list:
            raise RuntimeError("default: no webhook secret was registered (PUT /webhook); nothing is signed")
        return self.post_webhook(self._webhook_target(), raw, self._signed_headers(raw, secret_list, moment))

    def reply_delivery(self, channel: FakeChannel, number: str, text: str) -> tuple[str, dict[str, str], bytes]:
        """``message.received``, signed like every Default event."""
        moment = utc_now()
        data = {
            "id": str(uuid.uuid4()),
            "channel_id": channel.id,
            "from": number,
            "text": text,
            "timestamp": _iso(moment),
        }
        raw = encode_payload({"type": "message.received", "timestamp": _iso(moment), "data": data})
        secret_list = self._active_secrets(moment)
        if not secret_list:
            raise RuntimeError("default: no webhook secret was registered (PUT /webhook); nothing is signed")
        return self._webhook_target(), self._signed_headers(raw, secret_list, moment), raw

    def error_for_status(self, status: int) -> FakeResponse:
        code = "SERVICE_UNAVAILABLE" if status in (502, 503, 504) else "INTERNAL_ERROR"
        return problem(status, code, "injected failure")

    def rate_limited(self, retry_after: int) -> FakeResponse:
        response = problem(429, "RATE_LIMITED", "too many requests")
        response.headers["Retry-After"] = str(retry_after)
        return response
