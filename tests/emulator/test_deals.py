"""Stage and funnel changes: the log texts, and that every way into a stage schedules its processes."""

from __future__ import annotations

from fastapi.testclient import TestClient

PROCESS = {"stage_id": 5, "provider": "wazzup", "channel_id": 2, "text": "Здравствуйте!"}


def _deal(api: TestClient, stage_id: int = 4) -> int:
    contact = {"is_primary": True, "phones": [{"value": "+79998885522"}]}
    body = {"funnel_id": 2, "stage_id": stage_id, "contacts": [contact]}
    return int(api.post("/api/deals", json=body).json()["id"])


def _runs(api: TestClient, deal_id: int) -> int:
    return len(api.get(f"/api/deals/{deal_id}/runs").json())


def test_demo_deal_reproduces_the_screenshot(api: TestClient) -> None:
    deal = api.get("/api/deals/9396").json()
    assert (deal["funnel"]["name"], deal["stage"]["name"]) == ("Воронка 2", "Новая")
    assert deal["client_region_label"] == "Не выбрано"
    assert deal["responsible"]["name"] == "Ксения Администратор"
    assert [(c["label"], [p["value"] for p in c["phones"]]) for c in deal["contacts"]] == [
        ("Основной контакт", ["+7(999)888-55-22"]),
        ("Не основной контакт", ["+7(999)555-88-22", "+7(999)555-88-22"]),
    ]
    log = [(e["title"], e["author"]) for e in api.get("/api/deals/9396/timeline").json()]
    assert log == [
        ("Смена воронки Воронка логики кнопок на Воронка 2", "Ксения Администратор"),
        ("Телефон : +7(999)111-11-11", "Ксения Администратор"),
        ("Сделка создана", "Ксения Администратор"),
        ("Лид создан вручную", "Ксения Администратор"),
    ]


def test_manual_change_logs_and_schedules(api: TestClient) -> None:
    api.post("/api/business-processes", json=PROCESS)
    deal_id = _deal(api)
    answer = api.post(f"/api/deals/{deal_id}/stage", json={"stage_id": 5}).json()
    assert answer["changed"] is True
    assert api.get(f"/api/deals/{deal_id}/timeline").json()[0]["title"] == "Смена этапа с Новая на В работе"
    assert _runs(api, deal_id) == 1


def test_reselecting_the_current_stage_changes_nothing(api: TestClient) -> None:
    api.post("/api/business-processes", json=PROCESS)
    deal_id = _deal(api, stage_id=5)
    assert api.post(f"/api/deals/{deal_id}/stage", json={"stage_id": 5}).json()["changed"] is False
    assert _runs(api, deal_id) == 0
    assert [e["title"] for e in api.get(f"/api/deals/{deal_id}/timeline").json()] == ["Сделка создана"]


def test_the_payment_button_moves_to_the_final_stage(api: TestClient) -> None:
    api.post("/api/business-processes", json={**PROCESS, "stage_id": 6})
    deal_id = _deal(api)
    [button] = api.get(f"/api/deals/{deal_id}").json()["buttons"]
    assert button["label"] == "Оплата"
    api.post(f"/api/deals/{deal_id}/buttons/{button['id']}/press")
    deal = api.get(f"/api/deals/{deal_id}").json()
    assert deal["stage"]["name"] == "Оплата" and _runs(api, deal_id) == 1


def test_funnel_change_logs_both_and_enters_the_new_stage(api: TestClient) -> None:
    api.post("/api/business-processes", json=PROCESS)
    body = {"funnel_id": 1, "stage_id": 2, "contacts": []}
    deal_id = api.post("/api/deals", json=body).json()["id"]
    api.post(f"/api/deals/{deal_id}/funnel", json={"funnel_id": 2, "stage_id": 5})
    entry = api.get(f"/api/deals/{deal_id}/timeline").json()[0]
    assert (entry["title"], entry["body"]) == (
        "Смена воронки Воронка логики кнопок на Воронка 2",
        "Смена этапа с В работе на В работе",
    )
    assert _runs(api, deal_id) == 1


def test_a_stage_of_another_funnel_is_refused(api: TestClient) -> None:
    deal_id = _deal(api)
    answer = api.post(f"/api/deals/{deal_id}/stage", json={"stage_id": 2})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "stage_id"


def test_responsible_change_keeps_the_previous_one(api: TestClient) -> None:
    api.patch("/api/deals/9396", json={"responsible_id": 2})
    deal = api.get("/api/deals/9396").json()
    assert (deal["responsible"]["name"], deal["previous_responsible"]["name"]) == (
        "Иван Менеджер",
        "Ксения Администратор",
    )


def test_unknown_deal_is_404_and_a_deleted_one_too(api: TestClient) -> None:
    assert api.get("/api/deals/1").status_code == 404
    deal_id = _deal(api)
    assert api.delete(f"/api/deals/{deal_id}").status_code == 204
    assert api.get(f"/api/deals/{deal_id}").status_code == 404
