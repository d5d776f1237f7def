"""Шаги об уведомлениях сервисов о статусе: что сообщают и верит ли им CRM."""

from __future__ import annotations

import json
from typing import Any

from pytest_bdd import given, then, when

from mocks.interface import FakeProviders
from mocks.provider_fake import StatusOptions
from steps.context import ScenarioContext
from steps.phone_literals import digits
from steps.phrases import phrase
from steps.provider_terms import fake_of, webhook_status

UNKNOWN_MESSAGE = "00000000-0000-4000-8000-00000000dead"


def _message_id(providers: FakeProviders, service: str, phone: str) -> str:
    sent = fake_of(providers, service).outbox_to(digits(phone))
    assert sent, f"{service} ничего не принял для {phone}: не о чем сообщать статус"
    return str(sent[0].id)


def _emit(
    providers: FakeProviders,
    ctx: ScenarioContext,
    service: str,
    phone: str | None,
    status: str,
    error: str | None = None,
    sent_by: str | None = None,
    **options: Any,
) -> None:
    fake = fake_of(providers, service)
    message_id = _message_id(providers, sent_by or service, phone) if phone is not None else UNKNOWN_MESSAGE
    reason = fake.profile.delivery_error(error) if error is not None else None
    answer = fake.emit_status(
        message_id, webhook_status(fake, service, status), error=reason, options=StatusOptions(**options)
    )
    ctx.webhook_answers.append(answer)


@given(phrase("клиент «{phone}» ответил через «{service}»: «{text}»"))
@when(phrase("клиент «{phone}» отвечает через «{service}»: «{text}»"))
def client_replies(providers: FakeProviders, ctx: ScenarioContext, phone: str, service: str, text: str) -> None:
    """Клиент пишет на активный канал сервиса; сервис присылает входящее сообщение в CRM так, как документирует
    (Default — событие message.received с подписью, Wazzup — messages на адрес с секретом CRM)."""
    ctx.webhook_answers.append(fake_of(providers, service).client_writes(digits(phone), text))


@when(phrase("клиент «{phone}» пишет на канал «{channel}» сервиса «{service}»: «{text}»"))
def client_writes_to(
    providers: FakeProviders, ctx: ScenarioContext, phone: str, channel: str, service: str, text: str
) -> None:
    ctx.webhook_answers.append(fake_of(providers, service).client_writes(digits(phone), text, digits(channel)))


@when(phrase("сервис «{service}» сообщает статус «{status}» сообщения клиенту «{phone}»"))
def report_status(providers: FakeProviders, ctx: ScenarioContext, service: str, status: str, phone: str) -> None:
    """Так, как сервис его присылает (Default — с подписью Standard Webhooks, Wazzup — на адрес с секретом CRM,
    I2CRM — с ключом канала в X-Auth-Token)."""
    _emit(providers, ctx, service, phone, status)


@when(phrase("сервис «{service}» сообщает статус «Ошибка» сообщения клиенту «{phone}» с причиной «{reason}»"))
def report_error(providers: FakeProviders, ctx: ScenarioContext, service: str, phone: str, reason: str) -> None:
    _emit(providers, ctx, service, phone, "Ошибка", reason)


@when(phrase("сервис «{service}» сообщает статус «{status}» сообщения клиенту «{phone}» с поддельной подписью"))
def report_forged(providers: FakeProviders, ctx: ScenarioContext, service: str, status: str, phone: str) -> None:
    """Кто-то, кто не знает секрета CRM (Wazzup: угаданный адрес, Default: чужой ключ подписи)."""
    _emit(providers, ctx, service, phone, status, forged=True)


@when(phrase("сервис «{service}» сообщает статус «{status}» сообщения клиенту «{phone}» без подписи"))
def report_unsigned(providers: FakeProviders, ctx: ScenarioContext, service: str, status: str, phone: str) -> None:
    _emit(providers, ctx, service, phone, status, unsigned=True)


@when(phrase("сервис «{service}» сообщает статус «{status}» сообщения, которое клиенту «{phone}» отправил «{other}»"))
def report_foreign(
    providers: FakeProviders, ctx: ScenarioContext, service: str, status: str, phone: str, other: str
) -> None:
    """Идентификатор сообщения другого сервиса в уведомлении этого: ничего об этом сервисе он не значит."""
    _emit(providers, ctx, service, phone, status, sent_by=other)


@when(phrase("сервис «{service}» сообщает статус «{status}» неизвестного CRM сообщения"))
def report_unknown(providers: FakeProviders, ctx: ScenarioContext, service: str, status: str) -> None:
    _emit(providers, ctx, service, None, status)


@when(
    phrase(
        "сервис «{service}» сообщает статус «{status}» сообщения клиенту «{phone}» подписанным {minutes:d} минут назад"
    )
)
def report_stale(
    providers: FakeProviders, ctx: ScenarioContext, service: str, status: str, phone: str, minutes: int
) -> None:
    """Уведомление подписано давно и пришло только сейчас (захвачено и прислано снова, или застряло в пути)."""
    _emit(providers, ctx, service, phone, status, signed_ago=minutes * 60.0)


