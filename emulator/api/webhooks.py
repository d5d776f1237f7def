"""Status webhooks of the providers: a thin dispatcher to the provider's adapter.

Each provider posts to ``/api/webhooks/<provider>`` (Wazzup: ``/api/webhooks/wazzup/<secret>``, the
address the CRM registered); the adapter authenticates and reads the call, and
``emulator.automation.webhook_intake`` drops replays and applies the events. Every answer is JSON
(i2crm repeats a webhook until it gets 200 with a JSON body).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from emulator.api.dependencies import SessionDep, SettingsDep
from emulator.api.error_schemas import ErrorOut, WebhookAnswerOut, WebhookRefusalOut
from emulator.automation import webhook_intake
from emulator.providers.base import IncomingWebhook
from emulator.vocabulary import MESSAGING_PROVIDERS

router = APIRouter(prefix="/api/webhooks", tags=["Вебхуки провайдеров"])

# What a webhook answers, declared: the body is the provider's own JSON (any value; the adapter reads it).
ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {"model": WebhookAnswerOut, "description": "Вебхук принят"},
    400: {"model": WebhookRefusalOut, "description": "Тело вебхука не прочитать (не JSON, не UTF-8, NUL, вложенность)"},
    401: {"model": WebhookRefusalOut, "description": "Вебхук не от провайдера: неверный секрет, токен или подпись"},
    404: {"model": ErrorOut, "description": "Нет вебхука для такого провайдера"},
}
# The providers the CRM takes webhooks from, documented as such; any other name is a 404.
Provider = Annotated[str, Path(json_schema_extra={"enum": list(MESSAGING_PROVIDERS)})]
PROVIDER_JSON = {"requestBody": {"required": False, "content": {"application/json": {"schema": {}}}}}


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
    # The intake reads and writes the database: in a worker thread, as a plain route would, not on the loop
    # (a webhook waiting for SQLite's write lock would stop every other request meanwhile).
    answer = await run_in_threadpool(webhook_intake.receive, session, settings, provider, incoming)
    return JSONResponse(answer.body, status_code=answer.status)


@router.post("/{provider}", operation_id="provider_webhook", responses=ANSWERS, openapi_extra=PROVIDER_JSON)
@router.patch("/{provider}", operation_id="provider_webhook_edit", responses=ANSWERS, openapi_extra=PROVIDER_JSON)
async def webhook(provider: Provider, request: Request, session: SessionDep, settings: SettingsDep) -> JSONResponse:
    return await _receive(request, session, settings, provider, None)


@router.post(
    "/{provider}/{token}", operation_id="provider_webhook_with_secret", responses=ANSWERS, openapi_extra=PROVIDER_JSON
)
@router.patch(
    "/{provider}/{token}",
    operation_id="provider_webhook_with_secret_edit",
    responses=ANSWERS,
    openapi_extra=PROVIDER_JSON,
)
async def webhook_with_secret(
    provider: Provider, token: str, request: Request, session: SessionDep, settings: SettingsDep
) -> JSONResponse:
    """The address carries the secret (Wazzup signs nothing: its registered URI is the secret)."""
    return await _receive(request, session, settings, provider, token)
