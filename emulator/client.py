"""Typed Python client of the emulator's REST API (and of its control API)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Protocol, TypeVar
from urllib.parse import urlsplit

import requests
from pydantic import BaseModel, TypeAdapter

from emulator.api.deal_schemas import (
    ChangeResult,
    ContactIn,
    ContactOut,
    CustomFieldOut,
    DealCreate,
    DealOut,
    DealUpdate,
    DialogMessageOut,
    FunnelOut,
    ReplyOut,
    RunOut,
    TaskIn,
    TaskOut,
    TimelineEntryOut,
    UserOut,
)
from emulator.api.integration_schemas import ConnectIn, IntegrationOut
from emulator.api.process_schemas import EditorOptions, FileOut, ProcessIn, ProcessOut

T = TypeVar("T")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class Exchange:
    """One request to the emulator and its answer, kept for reports."""

    method: str
    url: str
    request_json: Any
    status: int
    response_text: str


class ApiError(Exception):
    """A non-2xx answer; ``errors`` lists refused fields (``field``, ``label``, ``message``)."""

    def __init__(self, status: int, detail: str, errors: list[dict[str, str]]) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status
        self.detail = detail
        self.errors = errors


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(kind: type[T]) -> TypeAdapter[T]:
    """One validator per answer type: building a TypeAdapter costs more than validating with it."""
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter


class Answer(Protocol):
    """What the client reads of an HTTP answer (``requests.Response`` has it)."""

    @property
    def status_code(self) -> int: ...

    @property
    def content(self) -> bytes: ...

    @property
    def text(self) -> str: ...

    def json(self) -> Any: ...


class Transport(Protocol):
    """Another way to the same CRM than ``requests`` over the network (the suite's in-process CRM:
    harness/asgi_transport.py). Takes what ``requests.Session.request`` takes of the client's calls."""

    def exchange(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        files: Any = None,
        params: Any = None,
        headers: Mapping[str, str],
        timeout: float | None,
    ) -> Answer: ...


