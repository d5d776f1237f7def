"""Deals: creation, stage and funnel changes, buttons, edits, deletion.

Every way a deal enters a stage goes through :func:`_enter_stage`, which logs the change and
schedules the stage's business processes, so the three triggers behave identically.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from emulator import clock, row_ids, timeline
from emulator.automation import triggers
from emulator.errors import NotFound, ValidationFailed
from emulator.models import (
    Contact,
    CustomField,
    CustomFieldValue,
    Deal,
    DealButton,
    Funnel,
    Stage,
    User,
)

# Everything the view of a list of deals reads (the API's DealOut of each), loaded with the deals: one
# query per relation instead of one per relation and deal. A single deal is read lazily: on SQLite, a lazy
# load of a small collection costs less than an eager loader's statement (bench/request_cost.py).
LIST_VIEW = (
    joinedload(Deal.funnel).selectinload(Funnel.buttons),
    joinedload(Deal.stage),
    joinedload(Deal.responsible),
    joinedload(Deal.previous_responsible),
    selectinload(Deal.contacts).selectinload(Contact.phones),
    selectinload(Deal.contacts).selectinload(Contact.emails),
    selectinload(Deal.tasks),
    selectinload(Deal.field_values).joinedload(CustomFieldValue.field),
)


def get_deal(session: Session, deal_id: int) -> Deal:
    deal = row_ids.get(session, Deal, deal_id)
    if deal is None or deal.deleted_at is not None:
        raise NotFound("Сделка", deal_id)
    return deal


def list_deals(session: Session) -> list[Deal]:
    query = select(Deal).where(Deal.deleted_at.is_(None)).order_by(Deal.id).options(*LIST_VIEW)
    return list(session.scalars(query))


def get_funnel(session: Session, funnel_id: int) -> Funnel:
    funnel = row_ids.get(session, Funnel, funnel_id)
    if funnel is None:
        raise NotFound("Воронка", funnel_id)
    return funnel


def list_funnels(session: Session) -> list[Funnel]:
    """With their stages and buttons (a query each, not one per funnel)."""
    query = (
        select(Funnel)
        .order_by(Funnel.position, Funnel.id)
        .options(selectinload(Funnel.stages), selectinload(Funnel.buttons))
    )
    return list(session.scalars(query))


def get_stage(session: Session, stage_id: int) -> Stage:
    stage = row_ids.get(session, Stage, stage_id)
    if stage is None:
        raise NotFound("Этап", stage_id)
    return stage


def _user(session: Session, user_id: int | None, field: str, label: str) -> User | None:
    if user_id is None:
        return None
    user = row_ids.get(session, User, user_id)
    if user is None:
        raise ValidationFailed.one(field, label, f"пользователь {user_id} не найден")
    return user


def _stage_of_funnel(session: Session, funnel: Funnel, stage_id: int | None) -> Stage:
    if stage_id is None:
        if not funnel.stages:
            raise ValidationFailed.one("stage_id", "Этап", f"в воронке «{funnel.name}» нет этапов")
        return funnel.stages[0]
    stage = row_ids.get(session, Stage, stage_id)
    if stage is None or stage.funnel_id != funnel.id:
        raise ValidationFailed.one("stage_id", "Этап", f"этап {stage_id} не принадлежит воронке «{funnel.name}»")
    return stage


def create_deal(
    session: Session,
    *,
    funnel_id: int,
    stage_id: int | None,
    title: str,
    client_name: str,
    client_region: str | None,
    responsible_id: int | None,
    author: User | None,
) -> Deal:
    """A new deal starts in its stage; creation itself does not run the stage's processes."""
    funnel = row_ids.get(session, Funnel, funnel_id)
    if funnel is None:
        raise ValidationFailed.one("funnel_id", "Воронка", f"воронка {funnel_id} не найдена")
    stage = _stage_of_funnel(session, funnel, stage_id)
    responsible = _user(session, responsible_id, "responsible_id", "Ответственный")
    # The relations are given as objects (its collections empty): the new deal's view reads them from
    # memory, not from the database again.
    deal = Deal(
        title=title,
        funnel=funnel,
        stage=stage,
        responsible=responsible,
        previous_responsible=None,
        client_name=client_name,
        client_region=client_region or None,
        created_at=clock.now(),
        contacts=[],
        tasks=[],
        field_values=[],
    )
    session.add(deal)
    session.flush()
    timeline.record(session, deal.id, "deal_created", "Сделка создана", author=author)
    return deal


