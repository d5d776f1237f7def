"""The providers in the suite's words: which fake is which service, what a Russian fault or status means.

Steps say «Default», «Wazzup», «I2CRM», «ответ потерян», «Доставлено»; the fakes want "default",
"lost_answer", and their own status words. Wire details (routes, fields, headers) come from each
fake's profile (``mocks/<provider>.py``), never from here.
"""

from __future__ import annotations

from typing import Any

from drivers import names
from mocks.interface import FakeProvider, FakeProviders

FAULTS = {
    "ответ потерян": "lost_answer",
    "нет соединения": "connection_refused",
    "соединение оборвано": "connection_reset",
    "истекло время подключения": "timeout",
    "запрос ещё обрабатывается": "processing",
}

# How a provider refuses a send, in the suite's words -> the profile's refusal names.
REFUSALS = {
    "спам": "spam",
    "лимит исчерпан": "quota",
    "тип чата не подходит каналу": "wrong_transport",
    "писать первым нельзя": "first_message_not_allowed",
    "нужен шаблон": "template_required",
}

# The CRM's status words -> the profile's keys (each provider says them its own way).
STATUSES = {"Отправлено": "sent", "Доставлено": "delivered", "Прочитано": "read", "Ошибка": "error"}


def key_of(service: str) -> str:
    return names.provider_key(service)


def fake_of(providers: FakeProviders, service: str) -> Any:
    return providers.get(key_of(service))


def refusal_of(fake: FakeProvider, words: str) -> Any:
    """The provider's own answer for a refusal named in the suite's words."""
    if words not in REFUSALS:
        raise KeyError(f"неизвестный отказ «{words}» (есть: {', '.join(REFUSALS)})")
    found = fake.profile.refusals.get(REFUSALS[words])
    if found is None:
        documented = [w for w, name in REFUSALS.items() if name in fake.profile.refusals] or ["никаких"]
        raise KeyError(f"{fake.name} не документирует отказ «{words}» (документирует: {', '.join(documented)})")
    return found


def fault_kind(words: str) -> str:
    try:
        return FAULTS[words]
    except KeyError:
        raise KeyError(f"неизвестный сбой «{words}» (есть: {', '.join(FAULTS)})") from None


def send_requests(fake: FakeProvider) -> list[Any]:
    """The fake's journal entries of message sends, oldest first."""
    return list(fake.profile.sends(fake.journal))


def on_send(fake: FakeProvider) -> dict[str, str]:
    """Fault parameters that aim at the provider's send route."""
    return dict(fake.profile.send.fault_target())


def webhook_status(fake: FakeProvider, service: str, status: str) -> str:
    if status not in STATUSES:
        raise KeyError(f"сервис {service} не сообщает статус «{status}» (есть: {', '.join(STATUSES)})")
    return str(fake.profile.status_words[STATUSES[status]])
