"""A provider-side channel (a connected WhatsApp number) and the phone digits it is keyed by."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

_NON_DIGITS = re.compile(r"\D+")
_FORMATTED_PHONE = re.compile(r"^\+?[\d\s()\-.]+$")


def phone_digits(phone: str) -> str:
    """``+7(937)000-00-01`` -> ``79370000001``; ValueError for anything that is not a 10..15 digit phone."""
    text = phone.strip()
    digits = _NON_DIGITS.sub("", text)
    if not _FORMATTED_PHONE.match(text) or not 10 <= len(digits) <= 15:
        raise ValueError(f"not a phone number: {phone!r}")
    return digits


@dataclass
class FakeChannel:
    """One channel of a fake: ``phone`` is digits; ``key`` is i2crm's per-channel send key (else None)."""

    id: str
    phone: str
    name: str
    state: str
    transport: str = "whatsapp"
    key: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the control API's wire form)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FakeChannel:
        """The inverse of ``to_json``."""
        return cls(**dict(data))
