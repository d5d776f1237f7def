"""Finding: the HTML forms had no CSRF protection (and login CSRF worked cross-site).

Now every state-changing page request needs the CSRF token of its browser session (hidden field
``csrf_token``, or the ``X-CSRF-Token`` header of the editor's uploads); the sign-in form's token belongs to
the session ``GET /login`` opened, so another site's form can neither act as the user nor sign them in.
"""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.routing import RouteContext, iter_route_contexts
from fastapi.testclient import TestClient

from emulator.app import create_app
from emulator.settings import Settings
from emulator.web import csrf
from emulator.web.page_route import PageRoute
from emulator.web.rendering import TEMPLATES_DIR
from tests.demo_rows import DemoRows
from tests.security.conftest import form_token

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Routes outside the pages, with credentials of their own: the bearer-only API, the control API's token,
# the providers' webhooks (their own secrets).
NOT_PAGES = ("/api/", "/_control/")
FORM_WITH_TOKEN = r'<form\b[^>]*method="post"[^>]*>\s*<input type="hidden" name="csrf_token" value="(\w+)"'
EXAMPLE_IDS = {"deal_id": "9396", "button_id": "2", "run_id": "1", "provider": "i2crm", "process_id": "1"}


def _state_changing_pages(app: FastAPI) -> list[RouteContext]:
    """Every route of the app (included routers too) that changes state outside the API and the control API."""
    return [
        route
        for route in iter_route_contexts(app.routes)
        if route.methods and route.methods & STATE_CHANGING and not str(route.path).startswith(NOT_PAGES)
    ]


def _page_posts() -> list[str]:
    return sorted(str(route.path) for route in _state_changing_pages(create_app(Settings(database_url="sqlite://"))))


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: EXAMPLE_IDS[m.group(1)], path)


def test_every_state_changing_page_route_goes_through_the_csrf_check(app: FastAPI) -> None:
    pages = _state_changing_pages(app)
    assert len(pages) >= 14, [r.path for r in pages]
    assert [r.path for r in pages if not isinstance(r.original_route, PageRoute)] == []


def test_every_post_form_of_the_templates_carries_the_csrf_field() -> None:
    for template in sorted(TEMPLATES_DIR.glob("*.html")):
        for form in re.finditer(r'<form\b[^>]*method="post"[^>]*>(.{0,40})', template.read_text(), re.S):
            assert form.group(1).startswith("{{ csrf_field() }}"), f"{template.name}: {form.group(0)[:80]}"


@pytest.mark.parametrize("path", [_concrete(p) for p in _page_posts() if p != "/login"])
def test_a_signed_in_admins_form_without_the_token_is_refused(
    admin_web: TestClient, demo_rows: DemoRows, path: str
) -> None:
    """A page of another site (or a same-site page) posts the form with the admin's cookie, without the token
    (the sign-in form: the login CSRF tests below)."""
    in_work = str(demo_rows.stage("Воронка 2", "В работе"))
    for data in ({}, {"csrf_token": "forged"}, {"csrf_token": csrf.token_for("another session")}):
        answer = admin_web.post(path, data={"stage_id": in_work, **data})
        assert answer.status_code == 403, (path, data, answer.status_code)
        assert "CSRF-токена" in answer.text


def test_a_refused_form_changes_nothing_and_the_right_token_acts(admin_web: TestClient, demo_rows: DemoRows) -> None:
    in_work = str(demo_rows.stage("Воронка 2", "В работе"))
    assert admin_web.post("/deals/9396/stage", data={"stage_id": in_work}).status_code == 403
    page = admin_web.get("/deals/9396").text
    assert 'data-testid="deal-stage">Новая<' in page
    token = form_token(page)
    assert token == csrf.token_for(admin_web.cookies["crm_session"])
    assert admin_web.post("/deals/9396/stage", data={"stage_id": in_work, "csrf_token": token}).status_code == 303
    assert 'data-testid="deal-stage">В работе<' in admin_web.get("/deals/9396").text


def test_every_form_of_a_page_carries_its_sessions_token(admin_web: TestClient) -> None:
    expected = csrf.token_for(admin_web.cookies["crm_session"])
    for path in ("/deals/9396", "/settings/integrations/messengers", "/settings/business-processes"):
        html = admin_web.get(path).text
        forms = re.findall(FORM_WITH_TOKEN, html)
        assert forms, path
        assert set(forms) == {expected}, path
        assert len(forms) == html.count('method="post"'), path


def test_sign_out_needs_the_token_too(admin_web: TestClient) -> None:
    assert admin_web.post("/logout").status_code == 403
    assert admin_web.get("/deals").status_code == 200


def test_login_csrf_another_sites_form_signs_nobody_in(web: TestClient) -> None:
    """The attacker's page posts its own credentials to /login from the victim's browser (no session yet)."""
    answer = web.post("/login", data={"login": "manager", "password": "manager"})
    assert answer.status_code == 403
    assert "crm_session" not in answer.cookies
    assert web.get("/deals").status_code == 303


def test_login_csrf_a_token_from_another_browser_is_refused(app: FastAPI, web: TestClient) -> None:
    """The attacker opens /login in their own browser and puts that form's token in their page."""
    with TestClient(app, follow_redirects=False) as attacker:
        stolen = form_token(attacker.get("/login").text)
    web.get("/login")  # the victim's browser has a form session of its own
    answer = web.post("/login", data={"login": "manager", "password": "manager", "csrf_token": stolen})
    assert answer.status_code == 403
    assert web.get("/deals").status_code == 303
