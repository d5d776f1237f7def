"""Stage and funnel changes: the log texts, and that every way into a stage schedules its processes."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.demo_rows import DemoRows

FUNNEL = "Воронка 2"


def _process(demo_rows: DemoRows, stage: str = "В работе") -> dict[str, Any]:
    """A Wazzup process on ``stage`` of «Воронка 2», through the demo Wazzup channel."""
    return {
        "stage_id": demo_rows.stage(FUNNEL, stage),
        "provider": "wazzup",
        "channel_id": demo_rows.channel("wazzup", "79370000001"),
        "text": "Здравствуйте!",
    }


def _deal(api: TestClient, demo_rows: DemoRows, stage: str = "Новая") -> int:
    contact = {"is_primary": True, "phones": [{"value": "+79998885522"}]}
    body = {"funnel_id": demo_rows.funnel(FUNNEL), "stage_id": demo_rows.stage(FUNNEL, stage), "contacts": [contact]}
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


def test_manual_change_logs_and_schedules(api: TestClient, demo_rows: DemoRows) -> None:
    api.post("/api/business-processes", json=_process(demo_rows))
    deal_id = _deal(api, demo_rows)
    answer = api.post(f"/api/deals/{deal_id}/stage", json={"stage_id": demo_rows.stage(FUNNEL, "В работе")}).json()
    assert answer["changed"] is True
    assert api.get(f"/api/deals/{deal_id}/timeline").json()[0]["title"] == "Смена этапа с Новая на В работе"
    assert _runs(api, deal_id) == 1


def test_reselecting_the_current_stage_changes_nothing(api: TestClient, demo_rows: DemoRows) -> None:
    api.post("/api/business-processes", json=_process(demo_rows))
    deal_id = _deal(api, demo_rows, stage="В работе")
    in_work = demo_rows.stage(FUNNEL, "В работе")
    assert api.post(f"/api/deals/{deal_id}/stage", json={"stage_id": in_work}).json()["changed"] is False
    assert _runs(api, deal_id) == 0
    assert [e["title"] for e in api.get(f"/api/deals/{deal_id}/timeline").json()] == ["Сделка создана"]


def test_the_payment_button_moves_to_the_final_stage(api: TestClient, demo_rows: DemoRows) -> None:
    api.post("/api/business-processes", json=_process(demo_rows, stage="Оплата"))
    deal_id = _deal(api, demo_rows)
    [button] = api.get(f"/api/deals/{deal_id}").json()["buttons"]
    assert button["label"] == "Оплата"
    api.post(f"/api/deals/{deal_id}/buttons/{button['id']}/press")
    deal = api.get(f"/api/deals/{deal_id}").json()
    assert deal["stage"]["name"] == "Оплата" and _runs(api, deal_id) == 1


def test_funnel_change_logs_both_and_enters_the_new_stage(api: TestClient, demo_rows: DemoRows) -> None:
    api.post("/api/business-processes", json=_process(demo_rows))
    buttons_funnel = "Воронка логики кнопок"
    body = {
        "funnel_id": demo_rows.funnel(buttons_funnel),
        "stage_id": demo_rows.stage(buttons_funnel, "В работе"),
        "contacts": [],
    }
    deal_id = api.post("/api/deals", json=body).json()["id"]
    change = {"funnel_id": demo_rows.funnel(FUNNEL), "stage_id": demo_rows.stage(FUNNEL, "В работе")}
    api.post(f"/api/deals/{deal_id}/funnel", json=change)
    entry = api.get(f"/api/deals/{deal_id}/timeline").json()[0]
    assert (entry["title"], entry["body"]) == (
        "Смена воронки Воронка логики кнопок на Воронка 2",
        "Смена этапа с В работе на В работе",
    )
    assert _runs(api, deal_id) == 1


def test_a_stage_of_another_funnel_is_refused(api: TestClient, demo_rows: DemoRows) -> None:
    deal_id = _deal(api, demo_rows)
    other = demo_rows.stage("Воронка логики кнопок", "В работе")
    answer = api.post(f"/api/deals/{deal_id}/stage", json={"stage_id": other})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "stage_id"


def test_responsible_change_keeps_the_previous_one(api: TestClient) -> None:
    api.patch("/api/deals/9396", json={"responsible_id": 2})
    deal = api.get("/api/deals/9396").json()
    assert (deal["responsible"]["name"], deal["previous_responsible"]["name"]) == (
        "Иван Менеджер",
        "Ксения Администратор",
    )


def test_unknown_deal_is_404_and_a_deleted_one_too(api: TestClient, demo_rows: DemoRows) -> None:
    assert api.get("/api/deals/1").status_code == 404
    deal_id = _deal(api, demo_rows)
    assert api.delete(f"/api/deals/{deal_id}").status_code == 204
    assert api.get(f"/api/deals/{deal_id}").status_code == 404
