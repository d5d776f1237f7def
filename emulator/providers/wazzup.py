"""Wazzup API v3 adapter: the CRM's whole knowledge of Wazzup (contract: contracts/wazzup.yaml).

Text and every file are separate requests (``text`` and ``contentUri`` never travel together), each
with its own ``crmMessageId`` (a random UUID). Wazzup refuses a repeated ``crmMessageId`` for 60 s
counted from when *it* received the first request, which the CRM cannot observe; so a part whose answer
was lost is resent only while the first call that may have reached Wazzup started less than the window
minus a safety margin ago (``lost_answer``), never later -- the client must not get it twice.

Status webhooks of an API-key integration carry no Authorization header and no signature: the CRM
registers a ``webhooksUri`` that ends with an unguessable secret, and only calls to that address count.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
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
    ProviderError,
    ProviderUnavailable,
    Refused,
    ReplyEvent,
    StatusEvent,
    Unreachable,
    WebhookRead,
    WebhookReading,
    WebhookRefused,
    WebhookTrust,
)
from emulator.providers.parts import MessagePart, PartKind, new_key

WINDOW = dt.timedelta(seconds=60)  # REPEATED_CRM_MESSAGE_ID window, counted by Wazzup from its receipt
SAFETY_MARGIN = dt.timedelta(seconds=5)  # the resend's own transit, clocks that disagree
WEBHOOKS_URI_LIMIT = 200
WHATSAPP_TRANSPORTS = frozenset({"whatsapp", "wapi"})  # wapi: WhatsApp Business API, chatType "whatsapp"
SUBSCRIPTIONS = {
    "messagesAndStatuses": True,
    "contactsAndDealsCreation": False,
    "channelsUpdates": False,
    "templateStatus": False,
}
REFUSALS = {
    "INVALID_MESSAGE_DATA": "некорректные данные сообщения",
    "MESSAGE_TEXT_TOO_LONG": "текст длиннее 10000 символов",
    "MESSAGE_ONLY_TEXT_OR_CONTENT": "текст и файл нельзя отправить одним запросом",
    "MESSAGES_CONTENT_SIZE_EXCEEDED": "файл больше 10 МБ",
    "MESSAGE_DOWNLOAD_CONTENT_ERROR": "Wazzup не смог скачать файл",
    "MESSAGE_WRONG_CONTENT_TYPE": "Wazzup не принимает файл этого типа",
    "CHANNEL_NOT_FOUND": "канал не найден в Wazzup",
    "CHANNEL_BLOCKED": "канал заблокирован",
    "CHANNEL_NO_MONEY": "канал не оплачен",
    "CHANNEL_WAPI_REJECTED": "канал WABA заблокирован",
    "WRONG_TRANSPORT": "тип чата не подходит каналу",
    "BAD_CONTACT": "номер не зарегистрирован в WhatsApp",
    "MESSAGES_IS_SPAM": "WhatsApp счёл сообщение спамом",
    "MESSAGES_NOT_TEXT_FIRST": "тариф не позволяет написать клиенту первым",
}
TRANSIENT = {
    "MESSAGE_CHANNEL_UNAVAILABLE": "канал временно недоступен",
    "CHANNEL_LIMIT_EXCEEDED": "превышен лимит сообщений канала",
}
REPEATED = frozenset({"REPEATED_CRM_MESSAGE_ID", "repeatedCrmMessageId"})  # both spellings are documented
WEBHOOK_ERRORS = {"uriNotValid": "Wazzup не принял адрес вебхука", "testPostNotPassed": "проверочный вызов не прошёл"}
STATUSES = {
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.READ,
    "error": MessageStatus.ERROR,
}


def _error_of(response: requests.Response) -> tuple[str, str]:
    """The error code and the reason to show; an empty body is allowed (documented)."""
    try:
        body = response.json()
    except ValueError:
        return "", f"Wazzup ответил HTTP {response.status_code}"
    if not isinstance(body, dict):
        return "", f"Wazzup ответил HTTP {response.status_code}"
    code = str(body.get("error") or "")
    reason = REFUSALS.get(code) or TRANSIENT.get(code)
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    fields = data.get("fields") if isinstance(data, dict) else None
    if code == "INVALID_MESSAGE_DATA" and isinstance(fields, list) and fields:
        reason = f"{reason}: {', '.join(map(str, fields))}"
    if reason is None:
        reason = f"Wazzup: {code or response.status_code} {body.get('description', '')}".strip()
    return code, reason


class WazzupAdapter:
    name = "wazzup"
    label = "Wazzup"
    card = ProviderCard(
        "WAZZUP",
        "Это - «переходник» для WhatsApp, Instagram и Telegram, чтобы подключить их к нашей CRM.",
        "https://wazzup24.com/",
        position=3,
    )
    base_url = "https://api.wazzup24.com/v3"
    base_url_env = "WAZZUP_BASE_URL"
    lost_answer = LostAnswerRule(resend_within=WINDOW - SAFETY_MARGIN)

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    @staticmethod
    def _headers(credentials: Credentials) -> dict[str, str]:
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
            if item.get("transport") in WHATSAPP_TRANSPORTS
        ]

    def new_webhook_secret(self) -> str:
        return secrets.token_urlsafe(24)

    def webhook_url(self, route: str, secret: str | None) -> str:
        return f"{route}/{secret}" if secret else route

    def register_webhook(self, credentials: Credentials, url: str, secret: str | None) -> None:
        if len(url) > WEBHOOKS_URI_LIMIT:
            raise ProviderError(f"адрес вебхука длиннее {WEBHOOKS_URI_LIMIT} символов: Wazzup его не примет")
        response = http.request(
            "PATCH",
            f"{credentials.base_url}/webhooks",
            headers=self._headers(credentials),
            json={"webhooksUri": url, "subscriptions": SUBSCRIPTIONS},
            timeout=self.timeout,
        )
        if response.status_code == 401:
            raise AuthRejected("неверный API ключ")
        if response.status_code != 200:
            code, reason = _error_of(response)
            raise ProviderUnavailable(
                f"не удалось подписаться на статусы сообщений: {WEBHOOK_ERRORS.get(code, reason)}"
            )

    def plan(self, request: OutgoingRequest) -> list[MessagePart]:
        """The text, then each file: one request each, each with its own crmMessageId."""
        parts = [MessagePart(PartKind.TEXT, new_key(), with_text=True)] if request.text else []
        parts += [MessagePart(PartKind.FILE, new_key(), index=i, files=(i,)) for i in range(len(request.attachments))]
        return parts

    def _body(self, request: OutgoingRequest, part: MessagePart) -> dict[str, Any]:
        body: dict[str, Any] = {
            "channelId": request.channel_external_id,
            "chatType": "whatsapp",
            "chatId": request.to,
            "crmMessageId": part.key,
            "clearUnanswered": False,  # recommended for automated messages: the manager still sees the chat
        }
        if part.kind is PartKind.TEXT:
            body["text"] = request.text
        else:
            body["contentUri"] = request.attachments[part.files[0]].url
        return body

    def send_part(self, credentials: Credentials, request: OutgoingRequest, part: MessagePart) -> PartResult:
        answer = http.call(
            "POST",
            f"{credentials.base_url}/message",
            headers=self._headers(credentials),
            json=self._body(request, part),
            timeout=self.timeout,
        )
        if isinstance(answer, http.TransportFailure):
            return MaybeSent(answer.reason) if answer.may_have_arrived else NotSent(answer.reason)
        if answer.status_code == 429:
            return NotSent("превышен лимит запросов Wazzup", http.retry_after(answer))
        if answer.status_code >= 500:
            return MaybeSent(f"Wazzup ответил HTTP {answer.status_code}")
        if answer.status_code == 401:
            return Refused("неверный API ключ")
        if 200 <= answer.status_code < 300:
            return self._success(answer)
        code, reason = _error_of(answer)
        if code in REPEATED:  # accepted earlier: the first request's messageId stays the part's id
            return Accepted(())
        if code in TRANSIENT:
            return NotSent(reason)
        return Refused(reason)

    @staticmethod
    def _success(answer: requests.Response) -> PartResult:
        """A 2xx counts only with a messageId and no error in it; else Wazzup may or may not have taken it
        (the lost-answer rule applies: a resend with the same crmMessageId inside the window)."""
        try:
            body = answer.json()
        except ValueError:
            return MaybeSent(f"Wazzup ответил HTTP {answer.status_code} без messageId")
        if isinstance(body, dict) and body.get("error"):
            return MaybeSent(f"Wazzup ответил HTTP {answer.status_code} с ошибкой: {_error_of(answer)[1]}")
        message_id = body.get("messageId") if isinstance(body, dict) else None
        if not message_id:
            return MaybeSent(f"Wazzup ответил HTTP {answer.status_code} без messageId")
        return Accepted((str(message_id),))

    def look_up(self, credentials: Credentials, part: MessagePart) -> LookUp:
        return Unreachable("Wazzup не умеет сообщать, что стало с запросом")

    def read_webhook(self, incoming: IncomingWebhook, trust: WebhookTrust) -> WebhookReading:
        """Only calls to the registered address (its secret segment) count; nothing else authenticates.

        The subscription's ``{"test": true}`` is answered 200 at once: it changes nothing, and it comes
        while the CRM is still registering the address (its new secret is not saved yet).
        """
        try:
            body = webhook_json.parse(incoming.body)
            unreadable = ""
        except webhook_json.UnreadableBody as exc:
            body, unreadable = None, str(exc)
        if body == {"test": True}:
            return WebhookRead()
        token = incoming.path_token or ""
        if not any(hmac.compare_digest(token.encode(), secret.encode()) for secret in trust.secrets if secret):
            return WebhookRefused(401, "неверный адрес вебхука")
        if not isinstance(body, dict):
            return WebhookRefused(400, unreadable or "тело вебхука не объект JSON")
        for name in ("messages", "statuses"):
            if not isinstance(body.get(name) or [], list):
                return WebhookRefused(400, f"поле {name} вебхука не список")
        replies = [
            ReplyEvent(str(item["messageId"]), str(item["channelId"]), str(item["chatId"]), str(item.get("text") or ""))
            for item in body.get("messages") or []
            # a client's message: not an echo of an outgoing one, not an edit or a deletion (the public n8n
            # node tells them apart the same way); WhatsApp chats only
            if isinstance(item, dict)
            and not any(item.get(flag) in (True, "true") for flag in ("isEcho", "isEdited", "isDeleted"))
            and item.get("chatType") == "whatsapp"
            and all(item.get(name) for name in ("messageId", "channelId", "chatId"))
        ]
        events = []
        for item in body.get("statuses") or []:
            if not isinstance(item, dict) or not item.get("messageId"):
                continue
            error = item.get("error") if isinstance(item.get("error"), dict) else {}
            reason = error.get("description") or error.get("error") if error else None
            status = STATUSES.get(str(item.get("status")))  # "edited" and the like: tolerated, no change
            events.append(StatusEvent(str(item["messageId"]), status, str(reason) if reason else None))
        return WebhookRead(events=events, replies=replies)
