"""Finding: the JSON API accepted the session cookie, so a same-site page could act as the signed-in admin.
Now /api/* takes only ``Authorization: Bearer <API token>``; a cookie is answered 401, naming the header."""

from __future__ import annotations

from fastapi.testclient import TestClient

from emulator import seed
from tests.demo_rows import DemoRows


def test_a_signed_in_browsers_cookie_does_not_open_the_api(admin_web: TestClient) -> None:
    answer = admin_web.get("/api/me")
    assert answer.status_code == 401
    assert "Authorization: Bearer" in answer.json()["detail"]
    assert "cookie" in answer.json()["detail"]


def test_a_state_change_through_the_api_with_the_cookie_is_refused_and_changes_nothing(
    admin_web: TestClient, demo_rows: DemoRows
) -> None:
    answer = admin_web.post("/api/deals/9396/stage", json={"stage_id": demo_rows.stage("Воронка 2", "В работе")})
    assert answer.status_code == 401
    bearer = {"Authorization": f"Bearer {seed.ADMIN_TOKEN}"}
    deal = admin_web.get("/api/deals/9396", headers=bearer).json()
    assert deal["stage"]["name"] == "Новая"


def test_the_bearer_token_still_opens_the_api(web: TestClient) -> None:
    answer = web.get("/api/me", headers={"Authorization": f"Bearer {seed.ADMIN_TOKEN}"})
    assert answer.status_code == 200
    assert answer.json()["name"] == "Ксения Администратор"
