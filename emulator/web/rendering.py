"""The Jinja2 environment of the HTML pages (autoescape on) and the one way to answer with a page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape

from emulator.phones import display, normalise
from emulator.web.csrf import FORM_FIELD
from emulator.web.settings_tabs import INTEGRATION_TABS, SETTINGS_TABS

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
SHORT_NAME_LENGTH = 16


def short_name(name: str) -> str:
    """A file chip's name: "photo_2023-0..." for long names (the full name goes in the title)."""
    if len(name) <= SHORT_NAME_LENGTH:
        return name
    return name[: SHORT_NAME_LENGTH - 4] + "..."


def phone(raw: str) -> str:
    """A stored number as the CRM shows it: "+7(937)000-00-03"."""
    digits = normalise(raw)
    return display(digits) if digits else raw


@pass_context
def csrf_field(context: Context) -> Markup:
    """The hidden field every POST form carries. Empty without a browser session (a page read with a bearer
    token: its forms are refused); a template rendered without ``csrf_token`` in its context is a bug."""
    token = context.get("csrf_token")
    if token is None:
        raise RuntimeError("a POST form rendered without csrf_token in its context")
    return Markup(f'<input type="hidden" name="{FORM_FIELD}" value="{escape(token)}">')


environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    # Each template is compiled once per process; no file is checked for changes at every page.
    auto_reload=False,
)
environment.filters["short_name"] = short_name
environment.filters["phone"] = phone
environment.globals.update(SETTINGS_TABS=SETTINGS_TABS, INTEGRATION_TABS=INTEGRATION_TABS, csrf_field=csrf_field)


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """Render a page; every template sees the signed-in user (or None), the current path and the CSRF token
    of the browser's session (empty without one: its forms then refuse to render)."""
    values: dict[str, Any] = {
        "user": getattr(request.state, "page_user", None),
        "path": request.url.path,
        "csrf_token": getattr(request.state, "csrf_token", ""),
    }
    values.update(context or {})
    html = environment.get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code)


def fragment(template: str, context: dict[str, Any]) -> Markup:
    """A part of a page rendered on its own (the live parts of the deal card)."""
    return Markup(environment.get_template(template).render(context))


def redirect(url: str) -> RedirectResponse:
    """Post/Redirect/Get: always 303, so the browser follows with a GET."""
    return RedirectResponse(url, status_code=303)
