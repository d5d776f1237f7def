"""Status webhooks of the three providers, each authenticated the way its provider signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from emulator.api.dependencies import SessionDep
from emulator.automation.status_updates import apply_status, find_message
from emulator.model_enums import MessageStatus
from emulator.models import Integration

router = APIRouter(prefix="/api/webhooks", tags=["Вебхуки провайдеров"])

_SENT, _DELIVERED, _READ, _ERROR = MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ, MessageStatus.ERROR
WAZZUP_STATUSES = {"sent": _SENT, "delivered": _DELIVERED, "read": _READ, "error": _ERROR}
DEFAULT_STATUSES = {"sent": _SENT, "delivered": _DELIVERED, "read": _READ, "failed": _ERROR}
I2CRM_STATUSES = {"sent": _SENT, "delivered": _DELIVERED, "read": _READ, "error": _ERROR, "failed": _ERROR}


def _secret(session: Session, provider: str) -> str | None:
    integration = session.scalar(select(Integration).where(Integration.provider == provider))
    return integration.webhook_secret if integration else None


async def _json(request: Request) -> tuple[bytes, Any]:
    raw = await request.body()
    try:
        return raw, json.loads(raw or b"null")
    except ValueError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "тело вебхука не JSON") from exc


def _update(
    session: Session,
    provider: str,
    external_id: str,
    raw_status: str,
    mapping: dict[str, MessageStatus],
    reason: str | None,
) -> bool:
    ours = mapping.get(raw_status)
    message = find_message(session, provider, external_id)
    if ours is None or message is None:
        return False
    return apply_status(session, message, ours, reason if ours == MessageStatus.ERROR else None)


@router.post("/wazzup")
async def wazzup(request: Request, session: SessionDep) -> dict[str, Any]:
    """The subscription test ``{"test": true}`` always gets 200; statuses need ``Bearer <crmKey>``."""
    _, body = await _json(request)
    if isinstance(body, dict) and body.get("test") is True:
        return {"ok": True}
    secret = _secret(session, "wazzup")
    given = request.headers.get("authorization", "")
    if not secret or not hmac.compare_digest(given, f"Bearer {secret}"):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "неверный crmKey")
    updated = 0
    for item in (body or {}).get("statuses", []) if isinstance(body, dict) else []:
        error = item.get("error") or {}
        reason = error.get("description") or error.get("error") if isinstance(error, dict) else None
        updated += _update(
            session, "wazzup", str(item.get("messageId")), str(item.get("status")), WAZZUP_STATUSES, reason
        )
    return {"ok": True, "updated": updated}


@router.post("/default")
async def default(request: Request, session: SessionDep) -> dict[str, Any]:
    """``X-Default-Signature: sha256=<HMAC-SHA256 of the raw body>``; anything else is refused."""
    raw, body = await _json(request)
    secret = _secret(session, "default")
    expected = "sha256=" + hmac.new((secret or "").encode(), raw, hashlib.sha256).hexdigest()
    given = request.headers.get("x-default-signature", "")
    if not secret or not hmac.compare_digest(given, expected):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "неверная подпись вебхука")
    if not isinstance(body, dict) or "id" not in body or "status" not in body:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "в вебхуке нет id или status")
    error = body.get("error") or {}
    reason = error.get("message") if isinstance(error, dict) else None
    updated = _update(session, "default", str(body["id"]), str(body["status"]), DEFAULT_STATUSES, reason)
    return {"ok": True, "updated": int(updated)}


@router.post("/i2crm")
async def i2crm(request: Request, session: SessionDep) -> dict[str, Any]:
    """i2crm repeats a webhook until it gets 200 with a JSON body, so every answer is one."""
    try:
        _, body = await _json(request)
    except HTTPException:
        return {"ok": False, "error": "тело вебхука не JSON"}
    if not isinstance(body, dict) or body.get("type") != "status":
        return {"ok": True, "updated": 0}
    reason = body.get("error_message") or None
    updated = _update(session, "i2crm", str(body.get("external_id")), str(body.get("status")), I2CRM_STATUSES, reason)
    return {"ok": True, "updated": int(updated)}
