"""Signing in and out of the HTML front door.

``GET /login`` opens a short session for the form (its CSRF token); a right password replaces it with a
new session of the user (cookie ``crm_session``: HttpOnly, SameSite=Lax, Secure behind HTTPS), never the
user's API token; signing out revokes that session. Wrong passwords are rate-limited (``emulator.sign_in``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from emulator import clock, web_sessions
from emulator.sign_in import WRONG_CREDENTIALS, TooManyAttempts, authenticate
from emulator.web.access import SESSION_COOKIE, PageSession, PageSettings, visitor_of
from emulator.web.csrf import token_for
from emulator.web.page_route import PageRoute
from emulator.web.rendering import redirect, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a local path is followed after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/deals"


def _set_session_cookie(response: Response, token: str, settings: PageSettings) -> None:
    secure = settings.public_base_url.startswith("https://")
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=secure, path="/")


@router.get("/")
def home() -> Response:
    return redirect("/deals")


@router.get("/login")
def login_form(request: Request, session: PageSession, settings: PageSettings, next: str | None = None) -> Response:
    visitor = visitor_of(request)
    if visitor.user_id is not None and not visitor.by_bearer:
        return redirect(_safe_next(next))
    token = visitor.session_token or web_sessions.open_session(session, None, clock.now())
    request.state.csrf_token = token_for(token)
    response = render(request, "login.html", {"next": _safe_next(next), "login": "", "error": None})
    if token != visitor.session_token:
        _set_session_cookie(response, token, settings)
    return response


@router.post("/login")
def login(
    request: Request,
    session: PageSession,
    settings: PageSettings,
    login: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/deals",
) -> Response:
    """The route class has checked the form's CSRF token against the session ``GET /login`` opened."""
    now = clock.now()
    context = {"next": _safe_next(next), "login": login}
    try:
        user = authenticate(session, login, password, now)
    except TooManyAttempts as exc:
        refused = render(request, "login.html", {**context, "error": str(exc)}, status_code=429)
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    if user is None:
        return render(request, "login.html", {**context, "error": WRONG_CREDENTIALS}, status_code=401)
    previous = visitor_of(request).session_token
    if previous:
        web_sessions.revoke(session, previous, now)
    response = redirect(_safe_next(next))
    _set_session_cookie(response, web_sessions.open_session(session, user.id, now), settings)
    return response


@router.post("/logout")
def logout(request: Request, session: PageSession) -> Response:
    """Revokes the session (the same cookie is refused from now on) and clears the cookie."""
    token = visitor_of(request).session_token
    if token:
        web_sessions.revoke(session, token, clock.now())
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
