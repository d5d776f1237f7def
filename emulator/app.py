"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline

from emulator.api import auth, business_processes, control, deals, error_handlers, files, integrations, webhooks
from emulator.automation.scheduler import Scheduler
from emulator.db import Database
from emulator.request_limits import RequestLimits
from emulator.request_slots import request_slot
from emulator.settings import Settings


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    database = database or Database(settings.database_url)
    scheduler = Scheduler(database, settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.scheduler_loop:
            scheduler.start()
        try:
            yield
        finally:
            scheduler.stop()

    # Swagger UI and ReDoc served from the package, not a CDN: /docs works without internet.
    app = FastAPIOffline(
        title="CRM: эмулятор",
        description="Эталонная CRM: сделки, воронки, интеграции и бизнес-процессы «Отправить сообщение в WhatsApp».",
        lifespan=lifespan,
        # First of every route's dependencies: a bounded number of requests at work at once (the module says why).
        dependencies=[Depends(request_slot, scope="function")],
    )
    app.state.settings = settings
    app.state.database = database
    app.state.scheduler = scheduler
    error_handlers.install(app)
    app.add_middleware(RequestLimits)
    for router in (
        auth.router,
        deals.router,
        business_processes.router,
        integrations.router,
        files.router,
        webhooks.router,
    ):
        app.include_router(router)
    if settings.control_api:
        app.include_router(control.router)
    from emulator.web.routes import install as install_web

    install_web(app)
    return app