def _enter_stage(session: Session, deal: Deal, stage: Stage) -> None:
    deal.stage_id = stage.id
    deal.stage = stage
    session.flush()
    triggers.on_stage_entered(session, deal, stage, clock.now())


def change_stage(session: Session, deal: Deal, stage_id: int, author: User | None) -> bool:
    """Move the deal within its funnel. Re-selecting the current stage changes nothing."""
    stage = _stage_of_funnel(session, deal.funnel, stage_id)
    if stage.id == deal.stage_id:
        return False
    old = deal.stage
    timeline.record(session, deal.id, "stage_changed", f"Смена этапа с {old.name} на {stage.name}", author=author)
    _enter_stage(session, deal, stage)
    return True


def change_funnel(session: Session, deal: Deal, funnel_id: int, stage_id: int | None, author: User | None) -> bool:
    funnel = row_ids.get(session, Funnel, funnel_id)
    if funnel is None:
        raise ValidationFailed.one("funnel_id", "Воронка", f"воронка {funnel_id} не найдена")
    if funnel.id == deal.funnel_id:
        return change_stage(session, deal, stage_id, author) if stage_id is not None else False
    stage = _stage_of_funnel(session, funnel, stage_id)
    old_funnel, old_stage = deal.funnel, deal.stage
    timeline.record(
        session,
        deal.id,
        "funnel_changed",
        f"Смена воронки {old_funnel.name} на {funnel.name}",
        f"Смена этапа с {old_stage.name} на {stage.name}",
        author=author,
    )
    deal.funnel_id = funnel.id
    deal.funnel = funnel
    _enter_stage(session, deal, stage)
    return True


def buttons(session: Session, deal: Deal) -> list[DealButton]:
    query = select(DealButton).where(DealButton.funnel_id == deal.funnel_id).order_by(DealButton.position)
    return list(session.scalars(query))


def press_button(session: Session, deal: Deal, button_id: int, author: User | None) -> bool:
    button = row_ids.get(session, DealButton, button_id)
    if button is None or button.funnel_id != deal.funnel_id:
        raise NotFound("Кнопка", button_id)
    return change_stage(session, deal, button.target_stage_id, author)


@dataclass(frozen=True)
class DealChanges:
    """Fields of a deal edit; None leaves a field as it is."""

    title: str | None = None
    client_name: str | None = None
    client_region: str | None = None
    responsible_id: int | None = None
    custom_fields: dict[int, str] | None = None


def update_deal(session: Session, deal: Deal, changes: DealChanges, author: User | None) -> Deal:
    if changes.title is not None:
        deal.title = changes.title
    if changes.client_name is not None:
        deal.client_name = changes.client_name
    if changes.client_region is not None:
        deal.client_region = changes.client_region or None
    if changes.responsible_id is not None and changes.responsible_id != deal.responsible_id:
        new = _user(session, changes.responsible_id, "responsible_id", "Ответственный")
        assert new is not None
        old_name = deal.responsible.name if deal.responsible else "—"
        deal.previous_responsible_id = deal.responsible_id
        deal.responsible_id = new.id
        timeline.record(
            session,
            deal.id,
            "responsible_changed",
            f"Смена ответственного с {old_name} на {new.name}",
            author=author,
        )
    if changes.custom_fields:
        _set_custom_fields(session, deal, changes.custom_fields)
    session.flush()
    session.refresh(deal)
    return deal


def _set_custom_fields(session: Session, deal: Deal, values: dict[int, str]) -> None:
    for field_id, value in values.items():
        if row_ids.get(session, CustomField, field_id) is None:
            raise ValidationFailed.one("custom_fields", "Поля сделки", f"поле {field_id} не найдено")
        existing = session.scalar(
            select(CustomFieldValue).where(CustomFieldValue.deal_id == deal.id, CustomFieldValue.field_id == field_id)
        )
        if existing is None:
            session.add(CustomFieldValue(deal_id=deal.id, field_id=field_id, value=value))
        else:
            existing.value = value


def delete_deal(session: Session, deal: Deal, author: User | None) -> None:
    """Soft delete: the deal disappears and its pending runs are cancelled."""
    deal.deleted_at = clock.now()
    triggers.cancel_pending_runs(session, deal.id, "Сделка удалена")
