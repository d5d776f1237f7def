"""The driver that reaches the CRM through its REST API (the default for every scenario)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property, wraps
from typing import ParamSpec, TypeVar

from drivers import names, process_mapping
from drivers.protocol import (
    AccessDenied,
    AccessResult,
    ChannelView,
    ConnectResult,
    ContactSpec,
    ContactView,
    DealView,
    DialogItem,
    Editor,
    FieldErrorView,
    IntegrationView,
    OpenedLink,
    ProcessSpec,
    ProcessView,
    ReplyItem,
    SaveResult,
    ScheduledRunView,
    SettingsSnapshot,
    TimelineItem,
    UiOnly,
)
from emulator.api.deal_schemas import ContactIn, DealCreate, DealUpdate, FunnelOut, PhoneIn, TaskIn
from emulator.api.integration_schemas import IntegrationOut
from emulator.api.process_schemas import ChannelRef, EditorOptions
from emulator.client import ApiError, CrmClient

P = ParamSpec("P")
R = TypeVar("R")
_DEAL_HEADING = re.compile(r"<h1[^>]*>\s*(\d+)\s*</h1>")  # the deal card's heading: its number

_PAGES = {
    "настройки": "/api/integrations",
    "интеграции": "/api/integrations",
    "бизнес-процессы": "/api/business-processes",
    "редактор бизнес-процесса": "/api/business-processes/editor-options",
}


def _errors(exc: ApiError) -> list[FieldErrorView]:
    if exc.errors:
        return [FieldErrorView(e.get("label", e.get("field", "")), e.get("message", "")) for e in exc.errors]
    return [FieldErrorView("", exc.detail)]


def _refusals(method: Callable[P, R]) -> Callable[P, R]:
    """An answer 403 becomes :class:`AccessDenied` with the CRM's own words."""

    @wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except ApiError as exc:
            if exc.status == 403:
                raise AccessDenied(exc.detail) from exc
            raise

    return wrapper


def _number(label: str) -> str:
    """ "+7(937)000-00-03 (Продажи)" -> "+7(937)000-00-03": the channel as the CRM lists it, without its name."""
    return label.split(" (", 1)[0].strip()


def _channel_named(channels: Sequence[ChannelRef], channel: str) -> int | None:
    """The id of the channel listed as ``channel`` (its display, or its number alone), or None."""
    return next((c.id for c in channels if channel in (c.display, _number(c.display))), None)


def _contact_in(spec: ContactSpec) -> ContactIn:
    return ContactIn(
        name=spec.name,
        is_primary=spec.primary,
        phones=[PhoneIn(value=p) for p in spec.phones],
        emails=list(spec.emails),
    )


