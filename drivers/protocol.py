"""The driver protocol the Russian steps speak to, and the plain values it exchanges.

Everything here is in the user's terms: funnels, stages, services and channels by the names the
CRM shows ("Воронка 2", "В работе", "Default", "+7(937)000-00-03"), options by their Russian labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


class UiOnly(Exception):
    """The step checks what the browser shows; tag the scenario @ui."""


class AccessDenied(Exception):
    """The CRM refused the action for lack of rights (HTTP 403, or the page «Недостаточно прав»)."""


@dataclass(frozen=True)
class ContactSpec:
    name: str = ""
    primary: bool = False
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileSpec:
    name: str
    content: bytes
    content_type: str | None = None


@dataclass
class ProcessSpec:
    """The editor "Настройки бизнес-процесса" as a user fills it in (labels, values as typed)."""

    funnel: str
    stage: str
    action: str = "Отправить сообщение в WhatsApp"
    when: str = "Сразу"  # "Сразу" | "С задержкой"
    delay: str | None = None  # as typed, e.g. "3"
    unit: str | None = None  # "минуты" | "часы" | "дни"
    check_stage: str = "Нет"  # "Да" | "Нет"
    service: str | None = None  # "I2CRM" | "Wazzup" | "Default"
    channel: str | None = None  # "+7(937)000-00-03"
    recipients: str = "На все контакты и номера"
    text: str = ""
    files: list[FileSpec] = field(default_factory=list)


@dataclass(frozen=True)
class FieldErrorView:
    label: str
    message: str


@dataclass(frozen=True)
class SaveResult:
    process_id: int | None
    errors: list[FieldErrorView]

    @property
    def saved(self) -> bool:
        return self.process_id is not None and not self.errors


@dataclass(frozen=True)
class ProcessView:
    id: int
    funnel: str
    stage: str
    action: str
    when: str
    delay: str | None
    unit: str | None
    check_stage: str
    service: str
    channel: str | None
    recipients: str
    text: str
    files: list[str]
    version: int
    # False when the editor marks the saved service / channel «(недоступен)»: the service is disconnected or has
    # no active channel, the channel is inactive. ``service`` and ``channel`` stay the plain names.
    service_available: bool = True
    channel_available: bool = True


@dataclass(frozen=True)
class ContactView:
    label: str  # "Основной контакт" / "Не основной контакт"
    name: str
    phones: list[str]
    emails: list[str]


@dataclass(frozen=True)
class DealView:
    id: int
    funnel: str
    stage: str
    responsible: str | None
    client_name: str  # as the card shows it (escaped text, read back as text)
    client_region: str  # "Не выбрано" when empty
    contacts: list[ContactView]
    buttons: list[str]
    url: str  # the deal's page: the value of "Ссылка на сделку"


@dataclass(frozen=True)
class TimelineItem:
    title: str
    body: str
    author: str | None  # the full name ("Ксения Администратор"); the card shows the first name
    when: str  # "сегодня в 14:24"
    # A business-process send entry names what it is about (None on other entries):
    process_id: int | None = None
    service: str | None = None  # "Default"
    channel: str | None = None  # the sender channel, "+7(937)000-00-03"
    number: str | None = None  # the recipient, "+7(999)888-55-22" (None when no message was made)


@dataclass(frozen=True)
class DialogItem:
    to: str  # "+7(999)888-55-22"
    service: str
    text: str
    attachments: list[str]
    status: str  # "Отправлено", "Доставлено", "Прочитано", "Ошибка", ...
    reason: str | None
    channel: str | None = None  # the sender channel, "+7(937)000-00-03"


@dataclass(frozen=True)
class ReplyItem:
    """What the client wrote back, as the deal's «Диалоги» shows it."""

    sender: str  # "+7(999)888-55-22"
    service: str
    channel: str  # the CRM's channel the client wrote to
    text: str


@dataclass(frozen=True)
class ScheduledRunView:
    id: int
    stage: str
    due: str  # "сегодня в 17:23"
    due_at: dt.datetime | None


@dataclass(frozen=True)
class ChannelView:
    number: str  # "+7(937)000-00-03"
    state: str
    active: bool


@dataclass(frozen=True)
class IntegrationView:
    title: str
    connected: bool
    actions: list[str] | None  # the card's buttons as shown; None: this driver does not see the page
    channels: list[ChannelView]
    webhook_secret_masked: str | None  # as the CRM shows it: «••••••••AbCd»


@dataclass(frozen=True)
class ConnectResult:
    connected: bool
    error: str | None


@dataclass(frozen=True)
class AccessResult:
    allowed: bool
    message: str


@dataclass(frozen=True)
class OpenedLink:
    """What opening a link of a message shows: the HTTP status and, for a deal page, the deal's number."""

    status: int
    deal_id: int | None


@runtime_checkable
class FunnelButtons(Protocol):
    """Presses a button of any funnel on a deal, as an external system calling the REST API could (a page
    shows only the buttons of the deal's own funnel)."""

    def press_funnel_button(self, deal_id: int, funnel: str, label: str) -> AccessResult: ...


