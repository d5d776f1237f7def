"""Demo data reproducing the task's screenshots (deal 9396, two funnels, the integrations page).

The first try sends: deal 9396 stands on «Новая» of «Воронка 2» and the task's example process (I2CRM,
«На все контакты и номера», its text with [Ответственный#2000]) hangs on «В работе». Moving the deal there
(click the stage «Новая», pick «В работе») sends two messages: +7(999)888-55-22 and +7(999)555-88-22 (contact 2
lists that number twice; it gets one message).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from emulator import clock, demo_accounts, passwords
from emulator.credential_models import WebSession
from emulator.db import Base, Database
from emulator.integration_catalogue import CARDS
from emulator.model_enums import RecipientRule, Role, Timing
from emulator.models import (
    BusinessProcess,
    Channel,
    Contact,
    ContactPhone,
    CustomField,
    CustomFieldValue,
    Deal,
    DealButton,
    Funnel,
    Integration,
    Stage,
    Task,
    TimelineEntry,
    User,
)
from emulator.providers.registry import new_webhook_secret

ADMIN_TOKEN = "admin-token"
MANAGER_TOKEN = "manager-token"
DEMO_DEAL_ID = 9396
DEMO_DEAL_STAGE_ID = 4  # «Новая» of «Воронка 2»
DEMO_PROCESS_STAGE_ID = 5  # «В работе» of «Воронка 2», as in the task's example
CUSTOM_PHONE_FIELD_ID = 657292
STAGE_NAMES = ("Новая", "В работе", "Оплата")
DEMO_TEXT = (
    "Здравствуйте, уважаемый клиент. Информировать Вас о том, что с 1 по 20 ноября для Вас действует "
    "персональная скидка 25% на весь ассортимент. Для применения скидки свяжитесь с Вашим менеджером "
    "[Ответственный#2000] по телефону [телефон кастомный (сделка)#657292]."
)


def _funnel(funnel_id: int, name: str, position: int, first_stage_id: int) -> Funnel:
    funnel = Funnel(id=funnel_id, name=name, position=position)
    funnel.stages = [
        Stage(id=first_stage_id + n, name=stage, position=n, is_final=stage == "Оплата")
        for n, stage in enumerate(STAGE_NAMES)
    ]
    return funnel


def _integrations(now: dt.datetime) -> list[Integration]:
    connected = {
        "i2crm": (demo_accounts.I2CRM_TOKEN, demo_accounts.I2CRM_CHANNELS),
        "wazzup": (demo_accounts.WAZZUP_API_KEY, demo_accounts.WAZZUP_CHANNELS),
    }
    integrations = []
    for position, card in enumerate(CARDS):
        integration = Integration(provider=card.provider, position=position, connected=False)
        if card.provider == "telegram":
            integration.connected, integration.api_key, integration.connected_at = True, "demo-telegram", now
        if card.provider in connected:
            key, channels = connected[card.provider]
            integration.connected, integration.api_key, integration.connected_at = True, key, now
            integration.webhook_secret = new_webhook_secret(card.provider)  # random: never known elsewhere
            integration.channels = [
                Channel(
                    external_id=c.external_id,
                    phone=c.phone,
                    name=c.name or c.phone,
                    state=c.state,
                    active=c.state == "active",
                    send_key=c.send_key,
                    synced_at=now,
                )
                for c in channels
            ]
        integrations.append(integration)
    return integrations


def _demo_deal(now: dt.datetime) -> Deal:
    deal = Deal(
        id=DEMO_DEAL_ID,
        title="Сделка",
        funnel_id=2,
        stage_id=DEMO_DEAL_STAGE_ID,
        responsible_id=1,
        client_name="Генератор клиентов",
        client_region=None,
        created_at=now,
    )
    deal.contacts = [
        Contact(
            position=0,
            name="Основной контакт",
            is_primary=True,
            phones=[ContactPhone(position=0, value="+7(999)888-55-22")],
        ),
        Contact(
            position=1,
            name="Второй контакт",
            is_primary=False,
            phones=[
                ContactPhone(position=0, value="+7(999)555-88-22"),
                ContactPhone(position=1, value="+7(999)555-88-22"),
            ],
        ),
    ]
    deal.tasks = [Task(title="Связаться с клиентом", due_at=now + dt.timedelta(minutes=15), done=False)]
    deal.field_values = [CustomFieldValue(field_id=CUSTOM_PHONE_FIELD_ID, value="+7(999)111-11-11")]
    return deal


def _demo_timeline(now: dt.datetime) -> list[TimelineEntry]:
    created = clock.local(now).strftime("%H:%M")
    rows = [
        ("lead_created", "Лид создан вручную", ""),
        ("deal_created", "Сделка создана", ""),
        ("lead_form", "Телефон : +7(999)111-11-11", f"Время создания заявки: сегодня в {created}"),
        ("funnel_changed", "Смена воронки Воронка логики кнопок на Воронка 2", "Смена этапа с В работе на Новая"),
    ]
    return [
        TimelineEntry(deal_id=DEMO_DEAL_ID, created_at=now, author_id=1, kind=kind, title=title, body=body)
        for kind, title, body in rows
    ]


@cache
def _demo_password_hash(password: str) -> str:
    """Hashed once per process: the suite reloads the demo data per scenario, argon2 is slow by design.

    Only the hash is kept (salted, as any stored hash); the demo passwords themselves are public."""
    return passwords.hash_password(password)


def seed(session: Session, *, with_processes: bool = True) -> None:
    """Fill an empty schema. ``with_processes=False`` leaves the stages without business processes."""
    now = clock.now().replace(second=0, microsecond=0)
    session.add_all(
        [
            User(
                id=1,
                name="Ксения Администратор",
                login="admin",
                password_hash=_demo_password_hash("admin"),
                role=Role.ADMIN,
                token=ADMIN_TOKEN,
            ),
            User(
                id=2,
                name="Иван Менеджер",
                login="manager",
                password_hash=_demo_password_hash("manager"),
                role=Role.MANAGER,
                token=MANAGER_TOKEN,
            ),
        ]
    )
    session.add_all([_funnel(1, "Воронка логики кнопок", 0, 1), _funnel(2, "Воронка 2", 1, 4)])
    session.flush()
    session.add_all(
        [
            DealButton(funnel_id=1, label="Оплата", target_stage_id=3, position=0),
            DealButton(funnel_id=2, label="Оплата", target_stage_id=6, position=0),
            CustomField(id=CUSTOM_PHONE_FIELD_ID, name="телефон кастомный (сделка)"),
        ]
    )
    session.add_all(_integrations(now))
    session.flush()
    session.add(_demo_deal(now))
    session.flush()
    session.add_all(_demo_timeline(now))
    if with_processes:
        i2crm_channel = session.query(Channel).filter(Channel.phone == "79370000002").one()
        session.add(
            BusinessProcess(
                stage_id=DEMO_PROCESS_STAGE_ID,
                position=0,
                enabled=True,
                timing=Timing.IMMEDIATE,
                check_stage=False,
                provider="i2crm",
                channel_id=i2crm_channel.id,
                recipient_rule=RecipientRule.ALL_CONTACTS_ALL_NUMBERS,
                text=DEMO_TEXT,
                version=1,
                created_at=now,
                updated_at=now,
            )
        )
    session.flush()


# The demo rows as the ORM wrote them, per (with_processes, the clock's instant): a reset at an instant seen
# before inserts them again table by table (a few statements instead of the ORM's unit of work, and
# nothing recomputed, a password hash included). Scenarios all start at the same frozen instant; a live
# clock rarely repeats one, so only the latest few are kept.
_TemplateKey = tuple[bool, dt.datetime]
_TEMPLATES: dict[_TemplateKey, list[tuple[Table, list[dict[str, Any]]]]] = {}
_TEMPLATES_KEPT = 4


def reset(database: Database, *, with_processes: bool = True) -> None:
    """Empty every table and load the demo data again, in one transaction.

    Browser sessions of the demo users survive (signed out ones stay signed out): a developer's browser is
    still signed in after a reset, and so is the suite's, which resets before every scenario."""
    key = (with_processes, clock.now())
    sessions = Base.metadata.tables[WebSession.__tablename__]
    with database.session() as session:
        kept = [dict(row) for row in session.execute(select(sessions)).mappings()]
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())
        template = _TEMPLATES.get(key)
        if template is None:
            seed(session, with_processes=with_processes)
            _remember(key, _rows_of(session))
        else:
            _insert(session, template)
        users = set(session.scalars(select(User.id)))
        kept = [row for row in kept if row["user_id"] in users]
        if kept:
            session.execute(insert(sessions), kept)
        if database.is_postgres:
            _advance_sequences(session)


def _rows_of(session: Session) -> list[tuple[Table, list[dict[str, Any]]]]:
    session.flush()
    template = []
    for table in Base.metadata.sorted_tables:
        query = select(table).order_by(*table.primary_key.columns)
        template.append((table, [dict(row) for row in session.execute(query).mappings()]))
    return template


def _remember(key: _TemplateKey, template: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    while len(_TEMPLATES) >= _TEMPLATES_KEPT:
        del _TEMPLATES[next(iter(_TEMPLATES))]
    _TEMPLATES[key] = template


def _insert(session: Session, template: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    for table, rows in template:
        if not rows:
            continue
        if table.name == Integration.__tablename__:
            # Every reset gives the connected integrations new random webhook secrets, as seed() does.
            rows = [
                row | {"webhook_secret": new_webhook_secret(row["provider"])} if row["webhook_secret"] else row
                for row in rows
            ]
        session.execute(insert(table), rows)


def _advance_sequences(session: Session) -> None:
    """Explicit demo ids do not move PostgreSQL sequences; move them past the data."""
    for table in Base.metadata.sorted_tables:
        if "id" not in table.c:
            continue
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table.name}), 1))"
            )
        )
