"""Phone numbers: normalisation to provider digits and the CRM's display format."""

from __future__ import annotations

import re

_NON_DIGITS = re.compile(r"\D+")
_ALLOWED = re.compile(r"^[\d\s()+\-.]+$")


def normalise(raw: str) -> str | None:
    """``+7(999)888-55-22`` / ``8 999 888 55 22`` / ``9998885522`` -> ``79998885522``; None if invalid.

    Russian numbers become 11 digits starting with 7; other international numbers keep 11..15 digits.
    """
    text = raw.strip()
    if not text or not _ALLOWED.match(text):
        return None
    digits = _NON_DIGITS.sub("", text)
    if len(digits) == 10 and digits.startswith("9"):
        return "7" + digits
    if len(digits) == 11 and digits[0] in "78":
        return "7" + digits[1:]
    if 11 <= len(digits) <= 15 and text.startswith("+") and not digits.startswith("7"):
        return digits
    return None


def display(digits: str) -> str:
    """``79370000001`` -> ``+7(937)000-00-01``."""
    if len(digits) == 11 and digits.startswith("7"):
        return f"+7({digits[1:4]}){digits[4:7]}-{digits[7:9]}-{digits[9:11]}"
    return f"+{digits}"
