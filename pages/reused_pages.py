"""One browser context and page per set of context options, reused by the @ui scenarios of a test session.

A new context with its first page costs a renderer process: about 0.2 s on a quiet 2-core machine, more
under load, a tenth of a short browser scenario. The @ui scenarios reuse one page instead, made fresh
between scenarios the way a new context would be for what the CRM's pages use. When a scenario ends
(:meth:`ReusedPages.release`) its other tabs close, local and session storage are emptied and the page goes
to ``about:blank``: nothing of it keeps running while the tests after it do (a deal card left open polls
its CRM twice a second). When the next one starts, cookies and permissions are cleared. Scenarios whose
context differs (a user in another time zone, say, through the ``browser_context_args`` marker) get a
context of their own, reused likewise.

When the run records Playwright artifacts per test (``--tracing``, ``--video``), conftest gives every
scenario pytest-playwright's own fresh page instead, so each trace or video holds one scenario.
"""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Browser, Page

BLANK = "about:blank"


class ReusedPages:
    def __init__(self, browser: Browser) -> None:
        self._browser = browser
        self._pages: dict[str, Page] = {}

    def page(self, context_args: dict[str, Any]) -> Page:
        """The page for these context options, as fresh as a new context's."""
        key = json.dumps(context_args, sort_keys=True, default=str)
        page = self._pages.get(key)
        if page is None or page.is_closed():
            page = self._pages[key] = self._browser.new_context(**context_args).new_page()
            return page
        if page.url != BLANK or len(page.context.pages) > 1:  # not released (a scenario's teardown failed)
            self.release(page)
        page.context.clear_cookies()
        page.context.clear_permissions()
        return page

    @staticmethod
    def release(page: Page) -> None:
        """The scenario is over: other tabs closed, storage emptied, the page on ``about:blank``."""
        if page.is_closed():
            return
        for other in page.context.pages:
            if other is not page:
                other.close()
        if page.url.startswith("http"):
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        page.goto(BLANK)

    def close(self) -> None:
        for page in self._pages.values():
            page.context.close()
        self._pages.clear()