@when(
    phrase(
        "сервис «{service}» сообщает статус «{status}» сообщения клиенту «{phone}» с подписью только прежним секретом"
    )
)
def report_previous_secret(
    providers: FakeProviders, ctx: ScenarioContext, service: str, status: str, phone: str
) -> None:
    """Уведомление подписано только секретом, который CRM зарегистрировала до смены (подписано до того,
    как новый секрет дошёл до всех, или тем, кто сохранил старый)."""
    _emit(providers, ctx, service, phone, status, previous_secret_only=True)


@when(phrase("сервис «{service}» сообщает статус «{status}» сообщения клиенту «{phone}» с негодной первой подписью"))
def report_garbled_first(providers: FakeProviders, ctx: ScenarioContext, service: str, status: str, phone: str) -> None:
    """Первая из подписей не подходит ни к одному секрету, за ней — верная: CRM проверяет каждую."""
    _emit(providers, ctx, service, phone, status, garbled_first_signature=True)


@when(phrase("сервис «{service}» сообщает статус «{status}» сообщения клиенту «{phone}» с прежним идентификатором"))
def report_same_id(providers: FakeProviders, ctx: ScenarioContext, service: str, status: str, phone: str) -> None:
    """Новое тело, верная подпись, но идентификатор уведомления уже был (повтор доставки)."""
    fake = fake_of(providers, service)
    found = [i for i in map(fake.profile.delivery_id_of, fake.webhook_deliveries) if i]
    assert found, f"{service} ещё не присылал уведомлений с идентификатором"
    _emit(providers, ctx, service, phone, status, reuse_delivery_id=found[-1])


@given(phrase("уведомление сервиса «{service}» о статусе «{status}» сообщения клиенту «{phone}» потерялось в пути"))
@when(phrase("уведомление сервиса «{service}» о статусе «{status}» сообщения клиенту «{phone}» потерялось в пути"))
def report_lost(providers: FakeProviders, ctx: ScenarioContext, service: str, status: str, phone: str) -> None:
    """Сервис знает новый статус, а его уведомление до CRM не дошло."""
    fake = fake_of(providers, service)
    fake.emit_status(
        _message_id(providers, service, phone), webhook_status(fake, service, status), options=StatusOptions(lost=True)
    )


@when(phrase("перехваченное уведомление сервиса «{service}» присылают снова"))
def replay(providers: FakeProviders, ctx: ScenarioContext, service: str) -> None:
    """Точная копия последнего уведомления, байт в байт: та же подпись, тот же идентификатор."""
    ctx.webhook_answers.append(fake_of(providers, service).replay_last_webhook())


@given(phrase("администратор сменил секрет вебхука сервиса «{service}»"))
@when(phrase("администратор меняет секрет вебхука сервиса «{service}»"))
def rotate_secret(crm_api: Any, service: str) -> None:
    """CRM делает новый секрет и регистрирует его у сервиса; прежний действует ещё сутки."""
    crm_api.renew_webhook_signing_key(service)


@then(phrase("последнее уведомление сервиса «{service}» подписано ключами: {count:d}"))
def signed_by(providers: FakeProviders, service: str, count: int) -> None:
    fake = fake_of(providers, service)
    deliveries = fake.webhook_deliveries
    assert deliveries, f"{service} не присылал уведомлений"
    found = fake.profile.signature_count(deliveries[-1])
    assert found == count, f"ожидалось подписей {count}, в уведомлении {found}"


@then("CRM ответила, что это уведомление уже обработано")
def answered_replayed(providers: FakeProviders, ctx: ScenarioContext) -> None:
    """200, и в ответе CRM: ничего не изменено, такое уведомление уже было."""
    assert ctx.webhook_answers and ctx.webhook_answers[-1] == 200, f"ответы CRM: {ctx.webhook_answers}"
    last = fake_of(providers, "Default").webhook_deliveries[-1]
    answer = json.loads(last.response_text)
    assert answer.get("replayed") is True and answer.get("updated") == 0, f"CRM ответила {answer}"


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


@then(phrase("CRM ответила на последнее уведомление кодом {code:d}"))
def answered_last(ctx: ScenarioContext, code: int) -> None:
    assert ctx.webhook_answers, "в сценарии сервис не сообщал статусов"
    assert ctx.webhook_answers[-1] == code, f"ожидался ответ CRM {code}, CRM ответила {ctx.webhook_answers[-1]}"


@then(phrase("CRM ответила сервису «{service}» на уведомление кодом 200 и телом JSON"))
def answered_json(providers: FakeProviders, service: str) -> None:
    """I2CRM повторяет уведомление, пока не получит 200 с телом JSON."""
    deliveries = fake_of(providers, service).webhook_deliveries
    assert deliveries, f"{service} не отправлял уведомлений"
    last = deliveries[-1]
    assert last.status == 200 and last.answered_json, f"CRM ответила {last.status} {last.response_text[:200]!r}"
