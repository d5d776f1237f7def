"""The services and cards by the names users see -> the provider keys the API and the fakes use.

A plain table of the integrations page's titles (the task's screenshot) and the editor's service labels;
the API driver itself reads the labels the CRM reports, this table serves code that has no CRM at hand.
"""

from __future__ import annotations

# The task's WhatsApp services: their cards have a settings page with channels and a webhook secret. The
# kit's own list, so the browser driver does not take the CRM's word for which services send messages
# (the one line a new provider adds to the test kit; its names are its key in any case).
MESSAGING = frozenset({"i2crm", "wazzup", "default"})
_KEYS = {
    **{name: name for name in MESSAGING},
    "вконтакте": "vk",
    "facebook": "facebook",
    "telegram": "telegram",
    "viber": "viber",
    "avito": "avito",
}


def provider_key(service: str) -> str:
    """ "Default" / "WAZZUP" / "Wazzup" / "I2CRM" / "ВКонтакте" -> the provider key."""
    try:
        return _KEYS[service.strip().lower()]
    except KeyError:
        raise KeyError(f"неизвестный сервис «{service}»") from None
