"""The CRM driver that works through the browser, screen by screen (same methods as drivers.api_driver.ApiDriver).

Arrangement-only methods (create_deal, set_contacts, edit_deal, add_task, delete_deal, parameter_token)
go to the API driver given to the constructor: scenarios only use them to set data up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from playwright.sync_api import Page

from drivers import names
from drivers.protocol import (
    AccessResult,
    ConnectResult,
    ContactSpec,
    CrmDriver,
    DealView,
    DialogItem,
    IntegrationView,
    ProcessSpec,
    ProcessView,
    ReplyItem,
    SaveResult,
    ScheduledRunView,
    TimelineItem,
)
from pages.connect_form_page import ConnectFormPage
from pages.deal_page import DealPage
from pages.integration_settings_page import IntegrationSettingsPage
from pages.integrations_page import CONFIGURE, CONNECT, DISCONNECT, IntegrationsPage
from pages.login_page import LoginPage
from pages.process_editor_page import ProcessEditorPage
from pages.processes_page import ProcessesPage

# Pages a scenario names in Russian -> their address.
PAGES = {
    "настройки": "/settings",
    "интеграции": "/settings/integrations/messengers",
    "бизнес-процессы": "/settings/business-processes",
    "настройки бизнес-процесса": "/settings/business-processes/new",
    "редактор бизнес-процесса": "/settings/business-processes/new",
    "сделки": "/deals",
}


class UiDriver:
    def __init__(self, page: Page, base_url: str, api: CrmDriver) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.api = api

    # -- who is working ------------------------------------------------------------------------

    def sign_in(self, login: str, password: str) -> None:
        LoginPage(self.page, self.base_url).sign_in_or_refuse(login, password)

    # -- deals: arrangement through the API ----------------------------------------------------

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
        return self.api.create_deal(
            funnel,
            stage,
            client_name=client_name,
            client_region=client_region,
            responsible=responsible,
            contacts=contacts,
        )

    def set_contacts(self, deal_id: int, contacts: Sequence[ContactSpec]) -> None:
        self.api.set_contacts(deal_id, contacts)

    def edit_deal(
        self,
        deal_id: int,
        *,
        responsible: str | None = None,
        client_name: str | None = None,
        client_region: str | None = None,
        fields: Mapping[str, str] | None = None,
    ) -> None:
        self.api.edit_deal(
            deal_id, responsible=responsible, client_name=client_name, client_region=client_region, fields=fields
        )

    def add_task(self, deal_id: int, title: str, due_at: dt.datetime) -> None:
        self.api.add_task(deal_id, title, due_at)

    def delete_deal(self, deal_id: int) -> None:
        self.api.delete_deal(deal_id)

    # -- deals: the deal card ------------------------------------------------------------------

    def _deal_page(self, deal_id: int) -> DealPage:
        return DealPage(self.page, self.base_url).open(deal_id)

    def move_deal_to_stage(self, deal_id: int, stage: str) -> None:
        self._deal_page(deal_id).move_to_stage(stage)

    def change_funnel(self, deal_id: int, funnel: str, stage: str | None = None) -> None:
        self._deal_page(deal_id).change_funnel(funnel, stage)

    def press_deal_button(self, deal_id: int, label: str) -> None:
        self._deal_page(deal_id).press_button(label)

    def deal(self, deal_id: int) -> DealView:
        return self._deal_page(deal_id).view()

    def timeline(self, deal_id: int) -> list[TimelineItem]:
        return self._deal_page(deal_id).timeline()

    def dialog(self, deal_id: int) -> list[DialogItem]:
        return self._deal_page(deal_id).dialog()

    def replies(self, deal_id: int) -> list[ReplyItem]:
        return self._deal_page(deal_id).replies()

    def scheduled_runs(self, deal_id: int) -> list[ScheduledRunView]:
        return self._deal_page(deal_id).scheduled_runs()

    def cancel_scheduled_run(self, deal_id: int, run_id: int) -> None:
        self._deal_page(deal_id).cancel_run(run_id)

    # -- integrations --------------------------------------------------------------------------

    def _integration_view(self, cards: IntegrationsPage, title: str) -> IntegrationView:
        actions = cards.actions(title)
        view_title = cards.title_of(title)
        provider = names.provider_key(view_title)
        if provider not in names.MESSAGING:
            return IntegrationView(view_title, DISCONNECT in actions, actions, [], None)
        settings = IntegrationSettingsPage(self.page, self.base_url).open(provider)
        channels, secret = settings.channels(), settings.webhook_secret()
        view = IntegrationView(view_title, DISCONNECT in actions, actions, channels, secret)
        cards.open()
        return view

    def integration_cards(self) -> list[IntegrationView]:
        cards = IntegrationsPage(self.page, self.base_url).open()
        return [self._integration_view(cards, title) for title in cards.titles()]

    def integration(self, service: str) -> IntegrationView:
        return self._integration_view(IntegrationsPage(self.page, self.base_url).open(), service)

    def connect_integration(self, service: str, api_key: str) -> ConnectResult:
        cards = IntegrationsPage(self.page, self.base_url).open()
        if CONNECT in cards.actions(service):
            cards.press(service, CONNECT)
            error = ConnectFormPage(self.page).submit(api_key)
        else:
            cards.press(service, CONFIGURE)
            error = IntegrationSettingsPage(self.page, self.base_url).change_api_key(api_key)
        return ConnectResult(error is None, error)

    def disconnect_integration(self, service: str) -> None:
        cards = IntegrationsPage(self.page, self.base_url).open()
        if DISCONNECT in cards.actions(service):
            cards.press(service, DISCONNECT)

    def refresh_channels(self, service: str) -> None:
        IntegrationSettingsPage(self.page, self.base_url).open(names.provider_key(service)).refresh_channels()

    # -- business processes --------------------------------------------------------------------

    def _new_editor(self) -> ProcessEditorPage:
        self.page.goto(f"{self.base_url}/settings/business-processes/new")
        return ProcessEditorPage(self.page)

    def available_services(self) -> list[str]:
        return self._new_editor().services()

    def available_channels(self, service: str) -> list[str]:
        editor = self._new_editor()
        try:
            editor.choose_service(service)
        except LookupError:
            return []
        return editor.channels()

    def open_editor(self, funnel: str, stage: str, process_id: int | None = None) -> ProcessEditorPage:
        if process_id is not None:
            self.page.goto(f"{self.base_url}/settings/business-processes/{process_id}/edit")
            return ProcessEditorPage(self.page)
        return ProcessesPage(self.page, self.base_url).open(funnel).add(stage)

    def save_business_process(self, spec: ProcessSpec, process_id: int | None = None) -> SaveResult:
        editor = self.open_editor(spec.funnel, spec.stage, process_id)
        refused = editor.fill(spec)
        if refused:
            return SaveResult(None, refused)
        return editor.save()

    def business_process(self, process_id: int) -> ProcessView:
        self.page.goto(f"{self.base_url}/settings/business-processes/{process_id}/edit")
        return ProcessEditorPage(self.page).view()

    def business_processes(self, funnel: str, stage: str) -> list[ProcessView]:
        return ProcessesPage(self.page, self.base_url).open(funnel).processes(stage)

    def delete_business_process(self, process_id: int) -> None:
        self.page.goto(f"{self.base_url}/settings/business-processes/{process_id}/edit")
        ProcessEditorPage(self.page).cancel()
        ProcessesPage(self.page, self.base_url).delete(process_id)

    def parameter_token(self, label: str) -> str:
        return self.api.parameter_token(label)

    # -- access --------------------------------------------------------------------------------

    def open_page(self, page: str) -> AccessResult:
        name = page.strip().lower()
        if name.startswith("сделка "):
            path = f"/deals/{int(name.split()[-1])}"
        elif name in PAGES:
            path = PAGES[name]
        else:
            raise KeyError(f"неизвестная страница «{page}» (есть: {', '.join(PAGES)}, «Сделка N»)")
        response = self.page.goto(f"{self.base_url}{path}")
        if self.page.url.split("?")[0].endswith("/login"):
            return AccessResult(False, "Требуется вход")
        if response is not None and response.status >= 400:
            message = self.page.get_by_test_id("error-message")
            return AccessResult(False, (message.text_content() or "").strip() if message.count() else "")
        return AccessResult(True, "")
