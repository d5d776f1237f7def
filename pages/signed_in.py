"""One sign-in through the screen per user and browser session; later scenarios reuse its cookies.

Every browser scenario gets a new, empty browser context (pytest-playwright), so it starts signed out.
Going through the sign-in screen again in each of them costs a page load, two fills and a submit with
its navigation: about half of a short browser scenario. Instead the cookies of the first sign-in are
put into the new context, as Playwright's ``storage_state`` would; the CRM is asked once whether it
still accepts them (one request, no page), and when it does not (a session ended by a reset, say) the
user signs in through the screen as before and the new cookies are remembered.

Scenarios about signing in (``crm.sign_in``, the access steps) still use the screen every time.
"""

from __future__ import annotations

from typing import cast

from playwright._impl._api_structures import SetCookieParam
from playwright.sync_api import Page

from pages.login_page import LoginPage


class SignIns:
    """The cookies of each user's last sign-in through the screen, per CRM (one per test session)."""

    def __init__(self) -> None:
        self._cookies: dict[tuple[str, str], list[SetCookieParam]] = {}

    def sign_in(self, page: Page, base_url: str, login: str, password: str) -> None:
        key = (base_url, login)
        context = page.context
        remembered = self._cookies.get(key)
        if remembered:
            context.add_cookies(remembered)
            if self._accepted(page, base_url):
                return
        LoginPage(page, base_url).sign_in_or_refuse(login, password)
        self._cookies[key] = [cast(SetCookieParam, dict(cookie)) for cookie in context.cookies()]

    @staticmethod
    def _accepted(page: Page, base_url: str) -> bool:
        """The CRM shows the deals to these cookies (it answers a signed-out browser with the sign-in screen)."""
        response = page.request.get(f"{base_url}/deals", max_redirects=0)
        try:
            return response.status == 200
        finally:
            response.dispose()
