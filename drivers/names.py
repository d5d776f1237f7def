"""The CRM's names for things (as users see them) -> the API's identifiers."""

from __future__ import annotations

from emulator.vocabulary import (
    DELAY_UNIT_LABELS,
    PROVIDER_LABELS,
    RECIPIENT_RULE_LABELS,
    TIMING_LABELS,
)

_SERVICES = {label.lower(): key for key, label in PROVIDER_LABELS.items()} | {"wazzup": "wazzup"}
_CARD_TITLES = {"вконтакте": "vk", "facebook": "facebook", "telegram": "telegram", "viber": "viber", "avito": "avito"}


def provider_key(service: str) -> str:
    """ "Default" / "WAZZUP" / "Wazzup" / "I2CRM" / "ВКонтакте" -> the provider key."""
    name = service.strip().lower()
    if name in _SERVICES:
        return _SERVICES[name]
    if name in _CARD_TITLES:
        return _CARD_TITLES[name]
    raise KeyError(f"неизвестный сервис «{service}»")


def _reverse(labels: dict[str, str], label: str, what: str) -> str:
    for key, value in labels.items():
        if value == label:
            return key
    raise KeyError(f"{what}: нет варианта «{label}» (есть: {', '.join(labels.values())})")


def timing_value(label: str) -> str:
    return _reverse(TIMING_LABELS, label, "Когда выполнить действие")


def unit_value(label: str) -> str:
    return _reverse(DELAY_UNIT_LABELS, label, "Единица задержки")


def recipient_rule_value(label: str) -> str:
    return _reverse(RECIPIENT_RULE_LABELS, label, "Выберите на какие контакты отправлять сообщение")
