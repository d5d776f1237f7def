"""The settings of one integration: channels, "Обновить каналы", webhook, "Сменить API ключ"."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from drivers.protocol import ChannelView
from pages.refusal import PageRefused


class IntegrationSettingsPage:
    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    def open(self, provider: str) -> IntegrationSettingsPage:
        self.page.goto(f"{self.base_url}/settings/integrations/{provider}")
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("Настройки интеграции")
        return self

    def connected(self) -> bool:
        return (self.page.get_by_test_id("integration-state").text_content() or "").strip() == "Подключено"

    def channels(self) -> list[ChannelView]:
        table = self.page.get_by_role("table", name="Каналы")
        if not table.count():
            return []
        views = []
        for row in table.get_by_test_id("channel").all():
            state = row.get_by_test_id("channel-state")
            views.append(
                ChannelView(
                    number=(row.get_by_test_id("channel-number").text_content() or "").strip(),
                    state=state.get_attribute("data-state") or "",
                    active=state.get_attribute("data-active") == "true",
                )
            )
        return views

    def channel_states(self) -> list[str]:
        """The state column as shown: "Активен" / "Неактивен (inactive)"."""
        table = self.page.get_by_role("table", name="Каналы")
        return [s.strip() for s in table.get_by_test_id("channel-state").all_text_contents()]

    def webhook_url(self) -> str | None:
        found = self.page.get_by_test_id("webhook-url")
        return (found.text_content() or "").strip() if found.count() else None

    def webhook_secret(self) -> str | None:
        found = self.page.get_by_test_id("webhook-secret")
        return ((found.text_content() or "").strip() or None) if found.count() else None

    def refresh_channels(self) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Обновить каналы", exact=True).click()
        error = self.error()
        if error:
            raise PageRefused(error)

    def change_api_key(self, api_key: str) -> str | None:
        """Reconnect with a new key; None when accepted, else the error shown."""
        form = self.page.get_by_role("form", name="Сменить API ключ")
        form.get_by_label("API ключ", exact=True).fill(api_key)
        with self.page.expect_navigation():
            form.get_by_role("button", name="Сменить API ключ", exact=True).click()
        return self.error()

    def error(self) -> str | None:
        alert = self.page.get_by_role("alert")
        if not alert.count():
            return None
        return "; ".join(line.strip() for line in alert.get_by_role("listitem").all_text_contents())
