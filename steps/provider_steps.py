"""Шаги о стороне сервисов: их каналы и получатели, сбои, которыми они отвечают."""

from __future__ import annotations

from pytest_bdd import given, when

from harness.world import World
from mocks.interface import FakeProviders
from steps import vocabulary as words
from steps.phone_literals import digits
from steps.phrases import phrase
from steps.provider_terms import fake_of, fault_kind, key_of, on_send, refusal_of


@given(phrase("у сервиса «{service}» канал «{phone}» переходит в состояние «{state}»"))
@when(phrase("у сервиса «{service}» канал «{phone}» переходит в состояние «{state}»"))
def channel_state(providers: FakeProviders, service: str, phone: str, state: str) -> None:
    """Слово состояния самого сервиса (Default: active/inactive/blocked; Wazzup: active, blocked, qridle, ...)."""
    fake_of(providers, service).set_channel_state(phone, state)


@given(phrase("номер «{phone}» не зарегистрирован в WhatsApp у сервиса «{service}»"))
def not_on_whatsapp(providers: FakeProviders, phone: str, service: str) -> None:
    fake_of(providers, service).mark_not_on_whatsapp(digits(phone))


@given(phrase("сервис «{service}» ответит на следующую отправку сбоем «{kind}»"))
def fail_next(providers: FakeProviders, service: str, kind: str) -> None:
    """«ответ потерян» (принял, но ответ не дошёл), «нет соединения» (запрос не ушёл),
    «соединение оборвано» (мог дойти), «истекло время подключения» (не дошёл),
    «запрос ещё обрабатывается» (принял и ещё обрабатывает, когда CRM перестала ждать)."""
    fake = fake_of(providers, service)
    fake.fail_next(fault_kind(kind), **on_send(fake))


@given(phrase("сервис «{service}» отклонит следующую отправку: «{refusal}»"))
def refuse_next(providers: FakeProviders, service: str, refusal: str) -> None:
    """Отказ так, как его документирует сервис: «спам», «лимит исчерпан» (Wazzup: лимит канала;
    Default: частота), «тип чата не подходит каналу», «писать первым нельзя» (Wazzup), «нужен шаблон»
    (Default: клиент не писал 24 часа)."""
    fake = fake_of(providers, service)
    fake.fail_next("status", **refusal_of(fake, refusal).fault(), **on_send(fake))


@given(phrase("сервис «{service}» ответит на {times:d} следующие отправки сбоем «{kind}»"))
def fail_several(providers: FakeProviders, service: str, times: int, kind: str) -> None:
    fake = fake_of(providers, service)
    fake.fail_next(fault_kind(kind), times, **on_send(fake))


@given(phrase("сервис «{service}» отвечает на каждую отправку сбоем «{kind}»"))
def fail_always(providers: FakeProviders, service: str, kind: str) -> None:
    fake = fake_of(providers, service)
    fake.fail_always(fault_kind(kind), **on_send(fake))


@given(phrase("сервис «{service}» отвечает на каждый запрос сбоем «{kind}»"))
def fail_every_request(providers: FakeProviders, service: str, kind: str) -> None:
    """Сервис недоступен целиком: и отправка, и вопросы о судьбе сообщения."""
    fake_of(providers, service).fail_always(fault_kind(kind))


@given(phrase("сервис «{service}» ответит на следующую отправку кодом {status:d}"))
def fail_next_status(providers: FakeProviders, service: str, status: int) -> None:
    """Тело ошибки — как у самого сервиса для этого кода."""
    fake = fake_of(providers, service)
    fake.fail_next("status", status=status, **on_send(fake))


@given(phrase("сервис «{service}» отвечает на каждую отправку кодом {status:d}"))
def fail_always_status(providers: FakeProviders, service: str, status: int) -> None:
    fake = fake_of(providers, service)
    fake.fail_always("status", status=status, **on_send(fake))


