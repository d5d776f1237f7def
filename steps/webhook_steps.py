"""Шаги об уведомлениях сервисов о статусе: что сообщают и верит ли им CRM."""

from __future__ import annotations

from typing import Any

from pytest_bdd import then, when

from steps.context import ScenarioContext
from steps.phrases import phrase
from steps.provider_terms import digits, fake_of, key_of, webhook_status

FORGED_SIGNATURES = {"default": "sha256=" + "0" * 64, "wazzup": "forged-crm-key"}


def _message_id(providers: Any, service: str, phone: str) -> str:
    sent = fake_of(providers, service).outbox_to(digits(phone))
    assert sent, f"{service} ничего не принял для {phone}: не о чем сообщать статус"
    return str(sent[0].id)


def _error(service: str, reason: str) -> dict[str, str]:
    if key_of(service) == "wazzup":
        return {"error": "UNKNOWN_ERROR", "description": reason}
    return {"code": "not_delivered", "message": reason}


def _emit(providers: Any, ctx: ScenarioContext, service: str, message_id: str, status: str, **options: Any) -> None:
    answer = fake_of(providers, service).emit_status(message_id, webhook_status(service, status), **options)
    ctx.webhook_answers.append(answer)


@when(phrase("сервис «{service}» сообщает статус «{status}» сообщения клиенту «{phone}»"))
def report_status(providers: Any, ctx: ScenarioContext, service: str, status: str, phone: str) -> None:
    """С подписью, как её ставит сервис (Default — HMAC тела, Wazzup — ключ CRM)."""
    _emit(providers, ctx, service, _message_id(providers, service, phone), status)


@when(phrase("сервис «{service}» сообщает статус «Ошибка» сообщения клиенту «{phone}» с причиной «{reason}»"))
def report_error(providers: Any, ctx: ScenarioContext, service: str, phone: str, reason: str) -> None:
    message_id = _message_id(providers, service, phone)
    _emit(providers, ctx, service, message_id, "Ошибка", error=_error(service, reason))


@when(phrase("сервис «{service}» сообщает статус «{status}» сообщения клиенту «{phone}» с поддельной подписью"))
def report_forged(providers: Any, ctx: ScenarioContext, service: str, status: str, phone: str) -> None:
    signature = FORGED_SIGNATURES[key_of(service)]
    _emit(providers, ctx, service, _message_id(providers, service, phone), status, signature=signature)


@when(phrase("сервис «{service}» сообщает статус «{status}» сообщения клиенту «{phone}» без подписи"))
def report_unsigned(providers: Any, ctx: ScenarioContext, service: str, status: str, phone: str) -> None:
    _emit(providers, ctx, service, _message_id(providers, service, phone), status, unsigned=True)


@when(phrase("сервис «{service}» сообщает статус «{status}» неизвестного CRM сообщения"))
def report_unknown(providers: Any, ctx: ScenarioContext, service: str, status: str) -> None:
    _emit(providers, ctx, service, "00000000-0000-4000-8000-00000000dead", status)


@then("CRM приняла уведомления о статусе")
def accepted(ctx: ScenarioContext) -> None:
    assert ctx.webhook_answers, "в сценарии сервис не сообщал статусов"
    answers = ctx.webhook_answers
    assert all(a == 200 for a in answers), f"ожидался ответ CRM 200 на каждое уведомление, были {answers}"


@then(phrase("CRM отклонила уведомление о статусе с кодом {code:d}"))
def refused(ctx: ScenarioContext, code: int) -> None:
    assert ctx.webhook_answers, "в сценарии сервис не сообщал статусов"
    last = ctx.webhook_answers[-1]
    assert last == code, f"ожидался отказ CRM с кодом {code}, CRM ответила {last}"


@then(phrase("CRM ответила сервису «{service}» на уведомление кодом 200 и телом JSON"))
def answered_json(providers: Any, service: str) -> None:
    """I2CRM повторяет уведомление, пока не получит 200 с телом JSON."""
    deliveries = fake_of(providers, service).webhook_deliveries
    assert deliveries, f"{service} не отправлял уведомлений"
    last = deliveries[-1]
    assert last.status == 200 and last.answered_json, f"CRM ответила {last.status} {last.response_text[:200]!r}"