@runtime_checkable
class TaskCompletion(Protocol):
    """Marks a task of a deal done (through the REST API; the deal card has no control for it)."""

    def complete_task(self, deal_id: int, title: str) -> None: ...


@runtime_checkable
class LinkOpener(Protocol):
    """Opens an absolute link (e.g. the value of «Ссылка на сделку») as the signed-in user would."""

    def open_link(self, url: str) -> OpenedLink: ...


@dataclass(frozen=True)
class SettingsSnapshot:
    """Everything an administrator configures, to prove that a refused action changed nothing."""

    integrations: tuple[tuple[str, bool, tuple[tuple[str, str], ...]], ...]  # (title, connected, channels)
    processes: tuple[tuple[int, int, str, str, str, str], ...]  # (id, version, stage, service, channel, text)


@runtime_checkable
class SettingsReader(Protocol):
    def settings_snapshot(self) -> SettingsSnapshot: ...


@runtime_checkable
class ShownEverywhere(Protocol):
    """Every answer a user can read about the settings and a deal, as raw text (to look for secrets)."""

    def everything_shown(self, deal_id: int | None = None) -> list[tuple[str, str]]: ...


class Editor(Protocol):
    """The open editor "Настройки бизнес-процесса" (browser only).

    ``files`` are the attached files' full names; ``file_chips`` the names the chips show ("photo_2023-0...").
    ``errors`` is the summary at the top of a refused save (and refused uploads); ``field_error`` the message
    shown next to one field. ``hint`` is the text behind a field's «?».
    """

    def field_labels(self) -> list[str]: ...
    def hint(self, label: str) -> str | None: ...
    def value_of(self, label: str) -> str: ...
    def choose_timing(self, label: str) -> None: ...
    def is_stage_check_visible(self) -> bool: ...
    def services(self) -> list[str]: ...
    def choose_service(self, label: str) -> None: ...
    def channels(self) -> list[str]: ...
    def chosen_channel(self) -> str | None: ...
    def choose_channel(self, label: str) -> None: ...
    def recipient_options(self) -> list[str]: ...
    def type_text(self, text: str) -> None: ...
    def text(self) -> str: ...
    def place_caret_after(self, fragment: str) -> None: ...
    def insert_parameter(self, label: str) -> None: ...
    def parameters(self) -> list[str]: ...
    def attach(self, file: FileSpec) -> None: ...
    def remove_file(self, name: str) -> None: ...
    def files(self) -> list[str]: ...
    def file_chips(self) -> list[str]: ...
    def errors(self) -> list[FieldErrorView]: ...
    def field_error(self, label: str) -> str | None: ...
    def save(self) -> SaveResult: ...
    def cancel(self) -> None: ...


class CrmDriver(Protocol):
    # who is working
    def sign_in(self, login: str, password: str) -> None: ...

    # deals
    def create_deal(
        self,
        funnel: str,
        stage: str,
        *,
        client_name: str = "",
        client_region: str | None = None,
        responsible: str | None = None,
        contacts: Sequence[ContactSpec] = (),
    ) -> int: ...
    def set_contacts(self, deal_id: int, contacts: Sequence[ContactSpec]) -> None: ...
    def edit_deal(
        self,
        deal_id: int,
        *,
        responsible: str | None = None,
        client_name: str | None = None,
        client_region: str | None = None,
        fields: Mapping[str, str] | None = None,
    ) -> None: ...
    def add_task(self, deal_id: int, title: str, due_at: dt.datetime) -> None: ...
    def move_deal_to_stage(self, deal_id: int, stage: str) -> None: ...
    def change_funnel(self, deal_id: int, funnel: str, stage: str | None = None) -> None: ...
    def press_deal_button(self, deal_id: int, label: str) -> None: ...
    def delete_deal(self, deal_id: int) -> None: ...
    def deal(self, deal_id: int) -> DealView: ...
    def timeline(self, deal_id: int) -> list[TimelineItem]: ...
    def dialog(self, deal_id: int) -> list[DialogItem]: ...
    def replies(self, deal_id: int) -> list[ReplyItem]: ...
    def scheduled_runs(self, deal_id: int) -> list[ScheduledRunView]: ...
    def cancel_scheduled_run(self, deal_id: int, run_id: int) -> None: ...

    # integrations
    def integration_cards(self) -> list[IntegrationView]: ...
    def integration(self, service: str) -> IntegrationView: ...
    def connect_integration(self, service: str, api_key: str) -> ConnectResult: ...
    def disconnect_integration(self, service: str) -> None: ...
    def refresh_channels(self, service: str) -> None: ...

    # business processes
    def available_services(self) -> list[str]: ...
    def available_channels(self, service: str) -> list[str]: ...
    def save_business_process(self, spec: ProcessSpec, process_id: int | None = None) -> SaveResult: ...
    def business_process(self, process_id: int) -> ProcessView: ...
    def business_processes(self, funnel: str, stage: str) -> list[ProcessView]: ...
    def delete_business_process(self, process_id: int) -> None: ...
    def parameter_token(self, label: str) -> str: ...
    def open_editor(self, funnel: str, stage: str, process_id: int | None = None) -> Editor: ...

    # access
    def open_page(self, page: str) -> AccessResult: ...
