"""Signing in and out of the HTML front door (the cookie ``crm_session`` holds the user's token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from emulator.api.auth import check_password
from emulator.api.dependencies import SESSION_COOKIE, user_from_request
from emulator.web.access import PageSession
from emulator.web.page_route import PageRoute
from emulator.web.rendering import redirect, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

LOGIN_ERROR = "Неверный логин или пароль"


def _safe_next(target: str | None) -> str:
    """Only a local path is followed after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/deals"


@router.get("/")
def home() -> Response:
    return redirect("/deals")


@router.get("/login")
def login_form(request: Request, session: PageSession, next: str | None = None) -> Response:
    if user_from_request(request, session) is not None:
        return redirect(_safe_next(next))
    return render(request, "login.html", {"next": _safe_next(next), "login": "", "error": None})


@router.post("/login")
def login(
    request: Request,
    session: PageSession,
    login: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/deals",
) -> Response:
    user = check_password(session, login, password)
    if user is None:
        context = {"next": _safe_next(next), "login": login, "error": LOGIN_ERROR}
        return render(request, "login.html", context, status_code=401)
    response = redirect(_safe_next(next))
    response.set_cookie(SESSION_COOKIE, user.token, httponly=True, samesite="lax", path="/")
    return response


@router.post("/logout")
def logout() -> Response:
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
