"""Fake of the i2crm Public API (``/api_v1``): HTTP is always 200, the verdict is in the JSON envelope.

Strict (from the contract): ``GET /targets?token=`` / ``GET /sources?token=`` with the user token;
``POST /target/feedback?key=<channel key>`` with ``domain``, ``source`` (the sender number), ``client``
(digits) and ``text`` and/or ``files`` (public URLs, downloaded like Wazzup's ``contentUri``); success
``{"error": false, "data": {"id": <int>, "external_ids": [], "queued": false}}``; failure
``{"error": "<Russian text>", "data": {"status": <int>, "validation"?: {"field": ["..."]}}}``. There is
NO idempotency: an identical POST again is a second message in the outbox.

Assumed where the contract is silent:
- bad/missing token or key -> ``data.status`` 401; unknown route 404, wrong method 405 (still HTTP 200);
  an inactive channel -> ``{"error": "Канал неактивен", "data": {"status": 403}}``; a
  ``mark_not_on_whatsapp`` number -> ``data.status`` 400 with ``validation.client``;
- ``/sources`` answers ``{"error": false, "data": {"list": [...]}}`` like ``/targets``; a channel is one
  target (id, name, active, key) and one source with the same id (channel = its transport, account_id =
  its number); ids are integers from 1, keys 32 hex characters;
- validation (``data.status`` 400): ``domain`` must equal the channel's transport, ``source`` the channel's
  number, ``client`` 10..15 digits, ``text`` a non-empty string <= 4096 characters, ``files`` a list of at
  most 10 http(s) URLs (errors named ``files.0``...), at least one of text/files, text and files may travel
  together, unknown fields rejected; each file is downloaded, > 16 MB or a failed download -> 400;
- no natural rate limit; an injected ``rate_limit`` answers HTTP 429 with the envelope (``data.status``
  429) and ``Retry-After``; an injected ``status`` without a body answers the envelope with that status;
- status webhooks: ``status`` is one of ``sent``, ``delivered``, ``read``, ``error``; ``external_id`` is
  the ``data.id`` of the send answer as a string; ``error_code``/``error_message`` come from
  ``error={"code", "message"}`` (default ``not_delivered`` / "Сообщение не доставлено" for ``error``,
  else null); ``datetime`` is ISO 8601 UTC (``2024-05-01T12:00:00+00:00``); no authentication header
  (``signature=`` is refused). i2crm repeats a webhook unless the CRM answers 200 with a JSON body;
  ``emit_status`` makes one attempt -- ``webhook_deliveries[-1].answered_json`` tells whether it would be
  repeated.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from mocks.channel import FakeChannel
from mocks.content_download import DownloadError, download, is_http_url
from mocks.outbox import Attachment
from mocks.provider_fake import ProviderFake
from mocks.wire import FakeRequest, FakeResponse

TEXT_LIMIT = 4096
FILE_LIMIT_BYTES = 16 * 1024 * 1024
FILES_LIMIT = 10
SEND_FIELDS = frozenset({"domain", "source", "client", "text", "files"})
_CLIENT = re.compile(r"^\d{10,15}$")
_ROUTES = {"/targets": "GET", "/sources": "GET", "/target/feedback": "POST"}

Validation = dict[str, list[str]]


def i2crm_error(message: str, status: int, validation: Validation | None = None) -> FakeResponse:
    """i2crm's failure envelope, delivered with HTTP 200."""
    data: dict[str, Any] = {"status": status}
    if validation:
        data["validation"] = validation
    return FakeResponse(200, {"error": message, "data": data})


def _invalid(validation: Validation) -> FakeResponse:
    return i2crm_error("Ошибка валидации данных", 400, validation)


def _text_and_files_problems(body: dict[str, Any]) -> Validation:
    problems: Validation = {}
    text, files = body.get("text"), body.get("files")
    if text is not None and (not isinstance(text, str) or not text.strip()):
        problems["text"] = ["Поле text должно быть непустой строкой."]
    elif isinstance(text, str) and len(text) > TEXT_LIMIT:
        problems["text"] = [f"Поле text не может быть длиннее {TEXT_LIMIT} символов."]
    if files is not None:
        if not isinstance(files, list) or not files or len(files) > FILES_LIMIT:
            problems["files"] = [f"Поле files должно быть списком от 1 до {FILES_LIMIT} ссылок."]
        else:
            for index, url in enumerate(files):
                if not is_http_url(url):
                    problems[f"files.{index}"] = [f"Поле files.{index} должно быть корректным URL."]
    if text is None and files is None:
        problems["text"] = ["Поле text обязательно, если не переданы files."]
    return problems


