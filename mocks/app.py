"""Standalone mount: the same fake objects served over HTTP by FastAPI (``python -m mocks``).

- ``<prefix>/...`` (``/<name>`` + the path of its real base URL, e.g. ``/<name>/v1/...``): each
  provider's API, for every fake class of ``mocks.registry.FAKE_CLASSES``;
- ``/_fakes/...``: the control API (``mocks.control_api``), never subject to faults;
- ``/<name>/docs``: each provider's contract as a page (offline),
  and the document itself at ``/<provider>/openapi.yaml``;
- ``/``: the outbox page (``?provider=&channel=&number=`` filter it), ``/outbox/live``: its live list.

Transport faults are best effort over a real socket:
- ``slow``: processed, answered after really waiting ``seconds``;
- ``timeout`` / ``lost_answer``: the connection is held for ``seconds`` (default 60; unprocessed /
  processed respectively) and then dropped unanswered -- the client sees a read timeout, never a connect
  timeout;
- ``connection_refused`` / ``connection_reset``: the connection is closed with nothing written (a TCP
  connection was already accepted, so neither a true refusal nor an RST is possible); ``requests``
  raises ``ConnectionError(ProtocolError("Connection aborted.", RemoteDisconnected(...)))``.
The drop relies on uvicorn, which closes the socket when the ASGI app returns a value other than None
(it logs "ASGI callable should return None"); other servers, and Starlette's TestClient, see no answer
and fail differently (TestClient raises AssertionError).
"""

from __future__ import annotations

from asyncio import sleep
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, PlainTextResponse
from starlette.types import Message, Receive, Scope, Send

from mocks.contract_docs import render as render_contract
from mocks.control_api import control_router
from mocks.outbox_page import OUTBOX_SCRIPT, OutboxFilter, list_version, render_outbox_list, render_outbox_page
from mocks.provider_fake import ProviderFake
from mocks.registry import FAKE_CLASSES, ProviderFakes
from mocks.wire import FakeRequest, Outcome

# provider -> where its API is served (as its fake class declares it)
PREFIXES: dict[str, str] = {name: cls.prefix() for name, cls in FAKE_CLASSES.items()}
METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"]
_DROP = "mocks.drop_connection"


class ProviderFakesApp(FastAPI):
    """FastAPI that can drop a connection: when a route asks for it, its answer is swallowed and the ASGI
    call returns a non-None value, on which uvicorn closes the socket with nothing written."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return None
        drop: list[bool] = []
        scope[_DROP] = drop

        async def guarded_send(message: Message) -> None:
            if not drop:
                await send(message)

        await super().__call__(scope, receive, guarded_send)
        if drop:
            return "dropped"  # type: ignore[return-value]  # deliberate: uvicorn closes the socket
        return None


def _provider_endpoint(fake: ProviderFake) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        fake_request = FakeRequest(
            method=request.method,
            path="/" + request.path_params["rest"],
            query=dict(request.query_params),
            headers=dict(request.headers),
            body=await request.body(),
        )
        response = await run_in_threadpool(fake.handle, fake_request)
        if response.delay > 0:
            await sleep(response.delay)
        if response.outcome is Outcome.ANSWERED:
            return Response(response.body_bytes(), response.status, response.all_headers())
        drop = request.scope.get(_DROP)
        if drop is None:  # served by something other than ProviderFakesApp.__call__: no way to drop
            return Response(status_code=502)
        drop.append(True)
        return Response(status_code=500)

    return endpoint


def _docs_routes(app: FastAPI, fake: ProviderFake) -> None:
    prefix = "/" + fake.name

    def docs() -> HTMLResponse:
        return HTMLResponse(render_contract(fake.contract, fake.name))

    def document() -> PlainTextResponse:
        return PlainTextResponse(fake.contract.path.read_text(encoding="utf-8"), media_type="application/yaml")

    app.add_api_route(f"{prefix}/docs", docs, methods=["GET"], include_in_schema=False, name=f"{fake.name}_docs")
    app.add_api_route(
        f"{prefix}/openapi.yaml", document, methods=["GET"], include_in_schema=False, name=f"{fake.name}_contract"
    )


def _listed(words: list[str]) -> str:
    """ "A, B and C"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def create_app(fakes: ProviderFakes | None = None) -> FastAPI:
    """The FastAPI app serving ``fakes`` (fresh empty fakes when omitted); ``app.state.fakes`` holds them."""
    fakes = fakes if fakes is not None else ProviderFakes()
    titles = [cls.title for cls in FAKE_CLASSES.values()]
    app = ProviderFakesApp(title="Provider fakes", description=f"Stateful fakes of {_listed(titles)}")
    app.state.fakes = fakes
    for fake in fakes.all():
        _docs_routes(app, fake)
        app.add_api_route(
            PREFIXES[fake.name] + "/{rest:path}",
            _provider_endpoint(fake),
            methods=METHODS,
            include_in_schema=False,
            name=f"{fake.name}_api",
        )
    app.include_router(control_router(fakes))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def outbox_page(provider: str = "", channel: str = "", number: str = "") -> str:
        return render_outbox_page(fakes, OutboxFilter.of(provider, channel, number))

    @app.get("/outbox/page.js", include_in_schema=False)
    def outbox_script() -> Response:
        return Response(OUTBOX_SCRIPT, media_type="text/javascript")

    @app.get("/outbox/live", include_in_schema=False)
    def outbox_live(request: Request, provider: str = "", channel: str = "", number: str = "") -> Response:
        fragment = render_outbox_list(fakes, OutboxFilter.of(provider, channel, number))
        etag = f'"{list_version(fragment)}"'
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return HTMLResponse(fragment, headers=headers)

    return app


def fakes_base_urls(server_url: str) -> dict[str, str]:
    """provider -> its API's base URL on a standalone server at ``server_url`` (``http://host:port``)."""
    return {name: server_url.rstrip("/") + prefix for name, prefix in PREFIXES.items()}
