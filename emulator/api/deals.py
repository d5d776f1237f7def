"""JSON API of deals: read, stage and funnel changes, buttons, contacts, tasks, timeline, dialogs, runs."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import select

from emulator import contacts, deals, replies, row_ids, tasks, timeline
from emulator.api import presenters
from emulator.api.bearer_route import BearerRoute
from emulator.api.deal_schemas import (
    ChangeResult,
    ContactIn,
    ContactOut,
    CustomFieldIn,
    CustomFieldOut,
    DealCreate,
    DealOut,
    DealUpdate,
    DialogMessageOut,
    FunnelChange,
    FunnelOut,
    ReplyOut,
    RunOut,
    StageChange,
    TaskDone,
    TaskIn,
    TaskOut,
    TimelineEntryOut,
    UserOut,
)
from emulator.api.dependencies import AdminDep, SessionDep, SettingsDep, UserDep
from emulator.automation import triggers
from emulator.errors import NotFound, ValidationFailed
from emulator.models import CustomField, OutgoingMessage, ProcessRun, User

router = APIRouter(prefix="/api", tags=["Сделки"], route_class=BearerRoute)


def _contact_data(item: ContactIn) -> contacts.ContactData:
    return contacts.ContactData(
        name=item.name,
        is_primary=item.is_primary,
        phones=[contacts.PhoneData(value=p.value, kind=p.kind) for p in item.phones],
        emails=list(item.emails),
    )


@router.get("/me", response_model=UserOut)
def me(user: UserDep) -> UserOut:
    return UserOut(id=user.id, name=user.name, login=user.login, role=user.role)


@router.get("/users", response_model=list[UserOut])
def users(session: SessionDep, _: UserDep) -> list[UserOut]:
    return [UserOut(id=u.id, name=u.name, login=u.login, role=u.role) for u in session.scalars(select(User))]


@router.get("/funnels", response_model=list[FunnelOut])
def funnels(session: SessionDep, _: UserDep) -> list[FunnelOut]:
    return [presenters.funnel_out(f) for f in deals.list_funnels(session)]


@router.get("/deals", response_model=list[DealOut])
def list_deals(session: SessionDep, settings: SettingsDep, _: UserDep) -> list[DealOut]:
    return [presenters.deal_out(session, settings, d) for d in deals.list_deals(session)]


@router.post("/deals", response_model=DealOut, status_code=status.HTTP_201_CREATED)
def create_deal(body: DealCreate, session: SessionDep, settings: SettingsDep, user: UserDep) -> DealOut:
    deal = deals.create_deal(
        session,
        funnel_id=body.funnel_id,
        stage_id=body.stage_id,
        title=body.title,
        client_name=body.client_name,
        client_region=body.client_region,
        responsible_id=body.responsible_id,
        author=user,
    )
    if body.contacts:
        contacts.replace_contacts(session, deal, [_contact_data(c) for c in body.contacts])
    return presenters.deal_out(session, settings, deal)  # all of it in memory: what was just written


@router.get("/deals/{deal_id}", response_model=DealOut)
def get_deal(deal_id: int, session: SessionDep, settings: SettingsDep, _: UserDep) -> DealOut:
    return presenters.deal_out(session, settings, deals.get_deal(session, deal_id))


@router.patch("/deals/{deal_id}", response_model=DealOut)
def update_deal(deal_id: int, body: DealUpdate, session: SessionDep, settings: SettingsDep, user: UserDep) -> DealOut:
    deal = deals.get_deal(session, deal_id)
    changes = deals.DealChanges(**body.model_dump())
    return presenters.deal_out(session, settings, deals.update_deal(session, deal, changes, user))


@router.delete("/deals/{deal_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_deal(deal_id: int, session: SessionDep, user: UserDep) -> None:
    deals.delete_deal(session, deals.get_deal(session, deal_id), user)


@router.post("/deals/{deal_id}/stage", response_model=ChangeResult)
def change_stage(
    deal_id: int, body: StageChange, session: SessionDep, settings: SettingsDep, user: UserDep
) -> ChangeResult:
    deal = deals.get_deal(session, deal_id)
    changed = deals.change_stage(session, deal, body.stage_id, user)
    session.commit()  # the write ends here, in this worker, not after the answer is built and checked
    return ChangeResult(changed=changed, deal=presenters.deal_out(session, settings, deal))


@router.post("/deals/{deal_id}/funnel", response_model=ChangeResult)
def change_funnel(
    deal_id: int, body: FunnelChange, session: SessionDep, settings: SettingsDep, user: UserDep
) -> ChangeResult:
    deal = deals.get_deal(session, deal_id)
    changed = deals.change_funnel(session, deal, body.funnel_id, body.stage_id, user)
    session.commit()  # the write ends here, in this worker, not after the answer is built and checked
    return ChangeResult(changed=changed, deal=presenters.deal_out(session, settings, deal))


@router.post("/deals/{deal_id}/buttons/{button_id}/press", response_model=ChangeResult)
def press_button(
    deal_id: int, button_id: int, session: SessionDep, settings: SettingsDep, user: UserDep
) -> ChangeResult:
    deal = deals.get_deal(session, deal_id)
    changed = deals.press_button(session, deal, button_id, user)
    session.commit()  # the write ends here, in this worker, not after the answer is built and checked
    return ChangeResult(changed=changed, deal=presenters.deal_out(session, settings, deal))


@router.put("/deals/{deal_id}/contacts", response_model=list[ContactOut])
def replace_contacts(
    deal_id: int, body: list[ContactIn], session: SessionDep, settings: SettingsDep, _: UserDep
) -> list[ContactOut]:
    deal = deals.get_deal(session, deal_id)
    contacts.replace_contacts(session, deal, [_contact_data(c) for c in body])
    session.refresh(deal)
    return presenters.deal_out(session, settings, deal).contacts


@router.post("/deals/{deal_id}/contacts", response_model=list[ContactOut], status_code=status.HTTP_201_CREATED)
def add_contact(
    deal_id: int, body: ContactIn, session: SessionDep, settings: SettingsDep, _: UserDep
) -> list[ContactOut]:
    deal = deals.get_deal(session, deal_id)
    contacts.add_contact(session, deal, _contact_data(body))
    session.refresh(deal)
    return presenters.deal_out(session, settings, deal).contacts


@router.put("/deals/{deal_id}/contacts/{contact_id}", response_model=list[ContactOut])
def update_contact(
    deal_id: int, contact_id: int, body: ContactIn, session: SessionDep, settings: SettingsDep, _: UserDep
) -> list[ContactOut]:
    deal = deals.get_deal(session, deal_id)
    contacts.update_contact(session, deal, contact_id, _contact_data(body))
    session.refresh(deal)
    return presenters.deal_out(session, settings, deal).contacts


@router.delete("/deals/{deal_id}/contacts/{contact_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_contact(deal_id: int, contact_id: int, session: SessionDep, _: UserDep) -> None:
    contacts.delete_contact(session, deals.get_deal(session, deal_id), contact_id)


@router.post("/deals/{deal_id}/tasks", response_model=TaskOut, status_code=status.HTTP_201_CREATED)
def add_task(deal_id: int, body: TaskIn, session: SessionDep, _: UserDep) -> TaskOut:
    return presenters.task_out(tasks.add_task(session, deals.get_deal(session, deal_id), body.title, body.due_at))


@router.patch("/deals/{deal_id}/tasks/{task_id}", response_model=TaskOut)
def set_task_done(deal_id: int, task_id: int, body: TaskDone, session: SessionDep, _: UserDep) -> TaskOut:
    """Mark a task of the deal done (or open again): a done task no longer gives «Дата и время задачи»."""
    return presenters.task_out(tasks.set_done(session, deals.get_deal(session, deal_id), task_id, body.done))


@router.get("/deals/{deal_id}/timeline", response_model=list[TimelineEntryOut])
def get_timeline(deal_id: int, session: SessionDep, _: UserDep) -> list[TimelineEntryOut]:
    deals.get_deal(session, deal_id)
    return [presenters.timeline_out(e) for e in timeline.entries(session, deal_id)]


@router.get("/deals/{deal_id}/dialogs", response_model=list[DialogMessageOut])
def get_dialogs(deal_id: int, session: SessionDep, _: UserDep) -> list[DialogMessageOut]:
    deals.get_deal(session, deal_id)
    query = select(OutgoingMessage).where(OutgoingMessage.deal_id == deal_id).order_by(OutgoingMessage.id)
    return [presenters.dialog_out(m) for m in session.scalars(query)]


@router.get("/deals/{deal_id}/replies", response_model=list[ReplyOut])
def get_replies(deal_id: int, session: SessionDep, _: UserDep) -> list[ReplyOut]:
    """What the deal's client wrote back (WhatsApp replies through the providers), oldest first."""
    deals.get_deal(session, deal_id)
    return [presenters.reply_out(m) for m in replies.of_deal(session, deal_id)]


