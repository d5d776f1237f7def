"""The demo's journey photographed at 1280 and 390 px: the deal card after a send, the editor, the fakes' page.

The pictures go to the Allure report (an entry «Снимки экрана» of its own) and to reports/screenshots/*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from drivers.protocol import FileSpec
from emulator.client import CrmClient
from pages.deal_page import DealPage
from pages.process_editor_page import ProcessEditorPage
from pages.reused_pages import ReusedPages
from pages.signed_in import SignIns
from tests.web.conftest import Crm, FakesServer
from tests.web.report_entry import ReportEntry

WIDTHS = (1280, 390)
PHOTO = FileSpec("photo_2023-05-01_12-00-00.jpg", b"\xff\xd8jpeg", "image/jpeg")


@pytest.fixture
def entry(request: pytest.FixtureRequest) -> Iterator[ReportEntry]:
    report = ReportEntry(
        request.config,
        "Снимки экрана: карточка сделки, редактор, страница фейков (1280 и 390 px)",
        request.node.nodeid,
        "Снимки экрана страниц",
    )
    yield report
    call = getattr(request.node, "rep_call", None)  # set by tests/web/conftest.py's report hook
    report.finish(AssertionError(call.longreprtext[-2000:]) if call is not None and call.failed else None)


@pytest.fixture
def pages(
    demo: Crm,
    reused_pages: ReusedPages,
    browser_context_args: dict[str, Any],
    browser_sign_ins: SignIns,
    base_url: str,
) -> Iterator[dict[int, Page]]:
    """A page per width, each a reused page made fresh and signed in as the administrator with the session's
    cookies (the sign-in screen has tests of its own), released when the test ends."""
    found = {}
    for width in WIDTHS:
        page = reused_pages.page({**browser_context_args, "viewport": ViewportSize(width=width, height=900)})
        browser_sign_ins.sign_in(page, base_url, "admin", "admin")
        found[width] = page
    yield found
    for page in found.values():
        reused_pages.release(page)


TITLES = {
    "deal": "Карточка сделки 9396 после отправки",
    "editor": "Редактор: «Сразу», файл photo_2023-0...",
    "editor-delayed": "Редактор: «С задержкой» 3 дни, проверка этапа «Нет»",
    "fakes": "Страница фейков провайдеров",
}


def _shoot(entry: ReportEntry, page: Page, what: str, width: int) -> None:
    entry.attach_png(f"{TITLES[what]}, {width} px", page.screenshot(full_page=True), f"{what}-{width}")


def test_the_journey_photographed(
    pages: dict[int, Page], base_url: str, crm_client: CrmClient, fakes_server: FakesServer, entry: ReportEntry
) -> None:
    DealPage(pages[1280], base_url).open(9396).move_to_stage("В работе")
    crm_client.run_due()
    for width, page in pages.items():
        DealPage(page, base_url).open(9396)
        expect(page.get_by_role("region", name="Диалоги").get_by_test_id("message-status")).to_have_text(
            ["Отправлено", "Отправлено"]
        )
        _shoot(entry, page, "deal", width)

        page.goto(f"{base_url}/settings/business-processes/1/edit")
        editor = ProcessEditorPage(page)
        editor.attach(PHOTO)
        assert editor.file_chips() == ["photo_2023-0..."]
        _shoot(entry, page, "editor", width)
        editor.choose_timing("С задержкой")
        editor.field("Задержка").fill("3")
        editor.field("Единица задержки").select_option(label="дни")
        assert editor.value_of("Проверить, находится ли сделка на выбранном этапе") == "Нет"
        _shoot(entry, page, "editor-delayed", width)

        page.goto(fakes_server.base_url)
        expect(page.get_by_test_id("outbox-count")).to_have_text("2")
        _shoot(entry, page, "fakes", width)
    for page in pages.values():
        page.context.close()
