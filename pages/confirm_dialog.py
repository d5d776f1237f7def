"""The CRM's confirmation of a destructive action: a modal dialog with the question, ОТМЕНА and the action."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect


class ConfirmDialog:
    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def dialog(self) -> Locator:
        return self.page.get_by_role("dialog")

    def open_by(self, trigger: Locator) -> ConfirmDialog:
        """Press the action's button; the CRM asks before doing it."""
        trigger.click()
        expect(self.dialog).to_be_visible()
        return self

    def question(self) -> str:
        return (self.dialog.get_by_role("heading").text_content() or "").strip()

    def confirm(self, action: str) -> None:
        """Press the dialog's ``action`` button ("УДАЛИТЬ", "ОТКЛЮЧИТЬ", ...) and wait for the next page."""
        with self.page.expect_navigation():
            self.dialog.get_by_role("button", name=action, exact=True).click()

    def dismiss(self) -> None:
        self.dialog.get_by_role("button", name="ОТМЕНА", exact=True).click()
        expect(self.dialog).to_be_hidden()


def confirmed(page: Page, trigger: Locator, action: str) -> None:
    """Press a destructive action's button and confirm it."""
    ConfirmDialog(page).open_by(trigger).confirm(action)
