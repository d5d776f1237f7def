"""Signing in and out; anonymous visitors are sent to /login."""

from __future__ import annotations

from fastapi.testclient import TestClient

from emulator import seed
from tests.csrf_form import form_token
from tests.web.conftest import Crm


def _form_token(client: TestClient) -> str:
    """Open the sign-in form as a browser does; its hidden CSRF field, bound to the session it opened."""
    return form_token(client.get("/login").text)


def test_root_leads_to_deals(admin: TestClient) -> None:
    answer = admin.get("/")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/deals"


def test_anonymous_page_request_is_sent_to_login(anonymous: TestClient) -> None:
    answer = anonymous.get("/deals/9396")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fdeals%2F9396"


def test_anonymous_post_is_sent_to_login_and_changes_nothing(
    web_app: Crm, anonymous: TestClient, admin: TestClient
) -> None:
    answer = anonymous.post("/deals/9396/stage", data={"stage_id": str(web_app.stage("Воронка 2", "Оплата"))})
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")
    assert 'data-testid="deal-stage">Новая<' in admin.get("/deals/9396").text


def test_login_form_has_labelled_fields(anonymous: TestClient) -> None:
    html = anonymous.get("/login").text
    assert '<label for="login">Логин</label>' in html
    assert '<label for="password">Пароль</label>' in html
    assert ">Войти</button>" in html


def test_wrong_password_shows_an_error_and_signs_nobody_in(anonymous: TestClient) -> None:
    token = _form_token(anonymous)
    answer = anonymous.post("/login", data={"login": "admin", "password": "wrong", "csrf_token": token})
    assert answer.status_code == 401
    assert 'role="alert"' in answer.text
    assert "Неверный логин или пароль" in answer.text
    assert "crm_session" not in answer.cookies
    assert anonymous.get("/deals").status_code == 303


def test_sign_in_sets_an_httponly_session_cookie_and_follows_next(anonymous: TestClient) -> None:
    token = _form_token(anonymous)
    form = {"login": "manager", "password": "manager", "next": "/deals/9396", "csrf_token": token}
    answer = anonymous.post("/login", data=form)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/deals/9396"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("crm_session=")
    assert seed.MANAGER_TOKEN not in cookie
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    assert anonymous.get("/deals/9396").status_code == 200


def test_sign_in_never_follows_a_foreign_next(anonymous: TestClient) -> None:
    token = _form_token(anonymous)
    form = {"login": "admin", "password": "admin", "next": "//evil.example/", "csrf_token": token}
    answer = anonymous.post("/login", data=form)
    assert answer.headers["location"] == "/deals"


def test_logout_clears_the_cookie(admin: TestClient) -> None:
    answer = admin.post("/logout")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login"
    assert 'crm_session=""' in answer.headers["set-cookie"]
