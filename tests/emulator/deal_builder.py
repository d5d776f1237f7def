"""Transient deals (no database) for the engine's pure parts."""

from __future__ import annotations

import datetime as dt

from emulator.models import (
    Contact,
    ContactEmail,
    ContactPhone,
    CustomFieldValue,
    Deal,
    Stage,
    Task,
    User,
)

NOW = dt.datetime(2026, 11, 10, 11, 23, tzinfo=dt.UTC)


def contact(name: str, *phones: str, primary: bool = False, emails: tuple[str, ...] = ()) -> Contact:
    return Contact(
        name=name,
        is_primary=primary,
        phones=[ContactPhone(position=n, value=p) for n, p in enumerate(phones)],
        emails=[ContactEmail(position=n, value=e) for n, e in enumerate(emails)],
    )


def deal(*contacts: Contact) -> Deal:
    return Deal(
        id=9396,
        client_name="Иван Клиентов",
        client_region=None,
        created_at=NOW,
        stage=Stage(id=5, name="В работе"),
        responsible=User(id=1, name="Ксения Администратор"),
        previous_responsible=None,
        contacts=list(contacts),
        tasks=[],
        field_values=[],
    )


def with_task(target: Deal, title: str, due_at: dt.datetime, done: bool = False) -> Deal:
    target.tasks.append(Task(title=title, due_at=due_at, done=done))
    return target


def with_field(target: Deal, field_id: int, value: str) -> Deal:
    target.field_values.append(CustomFieldValue(field_id=field_id, value=value))
    return target
