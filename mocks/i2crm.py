"""Fake of the i2crm Public API (``/api_v1``), from its public sources (contract: contracts/i2crm.yaml).

HTTP is always 200; the verdict is the JSON envelope. ``GET /targets?token=`` lists the outgoing channels
("targets") with their keys, ``GET /sources?token=`` the connected accounts, ``GET
/target/sources?verbose=true&key=`` the accounts a target sends from by kind (``whatsapp``, ``waba``);
target and account names are unrelated. ``POST /target/feedback?key=<target key>`` with ``domain`` (the
account's kind), ``source`` (its ``account_id``), ``client`` and ``text``/``url``; success ``{"error": false,
"data": {"id", "external_ids", "queued"}}`` (with ``queue_sends`` on, ``external_ids`` is empty and
``queued`` true: the ids come with the status webhooks); a wrong key -> «Канал не существует». No
idempotency: the same POST again is a second message. Status webhooks go to the callback URL entered in
the i2crm cabinet (``webhook_url``) with ``X-Auth-Token: <target key>``; edits as PATCH.

Chosen where the sources are silent (docs/DECISIONS.md): one FakeChannel is one target with one sender
account (its ``transport`` is the account's kind); attachments are ``url`` (what the public client
sends), one per request, downloaded like a messenger would, at most 16 MB; text <= 4096 characters;
an inactive channel -> ``{"error": "Канал неактивен", "data": {"status": 403}}``; a number without
WhatsApp -> ``data.status`` 400 with ``validation.client``; a rate limit -> ``data.status`` 429 (still
HTTP 200) with ``Retry-After``; unknown routes -> «Метод не найден» (404), a wrong method 405.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from mocks.channel import FakeChannel
from mocks.clock import utc_now
from mocks.content_download import DownloadError, download
from mocks.outbox import Attachment
from mocks.profile import CannedAnswer, FakeProfile, Route
from mocks.provider_fake import ProviderFake, StatusOptions
from mocks.webhook_delivery import encode_payload
from mocks.wire import FakeRequest, FakeResponse

TEXT_LIMIT = 4096
FILE_LIMIT_BYTES = 16 * 1024 * 1024
SENDER_KINDS = frozenset({"whatsapp", "waba"})
WRONG_KEY = "Канал не существует"

Validation = dict[str, list[str]]


def i2crm_error(message: str, status: int, validation: Validation | None = None) -> FakeResponse:
    """i2crm's failure envelope, delivered with HTTP 200."""
    data: dict[str, Any] = {"status": status}
    if validation:
        data["validation"] = validation
    return FakeResponse(200, {"error": message, "data": data})


def _ok(data: Any) -> FakeResponse:
    return FakeResponse(200, {"error": False, "data": data})


def _entry_json(entry: Any) -> dict[str, Any]:
    return entry.json if isinstance(entry.json, dict) else {}


PROFILE = FakeProfile(
    provider="i2crm",
    send=Route("POST", "/target/feedback"),
    channels=Route("GET", "/targets"),
    channel_of=lambda e: e.query.get("key"),
    number_of=lambda e: _entry_json(e).get("client"),
    auth={"query": "key"},
    key_of=lambda e: None,
    request_id_of=lambda e: None,
    status_words={"sent": "sent", "delivered": "delivered", "read": "read", "error": "error"},
    key_rejected=CannedAnswer(200, {"error": WRONG_KEY, "data": {"status": 404}}),
    error_in_ok=lambda text: CannedAnswer(200, {"error": text, "data": {"status": 400}}),
    accepted_without_id=CannedAnswer(200, {"error": False, "data": {"external_ids": [], "queued": False}}),
    signature_count=lambda delivery: 0,
    delivery_id_of=lambda delivery: None,
    delivery_error=lambda reason: {"code": "not_delivered", "message": reason},
)


