"""Findings: the session cookie was the user's permanent API token, and signing out did not revoke it.

Now the cookie holds a random session token of its own (the table keeps only its SHA-256), the REST API's
token is not a cookie and the cookie is not a token, and signing out ends the session on the server.
"""

from __future__ import annotations

import hashlib

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from emulator import seed
from emulator.db import Database
from tests.security.conftest import form_token, sign_in


def test_the_session_cookie_is_not_the_api_token_and_does_not_open_the_api(admin_web: TestClient) -> None:
    cookie = admin_web.cookies["crm_session"]
    assert cookie not in (seed.ADMIN_TOKEN, seed.MANAGER_TOKEN)
    assert admin_web.get("/deals").status_code == 200
    as_bearer = admin_web.get("/api/me", headers={"Authorization": f"Bearer {cookie}"})
    assert as_bearer.status_code == 401


def test_the_api_token_is_not_a_session_cookie(app: FastAPI) -> None:
    with TestClient(app, follow_redirects=False, cookies={"crm_session": seed.ADMIN_TOKEN}) as client:
        answer = client.get("/deals/9396")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


def test_signing_out_revokes_the_session_on_the_server(app: FastAPI, admin_web: TestClient) -> None:
    cookie = admin_web.cookies["crm_session"]
    token = form_token(admin_web.get("/deals/9396").text)
    assert admin_web.post("/logout", data={"csrf_token": token}).status_code == 303
    with TestClient(app, follow_redirects=False, cookies={"crm_session": cookie}) as replay:
        answer = replay.get("/deals/9396")
    assert answer.status_code == 303, "the cookie still signs in after sign-out"
    assert answer.headers["location"].startswith("/login")


def test_the_sessions_table_keeps_only_a_hash_of_the_cookie(database: Database, admin_web: TestClient) -> None:
    cookie = admin_web.cookies["crm_session"]
    with database.session() as session:
        rows = [dict(r._mapping) for r in session.execute(text("SELECT * FROM sessions WHERE user_id = 1"))]
    assert len(rows) == 1
    stored = [str(v) for v in rows[0].values()]
    assert cookie not in stored
    assert hashlib.sha256(cookie.encode()).hexdigest() in stored
    assert rows[0]["expires_at"] is not None and rows[0]["revoked_at"] is None


def test_signing_in_replaces_the_sign_in_forms_session(web: TestClient) -> None:
    """No session fixation: the cookie the form was given is not the signed-in one, and signs nobody in."""
    web.get("/login")
    before = web.cookies["crm_session"]
    sign_in(web, "manager", "manager")
    after = web.cookies["crm_session"]
    assert after != before
    web.cookies.set("crm_session", before)
    assert web.get("/deals").status_code == 303


def test_the_cookie_is_httponly_and_samesite_lax(web: TestClient) -> None:
    token = form_token(web.get("/login").text)
    answer = web.post("/login", data={"login": "admin", "password": "admin", "csrf_token": token})
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie


def test_a_reset_of_the_demo_data_keeps_sessions_as_they_were(
    app: FastAPI, database: Database, admin_web: TestClient, web: TestClient
) -> None:
    """A browser signed in before ``/_control/reset`` stays signed in; one that signed out stays out."""
    sign_in(web, "manager", "manager")
    signed_out = web.cookies["crm_session"]
    assert web.post("/logout", data={"csrf_token": form_token(web.get("/deals/9396").text)}).status_code == 303
    seed.reset(database)
    assert admin_web.get("/deals/9396").status_code == 200
    with TestClient(app, follow_redirects=False, cookies={"crm_session": signed_out}) as replay:
        assert replay.get("/deals/9396").status_code == 303, "a reset brought a revoked session back"
