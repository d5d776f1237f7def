"""The sign-in screen /login."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from pages.refusal import PageRefused


class LoginPage:
    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    def open(self) -> LoginPage:
        self.page.goto(f"{self.base_url}/login")
        expect(self.page.get_by_role("button", name="Войти", exact=True)).to_be_visible()
        return self

    def sign_in(self, login: str, password: str) -> None:
        """Fill the form and submit it; the CRM answers with the deals or with an error on this page."""
        self.page.get_by_label("Логин", exact=True).fill(login)
        self.page.get_by_label("Пароль", exact=True).fill(password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Войти", exact=True).click()

    def sign_in_or_refuse(self, login: str, password: str) -> None:
        """Sign in on a fresh screen (signed out first); :class:`PageRefused` with the screen's error when
        the CRM keeps the visitor on it."""
        self.page.context.clear_cookies()
        self.open().sign_in(login, password)
        error = self.error() if self.page.url.split("?")[0].endswith("/login") else None
        if error:
            raise PageRefused(error)

    def error(self) -> str | None:
        alert = self.page.get_by_role("alert")
        return alert.text_content() if alert.count() else None
