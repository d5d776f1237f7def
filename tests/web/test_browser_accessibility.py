"""Every page checked with axe-core (no serious or critical violation), at 390 px (nothing cut off, «Выйти» in
view), with its favicon (no 404), and the API docs working without internet."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Response, ViewportSize, expect

from emulator.client import CrmClient
from mocks.registry import ProviderFakes
from pages.login_page import LoginPage
from pages.process_editor_page import ProcessEditorPage
from pages.reused_pages import ReusedPages
from pages.signed_in import SignIns
from tests.web.conftest import Crm, FakesServer

BLOCKING = ("serious", "critical")
PAGES = [
    "/deals",
    "/deals/9396",
    "/settings",
    "/settings/integrations/messengers",
    "/settings/integrations/wazzup",
    "/settings/integrations/default/connect",
    "/settings/integrations/default/instruction",
    "/settings/business-processes",
    "/settings/business-processes/new",
    "/settings/business-processes/1/edit",
    "/deals/1",
]
NARROW = ViewportSize(width=390, height=844)


def _blocking_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.fixture
def sent(demo: Crm, crm_client: CrmClient, fakes: ProviderFakes) -> None:
    """The demo deal moved to «В работе» and its messages sent: the card shows dialogs and coloured statuses."""
    crm_client.change_stage(9396, demo.stage("Воронка 2", "В работе"))
    crm_client.run_due()


@pytest.fixture
def narrow_page(
    reused_pages: ReusedPages,
    browser_context_args: dict[str, Any],
    admin_page: Page,
    base_url: str,
    browser_sign_ins: SignIns,
) -> Iterator[Page]:
    """A phone-sized browser page signed in as the administrator: a reused page made fresh, with the session's
    sign-in cookies, as ``admin_page`` (the sign-in screen has tests of its own); released when the test ends."""
    page = reused_pages.page({**browser_context_args, "viewport": NARROW})
    browser_sign_ins.sign_in(page, base_url, "admin", "admin")
    yield page
    reused_pages.release(page)


def test_the_sign_in_page_has_no_serious_violation(ui_page: Page, demo: Crm, base_url: str) -> None:
    login = LoginPage(ui_page, base_url).open()
    assert _blocking_violations(ui_page) == []
    login.sign_in("admin", "wrong")
    assert _blocking_violations(ui_page) == []


@pytest.mark.parametrize("path", PAGES)
def test_each_page_has_no_serious_violation_and_fits_a_390_px_phone(
    admin_page: Page, narrow_page: Page, base_url: str, sent: None, path: str
) -> None:
    admin_page.goto(base_url + path)
    assert _blocking_violations(admin_page) == []
    narrow_page.goto(base_url + path)
    _fits(narrow_page)


def test_open_hints_dialogs_and_refused_forms_have_no_serious_violation(
    demo: Crm, admin_page: Page, base_url: str
) -> None:
    admin_page.goto(f"{base_url}/settings/business-processes/new?stage_id={demo.stage('Воронка 2', 'Новая')}")
    editor = ProcessEditorPage(admin_page)
    editor.choose_timing("С задержкой")
    admin_page.get_by_role("button", name="Подсказка: Когда выполнить действие").click()
    editor.form.get_by_role("button", name="выберите параметры").click()
    assert _blocking_violations(admin_page) == []
    editor.field("Задержка").fill("0")
    editor.save()
    assert editor.field_error("Задержка")
    assert _blocking_violations(admin_page) == []
    admin_page.goto(f"{base_url}/settings/business-processes")
    admin_page.get_by_role("button", name="Удалить бизнес-процесс №1").click()
    expect(admin_page.get_by_role("dialog")).to_be_visible()
    assert _blocking_violations(admin_page) == []


def test_the_fakes_page_has_no_serious_violation(ui_page: Page, fakes_server: FakesServer) -> None:
    ui_page.goto(fakes_server.base_url)
    assert _blocking_violations(ui_page) == []


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url}: {width} px wide at {NARROW['width']} px, something is cut off"
    logout = page.get_by_role("button", name="Выйти", exact=True)
    expect(logout).to_be_in_viewport()
    box = logout.bounding_box()
    assert box is not None and box["x"] + box["width"] <= NARROW["width"]


def test_the_fakes_page_fits_a_390_px_phone(browser: Browser, fakes_server: FakesServer) -> None:
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    page.goto(fakes_server.base_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    context.close()


def _failed_requests(page: Page) -> Callable[[], list[str]]:
    failed: list[str] = []

    def on_response(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    page.on("response", on_response)
    return lambda: failed


def test_pages_load_their_favicon_and_nothing_fails(admin_page: Page, base_url: str) -> None:
    failed = _failed_requests(admin_page)
    for path in ("/deals/9396", "/settings/business-processes/new"):
        admin_page.goto(base_url + path)
        icon = admin_page.locator("link[rel=icon]").get_attribute("href")
        assert icon == "/static/favicon.svg"
        answer = admin_page.request.get(base_url + icon)
        assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    assert admin_page.request.get(base_url + "/favicon.ico").status == 200
    assert failed() == []


def test_the_api_docs_work_without_internet(page: Page, demo: Crm, base_url: str) -> None:
    outside: list[str] = []

    def only_local(route: object) -> None:
        request = route.request  # type: ignore[attr-defined]
        if request.url.startswith(base_url):
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(request.url)
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", only_local)
    page.goto(f"{base_url}/docs")
    expect(page.get_by_role("heading", name="CRM: эмулятор")).to_be_visible()
    expect(page.get_by_text("/api/deals/{deal_id}", exact=False).first).to_be_visible()
    assert outside == []
