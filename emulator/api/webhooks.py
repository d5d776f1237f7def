"""Status webhooks of the providers: a thin dispatcher to the provider's adapter.

Each provider posts to ``/api/webhooks/<provider>`` (Wazzup: ``/api/webhooks/wazzup/<secret>``, the
address the CRM registered); the adapter authenticates and reads the call, and
``emulator.automation.webhook_intake`` drops replays and applies the events. Every answer is JSON
(i2crm repeats a webhook until it gets 200 with a JSON body).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import JSONResponse

from emulator.api.dependencies import SessionDep, SettingsDep
from emulator.automation import webhook_intake
from emulator.providers.base import IncomingWebhook
from emulator.vocabulary import MESSAGING_PROVIDERS

router = APIRouter(prefix="/api/webhooks", tags=["Вебхуки провайдеров"])


async def _receive(
    request: Request, session: SessionDep, settings: SettingsDep, provider: str, token: str | None
) -> JSONResponse:
    if provider not in MESSAGING_PROVIDERS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"нет вебхука для «{provider}»")
    incoming = IncomingWebhook(
        method=request.method,
        path_token=token,
        headers={name.lower(): value for name, value in request.headers.items()},
        body=await request.body(),
    )
    answer = webhook_intake.receive(session, settings, provider, incoming)
    return JSONResponse(answer.body, status_code=answer.status)


@router.post("/{provider}", operation_id="provider_webhook")
@router.patch("/{provider}", operation_id="provider_webhook_edit")
async def webhook(provider: str, request: Request, session: SessionDep, settings: SettingsDep) -> JSONResponse:
    return await _receive(request, session, settings, provider, None)


@router.post("/{provider}/{token}", operation_id="provider_webhook_with_secret")
@router.patch("/{provider}/{token}", operation_id="provider_webhook_with_secret_edit")
async def webhook_with_secret(
    provider: str, token: str, request: Request, session: SessionDep, settings: SettingsDep
) -> JSONResponse:
    """The address carries the secret (Wazzup signs nothing: its registered URI is the secret)."""
    return await _receive(request, session, settings, provider, token)
