"""ИНТЕГРАЦИЯ → СОЦ. СЕТИ И МЕССЕНДЖЕРЫ: the cards and their buttons."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from pages.confirm_dialog import confirmed

CONNECT = "ПОДКЛЮЧИТЬ"
CONFIGURE = "НАСТРОИТЬ"
DISCONNECT = "ОТКЛЮЧИТЬ"


class IntegrationsPage:
    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    def open(self) -> IntegrationsPage:
        self.page.goto(f"{self.base_url}/settings/integrations/messengers")
        expect(self.page.get_by_role("link", name="СОЦ. СЕТИ И МЕССЕНДЖЕРЫ", exact=True)).to_be_visible()
        return self

    def card(self, title: str) -> Locator:
        """The card whose heading is ``title``, ignoring case ("Wazzup" finds "WAZZUP")."""
        name = re.compile(f"^{re.escape(title.strip())}$", re.IGNORECASE)
        return self.page.get_by_role("article", name=name)

    def titles(self) -> list[str]:
        return [t.strip() for t in self.page.get_by_role("article").get_by_role("heading", level=2).all_text_contents()]

    def actions(self, title: str) -> list[str]:
        return [a.strip() for a in self.card(title).get_by_role("button").all_text_contents()]

    def title_of(self, title: str) -> str:
        return (self.card(title).get_by_role("heading", level=2).text_content() or "").strip()

    def description(self, title: str) -> str:
        return (self.card(title).get_by_role("paragraph").first.text_content() or "").strip()

    def links(self, title: str) -> list[tuple[str, str]]:
        """The card's links as (text, address): «Инструкция по подключению» and the service's site."""
        return [
            ((link.text_content() or "").strip(), link.get_attribute("href") or "")
            for link in self.card(title).get_by_role("link").all()
        ]

    def press(self, title: str, action: str) -> None:
        """Press a card's button (ПОДКЛЮЧИТЬ / НАСТРОИТЬ / ОТКЛЮЧИТЬ) and wait for the next page.

        ОТКЛЮЧИТЬ asks first; the question is confirmed with the dialog's ОТКЛЮЧИТЬ.
        """
        button = self.card(title).get_by_role("button", name=action, exact=True)
        if action == DISCONNECT:
            confirmed(self.page, button, DISCONNECT)
            return
        with self.page.expect_navigation():
            button.click()

    def notice(self) -> str | None:
        status = self.page.get_by_role("status")
        return (status.text_content() or "").strip() if status.count() else None