class ApiDriver:
    def __init__(self, client: CrmClient) -> None:
        self.client = client
        self._seen_options: EditorOptions | None = None

    # -- names -> ids --------------------------------------------------------------------------

    @cached_property
    def _funnels(self) -> list[FunnelOut]:
        return self.client.funnels()

    def _funnel(self, name: str) -> FunnelOut:
        for funnel in self._funnels:
            if funnel.name == name:
                return funnel
        raise KeyError(f"нет воронки «{name}»")

    def _stage_id(self, funnel: str, stage: str) -> int:
        for item in self._funnel(funnel).stages:
            if item.name == stage:
                return item.id
        raise KeyError(f"в воронке «{funnel}» нет этапа «{stage}»")

    def _user_id(self, name: str | None) -> int | None:
        if name is None:
            return None
        for user in self.client.users():
            if user.name == name:
                return user.id
        raise KeyError(f"нет пользователя «{name}»")

    # -- who is working ------------------------------------------------------------------------

    def sign_in(self, login: str, password: str) -> None:
        self.client = self.client.with_token(self.client.with_token(None).token_for(login, password))

    # -- deals ---------------------------------------------------------------------------------

    def create_deal(
        self,
        funnel: str,
        stage: str,
        *,
        client_name: str = "",
        client_region: str | None = None,
        responsible: str | None = None,
        contacts: Sequence[ContactSpec] = (),
    ) -> int:
        body = DealCreate(
            funnel_id=self._funnel(funnel).id,
            stage_id=self._stage_id(funnel, stage),
            client_name=client_name,
            client_region=client_region,
            responsible_id=self._user_id(responsible),
            contacts=[_contact_in(c) for c in contacts],
        )
        return self.client.create_deal(body).id

    def set_contacts(self, deal_id: int, contacts: Sequence[ContactSpec]) -> None:
        self.client.replace_contacts(deal_id, [_contact_in(c) for c in contacts])

    def edit_deal(
        self,
        deal_id: int,
        *,
        responsible: str | None = None,
        client_name: str | None = None,
        client_region: str | None = None,
        fields: Mapping[str, str] | None = None,
    ) -> None:
        custom = None
        if fields:
            ids = {f.name: f.id for f in self.client.custom_fields()}
            custom = {ids[name]: value for name, value in fields.items()}
        body = DealUpdate(
            responsible_id=self._user_id(responsible),
            client_name=client_name,
            client_region=client_region,
            custom_fields=custom,
        )
        self.client.update_deal(deal_id, body)

    def add_task(self, deal_id: int, title: str, due_at: dt.datetime) -> None:
        self.client.add_task(deal_id, TaskIn(title=title, due_at=due_at))

    @_refusals
    def complete_task(self, deal_id: int, title: str) -> None:
        found = [t for t in self.client.deal(deal_id).tasks if t.title == title]
        if len(found) != 1:
            raise KeyError(f"у сделки {deal_id} задач «{title}»: {len(found)}")
        self.client.set_task_done(deal_id, found[0].id)

    def move_deal_to_stage(self, deal_id: int, stage: str) -> None:
        deal = self.client.deal(deal_id)
        self.client.change_stage(deal_id, self._stage_id(deal.funnel.name, stage))

    def change_funnel(self, deal_id: int, funnel: str, stage: str | None = None) -> None:
        stage_id = self._stage_id(funnel, stage) if stage else None
        self.client.change_funnel(deal_id, self._funnel(funnel).id, stage_id)

    def press_deal_button(self, deal_id: int, label: str) -> None:
        deal = self.client.deal(deal_id)
        button = next((b for b in deal.buttons if b.label == label), None)
        if button is None:
            raise KeyError(f"на сделке {deal_id} нет кнопки «{label}»")
        self.client.press_button(deal_id, button.id)

    def press_funnel_button(self, deal_id: int, funnel: str, label: str) -> AccessResult:
        """A button of ``funnel`` (any funnel) pressed on the deal; the CRM's refusal when it has one."""
        button = next((b for b in self._funnel(funnel).buttons if b.label == label), None)
        if button is None:
            raise KeyError(f"в воронке «{funnel}» нет кнопки «{label}»")
        try:
            self.client.press_button(deal_id, button.id)
        except ApiError as exc:
            if exc.status not in (403, 404, 422):
                raise
            return AccessResult(False, exc.detail)
        return AccessResult(True, "")

    def delete_deal(self, deal_id: int) -> None:
        self.client.delete_deal(deal_id)

    def deal(self, deal_id: int) -> DealView:
        deal = self.client.deal(deal_id)
        return DealView(
            id=deal.id,
            funnel=deal.funnel.name,
            stage=deal.stage.name,
            responsible=deal.responsible.name if deal.responsible else None,
            client_name=deal.client_name,
            client_region=deal.client_region_label,
            contacts=[
                ContactView(label=c.label, name=c.name, phones=[p.value for p in c.phones], emails=list(c.emails))
                for c in deal.contacts
            ],
            buttons=[b.label for b in deal.buttons],
            url=deal.url,
        )

    def timeline(self, deal_id: int) -> list[TimelineItem]:
        messages = {m.id: m for m in self.client.dialogs(deal_id)}
        items = []
        for e in self.client.timeline(deal_id):
            message = messages.get(e.message_id) if e.message_id is not None else None
            if message is None:
                items.append(TimelineItem(e.title, e.body, e.author, e.when))
                continue
            items.append(
                TimelineItem(
                    e.title,
                    e.body,
                    e.author,
                    e.when,
                    message.process_id,
                    message.provider_label,
                    message.channel_display,
                    message.to_display,
                )
            )
        return items

    def replies(self, deal_id: int) -> list[ReplyItem]:
        return [
            ReplyItem(sender=r.from_display, service=r.provider_label, channel=r.channel_display, text=r.text)
            for r in self.client.replies(deal_id)
        ]

    def dialog(self, deal_id: int) -> list[DialogItem]:
        return [
            DialogItem(
                to=m.to_display,
                service=m.provider_label,
                text=m.text,
                attachments=[a.filename for a in m.attachments],
                status=m.status_label,
                reason=m.status_reason,
                channel=m.channel_display,
            )
            for m in self.client.dialogs(deal_id)
        ]

    def scheduled_runs(self, deal_id: int) -> list[ScheduledRunView]:
        return [ScheduledRunView(r.id, r.stage.name, r.due_relative, r.due_at) for r in self.client.runs(deal_id)]

    @_refusals
    def cancel_scheduled_run(self, deal_id: int, run_id: int) -> None:
        self.client.cancel_run(run_id)

    # -- integrations --------------------------------------------------------------------------

    @staticmethod
    def _integration_view(item: IntegrationOut) -> IntegrationView:
        """What the REST API reports; the cards' buttons are the page's, which this driver does not see."""
        return IntegrationView(
            title=item.title,
            connected=item.connected,
            actions=None,
            channels=[ChannelView(_number(c.display), c.state, c.active) for c in item.channels],
            webhook_secret_masked=item.webhook_secret_masked,
        )

    def _readable(self, read: Callable[[], R]) -> R | None:
        """What the CRM lets this user read; None when it refuses (a manager still attempts the write itself)."""
        try:
            return read()
        except ApiError as exc:
            if exc.status != 403:
                raise
            return None

    def _options(self) -> EditorOptions | None:
        """The editor's options as the CRM reports them; the last ones seen when this user may not read them."""
        options = self._readable(self.client.editor_options)
        if options is not None:
            self._seen_options = options
        return options

    def _option_lists(self, options: EditorOptions | None) -> EditorOptions:
        """The options read when the editor was opened, or the last ones seen when this user may not read them."""
        options = options or self._seen_options
        if options is None:
            raise AccessDenied("параметры редактора недоступны этому пользователю, и раньше их никто не читал")
        return options

    def _provider(self, service: str) -> str:
        """The provider key of a service or card, as the CRM itself names them (editor label or card title)."""
        wanted = service.strip().lower()
        for item in self._readable(self.client.integrations) or []:
            if wanted in (item.title.lower(), item.provider):
                return item.provider
        return names.provider_key(service)

    @_refusals
    def integration_cards(self) -> list[IntegrationView]:
        return [self._integration_view(i) for i in self.client.integrations()]

    @_refusals
    def integration(self, service: str) -> IntegrationView:
        return self._integration_view(self.client.integration(self._provider(service)))

    @_refusals
    def connect_integration(self, service: str, api_key: str) -> ConnectResult:
        try:
            self.client.connect(self._provider(service), api_key)
        except ApiError as exc:
            if exc.status != 422:
                raise
            return ConnectResult(False, "; ".join(e.message for e in _errors(exc)))
        return ConnectResult(True, None)

    @_refusals
    def disconnect_integration(self, service: str) -> None:
        self.client.disconnect(self._provider(service))

    @_refusals
    def refresh_channels(self, service: str) -> None:
        self.client.sync_channels(self._provider(service))

    def renew_webhook_signing_key(self, service: str) -> None:
        self.client.rotate_webhook_secret(names.provider_key(service))

    # -- business processes --------------------------------------------------------------------

    @_refusals
    def available_services(self) -> list[str]:
        return [s.label for s in self.client.editor_options().services]

    @_refusals
    def available_channels(self, service: str) -> list[str]:
        for item in self.client.editor_options().services:
            if item.label.lower() == service.strip().lower():
                return [c.display for c in item.channels]
        return []

    def _service_key(self, service: str | None, options: EditorOptions | None) -> str | None:
        """The API value of the chosen service; a name the CRM does not know goes as typed, for it to refuse."""
        if service is None:
            return None
        for item in options.services if options else []:
            if item.label == service:
                return item.provider
        for integration in self._readable(self.client.integrations) or []:  # a messaging service not available now
            if integration.messaging and service.strip().lower() in (integration.title.lower(), integration.provider):
                return integration.provider
        return service

    def _channel_id(self, provider: str | None, channel: str | None) -> int | str | None:
        """The id of the chosen channel among the integration's channels (also inactive ones, to be refused);
        else the id of another service's channel with that number (a REST client may send any id: to be
        refused too); else the text as typed."""
        if not channel or not provider:
            return channel
        try:
            integration = self.client.integration(provider)
        except ApiError as exc:
            if exc.status == 403:  # a manager's attempt: the CRM must refuse the write itself
                return channel
            return channel
        found = _channel_named(integration.channels, channel)
        if found is None:
            others = [i for i in self._readable(self.client.integrations) or [] if i.provider != provider]
            found = _channel_named([c for other in others for c in other.channels], channel)
        return found if found is not None else channel

    @_refusals
    def save_business_process(self, spec: ProcessSpec, process_id: int | None = None) -> SaveResult:
        file_ids = []
        for item in spec.files:
            try:
                file_ids.append(self.client.upload_file(item.name, item.content, item.content_type).id)
            except ApiError as exc:
                if exc.status != 422:
                    raise
                return SaveResult(None, _errors(exc))
        if process_id is not None:  # an edit keeps what is attached and adds the new files
            saved_process = self._readable(lambda: self.client.process(process_id))
            file_ids = [f.id for f in saved_process.files] + file_ids if saved_process else file_ids
        options = self._options()  # read once, as the editor reads them when it opens
        provider = self._service_key(spec.service, options)
        body = process_mapping.process_in(
            spec,
            self._option_lists(options),
            self._stage_id(spec.funnel, spec.stage),
            provider,
            self._channel_id(provider, spec.channel),
            file_ids,
        )
        try:
            saved = (
                self.client.update_process(process_id, body)
                if process_id is not None
                else self.client.create_process(body)
            )
        except ApiError as exc:
            if exc.status != 422:
                raise
            return SaveResult(None, _errors(exc))
        return SaveResult(saved.id, [])

    def _available_providers(self) -> set[str]:
        return {s.provider for s in self.client.editor_options().services}

    def business_process(self, process_id: int) -> ProcessView:
        return process_mapping.view(self.client.process(process_id), self._available_providers())

    def business_processes(self, funnel: str, stage: str) -> list[ProcessView]:
        available = self._available_providers()
        return [process_mapping.view(p, available) for p in self.client.processes(self._stage_id(funnel, stage))]

    @_refusals
    def delete_business_process(self, process_id: int) -> None:
        self.client.delete_process(process_id)

    def parameter_token(self, label: str) -> str:
        for parameter in self.client.editor_options().parameters:
            if parameter.label == label:
                return parameter.token
        raise KeyError(f"нет параметра «{label}»")

    def open_editor(self, funnel: str, stage: str, process_id: int | None = None) -> Editor:
        raise UiOnly("редактор бизнес-процесса проверяется только в браузере: отметьте сценарий тегом @ui")

    # -- access --------------------------------------------------------------------------------

    def open_page(self, page: str) -> AccessResult:
        name = page.strip().lower()
        try:
            if name.startswith("сделка"):
                self.client.deal(int(name.split()[-1]))
            else:
                self.client.get(_PAGES[name])
        except ApiError as exc:
            if exc.status in (401, 403, 404):
                return AccessResult(False, exc.detail)
            raise
        return AccessResult(True, "")

    # -- beyond the common protocol: links, and what an administrator has configured --------------

    def open_link(self, url: str) -> OpenedLink:
        """GET the absolute ``url`` as this user (bearer token); a deal page gives its deal's number."""
        answer = self.client.session.get(
            url, headers={"Authorization": f"Bearer {self.client.token}"}, timeout=self.client.timeout
        )
        found = _DEAL_HEADING.search(answer.text) if answer.ok else None
        return OpenedLink(answer.status_code, int(found.group(1)) if found else None)

    def settings_snapshot(self) -> SettingsSnapshot:
        integrations = tuple(
            (i.title, i.connected, tuple((c.display, c.state) for c in i.channels)) for i in self.client.integrations()
        )
        processes = tuple(
            sorted(
                (p.id, p.version, p.stage_name, p.provider, p.channel.display if p.channel else "", p.text)
                for p in self.client.processes()
            )
        )
        return SettingsSnapshot(integrations, processes)

    def everything_shown(self, deal_id: int | None = None) -> list[tuple[str, str]]:
        """(where, raw text) of every answer this user can read about the settings (and the deal): REST and pages."""
        paths = ["/api/integrations", "/api/business-processes", "/api/business-processes/editor-options"]
        paths += [f"/api/integrations/{i.provider}" for i in self._readable(self.client.integrations) or []]
        pages = ["/settings/integrations/messengers", "/settings/business-processes"]
        pages += [f"/settings/integrations/{provider}" for provider in sorted(names.MESSAGING)]
        pages += [f"/settings/business-processes/{p.id}/edit" for p in self._readable(self.client.processes) or []]
        if deal_id is not None:
            paths += [f"/api/deals/{deal_id}{tail}" for tail in ("", "/timeline", "/dialogs", "/runs")]
            pages.append(f"/deals/{deal_id}")
        headers = {"Authorization": f"Bearer {self.client.token}"}
        shown = []
        for path in paths + pages:
            answer = self.client.session.get(self.client.base_url + path, headers=headers, timeout=self.client.timeout)
            shown.append((f"{path} → {answer.status_code}", answer.text))
        return shown
