"""The providers in the suite's words: which fake is which service, what a Russian fault or status means.

Steps say «Default», «Wazzup», «I2CRM», «ответ потерян», «Доставлено»; the fakes want
"default", "lost_answer", "delivered". Everything provider-specific the steps need lives here.
"""

from __future__ import annotations

from typing import Any

from drivers import names
from emulator import phones

SEND_PATHS = {"default": "/messages", "wazzup": "/message", "i2crm": "/target/feedback"}
CHANNEL_PATHS = {"default": "/channels", "wazzup": "/channels", "i2crm": "/targets"}

FAULTS = {
    "ответ потерян": "lost_answer",
    "нет соединения": "connection_refused",
    "соединение оборвано": "connection_reset",
    "истекло время подключения": "timeout",
}

# Russian status of a message -> the word each provider's status webhook uses.
WEBHOOK_STATUSES = {
    "default": {"Отправлено": "sent", "Доставлено": "delivered", "Прочитано": "read", "Ошибка": "failed"},
    "wazzup": {"Отправлено": "sent", "Доставлено": "delivered", "Прочитано": "read", "Ошибка": "error"},
    "i2crm": {"Отправлено": "sent", "Доставлено": "delivered", "Прочитано": "read", "Ошибка": "error"},
}

# How each provider says "your credentials are no good" on a send.
KEY_REJECTED = {
    "default": {"status": 401, "body": {"error": {"code": "INVALID_API_KEY", "message": "missing or unknown API key"}}},
    "wazzup": {"status": 401, "body": {"status": 401, "error": "UNAUTHORIZED", "description": "Invalid API key"}},
    "i2crm": {"status": 200, "body": {"error": "Неверный ключ канала", "data": {"status": 401}}},
}


def key_of(service: str) -> str:
    return names.provider_key(service)


def fake_of(providers: Any, service: str) -> Any:
    return providers.get(key_of(service))


def digits(phone: str) -> str:
    number = phones.normalise(phone)
    return number if number is not None else "".join(ch for ch in phone if ch.isdigit())


def fault_kind(words: str) -> str:
    try:
        return FAULTS[words]
    except KeyError:
        raise KeyError(f"неизвестный сбой «{words}» (есть: {', '.join(FAULTS)})") from None


def send_requests(fake: Any) -> list[Any]:
    """The fake's journal entries of message sends, oldest first."""
    return [e for e in fake.journal if e.method == "POST" and e.path == SEND_PATHS[fake.name]]


def webhook_status(service: str, status: str) -> str:
    table = WEBHOOK_STATUSES[key_of(service)]
    if status not in table:
        raise KeyError(f"сервис {service} не сообщает статус «{status}» (есть: {', '.join(table)})")
    return table[status]
