"""The editor "Настройки бизнес-процесса" (implements drivers.protocol.Editor)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import FilePayload, Locator, Page, expect

from drivers.protocol import FieldErrorView, FileSpec, ProcessSpec, ProcessView, SaveResult
from pages.refusal import NotOffered
from pages.select_options import find_label, is_marked, option_labels, plain, selected_label

ACTION = "Выберите действие"
TIMING = "Когда выполнить действие"
DELAY = "Задержка"
UNIT = "Единица задержки"
CHECK_STAGE = "Проверить, находится ли сделка на выбранном этапе"
SERVICE = "Выберите сервис"
CHANNEL = "Выберите название канала"
RECIPIENTS = "Выберите на какие контакты отправлять сообщение"
TEXT = "Введите текст сообщения"
FILES = "Добавить файлы"
TIMINGS = ("Сразу", "С задержкой")
CHECK_STATES = ("Да", "Нет")


def _split(line: str) -> FieldErrorView:
    label, _, message = line.strip().partition(": ")
    return FieldErrorView(label, message) if message else FieldErrorView("", label)


class ProcessEditorPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        expect(self.form).to_be_visible()

    @property
    def form(self) -> Locator:
        return self.page.get_by_role("form", name="Настройки бизнес-процесса")

    def field(self, label: str) -> Locator:
        return self.form.get_by_label(label, exact=True)

    # -- Editor protocol ----------------------------------------------------------------------------

    def field_labels(self) -> list[str]:
        """The visible fields' labels in page order, without a trailing colon."""
        labels = self.form.get_by_test_id("field-label")
        return [(label.text_content() or "").strip().rstrip(":") for label in labels.all() if label.is_visible()]

    def hint(self, label: str) -> str | None:
        """The text behind the «?» of a field, or None when the field has no «?»."""
        button = self.form.get_by_role("button", name=f"Подсказка: {label}", exact=True)
        if not button.count():
            return None
        note_id = button.get_attribute("aria-controls") or ""
        note = self.form.locator(f"[id='{note_id}']")
        if not note.is_visible():
            button.click()
        expect(note).to_be_visible()
        text = (note.text_content() or "").strip()
        button.click()
        expect(note).to_be_hidden()
        return text

    def choose_timing(self, label: str) -> None:
        radio = self.form.get_by_role("radio", name=label, exact=True)
        if not radio.count():
            raise LookupError(f"«Когда выполнить действие»: нет варианта «{label}»")
        radio.check()

    def is_stage_check_visible(self) -> bool:
        return self.field(CHECK_STAGE).is_visible()

    def services(self) -> list[str]:
        return option_labels(self.field(SERVICE))

    def choose_service(self, label: str) -> None:
        self._choose(SERVICE, label)

    def channels(self) -> list[str]:
        return option_labels(self.field(CHANNEL))

    def chosen_channel(self) -> str | None:
        return selected_label(self.field(CHANNEL))

    def choose_channel(self, label: str) -> None:
        select = self.field(CHANNEL)
        found = find_label(select, label, prefix_ok=True)
        if found is None:
            raise NotOffered(f"в списке «{CHANNEL}» нет «{label}» (есть: {', '.join(self.channels())})")
        select.select_option(label=found)

    def recipient_options(self) -> list[str]:
        return option_labels(self.field(RECIPIENTS))

    def type_text(self, text: str) -> None:
        self.field(TEXT).fill(text)

    def text(self) -> str:
        return self.field(TEXT).input_value()

    def place_caret_after(self, fragment: str) -> None:
        """Put the caret of the message text right after the first ``fragment``."""
        at = self.text().find(fragment)
        if at < 0:
            raise LookupError(f"в тексте сообщения нет «{fragment}»")
        self.set_caret(at + len(fragment))

    def value_of(self, label: str) -> str:
        """What a field shows: the chosen option's label (as shown, marks included), the checked timing, a value."""
        if label == TIMING:
            return next((t for t in TIMINGS if self.form.get_by_role("radio", name=t, exact=True).is_checked()), "")
        if label == CHECK_STAGE:
            return self._check_state()
        field = self.field(label)
        if field.evaluate("e => e.tagName") == "SELECT":
            return str(field.evaluate("s => s.selectedOptions.length ? s.selectedOptions[0].label : ''"))
        return field.input_value()

    def set_caret(self, position: int) -> None:
        """Put the caret of the message text at ``position`` (where a parameter will be inserted)."""
        self.field(TEXT).evaluate("(t, p) => { t.focus(); t.setSelectionRange(p, p); }", position)

    def _parameter_list(self) -> Locator:
        listbox = self.form.get_by_role("listbox", name="Параметры")
        if not listbox.is_visible():
            self.form.get_by_role("button", name="выберите параметры", exact=True).click()
        expect(listbox).to_be_visible()
        return listbox

    def insert_parameter(self, label: str) -> None:
        self._parameter_list().get_by_role("option", name=label, exact=True).click()
        expect(self.form.get_by_role("listbox", name="Параметры")).to_be_hidden()

    def parameters(self) -> list[str]:
        listbox = self._parameter_list()
        labels = [o.strip() for o in listbox.get_by_role("option").all_text_contents()]
        listbox.press("Escape")
        expect(listbox).to_be_hidden()
        return labels

    @property
    def _files_group(self) -> Locator:
        return self.form.get_by_role("group", name="Добавить файлы")

    def attach(self, file: FileSpec) -> None:
        """Upload one file through "Загрузить файл"; waits until the CRM answered (a chip or an error)."""
        self.attach_together([file])

    def attach_together(self, files: Sequence[FileSpec | Path]) -> None:
        """Choose several files in one go (as in the file dialog); waits until every upload was answered.

        A Path is sent from disk (for files too big to pass through the browser protocol in memory).
        """
        paths = [f for f in files if isinstance(f, Path)]
        specs = [f for f in files if isinstance(f, FileSpec)]
        if paths and specs:
            raise ValueError("choose files from disk or from memory, not both at once")
        chosen: list[FilePayload] | list[Path] = paths or [
            FilePayload(name=f.name, mimeType=f.content_type or "application/octet-stream", buffer=f.content)
            for f in specs
        ]
        self.form.get_by_label("Загрузить файл", exact=True).set_input_files(chosen)
        expect(self._files_group).to_have_attribute("aria-busy", "false")

    def remove_file(self, name: str) -> None:
        button = self.form.get_by_role("button", name=f"Удалить файл {name}", exact=True)
        button.first.click()
        expect(button).to_have_count(0)

    @property
    def _chips(self) -> Locator:
        return self.form.get_by_role("list", name="Прикреплённые файлы").get_by_test_id("file-name")

    def files(self) -> list[str]:
        """The attached files' full names, in the chips' order (each chip's title)."""
        return [chip.get_attribute("title") or "" for chip in self._chips.all()]

    def file_chips(self) -> list[str]:
        """What the chips show ("photo_2023-0..." for a long name)."""
        return [name.strip() for name in self._chips.all_text_contents()]

    def errors(self) -> list[FieldErrorView]:
        """The refused fields of the last save (summary at the top) and refused uploads, as "Label: message"."""
        lines: list[str] = []
        summary = self.form.get_by_role("alert", name="Бизнес-процесс не сохранён")
        if summary.count():
            lines += summary.get_by_role("listitem").all_text_contents()
        uploads = self.form.get_by_role("alert", name="Ошибки загрузки файлов")
        if uploads.is_visible():
            lines += uploads.get_by_role("paragraph").all_text_contents()
        return [_split(line) for line in lines]

    def _control(self, label: str) -> Locator:
        """The control a label names: a field, the «Когда выполнить действие» radio group, the files' input."""
        if label == TIMING:
            return self.form.get_by_role("radiogroup", name=TIMING, exact=True)
        if label == FILES:
            return self.form.get_by_label("Загрузить файл", exact=True)
        return self.field(label).first

    def field_error(self, label: str) -> str | None:
        """The error shown next to a field: the visible messages its aria-describedby names, if it is invalid.

        The summary at the top of the form is not read here (see ``errors``).
        """
        control = self._control(label)
        if control.get_attribute("aria-invalid") != "true":
            return None
        ids = (control.get_attribute("aria-describedby") or "").split()
        messages = []
        for described in ids:
            found = self.form.locator(f"[id='{described}']")
            if found.count() and found.is_visible() and "field-error" in (found.get_attribute("class") or ""):
                messages.append(" ".join((found.text_content() or "").split()))
        return "; ".join(messages) or None

    def save(self) -> SaveResult:
        with self.page.expect_navigation():
            self.form.get_by_role("button", name="СОХРАНИТЬ", exact=True).click()
        saved = parse_qs(urlparse(self.page.url).query).get("saved")
        if saved and re.fullmatch(r"\d+", saved[0]):
            return SaveResult(int(saved[0]), [])
        return SaveResult(None, self.errors())

    def cancel(self) -> None:
        with self.page.expect_navigation():
            self.form.get_by_role("link", name="ОТМЕНА", exact=True).click()
        expect(self.page.get_by_role("heading", level=1, name="Бизнес-процессы", exact=True)).to_be_visible()

    # -- filling in and reading back a whole process -----------------------------------------------

    def fill(self, spec: ProcessSpec) -> list[FieldErrorView]:
        """Fill every field from ``spec``; returns the uploads the CRM refused (its messages, as shown).

        An option the page does not offer (a service that is not listed, a channel that is not active) raises
        NotOffered: a user cannot choose it, so there is no CRM answer to report.
        """
        self._choose(ACTION, spec.action)
        self.choose_timing(spec.when)
        if spec.when == TIMINGS[1]:
            self.field(DELAY).fill(spec.delay or "")
            if spec.unit:
                self._choose(UNIT, spec.unit)
            self.set_stage_check(spec.check_stage)
        self._fill_service(spec)
        self._choose(RECIPIENTS, spec.recipients)
        self.type_text(spec.text)
        for file in spec.files:
            self.attach(file)
        return [e for e in self.errors() if e.label == FILES]

    def set_stage_check(self, state: str) -> None:
        """Tick («Да») or clear («Нет») the stage check; the page then says which beside it."""
        if state not in CHECK_STATES:
            raise NotOffered(f"«{CHECK_STAGE}» — флажок: бывает только «Да» или «Нет», а не «{state}»")
        self.field(CHECK_STAGE).set_checked(state == "Да")
        expect(self.form.get_by_test_id("check-stage-state")).to_have_text(state)

    def _check_state(self) -> str:
        """The stage check as the page states it beside the checkbox: «Да» or «Нет»."""
        return (self.form.get_by_test_id("check-stage-state").text_content() or "").strip()

    def _choose(self, label: str, wanted: str) -> None:
        select = self.field(label)
        found = find_label(select, wanted)
        if found is None:
            raise NotOffered(f"в списке «{label}» нет «{wanted}» (есть: {', '.join(option_labels(select))})")
        select.select_option(label=found)

    def _fill_service(self, spec: ProcessSpec) -> None:
        if spec.service is None:
            self.field(SERVICE).select_option(value="")
            return
        self._choose(SERVICE, spec.service)
        if spec.channel is None:
            return
        select = self.field(CHANNEL)
        found = find_label(select, spec.channel, prefix_ok=True)
        if found is None:
            raise NotOffered(f"в списке «{CHANNEL}» нет «{spec.channel}» (есть: {', '.join(self.channels())})")
        select.select_option(label=found)

    def view(self) -> ProcessView:
        """Every field as the editor shows it (a saved process reopened)."""
        when = self.value_of(TIMING)
        delayed = when == TIMINGS[1]
        service = selected_label(self.field(SERVICE))
        channel = self.chosen_channel()
        return ProcessView(
            id=int(self._meta("process-id") or 0),
            funnel=self._meta("process-funnel") or "",
            stage=self._meta("process-stage") or "",
            action=selected_label(self.field(ACTION)) or "",
            when=when,
            delay=(self.field(DELAY).input_value() or None) if delayed else None,
            unit=selected_label(self.field(UNIT)) if delayed else None,
            check_stage=self._check_state(),
            service=plain(service) if service else "",
            channel=plain(channel) if channel else None,
            recipients=selected_label(self.field(RECIPIENTS)) or "",
            text=self.text(),
            files=self.files(),
            version=int(self._meta("process-version") or 0),
            service_available=not (service and is_marked(service)),
            channel_available=not (channel and is_marked(channel)),
        )

    def _meta(self, test_id: str) -> str | None:
        found = self.form.get_by_test_id(test_id)
        return (found.text_content() or "").strip() if found.count() else None
