"""The deal list and the deal card: stage, funnel and button changes, cancelling scheduled runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse

from emulator import deals, row_ids
from emulator.api import presenters
from emulator.automation import triggers
from emulator.errors import NotFound, ValidationFailed
from emulator.models import ProcessRun
from emulator.web.access import PageSession, PageSettings, PageUser
from emulator.web.deal_live import LiveParts
from emulator.web.deal_view import deal_card
from emulator.web.page_route import PageRoute
from emulator.web.rendering import redirect, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _card(request: Request, session: PageSession, settings: PageSettings, deal_id: int, errors: list[str]) -> Response:
    card = deal_card(session, settings, deals.get_deal(session, deal_id))
    live = LiveParts.of(card, request.state.csrf_token)
    context = {"card": card, "errors": errors, "live": live, "live_version": live.version}
    return render(request, "deal.html", context, status_code=422 if errors else 200)


def _refused(request: Request, session: PageSession, settings: PageSettings, deal_id: int, exc: Exception) -> Response:
    session.rollback()
    errors = exc.errors if isinstance(exc, ValidationFailed) else []
    messages = [f"{e.label}: {e.message}" for e in errors] or [str(exc)]
    return _card(request, session, settings, deal_id, messages)


def _optional_int(raw: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise ValidationFailed.one("stage_id", "Этап", f"некорректный этап «{raw}»")
    return int(text)


@router.get("/deals")
def deal_list(request: Request, session: PageSession, settings: PageSettings, _: PageUser) -> Response:
    rows = [presenters.deal_out(session, settings, d) for d in deals.list_deals(session)]
    return render(request, "deals.html", {"deals": rows})


@router.get("/deals/{deal_id}")
def deal_page(deal_id: int, request: Request, session: PageSession, settings: PageSettings, _: PageUser) -> Response:
    return _card(request, session, settings, deal_id, [])


@router.get("/deals/{deal_id}/live")
def deal_live(deal_id: int, request: Request, session: PageSession, settings: PageSettings, _: PageUser) -> Response:
    """The card's live parts; 304 while they are what the page already shows (its ETag)."""
    live = LiveParts.of(deal_card(session, settings, deals.get_deal(session, deal_id)), request.state.csrf_token)
    etag = f'"{live.version}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return HTMLResponse(live.as_templates(), headers=headers)


@router.post("/deals/{deal_id}/stage")
def change_stage(
    deal_id: int,
    request: Request,
    session: PageSession,
    settings: PageSettings,
    user: PageUser,
    stage_id: Annotated[int, Form()],
) -> Response:
    deal = deals.get_deal(session, deal_id)
    try:
        deals.change_stage(session, deal, stage_id, user)
    except ValidationFailed as exc:
        return _refused(request, session, settings, deal_id, exc)
    session.commit()
    return redirect(f"/deals/{deal_id}")


@router.post("/deals/{deal_id}/funnel")
def change_funnel(
    deal_id: int,
    request: Request,
    session: PageSession,
    settings: PageSettings,
    user: PageUser,
    funnel_id: Annotated[int, Form()],
    stage_id: Annotated[str, Form()] = "",
) -> Response:
    deal = deals.get_deal(session, deal_id)
    try:
        deals.change_funnel(session, deal, funnel_id, _optional_int(stage_id), user)
    except ValidationFailed as exc:
        return _refused(request, session, settings, deal_id, exc)
    session.commit()
    return redirect(f"/deals/{deal_id}")


@router.post("/deals/{deal_id}/buttons/{button_id}")
def press_button(
    deal_id: int, button_id: int, request: Request, session: PageSession, settings: PageSettings, user: PageUser
) -> Response:
    deal = deals.get_deal(session, deal_id)
    try:
        deals.press_button(session, deal, button_id, user)
    except (ValidationFailed, NotFound) as exc:
        return _refused(request, session, settings, deal_id, exc)
    session.commit()
    return redirect(f"/deals/{deal_id}")


@router.post("/deals/{deal_id}/runs/{run_id}/cancel")
def cancel_run(
    deal_id: int, run_id: int, request: Request, session: PageSession, settings: PageSettings, user: PageUser
) -> Response:
    deals.get_deal(session, deal_id)
    run = row_ids.get(session, ProcessRun, run_id)
    if run is None or run.deal_id != deal_id:
        raise NotFound("Запуск", run_id)
    if not triggers.cancel_run(session, run, f"отменено пользователем {user.name}", author=user):
        message = ValidationFailed.one("run_id", "Запуск", "запуск уже выполнен или отменён")
        return _refused(request, session, settings, deal_id, message)
    session.commit()
    return redirect(f"/deals/{deal_id}")
