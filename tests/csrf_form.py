"""Reading a page's CSRF token the way a browser submits it: the hidden field ``csrf_token`` of its forms."""

from __future__ import annotations

import re

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(html: str) -> str:
    """The token a page's forms carry."""
    found = CSRF_FIELD.search(html)
    assert found, "the page's form carries no CSRF token"
    return found.group(1)
