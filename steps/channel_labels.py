"""Channels as the editor lists them: "+7(937)000-00-03" or "+7(937)000-00-03 (Продажи)"."""

from __future__ import annotations

from collections.abc import Sequence


def number_of(label: str) -> str:
    """The channel's number: the label up to its optional " (name)"."""
    return label.split(" (", 1)[0].strip()


def pick(labels: Sequence[str], number: str) -> str:
    """The listed label of the channel with this number, as a user picks it; the number itself if unlisted."""
    for label in labels:
        if label == number or number_of(label) == number:
            return label
    return number
