"""What a page object raises when the CRM refuses an action and says why on the page."""

from __future__ import annotations


class PageRefused(Exception):
    """The page answered an action with an error message instead of doing it."""
