"""The connect form of an integration card ("API ключ", "Адрес API", ПОДКЛЮЧИТЬ / ОТМЕНА)."""

from __future__ import annotations

from playwright.sync_api import Page, expect


class ConnectFormPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        expect(self.page.get_by_label("API ключ", exact=True)).to_be_visible()

    def submit(self, api_key: str, base_url: str | None = None) -> str | None:
        """Connect; None when the CRM accepted the key, else the error shown next to the field."""
        self.page.get_by_label("API ключ", exact=True).fill(api_key)
        if base_url is not None:
            self.page.get_by_label("Адрес API", exact=True).fill(base_url)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="ПОДКЛЮЧИТЬ", exact=True).click()
        return self.error()

    def error(self) -> str | None:
        alert = self.page.get_by_role("alert")
        if not alert.count():
            return None
        lines = [line.split(": ", 1)[-1].strip() for line in alert.get_by_role("listitem").all_text_contents()]
        return "; ".join(lines)

    def cancel(self) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("link", name="ОТМЕНА", exact=True).click()