@dataclass
class CrmClient:
    base_url: str
    token: str | None = None
    timeout: float = 30.0
    on_exchange: Callable[[Exchange], None] | None = None
    session: requests.Session = field(default_factory=requests.Session)
    control_token: str | None = None  # the control API's own token (CRM_CONTROL_TOKEN), when it has one
    transport: Transport | None = None  # when set, used instead of ``session``

    def __post_init__(self) -> None:
        # requests reads the proxy variables of the environment on every request (about a millisecond,
        # a fifth of a local call); a CRM on this machine is never reached through a proxy.
        if urlsplit(self.base_url).hostname in LOOPBACK_HOSTS:
            self.session.trust_env = False

    def with_token(self, token: str | None) -> CrmClient:
        return CrmClient(
            self.base_url, token, self.timeout, self.on_exchange, self.session, self.control_token, self.transport
        )

    # -- transport -----------------------------------------------------------------------------

    def _call(
        self, method: str, path: str, *, json: Any = None, files: Any = None, params: Any = None, control: bool = False
    ) -> Any:
        token = self.control_token if control else self.token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        url = f"{self.base_url}{path}"
        response: Answer
        if self.transport is not None:
            response = self.transport.exchange(
                method, url, json=json, files=files, params=params, headers=headers, timeout=self.timeout
            )
        else:
            response = self.session.request(
                method, url, json=json, files=files, params=params, headers=headers, timeout=self.timeout
            )
        if self.on_exchange is not None:
            self.on_exchange(Exchange(method, url, json, response.status_code, response.text[:20_000]))
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {"detail": response.text}
            detail = body.get("detail") if isinstance(body, dict) else str(body)
            raise ApiError(
                response.status_code, str(detail), list(body.get("errors", [])) if isinstance(body, dict) else []
            )
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    @staticmethod
    def _as(kind: type[T], data: Any) -> T:
        return _adapter(kind).validate_python(data)

    @staticmethod
    def _dump(model: BaseModel) -> Any:
        return model.model_dump(mode="json")

    # -- users, funnels, deals -----------------------------------------------------------------

    def get(self, path: str) -> Any:
        """A GET of any API path (e.g. to check access to a page's data)."""
        return self._call("GET", path)

    def token_for(self, login: str, password: str) -> str:
        return str(self._call("POST", "/api/auth/token", json={"login": login, "password": password})["token"])

    def me(self) -> UserOut:
        return self._as(UserOut, self._call("GET", "/api/me"))

    def users(self) -> list[UserOut]:
        return self._as(list[UserOut], self._call("GET", "/api/users"))

    def funnels(self) -> list[FunnelOut]:
        return self._as(list[FunnelOut], self._call("GET", "/api/funnels"))

    def deals(self) -> list[DealOut]:
        return self._as(list[DealOut], self._call("GET", "/api/deals"))

    def create_deal(self, body: DealCreate) -> DealOut:
        return self._as(DealOut, self._call("POST", "/api/deals", json=self._dump(body)))

    def deal(self, deal_id: int) -> DealOut:
        return self._as(DealOut, self._call("GET", f"/api/deals/{deal_id}"))

    def update_deal(self, deal_id: int, body: DealUpdate) -> DealOut:
        payload = body.model_dump(mode="json", exclude_none=True)
        return self._as(DealOut, self._call("PATCH", f"/api/deals/{deal_id}", json=payload))

    def delete_deal(self, deal_id: int) -> None:
        self._call("DELETE", f"/api/deals/{deal_id}")

    def change_stage(self, deal_id: int, stage_id: int) -> ChangeResult:
        return self._as(ChangeResult, self._call("POST", f"/api/deals/{deal_id}/stage", json={"stage_id": stage_id}))

    def change_funnel(self, deal_id: int, funnel_id: int, stage_id: int | None = None) -> ChangeResult:
        body = {"funnel_id": funnel_id, "stage_id": stage_id}
        return self._as(ChangeResult, self._call("POST", f"/api/deals/{deal_id}/funnel", json=body))

    def press_button(self, deal_id: int, button_id: int) -> ChangeResult:
        return self._as(ChangeResult, self._call("POST", f"/api/deals/{deal_id}/buttons/{button_id}/press"))

    def replace_contacts(self, deal_id: int, contacts: list[ContactIn]) -> list[ContactOut]:
        payload = [self._dump(c) for c in contacts]
        return self._as(list[ContactOut], self._call("PUT", f"/api/deals/{deal_id}/contacts", json=payload))

    def add_task(self, deal_id: int, body: TaskIn) -> TaskOut:
        return self._as(TaskOut, self._call("POST", f"/api/deals/{deal_id}/tasks", json=self._dump(body)))

    def set_task_done(self, deal_id: int, task_id: int, done: bool = True) -> TaskOut:
        path = f"/api/deals/{deal_id}/tasks/{task_id}"
        return self._as(TaskOut, self._call("PATCH", path, json={"done": done}))

    def timeline(self, deal_id: int) -> list[TimelineEntryOut]:
        return self._as(list[TimelineEntryOut], self._call("GET", f"/api/deals/{deal_id}/timeline"))

    def replies(self, deal_id: int) -> list[ReplyOut]:
        return self._as(list[ReplyOut], self._call("GET", f"/api/deals/{deal_id}/replies"))

    def dialogs(self, deal_id: int) -> list[DialogMessageOut]:
        return self._as(list[DialogMessageOut], self._call("GET", f"/api/deals/{deal_id}/dialogs"))

    def runs(self, deal_id: int) -> list[RunOut]:
        return self._as(list[RunOut], self._call("GET", f"/api/deals/{deal_id}/runs"))

    def cancel_run(self, run_id: int) -> RunOut:
        return self._as(RunOut, self._call("POST", f"/api/runs/{run_id}/cancel"))

    def custom_fields(self) -> list[CustomFieldOut]:
        return self._as(list[CustomFieldOut], self._call("GET", "/api/custom-fields"))

    def create_custom_field(self, name: str) -> CustomFieldOut:
        return self._as(CustomFieldOut, self._call("POST", "/api/custom-fields", json={"name": name}))

    # -- integrations --------------------------------------------------------------------------

    def integrations(self) -> list[IntegrationOut]:
        return self._as(list[IntegrationOut], self._call("GET", "/api/integrations"))

    def integration(self, provider: str) -> IntegrationOut:
        return self._as(IntegrationOut, self._call("GET", f"/api/integrations/{provider}"))

    def connect(self, provider: str, api_key: str, base_url: str | None = None) -> IntegrationOut:
        body = self._dump(ConnectIn(api_key=api_key, base_url=base_url))
        return self._as(IntegrationOut, self._call("POST", f"/api/integrations/{provider}/connect", json=body))

    def disconnect(self, provider: str) -> IntegrationOut:
        return self._as(IntegrationOut, self._call("POST", f"/api/integrations/{provider}/disconnect"))

    def sync_channels(self, provider: str) -> IntegrationOut:
        return self._as(IntegrationOut, self._call("POST", f"/api/integrations/{provider}/channels/sync"))

    def rotate_webhook_secret(self, provider: str) -> IntegrationOut:
        return self._as(IntegrationOut, self._call("POST", f"/api/integrations/{provider}/webhook-secret/rotate"))

    # -- business processes and files ----------------------------------------------------------

    def editor_options(self) -> EditorOptions:
        return self._as(EditorOptions, self._call("GET", "/api/business-processes/editor-options"))

    def processes(self, stage_id: int | None = None) -> list[ProcessOut]:
        params = {"stage_id": stage_id} if stage_id is not None else None
        return self._as(list[ProcessOut], self._call("GET", "/api/business-processes", params=params))

    def process(self, process_id: int) -> ProcessOut:
        return self._as(ProcessOut, self._call("GET", f"/api/business-processes/{process_id}"))

    def create_process(self, body: ProcessIn) -> ProcessOut:
        return self._as(ProcessOut, self._call("POST", "/api/business-processes", json=self._dump(body)))

    def update_process(self, process_id: int, body: ProcessIn) -> ProcessOut:
        path = f"/api/business-processes/{process_id}"
        return self._as(ProcessOut, self._call("PUT", path, json=self._dump(body)))

    def delete_process(self, process_id: int) -> None:
        self._call("DELETE", f"/api/business-processes/{process_id}")

    def upload_file(self, filename: str, content: bytes | IO[bytes], content_type: str | None = None) -> FileOut:
        files = {"file": (filename, content, content_type or "application/octet-stream")}
        return self._as(FileOut, self._call("POST", "/api/files", files=files))

    # -- control API (tests and local development) ---------------------------------------------

    def health(self) -> dict[str, Any]:
        answer: dict[str, Any] = self._call("GET", "/_control/health", control=True)
        return answer

    def reset(self, with_processes: bool = True) -> None:
        self._call("POST", "/_control/reset", json={"with_processes": with_processes}, control=True)

    def set_clock(self, now: dt.datetime) -> dt.datetime:
        return dt.datetime.fromisoformat(
            self._call("POST", "/_control/clock", json={"now": now.isoformat()}, control=True)["now"]
        )

    def advance_clock(self, seconds: float) -> dt.datetime:
        answer = self._call("POST", "/_control/clock", json={"advance_seconds": seconds}, control=True)
        return dt.datetime.fromisoformat(answer["now"])

    def run_due(self) -> dict[str, Any]:
        """One scheduler pass; the answer counts what it did and says when something is due next."""
        answer: dict[str, Any] = self._call("POST", "/_control/scheduler/run-due", control=True)
        return answer

    def run_due_then_next(self) -> dt.datetime | None:
        """One scheduler pass, then the earliest moment something is due (``next_due``'s answer)."""
        answer = self.run_due()
        if "next_due_at" not in answer:  # an emulator from before the answer said it
            return self.next_due()
        moment = answer["next_due_at"]
        return dt.datetime.fromisoformat(moment) if moment else None

    def next_due(self) -> dt.datetime | None:
        answer = self._call("GET", "/_control/scheduler/next-due", control=True)["next_due_at"]
        return dt.datetime.fromisoformat(answer) if answer else None
