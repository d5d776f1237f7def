"""i2crm Public API adapter.

i2crm answers HTTP 200 to everything: only the body's ``error`` says whether a send failed.
It has no idempotency key, so a POST whose answer was lost is never repeated ("статус
неизвестен"); only a request that provably never left, or an explicit rate limit, is retried.
"""

from __future__ import annotations

from typing import Any

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
    Unknown,
    single_request_plan,
)

UNKNOWN_STATUS = "статус неизвестен"


def _envelope_data(body: Any) -> Any:
    """The ``data`` of a successful envelope; raises on ``{"error": "..."}``."""
    if not isinstance(body, dict) or "error" not in body:
        raise ProviderUnavailable("i2crm вернул неожиданный ответ")
    if body["error"] is not False:
        data = body.get("data") or {}
        status = data.get("status") if isinstance(data, dict) else None
        reason = str(body["error"]) if body["error"] is not True else "ошибка i2crm"
        if status in (401, 403):
            raise AuthRejected(reason)
        raise ProviderUnavailable(reason)
    return body.get("data")


class I2crmAdapter:
    name = "i2crm"

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    def _list(self, credentials: Credentials, what: str) -> list[dict[str, Any]]:
        response = http.request(
            "GET", f"{credentials.base_url}/{what}", params={"token": credentials.api_key}, timeout=self.timeout
        )
        if response.status_code != 200:
            raise ProviderUnavailable(f"i2crm ответил HTTP {response.status_code}")
        data = _envelope_data(http.json_body(response))
        items = data.get("list") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise ProviderUnavailable("i2crm вернул неожиданный список")
        return items

    def fetch_channels(self, credentials: Credentials) -> list[ChannelInfo]:
        """A channel is a WhatsApp source (sender number) paired by name with its target (send key)."""
        targets = {str(t.get("name")): t for t in self._list(credentials, "targets")}
        channels = []
        for source in self._list(credentials, "sources"):
            if source.get("channel") != "whatsapp":
                continue
            target = targets.get(str(source.get("name")))
            active = bool(source.get("active")) and bool(target and target.get("active"))
            channels.append(
                ChannelInfo(
                    external_id=str(source["id"]),
                    phone=str(source.get("account_id", "")),
                    name=str(source.get("name") or ""),
                    state="active" if active else "inactive",
                    active=active,
                    send_key=str(target["key"]) if target and target.get("key") else None,
                )
            )
        return channels

    def subscribe_webhooks(self, credentials: Credentials) -> None:
        """i2crm has no API for it: the webhook URL is entered in the i2crm cabinet."""

    def plan(self, request: OutgoingRequest) -> Parts:
        return single_request_plan()

    def send(self, credentials: Credentials, request: OutgoingRequest, parts: Parts) -> tuple[SendOutcome, Parts]:
        if not request.send_key:
            return Failed("у канала нет ключа отправки i2crm"), parts
        body: dict[str, Any] = {"domain": "whatsapp", "source": request.channel_phone, "client": request.to}
        if request.text:
            body["text"] = request.text
        if request.attachments:
            body["files"] = [a.url for a in request.attachments]  # assumption: not publicly documented
        answer = http.call(
            "POST",
            f"{credentials.base_url}/target/feedback",
            params={"key": request.send_key},
            json=body,
            timeout=self.timeout,
        )
        if isinstance(answer, http.TransportFailure):
            if answer.may_have_arrived:
                return Unknown(UNKNOWN_STATUS), parts
            return Retry(answer.reason), parts
        if answer.status_code == 429:
            return Retry("превышен лимит запросов i2crm", http.retry_after(answer)), parts
        if answer.status_code != 200:
            return Unknown(UNKNOWN_STATUS), parts
        try:
            envelope = answer.json()
        except ValueError:
            return Unknown(UNKNOWN_STATUS), parts
        if not isinstance(envelope, dict) or "error" not in envelope:
            return Unknown(UNKNOWN_STATUS), parts
        if envelope["error"] is False:
            data = envelope.get("data") or {}
            external_id = str(data.get("id", "")) if isinstance(data, dict) else ""
            return Delivered((external_id,)), [{"kind": "message", "status": "accepted", "external_id": external_id}]
        return self._refusal(envelope), parts

    @staticmethod
    def _refusal(envelope: dict[str, Any]) -> SendOutcome:
        data = envelope.get("data") if isinstance(envelope.get("data"), dict) else {}
        reason = str(envelope["error"]) if envelope["error"] is not True else "ошибка i2crm"
        validation = data.get("validation") if isinstance(data, dict) else None
        if isinstance(validation, dict) and validation:
            details = "; ".join(
                f"{field}: {', '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}"
                for field, msgs in validation.items()
            )
            reason = f"{reason} ({details})"
        if isinstance(data, dict) and data.get("status") == 429:
            return Retry(reason)
        return Failed(reason)
