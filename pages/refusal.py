"""What a page object raises when the CRM refuses an action and says why on the page."""

from __future__ import annotations


class PageRefused(Exception):
    """The page answered an action with an error message instead of doing it."""


class NotOffered(LookupError):
    """The page does not offer what the scenario asked for (an option missing from a list): nothing a user could
    choose, so nothing is sent to the CRM; the message names the list and what it does offer."""
