"""Connecting, configuring and disconnecting the cards of "СОЦ. СЕТИ И МЕССЕНДЖЕРЫ".

A messaging provider is connected with an API key that the provider must accept: the CRM
asks the provider for its channels at once and keeps them. A service is offered in the
business-process editor only while it is connected and has at least one active channel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from emulator import clock
from emulator.errors import NotFound, ValidationFailed
from emulator.integration_catalogue import CARDS_BY_PROVIDER
from emulator.models import Channel, Integration
from emulator.providers.base import AuthRejected, ChannelInfo, Credentials, ProviderError
from emulator.providers.registry import adapter_for, new_webhook_secret
from emulator.settings import Settings
from emulator.vocabulary import MESSAGING_PROVIDERS

API_KEY_LABEL = "API ключ"
BASE_URL_LABEL = "Адрес API"
PREVIOUS_SECRET_GRACE = dt.timedelta(hours=24)  # deliveries signed before a rotation still verify


def list_integrations(session: Session) -> list[Integration]:
    """With their channels (one query for all, not one per card)."""
    query = select(Integration).order_by(Integration.position).options(selectinload(Integration.channels))
    return list(session.scalars(query))


def get_integration(session: Session, provider: str) -> Integration:
    if provider not in CARDS_BY_PROVIDER:  # a name from a request: only the catalogue's reach the database
        raise NotFound("Интеграция", provider)
    integration = session.scalar(select(Integration).where(Integration.provider == provider))
    if integration is None:
        raise NotFound("Интеграция", provider)
    return integration


def webhook_url(settings: Settings, provider: str) -> str:
    """The CRM's route for the provider's webhooks (a provider may need its secret appended)."""
    return f"{settings.public_base_url}/api/webhooks/{provider}"


def masked(secret: str | None) -> str | None:
    """A secret as the CRM shows it: enough to tell two apart, never enough to use (its last 4 characters)."""
    if not secret:
        return None
    return "•" * 8 + secret[-4:]


def credentials(settings: Settings, integration: Integration) -> Credentials:
    return Credentials(
        api_key=integration.api_key or "",
        base_url=(integration.base_url or settings.provider_base_url(integration.provider)).rstrip("/"),
    )


def _register_webhook(settings: Settings, integration: Integration, account: Credentials) -> None:
    """Tell the provider where to post (where it has an API for that), with the integration's secret."""
    adapter = adapter_for(integration.provider, settings)
    secret = integration.webhook_secret
    adapter.register_webhook(account, adapter.webhook_url(webhook_url(settings, integration.provider), secret), secret)


def _apply_channels(session: Session, integration: Integration, infos: list[ChannelInfo]) -> None:
    """Upsert by the provider's id; channels the provider no longer lists become "removed"."""
    now = clock.now()
    known = {c.external_id: c for c in integration.channels}
    seen: set[str] = set()
    for info in infos:
        seen.add(info.external_id)
        channel = known.get(info.external_id)
        if channel is None:
            channel = Channel(external_id=info.external_id)
            integration.channels.append(channel)
        channel.phone = info.phone
        channel.name = info.name
        channel.state = info.state
        channel.active = info.active
        channel.send_key = info.send_key
        channel.synced_at = now
    for external_id, channel in known.items():
        if external_id not in seen:
            channel.state = "removed"
            channel.active = False
            channel.synced_at = now
    session.flush()


def _is_http_address(url: str) -> bool:
    if not url.isascii() or any(ch.isspace() or not ch.isprintable() for ch in url):
        return False
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # "http://[::1" and the like
        return False


