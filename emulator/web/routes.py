"""HTML pages: sign-in, deals, settings (integrations, business processes) and their static files."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from emulator.web import auth_pages, deal_pages, integration_pages, process_pages, settings_pages
from emulator.web.rendering import STATIC_DIR


def install(app: FastAPI) -> None:
    """Mount the HTML routers, templates and static files on the app."""
    # Specific settings routes first: /settings/{section} would otherwise take them.
    for module in (auth_pages, deal_pages, integration_pages, process_pages, settings_pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        """Browsers and tools that ask for /favicon.ico get the CRM's icon (the pages link it as SVG)."""
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")
