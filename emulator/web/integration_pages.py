"""ИНТЕГРАЦИЯ → СОЦ. СЕТИ И МЕССЕНДЖЕРЫ: the cards, connecting, settings (channels, webhook), disconnecting."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from emulator import integrations
from emulator.api import presenters
from emulator.errors import NotFound, ValidationFailed
from emulator.integration_catalogue import CARDS_BY_PROVIDER, Card
from emulator.web.access import PageAdmin, PageSession, PageSettings
from emulator.web.page_route import PageRoute
from emulator.web.rendering import redirect, render
from emulator.web.settings_pages import placeholder
from emulator.web.settings_tabs import INTEGRATION_TABS_BY_KEY

router = APIRouter(route_class=PageRoute, include_in_schema=False)

MESSENGERS = "/settings/integrations/messengers"
INTRO = (
    "В нашей CRM есть возможность подключить социальные сети и мессенджеры, чтобы менеджеры могли общаться "
    "с клиентами и заключать сделки, не выходя из CRM-системы. Например, если у Вас есть группа ВК, в которую "
    "обращаются Ваши клиенты, Вы можете подключить ее и получать сообщения напрямую в CRM."
)
NOTICES = {
    "connected": "Интеграция {title} подключена",
    "disconnected": "Интеграция {title} отключена",
    "synced": "Каналы {title} обновлены",
    "key_changed": "API ключ {title} изменён",
}


def _card(provider: str) -> Card:
    card = CARDS_BY_PROVIDER.get(provider)
    if card is None:
        raise NotFound("Интеграция", provider)
    return card


def _field_errors(exc: ValidationFailed) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors:
        errors[error.field] = "; ".join(filter(None, [errors.get(error.field), error.message]))
    return errors


@router.get("/settings/integrations")
def integrations_home(_: PageAdmin) -> Response:
    return redirect(MESSENGERS)


@router.get("/settings/integrations/messengers")
def messengers(
    request: Request, session: PageSession, settings: PageSettings, _: PageAdmin, notice: str = "", provider: str = ""
) -> Response:
    cards = [presenters.integration_out(settings, i) for i in integrations.list_integrations(session)]
    message = NOTICES[notice].format(title=_card(provider).title) if notice in NOTICES and provider else None
    context = {"tab": "integrations", "cards": cards, "intro": INTRO, "notice": message}
    return render(request, "integrations.html", context)


def _settings_page(
    request: Request, session: PageSession, settings: PageSettings, provider: str, errors: dict[str, str], notice: str
) -> Response:
    card = _card(provider)
    integration = presenters.integration_out(settings, integrations.get_integration(session, provider))
    message = NOTICES[notice].format(title=card.title) if notice in NOTICES else None
    context = {"tab": "integrations", "card": card, "integration": integration, "errors": errors, "notice": message}
    return render(request, "integration_settings.html", context, status_code=422 if errors else 200)


@router.get("/settings/integrations/{key}")
def integration_page(
    key: str, request: Request, session: PageSession, settings: PageSettings, _: PageAdmin, notice: str = ""
) -> Response:
    tab = INTEGRATION_TABS_BY_KEY.get(key)
    if tab is not None:
        return placeholder(request, "integrations", tab.label.capitalize(), sub_tab=tab.key)
    return _settings_page(request, session, settings, key, {}, notice)


@router.get("/settings/integrations/{provider}/instruction")
def instruction(provider: str, request: Request, _: PageAdmin) -> Response:
    card = _card(provider)
    text = (
        f"Получите API ключ в личном кабинете {card.title} ({card.site}), нажмите «ПОДКЛЮЧИТЬ» на карточке "
        "и введите ключ. После подключения каналы сервиса появятся в настройках интеграции."
    )
    return placeholder(request, "integrations", f"Инструкция по подключению {card.title}", "messengers", text)


def _connect_form(request: Request, card: Card, values: dict[str, str], errors: dict[str, str]) -> Response:
    context = {"tab": "integrations", "card": card, "values": values, "errors": errors}
    return render(request, "integration_connect.html", context, status_code=422 if errors else 200)


@router.get("/settings/integrations/{provider}/connect")
def connect_form(provider: str, request: Request, _: PageAdmin) -> Response:
    return _connect_form(request, _card(provider), {"api_key": "", "base_url": ""}, {})


@router.post("/settings/integrations/{provider}/connect")
def connect(
    provider: str,
    request: Request,
    session: PageSession,
    settings: PageSettings,
    _: PageAdmin,
    api_key: Annotated[str, Form()] = "",
    base_url: Annotated[str, Form()] = "",
) -> Response:
    card = _card(provider)
    try:
        integrations.connect(session, settings, provider, api_key, base_url or None)
    except ValidationFailed as exc:
        session.rollback()
        return _connect_form(request, card, {"api_key": api_key, "base_url": base_url}, _field_errors(exc))
    session.commit()
    return redirect(f"{MESSENGERS}?notice=connected&provider={provider}")


@router.post("/settings/integrations/{provider}/reconnect")
def reconnect(
    provider: str,
    request: Request,
    session: PageSession,
    settings: PageSettings,
    _: PageAdmin,
    api_key: Annotated[str, Form()] = "",
) -> Response:
    _card(provider)
    current = integrations.get_integration(session, provider).base_url
    try:
        integrations.connect(session, settings, provider, api_key, current)
    except ValidationFailed as exc:
        session.rollback()
        return _settings_page(request, session, settings, provider, _field_errors(exc), "")
    session.commit()
    return redirect(f"/settings/integrations/{provider}?notice=key_changed")


@router.post("/settings/integrations/{provider}/disconnect")
def disconnect(provider: str, session: PageSession, _: PageAdmin) -> Response:
    _card(provider)
    integrations.disconnect(session, provider)
    session.commit()
    return redirect(f"{MESSENGERS}?notice=disconnected&provider={provider}")


@router.post("/settings/integrations/{provider}/channels/sync")
def sync_channels(
    provider: str, request: Request, session: PageSession, settings: PageSettings, _: PageAdmin
) -> Response:
    _card(provider)
    try:
        integrations.sync_channels(session, settings, provider)
    except ValidationFailed as exc:
        session.rollback()
        return _settings_page(request, session, settings, provider, {"channels": str(exc)}, "")
    session.commit()
    return redirect(f"/settings/integrations/{provider}?notice=synced")