def connect(
    session: Session, settings: Settings, provider: str, api_key: str, base_url: str | None = None
) -> Integration:
    """Connect (or reconnect with a new key). Nothing is stored unless the provider accepts the key."""
    integration = get_integration(session, provider)
    key = (api_key or "").strip()
    if not key:
        raise ValidationFailed.one("api_key", API_KEY_LABEL, "обязательное поле")
    if len(key) > 300:
        raise ValidationFailed.one("api_key", API_KEY_LABEL, "не длиннее 300 символов")
    if not all("!" <= ch <= "~" for ch in key):  # it travels in an HTTP header: visible ASCII only
        raise ValidationFailed.one("api_key", API_KEY_LABEL, "только латинские буквы, цифры и знаки, без пробелов")
    url = (base_url or "").strip() or None
    if url is not None and not url.startswith(("http://", "https://")):
        raise ValidationFailed.one("base_url", BASE_URL_LABEL, "адрес должен начинаться с http:// или https://")
    if url is not None and not _is_http_address(url):
        raise ValidationFailed.one("base_url", BASE_URL_LABEL, "некорректный адрес")
    if provider in MESSAGING_PROVIDERS:
        candidate = Credentials(api_key=key, base_url=(url or settings.provider_base_url(provider)).rstrip("/"))
        if integration.webhook_secret is None:
            integration.webhook_secret = new_webhook_secret(provider)
        try:
            infos = adapter_for(provider, settings).fetch_channels(candidate)
        except AuthRejected as exc:
            raise ValidationFailed.one("api_key", API_KEY_LABEL, exc.reason) from exc
        except ProviderError as exc:
            raise ValidationFailed.one("api_key", API_KEY_LABEL, f"не удалось проверить ключ: {exc.reason}") from exc
        try:
            _register_webhook(settings, integration, candidate)
        except AuthRejected as exc:
            raise ValidationFailed.one("api_key", API_KEY_LABEL, exc.reason) from exc
        except ProviderError as exc:
            # The key is good (the channels came): the service could not reach the CRM's address.
            raise ValidationFailed.one("api_key", API_KEY_LABEL, f"ключ принят, но {exc.reason}") from exc
        _apply_channels(session, integration, infos)
    integration.api_key = key
    integration.base_url = url
    integration.connected = True
    integration.connected_at = clock.now()
    session.flush()
    return integration


def disconnect(session: Session, provider: str) -> Integration:
    """Channels are kept, so a reconnect restores the processes that use them."""
    integration = get_integration(session, provider)
    integration.connected = False
    integration.api_key = None
    session.flush()
    return integration


def sync_channels(session: Session, settings: Settings, provider: str) -> Integration:
    integration = get_integration(session, provider)
    if provider not in MESSAGING_PROVIDERS:
        raise ValidationFailed.one("provider", "Интеграция", f"у «{CARDS_BY_PROVIDER[provider].title}» нет каналов")
    if not integration.connected:
        raise ValidationFailed.one("provider", "Интеграция", "интеграция не подключена")
    account = credentials(settings, integration)
    try:
        infos = adapter_for(provider, settings).fetch_channels(account)
        _register_webhook(settings, integration, account)  # the provider may have lost the subscription
    except ProviderError as exc:
        raise ValidationFailed.one("channels", "Каналы", f"не удалось обновить каналы: {exc.reason}") from exc
    _apply_channels(session, integration, infos)
    return integration


def rotate_webhook_secret(session: Session, settings: Settings, provider: str) -> Integration:
    """A new webhook secret, registered with the provider; the previous one is honoured for a day."""
    integration = get_integration(session, provider)
    if not integration.connected or provider not in MESSAGING_PROVIDERS:
        raise ValidationFailed.one("provider", "Интеграция", "интеграция не подключена")
    fresh = new_webhook_secret(provider)
    if fresh is None:
        raise ValidationFailed.one("provider", "Интеграция", "у сервиса нет секрета вебхука")
    previous = integration.webhook_secret
    integration.webhook_secret = fresh
    try:
        _register_webhook(settings, integration, credentials(settings, integration))
    except ProviderError as exc:
        raise ValidationFailed.one("webhook_secret", "Секрет вебхука", f"не удалось сменить: {exc.reason}") from exc
    integration.previous_webhook_secret = previous
    integration.previous_secret_until = clock.now() + PREVIOUS_SECRET_GRACE
    session.flush()
    return integration


@dataclass(frozen=True)
class AvailableService:
    provider: str
    channels: list[Channel]


def available_services(session: Session) -> list[AvailableService]:
    """Services the editor offers: connected, with at least one active channel (only those listed)."""
    services = []
    for integration in list_integrations(session):
        if integration.provider not in MESSAGING_PROVIDERS or not integration.connected:
            continue
        active = [c for c in integration.channels if c.active]
        if active:
            services.append(AvailableService(integration.provider, active))
    return services


def unavailability_reason(session: Session, provider: str) -> str | None:
    """Why a service cannot be used now, or None when it can."""
    integration = session.scalar(select(Integration).where(Integration.provider == provider))
    return reason_unavailable(integration, provider)


def reason_unavailable(integration: Integration | None, provider: str) -> str | None:
    """:func:`unavailability_reason` of an integration already read (None: there is none)."""
    if integration is None or provider not in MESSAGING_PROVIDERS:
        return "неизвестный сервис"
    if not integration.connected:
        return "интеграция отключена"
    if not any(c.active for c in integration.channels):
        return "нет активных каналов"
    return None