class I2crmFake(ProviderFake):
    """i2crm: user token for the account, a key per target, always-200 envelopes, no idempotency."""

    name = "i2crm"
    title = "I2CRM"
    default_base_url = "https://app.i2crm.ru/api_v1"
    channel_states = frozenset({"active", "inactive"})
    inactive_state = "inactive"
    status_vocabulary = frozenset({"sent", "delivered", "read", "error"})
    profile = PROFILE
    contract_webhook = "status"

    def _reset_provider_state(self) -> None:
        self._next_id = 1
        self.queue_sends = False  # answer queued: true with no external_ids yet
        self._external: dict[str, str] = {}  # data.id -> the messenger id the webhooks name
        self._clients: dict[str, tuple[str, str]] = {}  # data.id -> (client, target key)

    def _new_channel(self, phone: str, state: str, name: str, transport: str) -> FakeChannel:
        channel_id = self._next_id
        self._next_id += 1
        return FakeChannel(
            id=str(channel_id), phone=phone, name=name, state=state, transport=transport, key=uuid.uuid4().hex
        )

    def _account(self, channel: FakeChannel) -> dict[str, Any]:
        return {
            "id": 1000 + int(channel.id),
            "account_id": channel.phone,
            "name": channel.name,
            "active": channel.state == "active",
        }

    def process(self, request: FakeRequest) -> FakeResponse:
        route = self.contract.knows_route(request.method, request.path)
        if route is None:
            return i2crm_error("Метод не найден", 404)
        if route is False:
            return i2crm_error("Метод не поддерживается", 405)
        if request.path in ("/targets", "/sources"):
            if request.query.get("token") not in self.api_keys:
                return i2crm_error("Неверный токен", 401)
            return self._account_lists(request.path)
        channel = next((c for c in self.channels.values() if c.key and c.key == request.query.get("key")), None)
        if channel is None:
            return i2crm_error(WRONG_KEY, 404)
        problems = self.contract_problems(request)
        if problems:
            return i2crm_error("Ошибка валидации данных", 400, {p.field: [p.message] for p in problems})
        if request.path == "/target/validate":
            return _ok({"name": self._target_name(channel)})
        if request.path == "/target/sources":
            return _ok({channel.transport: [self._account(channel)]})
        return self._send(request.json, channel)

    @staticmethod
    def _target_name(channel: FakeChannel) -> str:
        return f"Исходящий канал №{channel.id}"

    def _account_lists(self, path: str) -> FakeResponse:
        if path == "/targets":
            targets = [
                {
                    "id": int(c.id),
                    "channel": "public_api",
                    "name": self._target_name(c),
                    "active": c.state == "active",
                    "key": c.key,
                }
                for c in self.channels.values()
            ]
            return _ok({"list": targets})
        return _ok({"list": [self._account(c) | {"channel": c.transport} for c in self.channels.values()]})

    def _send(self, body: dict[str, Any], channel: FakeChannel) -> FakeResponse:
        problems: Validation = {}
        if body["domain"] != channel.transport:
            problems["domain"] = ["Значение поля domain не соответствует аккаунту отправителя."]
        if body["source"] != channel.phone:
            problems["source"] = ["Нет активного канала для написания с этого аккаунта."]
        client: str = body["client"]
        if channel.transport in SENDER_KINDS and not (client.isdigit() and 10 <= len(client) <= 15):
            problems["client"] = ["Поле client должно содержать от 10 до 15 цифр."]
        text, url = body.get("text"), body.get("url")
        if text is None and url is None:
            problems["text"] = ["Поле text обязательно, если не передан url."]
        elif isinstance(text, str) and len(text) > TEXT_LIMIT:
            problems["text"] = [f"Поле text не может быть длиннее {TEXT_LIMIT} символов."]
        if problems:
            return i2crm_error("Ошибка валидации данных", 400, problems)
        if channel.state != "active":
            return i2crm_error("Канал неактивен", 403)
        if client in self.not_on_whatsapp:
            return i2crm_error(
                "Номер клиента не зарегистрирован в WhatsApp", 400, {"client": ["Номер не зарегистрирован в WhatsApp."]}
            )
        attachments: list[Attachment] = []
        if url is not None:
            try:
                got = download(url, FILE_LIMIT_BYTES)
            except DownloadError as error:
                reason = "Файл больше 16 МБ." if error.too_large else "Не удалось загрузить файл по ссылке."
                return i2crm_error("Не удалось загрузить файл", 400, {"url": [reason]})
            attachments.append(
                Attachment(url=got.url, filename=got.filename, content_type=got.content_type, size=got.size)
            )
        message_id = str(self._next_id)
        self._next_id += 1
        external_id = f"wamid.{uuid.uuid4().hex}"
        self._external[message_id] = external_id
        self._clients[message_id] = (client, channel.key or "")
        self._accept(message_id, channel, client, text, attachments, None)
        ids = [] if self.queue_sends else [external_id]
        return _ok({"id": int(message_id), "external_ids": ids, "queued": self.queue_sends})

    def error_for_status(self, status: int) -> FakeResponse:
        return FakeResponse(status, {"error": "Внутренняя ошибка сервера", "data": {"status": status}})

    def rate_limited(self, retry_after: int) -> FakeResponse:
        response = i2crm_error("Слишком много запросов", 429)
        response.headers["Retry-After"] = str(retry_after)
        return response

    def external_id_of(self, message_id: str) -> str:
        """The messenger id the webhooks name for an accepted message (not its ``data.id``)."""
        return self._external[message_id]

    def status_delivery(
        self, message_id: str, status: str, error: dict[str, Any] | None, options: StatusOptions
    ) -> tuple[str, str, dict[str, str], bytes]:
        any_key = next((c.key or "" for c in self.channels.values()), "")
        client, key = self._clients.get(message_id, ("", any_key))  # an unknown message: still the account's key
        if options.forged:
            key = uuid.uuid4().hex
        return (
            self._webhook_target(),
            "POST",
            {} if options.unsigned else {"X-Auth-Token": key},
            self._event(message_id, status, error, client, utc_now()),
        )

    def _event(self, message_id: str, status: str, error: dict[str, Any] | None, client: str, now: datetime) -> bytes:
        if error is None and status == "error":
            error = {"code": "not_delivered", "message": "Сообщение не доставлено"}
        channel = next((m.channel for m in self._outbox if m.id == message_id), "")
        transport = next((c.transport for c in self.channels.values() if c.phone == channel), "whatsapp")
        return encode_payload(
            {
                "type": "status",
                "channel": transport,
                "status": status,
                "client_id": client,
                "external_id": self._external.get(message_id, message_id),
                "error_code": error.get("code") if error else None,
                "error_message": error.get("message") if error else None,
                "datetime": now.isoformat(timespec="seconds"),
            }
        )

    def emit_edit(self, message_id: str) -> int:
        """An edit of a sent message: a PATCH the CRM must answer 200 with JSON, changing no status."""
        client, key = self._clients[message_id]
        raw = self._event(message_id, "sent", None, client, utc_now())
        delivery = self.post_webhook(self._webhook_target(), raw, {"X-Auth-Token": key}, "PATCH")
        with self._lock:
            self.webhook_deliveries.append(delivery)
        return delivery.status