@router.get("/deals/{deal_id}/runs", response_model=list[RunOut])
def get_runs(deal_id: int, session: SessionDep, _: UserDep) -> list[RunOut]:
    deals.get_deal(session, deal_id)
    return [presenters.run_out(r) for r in triggers.pending_runs(session, deal_id)]


@router.post("/runs/{run_id}/cancel", response_model=RunOut)
def cancel_run(run_id: int, session: SessionDep, user: UserDep) -> RunOut:
    run = row_ids.get(session, ProcessRun, run_id)
    if run is None:
        raise NotFound("Запуск", run_id)
    deals.get_deal(session, run.deal_id)
    if not triggers.cancel_run(session, run, f"отменено пользователем {user.name}", author=user):
        raise ValidationFailed.one("run_id", "Запуск", "запуск уже выполнен или отменён")
    return presenters.run_out(run)


@router.get("/custom-fields", response_model=list[CustomFieldOut])
def custom_fields(session: SessionDep, _: UserDep) -> list[CustomFieldOut]:
    return [
        CustomFieldOut(id=f.id, name=f.name, token=f"[{f.name}#{f.id}]")
        for f in session.scalars(select(CustomField).order_by(CustomField.id))
    ]


@router.post("/custom-fields", response_model=CustomFieldOut, status_code=status.HTTP_201_CREATED)
def create_custom_field(body: CustomFieldIn, session: SessionDep, _: AdminDep) -> CustomFieldOut:
    name = body.name.strip()
    if not name or any(ch in name for ch in "[]#"):
        raise ValidationFailed.one("name", "Название поля", "непустое, без символов [ ] #")
    field = CustomField(name=name)
    session.add(field)
    session.flush()
    return CustomFieldOut(id=field.id, name=field.name, token=f"[{field.name}#{field.id}]")
