"""i2crm Public API adapter: the CRM's whole knowledge of i2crm (contract: contracts/i2crm.yaml).

A CRM channel is one sender account of an outgoing channel ("target"): ``GET /targets`` lists the
targets with their keys, ``GET /target/sources?verbose=true&key=`` the accounts each one sends from
(WhatsApp and WABA). HTTP is always 200: only the body's ``error`` says whether a send failed, and a
success must carry the message's ``data.id``. i2crm has no idempotency key, so a send whose answer was
lost is never repeated (``lost_answer``); only a request that provably never left is.

Status webhooks carry ``X-Auth-Token: <target key>`` and name the message by one of the send answer's
``external_ids`` (which may come later, when the answer said ``queued``).
"""

from __future__ import annotations

import hmac
from typing import Any

import requests

from emulator.model_enums import MessageStatus
from emulator.providers import http, webhook_json
from emulator.providers.base import (
    Accepted,
    AuthRejected,
    ChannelInfo,
    Credentials,
    IncomingWebhook,
    LookUp,
    LostAnswerRule,
    MaybeSent,
    NotSent,
    OutgoingRequest,
    PartResult,
    ProviderCard,
    ProviderUnavailable,
    Refused,
    StatusEvent,
    Unreachable,
    WebhookRead,
    WebhookReading,
    WebhookRefused,
    WebhookTrust,
)
from emulator.providers.parts import MessagePart, PartKind, new_key

SENDER_KINDS = ("whatsapp", "waba")  # the sender accounts that are WhatsApp numbers
# Attachments are not publicly documented: the public production client sends a file as ``url`` next
# to ``text`` (docs/DECISIONS.md). One file per request, the text with the first.
ATTACHMENT_FIELD = "url"
STATUSES = {
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.READ,
    "error": MessageStatus.ERROR,
    "failed": MessageStatus.ERROR,
}


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


def _channel_id(target_id: object, kind: str, account: object) -> str:
    return f"{target_id}/{kind}/{account}"


def _kind_of(channel_external_id: str) -> str:
    parts = channel_external_id.split("/")
    return parts[1] if len(parts) == 3 else "whatsapp"


