"""A phone a scenario names, read as the digits a provider receives: «+7(999)888-55-22» -> 79998885522.

Only the digits of a number written in full international form are taken: nothing is normalised here
(no 8 -> 7, no country code added), so an expected number is always the literal the scenario wrote and
never the output of the CRM's own normaliser.
"""

from __future__ import annotations


def digits(phone: str) -> str:
    text = phone.strip()
    if not text.startswith("+"):
        raise ValueError(f"ожидаемый номер пишется полностью, с «+» и кодом страны: «{phone}»")
    return "".join(ch for ch in text if ch.isdigit())
