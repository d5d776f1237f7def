"""The cards of "СОЦ. СЕТИ И МЕССЕНДЖЕРЫ", in the task's order plus the newer messaging providers.

The messaging providers' cards come from their adapters (``ProviderCard``), each at its declared place.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator.providers.registry import ADAPTERS


@dataclass(frozen=True)
class Card:
    provider: str
    title: str
    description: str
    site: str
    messaging: bool  # can send WhatsApp messages from business processes


_OTHER_CARDS: tuple[Card, ...] = (
    Card(
        "vk",
        "ВКонтакте",
        "Данная интеграция позволяет получать сообщения, которые пользователи отправляют в вашу группу ВКонтакте.",
        "https://vk.com/",
        False,
    ),
    Card(
        "facebook",
        "facebook",
        "Данная интеграция позволяет получать сообщения, которые пользователи отправляют на вашу страницу в Facebook.",
        "https://facebook.com/",
        False,
    ),
    Card(
        "telegram",
        "Telegram",
        "Telegram - это облачное приложение для обмена сообщениями между мобильными и настольными "
        "системами, ориентированное на безопасность и скорость.",
        "https://telegram.org/",
        False,
    ),
    Card(
        "viber",
        "Viber",
        "Данная интеграция позволяет получать сообщения, которые пользователи отправляют в ваш публичный "
        "аккаунт Viber.",
        "https://viber.com/",
        False,
    ),
    Card(
        "avito",
        "Avito",
        "Авито - интернет-сервис для размещения объявлений о товарах, вакансиях и резюме на рынке труда, "
        "а также услуг от частных лиц и компаний, занимающий второе место в мире и первое в России среди "
        "онлайн-классифайдов.",
        "https://www.avito.ru/",
        False,
    ),
)


def _with_messaging(others: tuple[Card, ...]) -> tuple[Card, ...]:
    """The other cards with each messaging provider's card at its place (no place: at the end)."""
    cards = list(others)
    declared = sorted(ADAPTERS.values(), key=lambda cls: (cls.card.position is None, cls.card.position or 0))
    for cls in declared:
        card = Card(cls.name, cls.card.title, cls.card.description, cls.card.site, True)
        cards.insert(len(cards) if cls.card.position is None else cls.card.position, card)
    return tuple(cards)


CARDS: tuple[Card, ...] = _with_messaging(_OTHER_CARDS)
CARDS_BY_PROVIDER: dict[str, Card] = {c.provider: c for c in CARDS}
