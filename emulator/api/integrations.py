"""JSON API of "ИНТЕГРАЦИЯ → СОЦ. СЕТИ И МЕССЕНДЖЕРЫ"."""

from __future__ import annotations

from fastapi import APIRouter

from emulator import integrations
from emulator.api import presenters
from emulator.api.bearer_route import BearerRoute
from emulator.api.dependencies import AdminDep, SessionDep, SettingsDep
from emulator.api.integration_schemas import ConnectIn, IntegrationOut

router = APIRouter(prefix="/api/integrations", tags=["Интеграции"], route_class=BearerRoute)


@router.get("", response_model=list[IntegrationOut])
def list_integrations(session: SessionDep, settings: SettingsDep, _: AdminDep) -> list[IntegrationOut]:
    return [presenters.integration_out(settings, i) for i in integrations.list_integrations(session)]


@router.get("/{provider}", response_model=IntegrationOut)
def get_integration(provider: str, session: SessionDep, settings: SettingsDep, _: AdminDep) -> IntegrationOut:
    return presenters.integration_out(settings, integrations.get_integration(session, provider))


@router.post("/{provider}/connect", response_model=IntegrationOut)
def connect(provider: str, body: ConnectIn, session: SessionDep, settings: SettingsDep, _: AdminDep) -> IntegrationOut:
    integration = integrations.connect(session, settings, provider, body.api_key, body.base_url)
    return presenters.integration_out(settings, integration)


@router.post("/{provider}/disconnect", response_model=IntegrationOut)
def disconnect(provider: str, session: SessionDep, settings: SettingsDep, _: AdminDep) -> IntegrationOut:
    return presenters.integration_out(settings, integrations.disconnect(session, provider))


@router.post("/{provider}/channels/sync", response_model=IntegrationOut)
def sync_channels(provider: str, session: SessionDep, settings: SettingsDep, _: AdminDep) -> IntegrationOut:
    return presenters.integration_out(settings, integrations.sync_channels(session, settings, provider))


@router.post("/{provider}/webhook-secret/rotate", response_model=IntegrationOut)
def rotate_webhook_secret(provider: str, session: SessionDep, settings: SettingsDep, _: AdminDep) -> IntegrationOut:
    """A new webhook secret, registered with the provider; the previous one is honoured for a day."""
    return presenters.integration_out(settings, integrations.rotate_webhook_secret(session, settings, provider))
