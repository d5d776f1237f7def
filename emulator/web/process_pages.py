"""БИЗНЕС-ПРОЦЕССЫ: the processes of each stage of a funnel, and the editor "Настройки бизнес-процесса"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from emulator import business_processes, deals, files
from emulator.api import presenters
from emulator.errors import FieldError, NotFound, ValidationFailed
from emulator.integrations import available_services
from emulator.models import Funnel, Stage
from emulator.web.access import PageAdmin, PageSession, PageSettings
from emulator.web.page_route import PageRoute
from emulator.web.process_form import EditorForm, editor_context, form_of
from emulator.web.rendering import redirect, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

LIST = "/settings/business-processes"


def editor_form(
    stage_id: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "",
    timing: Annotated[str, Form()] = "",
    delay_value: Annotated[str, Form()] = "",
    delay_unit: Annotated[str, Form()] = "",
    check_stage: Annotated[str, Form()] = "false",
    provider: Annotated[str, Form()] = "",
    channel_id: Annotated[str, Form()] = "",
    recipient_rule: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    file_ids: Annotated[list[str] | None, Form()] = None,
) -> EditorForm:
    return EditorForm(
        stage_id=stage_id,
        action=action,
        timing=timing,
        delay_value=delay_value,
        delay_unit=delay_unit,
        check_stage=check_stage,
        provider=provider,
        channel_id=channel_id,
        recipient_rule=recipient_rule,
        text=text,
        file_ids=list(file_ids or []),
    )


SubmittedForm = Annotated[EditorForm, Depends(editor_form)]


def _stage(session: Session, raw: str | int | None) -> Stage:
    if raw is None or str(raw).strip() == "":
        funnels = deals.list_funnels(session)
        if not funnels or not funnels[0].stages:
            raise NotFound("Этап", "")
        return funnels[0].stages[0]
    if not str(raw).isdigit():
        raise NotFound("Этап", raw)
    return deals.get_stage(session, int(raw))


def _editor(
    request: Request,
    session: Session,
    settings: PageSettings,
    form: EditorForm,
    errors: list[FieldError],
    process_id: int | None,
    stage: Stage,
) -> Response:
    process = business_processes.get_process(session, process_id) if process_id is not None else None
    context = editor_context(session, form, errors)
    context.update(
        tab="business-processes",
        stage=stage,
        funnel=stage.funnel,
        process=presenters.process_out(settings, process) if process is not None else None,
        action_url=f"{LIST}/{process_id}/edit" if process_id is not None else f"{LIST}/new",
        cancel_url=f"{LIST}?funnel_id={stage.funnel_id}",
    )
    return render(request, "process_editor.html", context, status_code=422 if errors else 200)


def _save(
    request: Request, session: Session, settings: PageSettings, form: EditorForm, process_id: int | None
) -> Response:
    try:
        # The refused editor keeps the chosen files; the scheduler's sweep removes them if it is abandoned.
        process = business_processes.save(session, form.draft(), process_id, keep_refused_files=True)
    except ValidationFailed as exc:
        session.rollback()
        stage = _stage_of_refused(session, form, process_id)
        return _editor(request, session, settings, form, exc.errors, process_id, stage)
    session.commit()
    return redirect(f"{LIST}?funnel_id={process.stage.funnel_id}&saved={process.id}")


def _stage_of_refused(session: Session, form: EditorForm, process_id: int | None) -> Stage:
    """The stage the refused editor belongs to: the submitted one, else the process's, else the first."""
    try:
        return _stage(session, form.stage_id)
    except NotFound:
        if process_id is None:
            return _stage(session, None)
        return business_processes.get_process(session, process_id).stage


def _first_funnel(session: Session, funnels: list[Funnel]) -> Funnel | None:
    """Without a funnel asked for: the first funnel that has business processes (the demo's «Воронка 2»)."""
    for funnel in funnels:
        if any(business_processes.list_processes(session, stage.id) for stage in funnel.stages):
            return funnel
    return funnels[0] if funnels else None


@router.get("/settings/business-processes")
def process_list(
    request: Request,
    session: PageSession,
    settings: PageSettings,
    _: PageAdmin,
    funnel_id: int | None = None,
    saved: int | None = None,
    deleted: int | None = None,
) -> Response:
    funnels = deals.list_funnels(session)
    funnel = deals.get_funnel(session, funnel_id) if funnel_id is not None else _first_funnel(session, funnels)
    available = {service.provider for service in available_services(session)}
    stages = []
    for stage in funnel.stages if funnel else []:
        processes = [presenters.process_out(settings, p) for p in business_processes.list_processes(session, stage.id)]
        stages.append((stage, processes))
    if saved is not None:
        notice = f"Бизнес-процесс №{saved} сохранён"
    elif deleted is not None:
        notice = f"Бизнес-процесс №{deleted} удалён"
    else:
        notice = None
    context = {
        "tab": "business-processes",
        "funnels": funnels,
        "funnel": funnel,
        "stages": stages,
        "notice": notice,
        "available": available,
    }
    return render(request, "processes.html", context)


@router.get("/settings/business-processes/new")
def new_process(
    request: Request, session: PageSession, settings: PageSettings, _: PageAdmin, stage_id: str | None = None
) -> Response:
    stage = _stage(session, stage_id)
    return _editor(request, session, settings, EditorForm(stage_id=str(stage.id)), [], None, stage)


@router.post("/settings/business-processes/new")
def create_process(
    request: Request, session: PageSession, settings: PageSettings, _: PageAdmin, form: SubmittedForm
) -> Response:
    return _save(request, session, settings, form, None)


@router.get("/settings/business-processes/{process_id}/edit")
def edit_process(
    process_id: int, request: Request, session: PageSession, settings: PageSettings, _: PageAdmin
) -> Response:
    process = business_processes.get_process(session, process_id)
    form = form_of(business_processes.draft_of(process))
    return _editor(request, session, settings, form, [], process_id, process.stage)


@router.post("/settings/business-processes/{process_id}/edit")
def update_process(
    process_id: int, request: Request, session: PageSession, settings: PageSettings, _: PageAdmin, form: SubmittedForm
) -> Response:
    business_processes.get_process(session, process_id)
    return _save(request, session, settings, form, process_id)


@router.post("/settings/business-processes/{process_id}/delete")
def delete_process(process_id: int, session: PageSession, _: PageAdmin) -> Response:
    funnel_id = business_processes.get_process(session, process_id).stage.funnel_id
    business_processes.delete(session, process_id)
    session.commit()
    return redirect(f"{LIST}?funnel_id={funnel_id}&deleted={process_id}")


@router.post("/settings/business-processes/files")
def upload_file(session: PageSession, settings: PageSettings, user: PageAdmin, file: UploadFile) -> Response:
    """The editor's upload (``fetch`` with the session's ``X-CSRF-Token``): the same answer as ``POST /api/files``,
    which takes only the REST API's bearer token. A refused file answers 422 with the fields, as the API does."""
    stored = files.store_upload(session, settings.files_dir, file.filename or "", file.content_type, file.file, user)
    return JSONResponse(
        presenters.file_out(settings, stored).model_dump(mode="json"), status_code=status.HTTP_201_CREATED
    )