@given(phrase("сервис «{service}» ответит на следующую отправку ограничением частоты с повтором через {seconds:d} с"))
def rate_limited(providers: FakeProviders, service: str, seconds: int) -> None:
    """Отказ по частоте в формате сервиса с ``Retry-After: seconds``."""
    fake = fake_of(providers, service)
    fake.fail_next("rate_limit", retry_after=seconds, **on_send(fake))


@given(phrase("сервис «{service}» ответит на следующую отправку кодом 200 с ошибкой «{text}»"))
def ok_status_with_error(providers: FakeProviders, service: str, text: str) -> None:
    """Успешный HTTP-код с ошибкой в теле — так, как это бывает у сервиса (I2CRM: всегда HTTP 200)."""
    fake = fake_of(providers, service)
    answer = fake.profile.error_in_ok
    assert answer is not None, f"у сервиса {service} нет ответов «200 с ошибкой»"
    fake.fail_next("status", **answer(text).fault(), **on_send(fake))


@given(phrase("сервис «{service}» перестал принимать ключ CRM при отправке"))
def key_rejected(providers: FakeProviders, service: str) -> None:
    """Каждая отправка отклоняется так, как этот сервис отклоняет неверные учётные данные."""
    fake = fake_of(providers, service)
    fake.fail_always("status", **fake.profile.key_rejected.fault(), **on_send(fake))


@given(phrase("сервис «{service}» ответит на следующий запрос каналов сбоем «{kind}»"))
def channels_fault(providers: FakeProviders, service: str, kind: str) -> None:
    fake = fake_of(providers, service)
    fake.fail_next(fault_kind(kind), **fake.profile.channels.fault_target())


@given(phrase("сервис «{service}» ответит на следующий запрос каналов кодом {status:d}"))
def channels_status(providers: FakeProviders, service: str, status: int) -> None:
    fake = fake_of(providers, service)
    fake.fail_next("status", status=status, **fake.profile.channels.fault_target())


@given(phrase("сервис «{service}» отдаёт список каналов страницами по {size:d}"))
def channel_pages(providers: FakeProviders, service: str, size: int) -> None:
    """Сервис отдаёт не больше ``size`` каналов за запрос, дальше — по курсору следующей страницы."""
    fake_of(providers, service).page_size = size


@given(phrase("сервис «{service}» отвечает на каждую отправку успехом без идентификатора сообщения"))
def accepted_without_id(providers: FakeProviders, service: str) -> None:
    """Успешный код без id сообщения: CRM не может считать сообщение отправленным."""
    fake = fake_of(providers, service)
    fake.fail_always("status", **fake.profile.accepted_without_id.fault(), **on_send(fake))


@given(phrase("сервис «{service}» принимает отправки в очередь без идентификаторов сообщений"))
def queued_sends(providers: FakeProviders, service: str) -> None:
    """I2CRM: ответ ``queued`` без ``external_ids`` — идентификатор приходит позже, с уведомлением о статусе."""
    fake = fake_of(providers, service)
    assert hasattr(fake, "queue_sends"), f"сервис {service} не ставит отправки в очередь"
    fake.queue_sends = True


@given(
    phrase("вторая CRM со своей базой данных отправила через тот же аккаунт «{service}» сообщение клиенту «{phone}»")
)
def other_crm_sends(world: World, service: str, phone: str) -> None:
    """Ещё одна CRM с пустой базой (её номера запусков и сообщений те же, что у первой) и тот же ключ сервиса."""
    other = world.other_crm()
    provider = key_of(service)
    other.process(provider, text="Из второй CRM")
    deal_id = other.deal((True, (phone,)))
    other.client.change_stage(deal_id, other.stage("Воронка 2", "В работе"))
    other.client.run_due()
    assert other.statuses(deal_id) == [words.STATUS_PREFIX + words.SENT], f"вторая CRM: {other.statuses(deal_id)}"
