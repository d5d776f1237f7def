"""The driver that reaches the CRM through its REST API (the default for every scenario)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import cached_property

from drivers import names, process_mapping
from drivers.protocol import (
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
    ProcessSpec,
    ProcessView,
    SaveResult,
    ScheduledRunView,
    TimelineItem,
    UiOnly,
)
from emulator import phones
from emulator.api.deal_schemas import ContactIn, DealCreate, DealUpdate, FunnelOut, PhoneIn, TaskIn
from emulator.client import ApiError, CrmClient

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
            channel = phones.display(message.channel_phone)
            items.append(
                TimelineItem(
                    e.title,
                    e.body,
                    e.author,
                    e.when,
                    message.process_id,
                    message.provider_label,
                    channel,
                    message.to_display,
                )
            )
        return items

    def dialog(self, deal_id: int) -> list[DialogItem]:
        return [
            DialogItem(
                to=m.to_display,
                service=m.provider_label,
                text=m.text,
                attachments=[a.filename for a in m.attachments],
                status=m.status_label,
                reason=m.status_reason,
                channel=phones.display(m.channel_phone),
            )
            for m in self.client.dialogs(deal_id)
        ]

    def scheduled_runs(self, deal_id: int) -> list[ScheduledRunView]:
        return [ScheduledRunView(r.id, r.stage.name, r.due_relative, r.due_at) for r in self.client.runs(deal_id)]

    def cancel_scheduled_run(self, deal_id: int, run_id: int) -> None:
        self.client.cancel_run(run_id)

    # -- integrations --------------------------------------------------------------------------

    def _integration_view(self, provider: str) -> IntegrationView:
        item = self.client.integration(provider)
        return IntegrationView(
            title=item.title,
            connected=item.connected,
            actions=["НАСТРОИТЬ", "ОТКЛЮЧИТЬ"] if item.connected else ["ПОДКЛЮЧИТЬ"],
            channels=[ChannelView(phones.display(c.phone), c.state, c.active) for c in item.channels],
            webhook_secret=item.webhook_secret,
        )

    def integration_cards(self) -> list[IntegrationView]:
        return [self._integration_view(i.provider) for i in self.client.integrations()]

    def integration(self, service: str) -> IntegrationView:
        return self._integration_view(names.provider_key(service))

    def connect_integration(self, service: str, api_key: str) -> ConnectResult:
        try:
            self.client.connect(names.provider_key(service), api_key)
        except ApiError as exc:
            if exc.status != 422:
                raise
            return ConnectResult(False, "; ".join(e.message for e in _errors(exc)))
        return ConnectResult(True, None)

    def disconnect_integration(self, service: str) -> None:
        self.client.disconnect(names.provider_key(service))

    def refresh_channels(self, service: str) -> None:
        self.client.sync_channels(names.provider_key(service))

    def renew_webhook_signing_key(self, service: str) -> None:
        self.client.rotate_webhook_secret(names.provider_key(service))

    # -- business processes --------------------------------------------------------------------

    def available_services(self) -> list[str]:
        return [s.label for s in self.client.editor_options().services]

    def available_channels(self, service: str) -> list[str]:
        key = names.provider_key(service)
        for item in self.client.editor_options().services:
            if item.provider == key:
                return [c.display for c in item.channels]
        return []

    def _channel_id(self, service: str | None, channel: str | None) -> int | str | None:
        if not channel or not service:
            return channel
        try:
            integration = self.client.integration(names.provider_key(service))
        except (KeyError, ApiError):
            return channel
        for item in integration.channels:
            if channel in (item.display, phones.display(item.phone)):
                return item.id
        return channel

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
            file_ids = [f.id for f in self.client.process(process_id).files] + file_ids
        body = process_mapping.process_in(
            spec, self._stage_id(spec.funnel, spec.stage), self._channel_id(spec.service, spec.channel), file_ids
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
