"""Ids beyond what an integer column holds, NUL characters, a task due in year 9999: refused by name, never 500.

An id in a path that no row can have is "not found" (404); in a body it is a refused field (422 naming
it). Bounds are what both databases hold: PostgreSQL's ``integer`` (2^31 - 1), narrower than SQLite's
64 bits, so 2^31 + 1 is tried on both (on SQLite it passed by luck before; 2^63 overflowed the driver).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from emulator.app import create_app
from emulator.settings import Settings
from tests.hardening.conftest import Crm, form_token

DEMO_DEAL = 9396
BEYOND_SQLITE = 2**63  # overflows SQLite's 64-bit integers (and its driver)
BEYOND_POSTGRES = 2**31 + 1  # overflows PostgreSQL's ``integer`` columns
NUL = "\x00"


def _id_routes() -> list[tuple[str, str, str]]:
    """(method, path template, id parameter) of every documented operation with an id in its path."""
    document = create_app(Settings(control_api=True, scheduler_loop=False)).openapi()
    found: list[tuple[str, str, str]] = []
    for path, operations in document["paths"].items():
        for name in re.findall(r"{(\w+_id)}", path):
            found.extend((method.upper(), path, name) for method in operations)
    return found


ID_ROUTES = _id_routes()
# A body that passes validation, so the answer is about the id in the path.
VALID_BODIES: dict[tuple[str, str], Any] = {
    ("PATCH", "/api/deals/{deal_id}"): {},
    ("POST", "/api/deals/{deal_id}/stage"): {"stage_id": 1},
    ("POST", "/api/deals/{deal_id}/funnel"): {"funnel_id": 1},
    ("PUT", "/api/deals/{deal_id}/contacts"): [],
    ("POST", "/api/deals/{deal_id}/contacts"): {},
    ("PUT", "/api/deals/{deal_id}/contacts/{contact_id}"): {},
    ("POST", "/api/deals/{deal_id}/tasks"): {"title": "Позвонить", "due_at": "2026-11-11T10:00:00+03:00"},
    ("PATCH", "/api/deals/{deal_id}/tasks/{task_id}"): {"done": True},
    ("PUT", "/api/business-processes/{process_id}"): {},
}


def test_every_id_route_is_covered() -> None:
    """19 documented operations have an id in the path (with the deal card's pages, the issue's 21);
    a new one joins the parametrization by itself."""
    assert len({(m, p) for m, p, _ in ID_ROUTES}) >= 19


@pytest.mark.parametrize("value", [BEYOND_SQLITE, BEYOND_POSTGRES, 0, -1], ids=["2^63", "2^31+1", "0", "-1"])
@pytest.mark.parametrize(("method", "path", "name"), ID_ROUTES, ids=[f"{m} {p} {n}" for m, p, n in ID_ROUTES])
def test_an_id_no_row_can_have_is_not_found(crm: Crm, method: str, path: str, name: str, value: int) -> None:
    known = {"deal_id": DEMO_DEAL}
    url = re.sub(r"{(\w+)}", lambda m: str(value if m[1] == name else known.get(m[1], 1)), path)
    answer = crm.http.request(method, crm.url(url), json=VALID_BODIES.get((method, path)))
    assert answer.status_code == 404, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert str(value) in answer.json()["detail"]


PAGES = [
    ("GET", "/deals/{id}", 404),
    ("GET", "/deals/{id}/live", 404),
    ("POST", "/deals/{id}/stage", 404),
    ("POST", "/deals/{id}/funnel", 404),
    ("POST", f"/deals/{DEMO_DEAL}/buttons/{{id}}", 422),  # the card, saying the button is not found
    ("POST", f"/deals/{DEMO_DEAL}/runs/{{id}}/cancel", 404),
    ("GET", "/settings/business-processes/{id}/edit", 404),
    ("POST", "/settings/business-processes/{id}/edit", 404),
    ("POST", "/settings/business-processes/{id}/delete", 404),
]


@pytest.mark.parametrize("value", [BEYOND_SQLITE, BEYOND_POSTGRES], ids=["2^63", "2^31+1"])
@pytest.mark.parametrize(("method", "path", "expected"), PAGES, ids=[f"{m} {p}" for m, p, _ in PAGES])
def test_a_page_of_an_id_no_row_can_have_is_not_found(
    crm: Crm, method: str, path: str, expected: int, value: int
) -> None:
    data = {"stage_id": "1", "funnel_id": "1"} if method == "POST" else None
    answer = crm.browser.request(method, crm.url(path.replace("{id}", str(value))), data=data, allow_redirects=False)
    assert answer.status_code == expected, answer.text[:300]
    assert str(value) in answer.text
    assert answer.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("value", [BEYOND_SQLITE, BEYOND_POSTGRES], ids=["2^63", "2^31+1"])
@pytest.mark.parametrize(("field", "data"), [("stage_id", {"stage_id": "{id}"}), ("funnel_id", {"funnel_id": "{id}"})])
def test_an_id_out_of_range_in_a_deal_card_form_is_refused(
    crm: Crm, field: str, data: dict[str, str], value: int
) -> None:
    path = f"/deals/{DEMO_DEAL}/{field.removesuffix('_id')}"
    answer = crm.browser.post(crm.url(path), data={field: str(value)}, allow_redirects=False)
    assert answer.status_code in (400, 404, 422), answer.text[:300]  # as an unknown stage or funnel
    assert answer.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("value", [BEYOND_SQLITE, BEYOND_POSTGRES], ids=["2^63", "2^31+1"])
@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/api/deals", {"funnel_id": "{id}"}, "funnel_id"),
        ("POST", "/api/deals", {"funnel_id": 1, "stage_id": "{id}"}, "stage_id"),
        ("POST", "/api/deals", {"funnel_id": 1, "responsible_id": "{id}"}, "responsible_id"),
        ("PATCH", f"/api/deals/{DEMO_DEAL}", {"responsible_id": "{id}"}, "responsible_id"),
        ("PATCH", f"/api/deals/{DEMO_DEAL}", {"custom_fields": {"{id}": "x"}}, "custom_fields"),
        ("POST", f"/api/deals/{DEMO_DEAL}/stage", {"stage_id": "{id}"}, "stage_id"),
        ("POST", f"/api/deals/{DEMO_DEAL}/funnel", {"funnel_id": "{id}"}, "funnel_id"),
        ("POST", "/api/business-processes", {"stage_id": "{id}", "text": "x"}, "stage_id"),
        ("POST", "/api/business-processes", {"stage_id": "{text_id}", "text": "x"}, "stage_id"),
        ("POST", "/api/business-processes", {"provider": "i2crm", "channel_id": "{id}"}, "channel_id"),
        ("POST", "/api/business-processes", {"provider": "i2crm", "channel_id": "{text_id}"}, "channel_id"),
        ("POST", "/api/business-processes", {"file_ids": ["{id}"]}, "file_ids"),
        ("POST", "/api/business-processes", {"file_ids": ["{text_id}"]}, "file_ids"),
        ("GET", "/api/business-processes?stage_id={id}", None, "stage_id"),
    ],
)
def test_an_id_out_of_range_in_a_body_is_a_refused_field(
    crm: Crm, method: str, path: str, body: Any, field: str, value: int
) -> None:
    def fill(item: Any) -> Any:
        if item == "{id}":
            return value
        if item == "{text_id}":
            return str(value)  # the editor's form sends strings; the API takes both
        if isinstance(item, dict):
            return {str(fill(k)): fill(v) for k, v in item.items()}
        if isinstance(item, list):
            return [fill(v) for v in item]
        return item

    answer = crm.http.request(method, crm.url(path.replace("{id}", str(value))), json=fill(body))
    assert answer.status_code == 422, answer.text
    assert field in [e["field"].split(".")[0] for e in answer.json()["errors"]], answer.text


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/api/deals", {"funnel_id": 1, "title": f"a{NUL}b"}, "title"),
        ("POST", "/api/deals", {"funnel_id": 1, "client_name": NUL}, "client_name"),
        ("POST", "/api/deals", {"funnel_id": 1, "contacts": [{"name": f"Иван{NUL}"}]}, "contacts"),
        ("PATCH", f"/api/deals/{DEMO_DEAL}", {"client_region": NUL}, "client_region"),
        ("PATCH", f"/api/deals/{DEMO_DEAL}", {"custom_fields": {"657292": f"+7{NUL}"}}, "custom_fields"),
        ("POST", f"/api/deals/{DEMO_DEAL}/contacts", {"phones": [{"value": f"+7999{NUL}"}]}, "phones"),
        ("POST", f"/api/deals/{DEMO_DEAL}/contacts", {"emails": [f"a{NUL}@b.ru"]}, "emails"),
        ("POST", f"/api/deals/{DEMO_DEAL}/tasks", {"title": NUL, "due_at": "2026-11-11T10:00:00+03:00"}, "title"),
        ("POST", "/api/custom-fields", {"name": f"поле{NUL}"}, "name"),
        ("POST", "/api/business-processes", {"stage_id": 3, "text": f"Здравствуйте{NUL}"}, "text"),
        ("POST", "/api/business-processes", {"stage_id": 3, "provider": NUL}, "provider"),
    ],
)
def test_a_nul_character_in_a_text_field_is_a_refused_field(
    crm: Crm, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    answer = crm.http.request(method, crm.url(path), json=body)
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert field in [e["field"].split(".")[0] for e in errors], answer.text


@pytest.mark.parametrize(
    "credentials",
    [{"login": f"admin{NUL}", "password": "admin"}, {"login": "admin", "password": f"admin{NUL}"}],
    ids=["login", "password"],
)
def test_a_nul_character_signs_nobody_in(crm: Crm, credentials: dict[str, str]) -> None:
    """No login or password holds NUL: the login form and the token endpoint answer "wrong", never 500."""
    with requests.Session() as browser:
        token = form_token(browser.get(crm.url("/login")).text)
        form = browser.post(crm.url("/login"), data={**credentials, "csrf_token": token}, allow_redirects=False)
    assert form.status_code == 401, form.text
    assert "Неверный логин или пароль" in form.text
    api = crm.http.post(crm.url("/api/auth/token"), json=credentials, headers={"Authorization": None})
    assert api.status_code == 401, api.text


@pytest.mark.parametrize(
    "due_at",
    ["9999-12-31T23:59:00+03:00", "9999-12-31T23:59:00-05:00", "0001-01-01T00:00:00+03:00", "2100-01-01T00:00:00Z"],
)
def test_a_task_due_beyond_the_bounds_is_a_refused_field(crm: Crm, due_at: str) -> None:
    answer = crm.http.post(crm.url(f"/api/deals/{DEMO_DEAL}/tasks"), json={"title": "Позвонить", "due_at": due_at})
    assert answer.status_code == 422, answer.text
    (error,) = answer.json()["errors"]
    assert (error["field"], error["label"]) == ("due_at", "Срок")
    assert "2000" in error["message"] and "2099" in error["message"]


def test_a_task_due_within_the_bounds_is_added(crm: Crm) -> None:
    body = {"title": "Позвонить", "due_at": "2099-12-31T23:59:00+03:00"}
    answer = crm.http.post(crm.url(f"/api/deals/{DEMO_DEAL}/tasks"), json=body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["due_relative"] == "31.12.2099 в 23:59"
    card = crm.http.get(crm.url(f"/deals/{DEMO_DEAL}"))
    assert card.status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/integrations/{name}"),
        ("POST", "/api/integrations/{name}/connect"),
        ("POST", "/api/integrations/{name}/disconnect"),
        ("POST", "/api/integrations/{name}/channels/sync"),
        ("POST", "/api/integrations/{name}/webhook-secret/rotate"),
        ("POST", "/api/webhooks/{name}"),
        ("POST", "/api/webhooks/{name}/secret"),
        ("GET", "/settings/integrations/{name}"),
    ],
)
def test_a_nul_character_in_a_provider_name_is_not_found(crm: Crm, method: str, path: str) -> None:
    answer = crm.http.request(method, crm.url(path.replace("{name}", "wazzup%00")), json={})
    assert answer.status_code == 404, answer.text[:300]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"api_key": "key\nX-Injected: 1"}, "api_key"),
        ({"api_key": "ключ-😀"}, "api_key"),
        ({"api_key": "demo-default-key", "base_url": "http://[::1"}, "base_url"),
        ({"api_key": "demo-default-key", "base_url": "http://host/\x7fpath"}, "base_url"),
    ],
    ids=["newline in the key", "emoji in the key", "broken IPv6 address", "control character in the address"],
)
def test_a_key_or_address_that_cannot_travel_is_a_refused_field(crm: Crm, body: dict[str, str], field: str) -> None:
    """An API key goes into an HTTP header and the address into a URL: refused by name before any call."""
    answer = crm.http.post(crm.url("/api/integrations/default/connect"), json=body)
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    page = crm.browser.post(crm.url("/settings/integrations/default/connect"), data=body, allow_redirects=False)
    assert page.status_code == 422, page.text[:300]
