"""Default (the new provider) adapter, contract 2 (contracts/default.yaml, PROVIDERS.md "Default").

Text and attachments travel in one ``POST /messages`` with a random ``Idempotency-Key`` made when the
message was planned. When an answer is lost the CRM first asks Default what became of the message
(``GET /messages?idempotency_key=``) and resends (with the same key) only when Default never saw it, so a
client never gets it twice and "статус неизвестен" is left for a Default unreachable for the whole retry
horizon. Errors are RFC 9457 problem details whose ``request_id`` the timeline shows where the reason
alone would not explain the failure. Webhooks follow Standard Webhooks (``default_webhooks``).
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from typing import Any

import requests

from emulator.model_enums import MessageStatus
from emulator.providers import default_webhooks, http
from emulator.providers.base import (
    Accepted,
    AuthRejected,
    ChannelInfo,
    Credentials,
    IncomingWebhook,
    LookUp,
    LostAnswerRule,
    MaybeSent,
    NotFound,
    NotSent,
    OutgoingRequest,
    PartResult,
    ProviderCard,
    ProviderUnavailable,
    Refused,
    Unreachable,
    WebhookReading,
    WebhookTrust,
)
from emulator.providers.parts import MessagePart, PartKind, new_key

KEY_RETENTION = dt.timedelta(hours=72)  # how long Default remembers an Idempotency-Key
SAFETY_MARGIN = dt.timedelta(hours=1)
PAGE_LIMIT = 100
MAX_PAGES = 1000
REFUSALS = {
    "INVALID_API_KEY": "неверный API ключ",
    "CHANNEL_NOT_FOUND": "канал не найден в Default",
    "CHANNEL_INACTIVE": "канал неактивен",
    "NOT_ON_WHATSAPP": "номер не зарегистрирован в WhatsApp",
    "TEXT_TOO_LONG": "текст длиннее 4096 символов",
    "ATTACHMENT_TOO_LARGE": "вложение больше 16 МБ",
    "SESSION_WINDOW_CLOSED": "клиент не писал больше 24 часов: WhatsApp примет только шаблон",
}
# An answer with any of these is a problem (RFC 9457), whatever its HTTP status says.
PROBLEM_FIELDS = ("code", "error", "errors", "title", "detail")
STATUSES = {
    "queued": None,
    "sent": None,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.READ,
    "failed": MessageStatus.ERROR,
}


def _problem(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


# Why Default refused ``PUT /webhook``, in the user's words (its ``detail`` is English, for developers).
WEBHOOK_ERRORS = {
    "WEBHOOK_TEST_FAILED": "проверочное уведомление Default не дошло до CRM (адрес CRM недоступен для Default)",
    "VALIDATION_ERROR": "Default не принял адрес уведомлений CRM",
}


def _traced(reason: str, problem: dict[str, Any]) -> str:
    request_id = problem.get("request_id")
    return f"{reason} (запрос {request_id})" if request_id else reason


def failure_reason(response: requests.Response) -> str:
    """What the timeline says about a refused request (RFC 9457 problem details)."""
    problem = _problem(response)
    code = str(problem.get("code") or "")
    if code in REFUSALS:
        return REFUSALS[code]
    if code == "VALIDATION_ERROR":
        errors = [e for e in problem.get("errors") or [] if isinstance(e, dict)]
        named = "; ".join(f"{e.get('field', '?')}: {e.get('message', '')}" for e in errors) or problem.get("detail")
        return _traced(f"Default отклонил данные ({named})", problem)
    return _traced(f"Default ответил HTTP {response.status_code}" + (f" {code}" if code else ""), problem)


class DefaultAdapter:
    name = "default"
    label = "Default"
    card = ProviderCard(
        "Default",
        "Сервис отправки сообщений в WhatsApp. Подключите API ключ, чтобы отправлять сообщения клиентам "
        "из бизнес-процессов.",
        "https://default.example/",
    )
    base_url = "https://api.default.example/v1"
    base_url_env = "DEFAULT_BASE_URL"
    lost_answer = LostAnswerRule(resend_within=KEY_RETENTION - SAFETY_MARGIN, lookup=True)

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    @staticmethod
    def _headers(credentials: Credentials) -> dict[str, str]:
        return {"Authorization": f"Bearer {credentials.api_key}"}

    def fetch_channels(self, credentials: Credentials) -> list[ChannelInfo]:
        """Every page of ``GET /channels``, following ``next_cursor`` to the end."""
        channels: list[ChannelInfo] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            params = {"limit": str(PAGE_LIMIT)} | ({"cursor": cursor} if cursor else {})
            response = http.request(
                "GET",
                f"{credentials.base_url}/channels",
                headers=self._headers(credentials),
                params=params,
                timeout=self.timeout,
            )
            if response.status_code == 401:
                raise AuthRejected("неверный API ключ")
            if response.status_code != 200:
                raise ProviderUnavailable(f"Default ответил HTTP {response.status_code}")
            page = http.json_body(response)
            if not isinstance(page, dict) or not isinstance(page.get("data"), list):
                raise ProviderUnavailable("Default вернул неожиданный список каналов")
            channels += [
                ChannelInfo(
                    external_id=str(item["id"]),
                    phone=str(item.get("phone", "")),
                    name=str(item.get("name") or ""),
                    state=str(item.get("state", "")),
                    active=item.get("state") == "active",
                )
                for item in page["data"]
                if item.get("transport", "whatsapp") == "whatsapp"
            ]
            cursor = page.get("next_cursor") or None
            if cursor is None:
                return channels
        raise ProviderUnavailable(f"Default отдал больше {MAX_PAGES} страниц каналов")

    def new_webhook_secret(self) -> str:
        return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()

    def webhook_url(self, route: str, secret: str | None) -> str:
        return route

    def register_webhook(self, credentials: Credentials, url: str, secret: str | None) -> None:
        """``PUT /webhook``: Default verifies the address with a signed ``webhook.test`` first."""
        response = http.request(
            "PUT",
            f"{credentials.base_url}/webhook",
            headers=self._headers(credentials),
            json={"url": url, "secret": secret},
            timeout=self.timeout,
        )
        if response.status_code == 401:
            raise AuthRejected("неверный API ключ")
        if response.status_code not in (200, 204):
            problem = _problem(response)
            code = str(problem.get("code") or "")
            said = WEBHOOK_ERRORS.get(code) or f"Default ответил HTTP {response.status_code} {code}".rstrip()
            raise ProviderUnavailable(f"не удалось подписаться на статусы сообщений: {_traced(said, problem)}")

    def plan(self, request: OutgoingRequest) -> list[MessagePart]:
        files = tuple(range(len(request.attachments)))
        return [MessagePart(PartKind.MESSAGE, new_key(), files=files, with_text=bool(request.text))]

    def send_part(self, credentials: Credentials, request: OutgoingRequest, part: MessagePart) -> PartResult:
        body: dict[str, object] = {"channel_id": request.channel_external_id, "to": request.to}
        if request.text:
            body["text"] = request.text
        if request.attachments:
            body["attachments"] = [
                {"url": a.url, "filename": a.filename, "content_type": a.content_type, "size": a.size}
                for a in request.attachments
            ]
        headers = self._headers(credentials) | {"Idempotency-Key": part.key}
        answer = http.call("POST", f"{credentials.base_url}/messages", headers=headers, json=body, timeout=self.timeout)
        if isinstance(answer, http.TransportFailure):
            return MaybeSent(answer.reason) if answer.may_have_arrived else NotSent(answer.reason)
        if answer.status_code in (200, 201, 202):
            return self._success(answer)
        problem = _problem(answer)
        if answer.status_code == 409 and problem.get("code") == "REQUEST_IN_PROGRESS":
            return MaybeSent("Default ещё обрабатывает первый запрос")
        if answer.status_code == 429:
            return NotSent("превышен лимит запросов Default", http.retry_after(answer))
        if answer.status_code >= 500:
            return MaybeSent(failure_reason(answer))
        return Refused(failure_reason(answer))

    @staticmethod
    def _success(answer: requests.Response) -> PartResult:
        """A 2xx counts only with the message's id and no problem in it; else Default may or may not have
        taken it, and is asked (the lost-answer rule)."""
        body = _problem(answer)
        if any(body.get(field) for field in PROBLEM_FIELDS):
            return MaybeSent(f"Default ответил HTTP {answer.status_code} с ошибкой: {failure_reason(answer)}")
        message_id = body.get("id")
        if not message_id:
            return MaybeSent(f"Default ответил HTTP {answer.status_code} без id сообщения")
        return Accepted((str(message_id),))

    def look_up(self, credentials: Credentials, part: MessagePart) -> LookUp:
        """``GET /messages/{id}`` when the id is known, else ``GET /messages?idempotency_key=``."""
        url = f"{credentials.base_url}/messages"
        params = None
        if part.external_id:
            url = f"{url}/{part.external_id}"
        else:
            params = {"idempotency_key": part.key}
        answer = http.call("GET", url, headers=self._headers(credentials), params=params, timeout=self.timeout)
        if isinstance(answer, http.TransportFailure):
            return Unreachable(f"не удалось спросить Default о сообщении: {answer.reason}")
        if answer.status_code == 404:
            return NotFound()
        if answer.status_code != 200:
            return Unreachable(f"не удалось спросить Default о сообщении: {failure_reason(answer)}")
        found = _problem(answer)
        if not found.get("id"):
            return Unreachable("Default ответил о сообщении без его id")
        error = found.get("error") if isinstance(found.get("error"), dict) else {}
        reason = str(error.get("message") or "") or None if error else None
        return Accepted((str(found["id"]),), STATUSES.get(str(found.get("status"))), reason)

    def read_webhook(self, incoming: IncomingWebhook, trust: WebhookTrust) -> WebhookReading:
        return default_webhooks.read(incoming, trust)
