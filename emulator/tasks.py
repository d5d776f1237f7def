"""The deal's tasks ("Связаться с клиентом / Выполнить сегодня в 14:38")."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from emulator import row_ids
from emulator.errors import NotFound, ValidationFailed
from emulator.models import Deal, Task


def add_task(session: Session, deal: Deal, title: str, due_at: dt.datetime) -> Task:
    if not title.strip():
        raise ValidationFailed.one("title", "Задача", "укажите название задачи")
    if due_at.tzinfo is None:
        raise ValidationFailed.one("due_at", "Срок", "укажите часовой пояс срока")
    task = Task(deal_id=deal.id, title=title.strip(), due_at=due_at, done=False)
    session.add(task)
    session.flush()
    return task


def set_done(session: Session, deal: Deal, task_id: int, done: bool) -> Task:
    task = row_ids.get(session, Task, task_id)
    if task is None or task.deal_id != deal.id:
        raise NotFound("Задача", task_id)
    task.done = done
    session.flush()
    return task


def nearest_open(deal: Deal) -> Task | None:
    """The open task due soonest: the value of "Дата и время задачи"."""
    open_tasks = [t for t in deal.tasks if not t.done]
    return min(open_tasks, key=lambda t: t.due_at) if open_tasks else None