class I2crmAdapter:
    name = "i2crm"
    label = "I2CRM"
    card = ProviderCard("I2CRM", "Сервис интеграции Instagram, WhatsApp и CRM-систем.", "https://i2crm.ru/", position=2)
    base_url = "https://app.i2crm.ru/api_v1"
    base_url_env = "I2CRM_BASE_URL"
    lost_answer = LostAnswerRule(resend_within=None)

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    def _get(self, url: str, params: dict[str, str]) -> Any:
        response = http.request("GET", url, params=params, timeout=self.timeout)
        if response.status_code != 200:
            raise ProviderUnavailable(f"i2crm ответил HTTP {response.status_code}")
        return _envelope_data(http.json_body(response))

    def fetch_channels(self, credentials: Credentials) -> list[ChannelInfo]:
        """Each WhatsApp/WABA sender account of each target, as the target's own list names it."""
        data = self._get(f"{credentials.base_url}/targets", {"token": credentials.api_key})
        targets = data.get("list") if isinstance(data, dict) else None
        if not isinstance(targets, list):
            raise ProviderUnavailable("i2crm вернул неожиданный список каналов")
        channels = []
        for target in targets:
            key = str(target.get("key") or "")
            if not key:
                continue
            senders = self._get(f"{credentials.base_url}/target/sources", {"verbose": "true", "key": key})
            for kind in SENDER_KINDS:
                accounts = senders.get(kind) if isinstance(senders, dict) else None
                for account in accounts if isinstance(accounts, list) else []:
                    active = bool(target.get("active")) and bool(account.get("active"))
                    channels.append(
                        ChannelInfo(
                            external_id=_channel_id(target.get("id"), kind, account.get("account_id")),
                            phone=str(account.get("account_id", "")),
                            name=str(account.get("name") or ""),
                            state="active" if active else "inactive",
                            active=active,
                            send_key=key,
                        )
                    )
        return channels

    def new_webhook_secret(self) -> None:
        return None  # webhooks are authenticated by the channel's own key

    def webhook_url(self, route: str, secret: str | None) -> str:
        return route

    def register_webhook(self, credentials: Credentials, url: str, secret: str | None) -> None:
        """i2crm has no API for it: the callback URL is entered in the i2crm cabinet."""

    def plan(self, request: OutgoingRequest) -> list[MessagePart]:
        files = range(len(request.attachments))
        first: tuple[int, ...] = (0,) if request.attachments else ()
        parts = [MessagePart(PartKind.MESSAGE, new_key(), index=0 if first else None, files=first, with_text=True)]
        parts += [MessagePart(PartKind.FILE, new_key(), index=i, files=(i,)) for i in files if i > 0]
        return parts

    def send_part(self, credentials: Credentials, request: OutgoingRequest, part: MessagePart) -> PartResult:
        if not request.send_key:
            return Refused("у канала нет ключа отправки i2crm")
        body: dict[str, Any] = {
            "domain": _kind_of(request.channel_external_id),
            "source": request.channel_phone,
            "client": request.to,
        }
        if part.with_text and request.text:
            body["text"] = request.text
        if part.files:
            body[ATTACHMENT_FIELD] = request.attachments[part.files[0]].url
        answer = http.call(
            "POST",
            f"{credentials.base_url}/target/feedback",
            params={"key": request.send_key},
            json=body,
            timeout=self.timeout,
        )
        if isinstance(answer, http.TransportFailure):
            return MaybeSent(answer.reason) if answer.may_have_arrived else NotSent(answer.reason)
        if answer.status_code == 429:
            return NotSent("превышен лимит запросов i2crm", http.retry_after(answer))
        if answer.status_code != 200:
            return MaybeSent(f"i2crm ответил HTTP {answer.status_code}")
        return self._verdict(answer)

    @staticmethod
    def _verdict(answer: requests.Response) -> PartResult:
        try:
            envelope = answer.json()
        except ValueError:
            return MaybeSent("i2crm ответил не JSON")
        if not isinstance(envelope, dict) or "error" not in envelope:
            return MaybeSent("i2crm вернул неожиданный ответ")
        data = envelope.get("data") if isinstance(envelope.get("data"), dict) else {}
        if envelope["error"] is False:
            if not isinstance(data, dict) or data.get("id") in (None, ""):
                return MaybeSent("i2crm ответил без id сообщения")
            ids = data.get("external_ids") or []
            return Accepted(tuple(str(i) for i in ids) if isinstance(ids, list) else ())
        reason = str(envelope["error"]) if envelope["error"] is not True else "ошибка i2crm"
        validation = data.get("validation") if isinstance(data, dict) else None
        if isinstance(validation, dict) and validation:
            details = "; ".join(
                f"{field}: {', '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}"
                for field, msgs in validation.items()
            )
            reason = f"{reason} ({details})"
        status = data.get("status") if isinstance(data, dict) else None
        if status == 429:
            return NotSent(reason, http.retry_after(answer))
        return Refused(reason)

    def look_up(self, credentials: Credentials, part: MessagePart) -> LookUp:
        return Unreachable("i2crm не умеет сообщать, что стало с запросом")

    def read_webhook(self, incoming: IncomingWebhook, trust: WebhookTrust) -> WebhookReading:
        """``X-Auth-Token`` must be one of the CRM's channel keys; edits (PATCH) change no status."""
        token = incoming.headers.get("x-auth-token", "")
        if not token or not any(hmac.compare_digest(token.encode(), key.encode()) for key in trust.channel_keys):
            return WebhookRefused(401, "неверный X-Auth-Token")
        try:
            body = webhook_json.parse(incoming.body)
        except webhook_json.UnreadableBody as exc:
            return WebhookRefused(400, str(exc))
        if not isinstance(body, dict) or body.get("type") != "status" or not body.get("external_id"):
            return WebhookRead()
        status = STATUSES.get(str(body.get("status"))) if incoming.method == "POST" else None
        event = StatusEvent(
            external_id=str(body["external_id"]),
            status=status,
            reason=str(body.get("error_message") or "") or None,
            channel_key=token,
            client=str(body["client_id"]) if body.get("client_id") else None,
        )
        return WebhookRead(events=[event])
