"""БИЗНЕС-ПРОЦЕССЫ: the processes of each stage of a funnel (summary, Изменить, Удалить, Добавить)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Locator, Page, expect

from drivers.protocol import ProcessView
from pages.confirm_dialog import confirmed
from pages.process_editor_page import ProcessEditorPage
from pages.select_options import is_marked, plain

DELETE = "УДАЛИТЬ"


class ProcessesPage:
    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    def open(self, funnel: str | None = None) -> ProcessesPage:
        self.page.goto(f"{self.base_url}/settings/business-processes")
        self._wait()
        if funnel is not None:
            self.choose_funnel(funnel)
        return self

    def _wait(self) -> None:
        expect(self.page.get_by_role("heading", level=1, name="Бизнес-процессы", exact=True)).to_be_visible()

    def choose_funnel(self, funnel: str) -> None:
        tab = self.page.get_by_role("navigation", name="Воронки").get_by_role("link", name=funnel, exact=True)
        if tab.get_attribute("aria-current") == "page":
            return
        with self.page.expect_navigation():
            tab.click()
        self._wait()

    def funnel(self) -> str:
        for tab in self.page.get_by_role("navigation", name="Воронки").get_by_role("link").all():
            if tab.get_attribute("aria-current") == "page":
                return (tab.text_content() or "").strip()
        return ""

    def stages(self) -> list[str]:
        return [s.strip() for s in self.page.get_by_role("region").get_by_role("heading", level=2).all_text_contents()]

    def _processes(self, stage: str) -> Locator:
        return self.page.get_by_role("list", name=f"Бизнес-процессы этапа «{stage}»").get_by_test_id("process")

    def process_ids(self, stage: str) -> list[int]:
        return [int(p.get_attribute("data-process-id") or 0) for p in self._processes(stage).all()]

    def summaries(self, stage: str) -> list[str]:
        return [s.strip() for s in self._processes(stage).get_by_test_id("process-summary").all_text_contents()]

    def processes(self, stage: str) -> list[ProcessView]:
        return [self._view(item, stage) for item in self._processes(stage).all()]

    def _view(self, item: Locator, stage: str) -> ProcessView:
        terms = [t.strip() for t in item.get_by_role("term").all_text_contents()]
        values = [d.text_content() or "" for d in item.get_by_role("definition").all()]
        fields = dict(zip(terms, values, strict=True))
        files = [f.strip() for f in item.get_by_test_id("process-file").all_text_contents()]

        def optional(label: str) -> str | None:
            return fields[label].strip() or None

        service = fields["Выберите сервис"].strip()
        channel = optional("Выберите название канала")

        return ProcessView(
            id=int(item.get_attribute("data-process-id") or 0),
            funnel=self.funnel(),
            stage=stage,
            action=fields["Выберите действие"].strip(),
            when=fields["Когда выполнить действие"].strip(),
            delay=optional("Задержка"),
            unit=optional("Единица задержки"),
            check_stage=fields["Проверить, находится ли сделка на выбранном этапе"].strip(),
            service=plain(service),
            channel=plain(channel) if channel else None,
            recipients=fields["Выберите на какие контакты отправлять сообщение"].strip(),
            text=fields["Введите текст сообщения"],
            files=files,
            version=int(fields["Версия"].strip()),
            service_available=not is_marked(service),
            channel_available=not (channel and is_marked(channel)),
        )

    def add(self, stage: str) -> ProcessEditorPage:
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=f"Добавить бизнес-процесс на этап «{stage}»", exact=True).click()
        return ProcessEditorPage(self.page)

    def edit(self, process_id: int) -> ProcessEditorPage:
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=f"Изменить бизнес-процесс №{process_id}", exact=True).click()
        return ProcessEditorPage(self.page)

    def warnings(self, stage: str) -> list[str]:
        """The warnings the list shows under processes that cannot send (an unavailable service or channel)."""
        return [w.strip() for w in self._processes(stage).get_by_test_id("process-warning").all_text_contents()]

    def delete(self, process_id: int) -> None:
        """«Удалить», confirmed with the dialog's «УДАЛИТЬ»."""
        button = self.page.get_by_role("button", name=f"Удалить бизнес-процесс №{process_id}", exact=True)
        confirmed(self.page, button, DELETE)
        self._wait()

    def notice(self) -> str | None:
        status = self.page.get_by_role("status")
        return (status.text_content() or "").strip() if status.count() else None

    def saved_id(self) -> int | None:
        saved = parse_qs(urlparse(self.page.url).query).get("saved")
        return int(saved[0]) if saved and re.fullmatch(r"\d+", saved[0]) else None