def _send_problems(body: dict[str, Any], channel: FakeChannel) -> Validation:
    problems: Validation = {name: ["Неизвестное поле."] for name in sorted(set(body) - SEND_FIELDS)}
    for name in ("domain", "source", "client"):
        if not isinstance(body.get(name), str) or not body[name]:
            problems[name] = [f"Поле {name} обязательно для заполнения."]
    if "domain" not in problems and body["domain"] != channel.transport:
        problems["domain"] = ["Значение поля domain не соответствует каналу."]
    if "source" not in problems and body["source"] != channel.phone:
        problems["source"] = ["Источник не принадлежит этому каналу."]
    if "client" not in problems and not _CLIENT.match(body["client"]):
        problems["client"] = ["Поле client должно содержать от 10 до 15 цифр."]
    problems.update(_text_and_files_problems(body))
    return problems


class I2crmFake(ProviderFake):
    """i2crm: user token for channels, per-channel send keys, always-200 envelopes, no idempotency."""

    name = "i2crm"
    default_base_url = "https://app.i2crm.ru/api_v1"
    channel_states = frozenset({"active", "inactive"})
    status_vocabulary = frozenset({"sent", "delivered", "read", "error"})

    def _reset_provider_state(self) -> None:
        self._next_channel_id = 1
        self._next_message_id = 1

    def _new_channel(self, phone: str, state: str, name: str, transport: str) -> FakeChannel:
        channel_id = self._next_channel_id
        self._next_channel_id += 1
        key = uuid.uuid4().hex
        return FakeChannel(id=str(channel_id), phone=phone, name=name, state=state, transport=transport, key=key)

    def process(self, request: FakeRequest) -> FakeResponse:
        method = _ROUTES.get(request.path)
        if method is None:
            return i2crm_error("Метод не найден", 404)
        if request.method != method:
            return i2crm_error("Метод не поддерживается", 405)
        if request.path == "/target/feedback":
            return self._send(request)
        if request.query.get("token") not in self.api_keys:
            return i2crm_error("Неверный токен", 401)
        if request.path == "/targets":
            targets = [
                {"id": int(c.id), "name": c.name, "active": c.state == "active", "key": c.key}
                for c in self.channels.values()
            ]
            return FakeResponse(200, {"error": False, "data": {"list": targets}})
        sources = [
            {
                "id": int(c.id),
                "channel": c.transport,
                "account_id": c.phone,
                "name": c.name,
                "active": c.state == "active",
            }
            for c in self.channels.values()
        ]
        return FakeResponse(200, {"error": False, "data": {"list": sources}})

    def _send(self, request: FakeRequest) -> FakeResponse:
        key = request.query.get("key")
        channel = next((c for c in self.channels.values() if key and c.key == key), None)
        if channel is None:
            return i2crm_error("Неверный ключ канала", 401)
        body = request.json
        if request.json_error is not None or not isinstance(body, dict):
            return _invalid({"body": ["Тело запроса должно быть JSON-объектом."]})
        problems = _send_problems(body, channel)
        if problems:
            return _invalid(problems)
        if channel.state != "active":
            return i2crm_error("Канал неактивен", 403)
        client: str = body["client"]
        if client in self.not_on_whatsapp:
            message = "Номер клиента не зарегистрирован в WhatsApp"
            return i2crm_error(message, 400, {"client": ["Номер не зарегистрирован в WhatsApp."]})
        attachments: list[Attachment] = []
        for index, url in enumerate(body.get("files") or []):
            try:
                got = download(url, FILE_LIMIT_BYTES)
            except DownloadError as error:
                reason = "Файл больше 16 МБ." if error.too_large else "Не удалось загрузить файл по ссылке."
                return i2crm_error("Не удалось загрузить файл", 400, {f"files.{index}": [reason]})
            attachments.append(
                Attachment(url=got.url, filename=got.filename, content_type=got.content_type, size=got.size)
            )
        message_id = self._next_message_id
        self._next_message_id += 1
        self._accept(str(message_id), channel, client, body.get("text"), attachments, None)
        return FakeResponse(200, {"error": False, "data": {"id": message_id, "external_ids": [], "queued": False}})

    def error_body_for_status(self, status: int) -> Any:
        return {"error": "Внутренняя ошибка сервера", "data": {"status": status}}

    def rate_limited(self, retry_after: int) -> FakeResponse:
        return FakeResponse(
            429,
            {"error": "Слишком много запросов", "data": {"status": 429}},
            {"Retry-After": str(retry_after)},
        )

    def status_payload(
        self, message_id: str, status: str, error: dict[str, Any] | None, now: datetime
    ) -> dict[str, Any]:
        if error is None and status == "error":
            error = {"code": "not_delivered", "message": "Сообщение не доставлено"}
        return {
            "type": "status",
            "external_id": message_id,
            "status": status,
            "error_code": error.get("code") if error else None,
            "error_message": error.get("message") if error else None,
            "datetime": now.isoformat(timespec="seconds"),
        }

    def webhook_headers(self, raw: bytes, signature: str | None, unsigned: bool) -> dict[str, str]:
        if signature is not None:
            raise ValueError("i2crm webhooks carry no signature; signature= makes no sense here")
        return {}
