"""Wazzup API v3 adapter.

Text and every file are separate requests (``text`` and ``contentUri`` never travel together).
Each part carries a ``crmMessageId``; Wazzup refuses a repeated one for 60 s, so a part whose
answer was lost is retried only inside that window, never later (the client must not get it twice).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import requests

from emulator import clock
from emulator.providers import http
from emulator.providers.base import (
    AuthRejected,
    ChannelInfo,
    Credentials,
    Delivered,
    Failed,
    OutgoingRequest,
    Parts,
    ProviderUnavailable,
    Retry,
    SendOutcome,
)

DEDUPLICATION_WINDOW = dt.timedelta(seconds=60)
_ERRORS = {
    "INVALID_MESSAGE_DATA": "некорректные данные сообщения",
    "MESSAGE_TEXT_TOO_LONG": "текст длиннее 10000 символов",
    "MESSAGE_ONLY_TEXT_OR_CONTENT": "текст и файл нельзя отправить одним запросом",
    "MESSAGES_CONTENT_SIZE_EXCEEDED": "файл больше 10 МБ",
    "MESSAGE_DOWNLOAD_CONTENT_ERROR": "Wazzup не смог скачать файл",
    "CHANNEL_NOT_FOUND": "канал не найден в Wazzup",
    "CHANNEL_BLOCKED": "канал заблокирован",
    "CHANNEL_NO_MONEY": "канал не оплачен",
    "MESSAGE_CHANNEL_UNAVAILABLE": "канал недоступен",
    "BAD_CONTACT": "номер не зарегистрирован в WhatsApp",
}
_RETRYABLE_CODES = {"CHANNEL_LIMIT_EXCEEDED": "превышен лимит сообщений канала"}


def _error_of(response: requests.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "", f"Wazzup ответил HTTP {response.status_code}"
    code = str(body.get("error", "")) if isinstance(body, dict) else ""
    reason = _ERRORS.get(code) or _RETRYABLE_CODES.get(code)
    if code == "INVALID_MESSAGE_DATA":
        fields = (body.get("data") or {}).get("fields") if isinstance(body.get("data"), dict) else None
        if fields:
            reason = f"{reason}: {', '.join(map(str, fields))}"
    return code, reason or f"Wazzup: {code or response.status_code} {body.get('description', '')}".strip()


class WazzupAdapter:
    name = "wazzup"

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    def _headers(self, credentials: Credentials) -> dict[str, str]:
        return {"Authorization": f"Bearer {credentials.api_key}"}

    def fetch_channels(self, credentials: Credentials) -> list[ChannelInfo]:
        body = http.bearer_json_list(f"{credentials.base_url}/channels", credentials.api_key, self.timeout, "Wazzup")
        return [
            ChannelInfo(
                external_id=str(item["channelId"]),
                phone=str(item.get("plainId", "")),
                name=str(item.get("name") or ""),
                state=str(item.get("state", "")),
                active=item.get("state") == "active",
            )
            for item in body
            if item.get("transport") == "whatsapp"
        ]

    def subscribe_webhooks(self, credentials: Credentials) -> None:
        response = http.request(
            "PATCH",
            f"{credentials.base_url}/webhooks",
            headers=self._headers(credentials),
            json={
                "webhooksUri": credentials.webhook_url,
                "subscriptions": {
                    "messagesAndStatuses": True,
                    "contactsAndDealsCreation": False,
                    "channelsUpdates": False,
                    "templateStatus": False,
                },
            },
            timeout=self.timeout,
        )
        if response.status_code == 401:
            raise AuthRejected("неверный API ключ")
        if response.status_code != 200:
            raise ProviderUnavailable(f"не удалось подписаться на статусы сообщений (HTTP {response.status_code})")

    def _body(self, request: OutgoingRequest, part: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "channelId": request.channel_external_id,
            "chatType": "whatsapp",
            "chatId": request.to,
            "crmMessageId": part["crm_id"],
        }
        if part["kind"] == "text":
            body["text"] = request.text
        else:
            body["contentUri"] = request.attachments[part["index"]].url
        return body

    def plan(self, request: OutgoingRequest) -> Parts:
        """The text, then each file: one request each, each with its own crmMessageId."""
        parts: Parts = []
        if request.text:
            parts.append({"kind": "text", "crm_id": f"{request.idempotency_key}-text"})
        for index, _ in enumerate(request.attachments):
            parts.append({"kind": "file", "index": index, "crm_id": f"{request.idempotency_key}-file{index}"})
        for part in parts:
            part.update(status="pending", external_id=None, ambiguous_since=None)
        return parts

    def send(self, credentials: Credentials, request: OutgoingRequest, parts: Parts) -> tuple[SendOutcome, Parts]:
        parts = [dict(p) for p in parts] or self.plan(request)
        for part in parts:
            if part["status"] == "accepted":
                continue
            outcome = self._send_part(credentials, request, part)
            if isinstance(outcome, Failed):
                accepted = sum(1 for p in parts if p["status"] == "accepted")
                if accepted:  # the client already has part of the message: say so
                    outcome = Failed(f"{outcome.reason}; уже доставлено сервису частей: {accepted} из {len(parts)}")
            if outcome is not None:
                return outcome, parts
        return Delivered(tuple(p["external_id"] or "" for p in parts)), parts

    def _send_part(
        self, credentials: Credentials, request: OutgoingRequest, part: dict[str, Any]
    ) -> Retry | Failed | None:
        """None when the part is accepted (now or, as REPEATED_CRM_MESSAGE_ID says, earlier)."""
        answer = http.call(
            "POST",
            f"{credentials.base_url}/message",
            headers=self._headers(credentials),
            json=self._body(request, part),
            timeout=self.timeout,
        )
        if isinstance(answer, http.TransportFailure):
            if answer.may_have_arrived:
                return self._ambiguous(part, answer.reason)
            return Retry(answer.reason, not_after=self._window_end(part))
        if answer.status_code in (200, 201):
            part.update(status="accepted", external_id=str(http.json_body(answer).get("messageId", "")))
            return None
        if answer.status_code == 429:
            return Retry("превышен лимит запросов Wazzup", http.retry_after(answer), self._window_end(part))
        if answer.status_code >= 500:
            return self._ambiguous(part, f"Wazzup ответил HTTP {answer.status_code}")
        if answer.status_code == 401:
            return Failed("неверный API ключ")
        code, reason = _error_of(answer)
        if code == "REPEATED_CRM_MESSAGE_ID":
            part.update(status="accepted")
            return None
        if code in _RETRYABLE_CODES:
            return Retry(reason, not_after=self._window_end(part))
        return Failed(reason)

    @staticmethod
    def _window_end(part: dict[str, Any]) -> dt.datetime | None:
        since = part.get("ambiguous_since")
        return dt.datetime.fromisoformat(since) + DEDUPLICATION_WINDOW if since else None

    def _ambiguous(self, part: dict[str, Any], reason: str) -> Retry:
        if not part.get("ambiguous_since"):
            part["ambiguous_since"] = clock.now().isoformat()
        part["status"] = "ambiguous"
        return Retry(reason, not_after=self._window_end(part))
