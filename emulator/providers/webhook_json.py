"""Reading a webhook's JSON body defensively: the body comes from anyone who knows the address.

A body the CRM reads is UTF-8 JSON, nested at most :data:`MAX_DEPTH` levels (the providers' webhooks
use four), with no NUL in any string (PostgreSQL's text cannot store it). Anything else is
:class:`UnreadableBody`, which the adapters answer with 400 and its reason.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32


class UnreadableBody(ValueError):
    """Why the body cannot be read, in Russian (the webhook's 400 answer says it)."""


def parse(body: bytes) -> Any:
    """The body's JSON value (``None`` for an empty body), or :class:`UnreadableBody`."""
    if not body:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableBody("тело вебхука не UTF-8") from None
    try:
        value = json.loads(text)
    except RecursionError:
        raise UnreadableBody(f"тело вебхука вложено глубже {MAX_DEPTH} уровней") from None
    except ValueError:
        raise UnreadableBody("тело вебхука не JSON") from None
    _check(value)
    return value


def _check(value: Any) -> None:
    """Depth and NUL, walked without recursion (the value may be as deep as json allowed)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise UnreadableBody("в теле вебхука символ NUL (\\u0000)")
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth > MAX_DEPTH:
            raise UnreadableBody(f"тело вебхука вложено глубже {MAX_DEPTH} уровней")
        if isinstance(item, dict):
            pending.extend((key, depth) for key in item)
            pending.extend((child, depth + 1) for child in item.values())
        else:
            pending.extend((child, depth + 1) for child in item)
