"""CSRF protection of the pages' forms: a synchronizer token bound to the browser's server-side session.

The token is an HMAC of the session's secret token (the cookie, which a page of another site can neither
read nor set), so it needs no storage, changes with every sign-in and dies with the session. Each POST
form carries it in a hidden field; the editor's upload (``fetch``) sends it in the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

import hashlib
import hmac

FORM_FIELD = "csrf_token"
HEADER = "x-csrf-token"
_PURPOSE = b"crm-page-form-csrf-v1"


def token_for(session_token: str) -> str:
    return hmac.new(session_token.encode(), _PURPOSE, hashlib.sha256).hexdigest()


def matches(session_token: str, presented: str | None) -> bool:
    return bool(presented) and hmac.compare_digest(token_for(session_token).encode(), str(presented).encode())
