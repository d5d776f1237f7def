"""Default's webhooks, by the Standard Webhooks specification (https://www.standardwebhooks.com/).

Headers ``webhook-id``, ``webhook-timestamp`` (Unix seconds) and ``webhook-signature`` (space-separated
``v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">``, several during a secret rotation). The HMAC is
the ``standardwebhooks`` package's; the timestamp is checked against the CRM's own clock (the package
reads the wall clock, which a scenario moves), five minutes either way. Events are typed:
``message.status`` changes a message, ``message.received`` is a client's reply; ``webhook.test`` (the
check when the CRM registers its URL) and event types the CRM does not know yet are acknowledged and
change nothing.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
from typing import Any

from standardwebhooks import Webhook

from emulator.model_enums import MessageStatus
from emulator.providers import webhook_json
from emulator.providers.base import (
    IncomingWebhook,
    ReplyEvent,
    StatusEvent,
    WebhookRead,
    WebhookReading,
    WebhookRefused,
    WebhookTrust,
)

TOLERANCE = dt.timedelta(minutes=5)
STATUSES = {
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.READ,
    "failed": MessageStatus.ERROR,
}


def _signed_by(secret: str, webhook_id: str, moment: dt.datetime, body: str, given: list[bytes]) -> bool:
    try:
        expected = Webhook(secret).sign(webhook_id, moment, body).split(",", 1)[1]
    except (ValueError, binascii.Error):
        return False
    wanted = base64.b64decode(expected)
    return any(hmac.compare_digest(wanted, signature) for signature in given)


def _signatures(header: str) -> list[bytes]:
    found = []
    for item in header.split():
        version, _, value = item.partition(",")
        if version != "v1":
            continue
        try:
            found.append(base64.b64decode(value, validate=True))
        except (ValueError, binascii.Error):
            continue
    return found


def _is_test(body: bytes) -> bool:
    try:
        event = webhook_json.parse(body)
    except webhook_json.UnreadableBody:
        return False
    return isinstance(event, dict) and event.get("type") == "webhook.test"


def _reply(data: dict[str, Any], webhook_id: str) -> WebhookReading:
    """``message.received``: a client wrote to one of the account's channels."""
    needed = ("id", "channel_id", "from")
    if not all(data.get(name) for name in needed):
        return WebhookRefused(400, "в событии message.received нет data.id, data.channel_id или data.from")
    reply = ReplyEvent(str(data["id"]), str(data["channel_id"]), str(data["from"]), str(data.get("text") or ""))
    return WebhookRead(replies=[reply], delivery_id=webhook_id)


def read(incoming: IncomingWebhook, trust: WebhookTrust) -> WebhookReading:
    """A verified event, or a refusal. ``webhook.test`` is answered 2xx even unverified: it changes
    nothing, and it arrives while the CRM is still registering (its new secret is not saved yet)."""
    if _is_test(incoming.body):
        return WebhookRead()
    headers = incoming.headers
    webhook_id = headers.get("webhook-id", "")
    stamp = headers.get("webhook-timestamp", "")
    signature = headers.get("webhook-signature", "")
    if not (webhook_id and stamp and signature):
        return WebhookRefused(401, "нет подписи Standard Webhooks")
    try:
        moment = dt.datetime.fromtimestamp(int(stamp), dt.UTC)
    except (ValueError, OverflowError, OSError):
        return WebhookRefused(401, "неверная метка времени вебхука")
    if abs(trust.now - moment) > TOLERANCE:
        return WebhookRefused(401, "метка времени вебхука старше или новее пяти минут")
    try:
        body = incoming.body.decode("utf-8")
    except UnicodeDecodeError:
        return WebhookRefused(400, "тело вебхука не UTF-8")
    given = _signatures(signature)
    if not any(_signed_by(secret, webhook_id, moment, body, given) for secret in trust.secrets if secret):
        return WebhookRefused(401, "неверная подпись вебхука")
    try:
        event = webhook_json.parse(incoming.body)
    except webhook_json.UnreadableBody as exc:
        return WebhookRefused(400, str(exc))
    if not isinstance(event, dict):
        return WebhookRefused(400, "тело вебхука не объект JSON")
    raw_data = event.get("data")
    data: dict[str, Any] = raw_data if isinstance(raw_data, dict) else {}
    if event.get("type") == "message.received":
        return _reply(data, webhook_id)
    if event.get("type") != "message.status":
        return WebhookRead(delivery_id=webhook_id)  # an event type the CRM does not act on (yet)
    if not data.get("id"):
        return WebhookRefused(400, "в событии message.status нет data.id")
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    reason = str(error.get("message") or "") or None if error else None
    status = STATUSES.get(str(data.get("status")))
    return WebhookRead(events=[StatusEvent(str(data["id"]), status, reason)], delivery_id=webhook_id)
