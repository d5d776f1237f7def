"""The deal card's live parts: rendered once for the page and again for its polling, with one version stamp.

The page (static/live.js) asks ``/deals/{id}/live`` about twice a second with the version it shows; the
answer is 304 while nothing changed, else the parts as ``<template data-live-part>`` elements to swap in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from markupsafe import Markup

from emulator.web.deal_view import DealCard
from emulator.web.rendering import fragment

PARTS = {"summary": "deal_summary.html", "activity": "deal_activity.html"}


@dataclass(frozen=True)
class LiveParts:
    summary: Markup
    activity: Markup

    @classmethod
    def of(cls, card: DealCard, csrf_token: str) -> LiveParts:
        """The parts as ``csrf_token``'s session sees them (their forms carry its token)."""
        context = {"card": card, "deal": card.deal, "csrf_token": csrf_token}
        return cls(summary=fragment(PARTS["summary"], context), activity=fragment(PARTS["activity"], context))

    @property
    def version(self) -> str:
        digest = hashlib.sha256()
        for part in (self.summary, self.activity):
            digest.update(str(part).encode())
            digest.update(b"\0")
        return digest.hexdigest()[:20]

    def as_templates(self) -> str:
        return (
            "".join(f'<template data-live-part="deal-{name}">{getattr(self, name)}</template>' for name in PARTS)
            + f'<template data-live-version="{self.version}"></template>'
        )
