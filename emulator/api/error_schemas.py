"""The one shape of every error answer of the JSON API, and the webhooks' answers to the providers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FieldErrorOut(BaseModel):
    """A refused field: its API name, the editor's (or the API's) Russian label, why."""

    field: str
    label: str
    message: str


class ErrorOut(BaseModel):
    """Any refusal: ``detail`` says what went wrong in Russian; a 422 also lists the refused fields."""

    detail: str
    errors: list[FieldErrorOut] | None = None


class WebhookAnswerOut(BaseModel):
    """A webhook taken: how many messages changed status and how many replies were stored; a repeated
    delivery says ``replayed``. A provider's own acknowledgement fields may come along."""

    model_config = ConfigDict(extra="allow")

    updated: int | None = None
    received: int | None = None
    replayed: bool | None = None


class WebhookRefusalOut(BaseModel):
    """A webhook refused: wrong credentials (401) or a body the CRM cannot read (400)."""

    ok: bool
    error: str
