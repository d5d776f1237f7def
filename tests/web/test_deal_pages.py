"""The deal card: what it shows (escaped), and stage, funnel, button and run changes (Post/Redirect/Get)."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from emulator import business_processes, clock, deals
from emulator.automation import triggers
from emulator.models import OutgoingMessage, Stage
from tests.web.conftest import Crm

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _stage(html: str) -> str:
    found = re.search(r'data-testid="deal-stage">([^<]*)<', html)
    assert found, "the card shows no stage"
    return found.group(1)


def test_deal_card_reproduces_the_task_screenshot(admin: TestClient) -> None:
    html = admin.get("/deals/9396").text
    assert '<h1 id="deal-heading">9396</h1>' in html
    assert 'data-testid="deal-funnel">Воронка 2</span>: <span data-testid="deal-stage">Новая</span>' in html
    assert '<p>Регион клиента: <span data-testid="deal-region">Не выбрано</span></p>' in html
    assert 'Ответственный: <span data-testid="deal-responsible">Ксения Администратор</span>' in html
    assert 'aria-label="Этап: Новая"' in html
    assert html.index("Основной контакт") < html.index("Не основной контакт")
    assert html.count(">Мобильный: +7(999)555-88-22<") == 2
    assert ">Мобильный: +7(999)888-55-22<" in html
    assert "Связаться с клиентом" in html
    assert re.search(r'Выполнить <span data-testid="task-due">(сегодня|завтра) в \d\d:\d\d</span>', html)
    assert '<h2 id="timeline-heading">Детально</h2>' in html
    assert "Смена воронки Воронка логики кнопок на Воронка 2" in html
    assert ">Оплата</button>" in html


def test_stage_list_offers_every_stage_of_the_funnel(admin: TestClient) -> None:
    html = admin.get("/deals/9396").text
    menu = html[html.index('role="menu"') : html.index("</form>", html.index('role="menu"'))]
    assert re.findall(r'role="menuitem"[^>]*>([^<]+)<', menu) == ["Новая", "В работе", "Оплата"]


def test_picking_a_stage_changes_it_and_redirects_back(web_app: Crm, admin: TestClient) -> None:
    answer = admin.post("/deals/9396/stage", data={"stage_id": str(web_app.stage("Воронка 2", "Оплата"))})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/deals/9396"
    html = admin.get("/deals/9396").text
    assert _stage(html) == "Оплата"
    assert "Смена этапа с Новая на Оплата" in html


def test_a_stage_of_another_funnel_is_refused_on_the_card(web_app: Crm, admin: TestClient) -> None:
    answer = admin.post("/deals/9396/stage", data={"stage_id": str(web_app.stage("Воронка логики кнопок", "Новая"))})
    assert answer.status_code == 422
    assert 'role="alert"' in answer.text
    assert "не принадлежит воронке" in answer.text
    assert _stage(admin.get("/deals/9396").text) == "Новая"


def test_the_payment_button_moves_the_deal_to_the_final_stage(web_app: Crm, admin: TestClient) -> None:
    with web_app.database.session() as session:
        button = deals.buttons(session, deals.get_deal(session, 9396))[0]
    answer = admin.post(f"/deals/9396/buttons/{button.id}")
    assert answer.status_code == 303
    assert _stage(admin.get("/deals/9396").text) == "Оплата"


def test_changing_the_funnel_logs_both_changes(web_app: Crm, admin: TestClient) -> None:
    funnel_id = str(web_app.funnel("Воронка логики кнопок"))
    answer = admin.post("/deals/9396/funnel", data={"funnel_id": funnel_id, "stage_id": ""})
    assert answer.status_code == 303
    html = admin.get("/deals/9396").text
    assert 'data-testid="deal-funnel">Воронка логики кнопок<' in html
    assert _stage(html) == "Новая"
    assert "Смена воронки Воронка 2 на Воронка логики кнопок" in html


def test_a_delayed_run_is_listed_and_can_be_cancelled(web_app: Crm, admin: TestClient) -> None:
    payment = web_app.stage("Воронка 2", "Оплата")
    channel = web_app.channel("i2crm", "79370000002")
    with web_app.database.session() as session:
        draft = business_processes.ProcessDraft(
            stage_id=payment,
            timing="delayed",
            delay_value="3",
            delay_unit="days",
            provider="i2crm",
            channel_id=channel,
            text="Hi",
        )
        business_processes.save(session, draft)
    admin.post("/deals/9396/stage", data={"stage_id": str(payment)})
    html = admin.get("/deals/9396").text
    found = re.search(r'aria-label="Отменить запуск №(\d+)">Отменить<', html)
    assert found, "no scheduled run on the card"
    assert 'data-testid="run-stage">Оплата<' in html
    answer = admin.post(f"/deals/9396/runs/{found.group(1)}/cancel")
    assert answer.status_code == 303
    html = admin.get("/deals/9396").text
    assert "Нет запланированных действий" in html
    assert "Статус: Отменено: отменено пользователем Ксения Администратор" in html


def test_user_text_is_escaped_everywhere(web_app: Crm, admin: TestClient) -> None:
    in_work = web_app.stage("Воронка 2", "В работе")
    wazzup_channel = web_app.channel("wazzup", "79370000001")
    with web_app.database.session() as session:
        deal = deals.get_deal(session, 9396)
        deals.update_deal(session, deal, deals.DealChanges(client_name=SCRIPT, client_region=SCRIPT), None)
        stage = session.get(Stage, in_work)
        assert stage is not None
        run = triggers.on_stage_entered(session, deal, stage, clock.now())[0]
        now = clock.now()
        session.add(
            OutgoingMessage(
                run_id=run.id,
                deal_id=9396,
                process_id=run.process_id,
                process_version=1,
                provider="wazzup",
                channel_id=wazzup_channel,
                channel_phone="79370000001",
                to_number="79998885522",
                text=f"Строка 1\n{SCRIPT}",
                attachments=[
                    {"filename": f"{SCRIPT}.png", "url": "http://x/f", "size": 1, "content_type": "image/png"}
                ],
                status="error",
                status_reason=SCRIPT,
                created_at=now,
                updated_at=now - dt.timedelta(seconds=1),
            )
        )
    html = admin.get("/deals/9396").text
    assert SCRIPT not in html
    assert html.count(ESCAPED) >= 4
    assert f'data-testid="message-text">Строка 1\n{ESCAPED}</p>' in html
    assert 'data-testid="dialog-number">+7(999)888-55-22<' in html
    assert 'class="badge tone-error" data-testid="message-status">Ошибка<' in html
    assert 'data-testid="message-channel">+7(937)000-00-01<' in html


def test_a_manager_works_with_deals(web_app: Crm, manager: TestClient) -> None:
    assert manager.get("/deals").status_code == 200
    assert manager.get("/deals/9396").status_code == 200
    new = str(web_app.stage("Воронка 2", "Новая"))
    assert manager.post("/deals/9396/stage", data={"stage_id": new}).status_code == 303


def test_an_unknown_deal_is_a_404_page(admin: TestClient) -> None:
    answer = admin.get("/deals/1")
    assert answer.status_code == 404
    assert "text/html" in answer.headers["content-type"]
    assert "Страница не найдена" in answer.text


def test_deal_list_links_each_deal(admin: TestClient) -> None:
    assert '<a href="/deals/9396">Сделка 9396</a>' in admin.get("/deals").text


def test_a_malformed_address_is_a_400_page_and_static_files_are_served(admin: TestClient) -> None:
    answer = admin.get("/deals/abc")
    assert answer.status_code == 400
    assert "Некорректный запрос" in answer.text
    assert admin.get("/static/editor.js").status_code == 200
