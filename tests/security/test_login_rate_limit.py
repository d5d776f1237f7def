"""Finding: logins were not rate-limited. Now 5 wrong passwords per login in 15 minutes of the emulator's
clock, then 429 with Retry-After and a Russian message naming the login, on the page and the API alike."""

from __future__ import annotations

from fastapi.testclient import TestClient

from emulator import clock
from tests.security.conftest import form_token, sign_in


def _try(web: TestClient, login: str, password: str) -> int:
    token = form_token(web.get("/login").text)
    return web.post("/login", data={"login": login, "password": password, "csrf_token": token}).status_code


def test_the_sixth_try_in_15_minutes_is_refused_even_with_the_right_password(
    web: TestClient, emulator_clock: None
) -> None:
    assert [_try(web, "admin", f"guess-{n}") for n in range(5)] == [401] * 5
    token = form_token(web.get("/login").text)
    answer = web.post("/login", data={"login": "admin", "password": "admin", "csrf_token": token})
    assert answer.status_code == 429
    assert "crm_session" not in answer.cookies
    assert "Слишком много неудачных попыток входа под логином «admin»" in answer.text
    assert 840 <= int(answer.headers["retry-after"]) <= 900
    api = web.post("/api/auth/token", json={"login": "admin", "password": "admin"})
    assert api.status_code == 429
    assert "«admin»" in api.json()["detail"]
    assert int(api.headers["retry-after"]) > 0


def test_the_limit_is_per_login_and_ends_after_15_minutes_on_the_emulator_clock(
    web: TestClient, emulator_clock: None
) -> None:
    for n in range(5):
        _try(web, "Admin ", f"guess-{n}")  # one counter however the login is spelt
    assert _try(web, "admin", "admin") == 429
    assert _try(web, "manager", "manager") == 303  # another login is not locked
    web.cookies.clear()
    clock.advance(15 * 60 + 1)
    sign_in(web, "admin", "admin")


def test_the_api_counts_failures_too(web: TestClient, emulator_clock: None) -> None:
    for n in range(5):
        assert web.post("/api/auth/token", json={"login": "manager", "password": str(n)}).status_code == 401
    assert web.post("/api/auth/token", json={"login": "manager", "password": "manager"}).status_code == 429
    assert _try(web, "manager", "manager") == 429


def test_a_right_password_clears_the_failures(web: TestClient, emulator_clock: None) -> None:
    for n in range(4):
        _try(web, "admin", f"guess-{n}")
    assert web.post("/api/auth/token", json={"login": "admin", "password": "admin"}).status_code == 200
    assert [_try(web, "admin", f"again-{n}") for n in range(5)] == [401] * 5
