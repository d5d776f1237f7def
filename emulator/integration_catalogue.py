"""The cards of "СОЦ. СЕТИ И МЕССЕНДЖЕРЫ", in the task's order plus the new Default."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    provider: str
    title: str
    description: str
    site: str
    messaging: bool  # can send WhatsApp messages from business processes


CARDS: tuple[Card, ...] = (
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
    Card("i2crm", "I2CRM", "Сервис интеграции Instagram, WhatsApp и CRM-систем.", "https://i2crm.ru/", True),
    Card(
        "wazzup",
        "WAZZUP",
        "Это - «переходник» для WhatsApp, Instagram и Telegram, чтобы подключить их к нашей CRM.",
        "https://wazzup24.com/",
        True,
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
    Card(
        "default",
        "Default",
        "Сервис отправки сообщений в WhatsApp. Подключите API ключ, чтобы отправлять сообщения клиентам "
        "из бизнес-процессов.",
        "https://default.example/",
        True,
    ),
)

CARDS_BY_PROVIDER: dict[str, Card] = {c.provider: c for c in CARDS}
