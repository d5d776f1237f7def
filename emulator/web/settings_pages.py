"""The settings' first tab row; tabs other than ИНТЕГРАЦИЯ and БИЗНЕС-ПРОЦЕССЫ are short placeholders."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from emulator.errors import NotFound
from emulator.web.access import PageAdmin
from emulator.web.page_route import PageRoute
from emulator.web.rendering import render
from emulator.web.settings_tabs import SETTINGS_TABS_BY_KEY

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PLACEHOLDER_TEXT = "Этот раздел настроек в эмуляторе не реализован."


def placeholder(
    request: Request, tab_key: str, title: str, sub_tab: str | None = None, text: str = PLACEHOLDER_TEXT
) -> Response:
    context = {"tab": tab_key, "sub_tab": sub_tab, "title": title, "text": text}
    return render(request, "settings_placeholder.html", context)


@router.get("/settings")
def settings_home(request: Request, _: PageAdmin) -> Response:
    return placeholder(request, "general", "Настройки")


@router.get("/settings/{section}")
def settings_section(section: str, request: Request, _: PageAdmin) -> Response:
    tab = SETTINGS_TABS_BY_KEY.get(section)
    if tab is None or tab.href != f"/settings/{section}":
        raise NotFound("Раздел настроек", section)
    return placeholder(request, tab.key, tab.label.capitalize())
