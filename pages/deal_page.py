"""The deal card /deals/{id}: stage bar and list, funnel switch, buttons, contacts, runs, dialogs, timeline."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Locator, Page, expect

from drivers.protocol import ContactView, DealView, DialogItem, ScheduledRunView, TimelineItem
from pages.refusal import PageRefused

NOBODY = "Не назначен"
NO_CLIENT_NAME = "Не указан"


def _client_name(shown: str) -> str:
    """The card says "Не указан" for an empty client name; the API says ""."""
    return "" if shown == NO_CLIENT_NAME else shown


def _text(locator: Locator) -> str:
    return (locator.text_content() or "").strip()


def _optional_text(locator: Locator) -> str | None:
    return _text(locator) if locator.count() else None


class DealPage:
    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    def open(self, deal_id: int) -> DealPage:
        self.page.goto(f"{self.base_url}/deals/{deal_id}")
        expect(self.page.get_by_role("heading", level=1, name=str(deal_id), exact=True)).to_be_visible()
        return self

    # -- acting on the deal ------------------------------------------------------------------------

    @property
    def stage_button(self) -> Locator:
        return self.page.get_by_role("button", name=re.compile(r"^Этап: "))

    def stage_list(self) -> list[str]:
        """Open the list behind the current stage and read it (the list stays open)."""
        self._open_stage_list()
        return self.page.get_by_role("menu", name="Выберите этап").get_by_role("menuitem").all_text_contents()

    def _open_stage_list(self) -> Locator:
        menu = self.page.get_by_role("menu", name="Выберите этап")
        if not menu.is_visible():
            self.stage_button.click()
        expect(menu).to_be_visible()
        return menu

    def move_to_stage(self, stage: str) -> None:
        """Click the current stage, pick ``stage`` from the list."""
        item = self._open_stage_list().get_by_role("menuitem", name=stage, exact=True)
        if not item.count():
            raise LookupError(f"в списке этапов нет «{stage}»")
        with self.page.expect_navigation():
            item.click()
        self._raise_if_refused()

    def change_funnel(self, funnel: str, stage: str | None = None) -> None:
        self.page.get_by_label("Воронка", exact=True).select_option(label=funnel)
        stages = self.page.get_by_label("Этап воронки", exact=True)
        if stage is None:
            stages.select_option(value="")
        else:
            stages.select_option(label=stage)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Сменить воронку", exact=True).click()
        self._raise_if_refused()

    def press_button(self, label: str) -> None:
        button = self.page.get_by_role("group", name="Кнопки сделки").get_by_role("button", name=label, exact=True)
        if not button.count():
            raise LookupError(f"на сделке нет кнопки «{label}»")
        with self.page.expect_navigation():
            button.click()
        self._raise_if_refused()

    def cancel_run(self, run_id: int) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=f"Отменить запуск №{run_id}", exact=True).click()
        self._raise_if_refused()

    def errors(self) -> list[str]:
        alert = self.page.get_by_role("alert")
        return alert.get_by_role("listitem").all_text_contents() if alert.count() else []

    def _raise_if_refused(self) -> None:
        errors = self.errors()
        if errors:
            raise PageRefused("; ".join(errors))

    # -- reading the card --------------------------------------------------------------------------

    def view(self) -> DealView:
        heading = _text(self.page.get_by_role("heading", level=1))
        responsible = _text(self.page.get_by_test_id("deal-responsible"))
        buttons = self.page.get_by_role("group", name="Кнопки сделки").get_by_role("button")
        return DealView(
            id=int(heading),
            funnel=_text(self.page.get_by_test_id("deal-funnel")),
            stage=_text(self.page.get_by_test_id("deal-stage")),
            responsible=None if responsible == NOBODY else responsible,
            client_name=_client_name(_text(self.page.get_by_test_id("deal-client"))),
            client_region=_text(self.page.get_by_test_id("deal-region")),
            contacts=[self._contact(item) for item in self._region("Контакты").get_by_test_id("contact").all()],
            buttons=[label.strip() for label in buttons.all_text_contents()],
            url=self.page.url.split("?")[0],
        )

    def _region(self, name: str) -> Locator:
        return self.page.get_by_role("region", name=name, exact=True)

    @staticmethod
    def _contact(item: Locator) -> ContactView:
        phones = item.get_by_test_id("contact-phone")
        emails = item.get_by_test_id("contact-email")
        return ContactView(
            label=_text(item.get_by_test_id("contact-label")),
            name=_optional_text(item.get_by_test_id("contact-name")) or "",
            phones=[p.get_attribute("data-value") or "" for p in phones.all()],
            emails=[e.get_attribute("data-value") or "" for e in emails.all()],
        )

    def timeline(self) -> list[TimelineItem]:
        items = []
        for entry in self._region("Детально").get_by_test_id("timeline-entry").all():
            author = _text(entry.get_by_test_id("entry-author"))
            items.append(
                TimelineItem(
                    title=_text(entry.get_by_test_id("entry-title")),
                    body=_optional_text(entry.get_by_test_id("entry-body")) or "",
                    author=author or None,
                    when=_text(entry.get_by_test_id("entry-when")),
                )
            )
        return items

    def dialog(self) -> list[DialogItem]:
        items = []
        for conversation in self._region("Диалоги").get_by_role("article").all():
            number = _text(conversation.get_by_role("heading", level=3))
            for message in conversation.get_by_test_id("dialog-message").all():
                attachments = message.get_by_role("list", name="Вложения").get_by_role("link")
                items.append(
                    DialogItem(
                        to=number,
                        service=_text(message.get_by_test_id("message-service")),
                        text=message.get_by_test_id("message-text").text_content() or "",
                        attachments=[a.strip() for a in attachments.all_text_contents()],
                        status=_text(message.get_by_test_id("message-status")),
                        reason=_optional_text(message.get_by_test_id("message-reason")),
                    )
                )
        return items

    def scheduled_runs(self) -> list[ScheduledRunView]:
        runs = []
        for run in self._region("Запланированные действия").get_by_test_id("scheduled-run").all():
            due = run.get_by_test_id("run-due")
            stamp = due.get_attribute("datetime")
            runs.append(
                ScheduledRunView(
                    id=int(run.get_attribute("data-run-id") or 0),
                    stage=_text(run.get_by_test_id("run-stage")),
                    due=_text(due),
                    due_at=dt.datetime.fromisoformat(stamp) if stamp else None,
                )
            )
        return runs
