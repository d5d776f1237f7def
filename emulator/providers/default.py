"""Default (the new provider) adapter: our own contract, see PROVIDERS.md.

Text and attachments travel in one ``POST /messages``; the ``Idempotency-Key`` (run + number)
makes every retry safe, so any transient failure is retried.
"""

from __future__ import annotations

import requests

from emulator.providers import http
from emulator.providers.base import (
    ChannelInfo,
    Credentials,
    Delivered,
    Failed,
    OutgoingRequest,
    Parts,
    Retry,
    SendOutcome,
    single_request_plan,
)

_ERRORS = {
    "INVALID_API_KEY": "неверный API ключ",
    "CHANNEL_NOT_FOUND": "канал не найден в Default",
    "CHANNEL_INACTIVE": "канал неактивен",
    "NOT_ON_WHATSAPP": "номер не зарегистрирован в WhatsApp",
    "TEXT_TOO_LONG": "текст длиннее 4096 символов",
    "ATTACHMENT_TOO_LARGE": "вложение больше 16 МБ",
}


def _failure_reason(response: requests.Response) -> str:
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return f"Default ответил HTTP {response.status_code}"
    code = str(error.get("code", ""))
    if code == "VALIDATION_ERROR":
        return f"ошибка в поле {error.get('field', '?')}: {error.get('message', '')}".strip()
    return _ERRORS.get(code, f"Default: {code or response.status_code} {error.get('message', '')}".strip())


class DefaultAdapter:
    name = "default"

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    def _headers(self, credentials: Credentials) -> dict[str, str]:
        return {"Authorization": f"Bearer {credentials.api_key}"}

    def fetch_channels(self, credentials: Credentials) -> list[ChannelInfo]:
        body = http.bearer_json_list(f"{credentials.base_url}/channels", credentials.api_key, self.timeout, "Default")
        return [
            ChannelInfo(
                external_id=str(item["id"]),
                phone=str(item.get("phone", "")),
                name=str(item.get("name") or ""),
                state=str(item.get("state", "")),
                active=item.get("state") == "active",
            )
            for item in body
            if item.get("transport", "whatsapp") == "whatsapp"
        ]

    def subscribe_webhooks(self, credentials: Credentials) -> None:
        """Default's webhook URL and secret are entered in its cabinet; the CRM shows both."""

    def plan(self, request: OutgoingRequest) -> Parts:
        return single_request_plan()

    def send(self, credentials: Credentials, request: OutgoingRequest, parts: Parts) -> tuple[SendOutcome, Parts]:
        body: dict[str, object] = {"channel_id": request.channel_external_id, "to": request.to}
        if request.text:
            body["text"] = request.text
        if request.attachments:
            body["attachments"] = [
                {"url": a.url, "filename": a.filename, "content_type": a.content_type, "size": a.size}
                for a in request.attachments
            ]
        headers = self._headers(credentials) | {"Idempotency-Key": request.idempotency_key}
        answer = http.call("POST", f"{credentials.base_url}/messages", headers=headers, json=body, timeout=self.timeout)
        if isinstance(answer, http.TransportFailure):
            return Retry(answer.reason), parts
        if answer.status_code in (200, 201, 202):
            message_id = str(http.json_body(answer).get("id", ""))
            return Delivered((message_id,)), [{"kind": "message", "status": "accepted", "external_id": message_id}]
        if answer.status_code == 429:
            return Retry("превышен лимит запросов Default", http.retry_after(answer)), parts
        if answer.status_code >= 500:
            return Retry(f"Default ответил HTTP {answer.status_code}"), parts
        return Failed(_failure_reason(answer)), parts
