"""The deal card /deals/{id}: stage bar and list, funnel switch, buttons, contacts, runs, dialogs, timeline."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Locator, Page, expect

from drivers.protocol import ContactView, DealView, DialogItem, ReplyItem, ScheduledRunView, TimelineItem
from pages.confirm_dialog import confirmed
from pages.refusal import PageRefused

NOBODY = "Не назначен"
NO_CLIENT_NAME = "Не указан"
CANCEL_RUN = "ОТМЕНИТЬ ЗАПУСК"


def _client_name(shown: str) -> str:
    """The card says "Не указан" for an empty client name; the API says ""."""
    return "" if shown == NO_CLIENT_NAME else shown


def _text(locator: Locator) -> str:
    return (locator.text_content() or "").strip()


def _optional_text(locator: Locator) -> str | None:
    return _text(locator) if locator.count() else None


def _tone(classes: str | None) -> str | None:
    for name in (classes or "").split():
        if name.startswith("tone-"):
            return name.removeprefix("tone-")
    return None


# One snapshot of the log: each entry's parts by their test ids (the entries have no accessible names).
# The author is the abbreviation's expansion: the log shows "Ксения", its title holds "Ксения Администратор".
_READ_ENTRIES = """entries => entries.map(e => {
  const part = id => { const f = e.querySelector(`[data-testid="${id}"]`); return f ? f.textContent.trim() : null; };
  const author = e.querySelector('[data-testid="entry-author"]');
  const about = e.querySelector('[data-testid="entry-about"]');
  return {
    title: part("entry-title"), body: part("entry-body"), when: part("entry-when"),
    author: author ? (author.getAttribute("title") || author.textContent).trim() : null,
    process: about ? about.dataset.processId : null,
    service: part("entry-service"), channel: part("entry-channel"), number: part("entry-number"),
  };
})"""

# One snapshot of "Диалоги": a conversation per number (its heading), its messages in order.
_READ_DIALOGS = """dialogs => dialogs.flatMap(d => {
  const to = d.querySelector("h3").textContent.trim();
  return [...d.querySelectorAll('[data-testid="dialog-message"]')].map(m => {
    const part = id => { const f = m.querySelector(`[data-testid="${id}"]`); return f ? f.textContent : null; };
    const trimmed = id => { const t = part(id); return t === null ? null : t.trim(); };
    return {
      to, service: trimmed("message-service"), channel: trimmed("message-channel"), text: part("message-text"),
      status: trimmed("message-status"), reason: trimmed("message-reason"),
      attachments: [...m.querySelectorAll('[data-testid="message-attachment"]')].map(a => a.textContent.trim()),
    };
  });
})"""


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
        """«Отменить» on a scheduled run, confirmed with «ОТМЕНИТЬ ЗАПУСК»."""
        button = self.page.get_by_role("button", name=f"Отменить запуск №{run_id}", exact=True)
        confirmed(self.page, button, CANCEL_RUN)
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
        """The log "Детально", read in one go (the card may swap in a newer log while it is read)."""
        rows: list[dict[str, str | None]] = (
            self._region("Детально").get_by_test_id("timeline-entry").evaluate_all(_READ_ENTRIES)
        )
        return [
            TimelineItem(
                title=row["title"] or "",
                body=row["body"] or "",
                author=row["author"],
                when=row["when"] or "",
                process_id=int(row["process"]) if row["process"] else None,
                service=row["service"],
                channel=row["channel"],
                number=row["number"],
            )
            for row in rows
        ]

    def timeline_authors_shown(self) -> list[str]:
        """The authors as the log shows them (first names, "Ксения"); ``timeline`` gives the full names."""
        authors = self._region("Детально").get_by_test_id("entry-author")
        return [a.strip() for a in authors.all_text_contents()]

    def timeline_tones(self) -> list[str | None]:
        """How each log entry's status is coloured: "ok", "error", "warning", "pending", "muted" or None."""
        return [
            _tone(entry.get_attribute("class"))
            for entry in self._region("Детально").get_by_test_id("timeline-entry").all()
        ]

    def dialog(self) -> list[DialogItem]:
        rows: list[dict[str, str | list[str] | None]] = (
            self._region("Диалоги").get_by_role("article").evaluate_all(_READ_DIALOGS)
        )
        return [
            DialogItem(
                to=str(row["to"]),
                service=str(row["service"]),
                text=str(row["text"]),
                attachments=list(row["attachments"] or []),
                status=str(row["status"]),
                reason=row["reason"] if isinstance(row["reason"], str) else None,
                channel=row["channel"] if isinstance(row["channel"], str) else None,
            )
            for row in rows
        ]

    def replies(self) -> list[ReplyItem]:
        found = []
        for reply in self._region("Диалоги").get_by_test_id("dialog-reply").all():
            found.append(
                ReplyItem(
                    sender=_text(reply.get_by_test_id("reply-from")),
                    service=_text(reply.get_by_test_id("reply-service")),
                    channel=_text(reply.get_by_test_id("reply-channel")),
                    text=reply.get_by_test_id("reply-text").text_content() or "",
                )
            )
        return found

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
