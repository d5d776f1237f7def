"""A plain (sync) endpoint, of the JSON API or a page, as one trip to a worker thread: the endpoint, its commit.

FastAPI runs a plain endpoint in a worker thread, then validates its answer in another trip to a worker
(so that a lazy load of an ORM object could touch the database), and the unit of work's dependency
commits in a third (emulator/unit_of_work.py). Each trip is a hand-over to a worker and a wake-up of the
event loop: on an in-process scenario's requests, they cost more than most endpoints' own work.

The API's endpoints return pydantic models built while their session was open, and the pages return
their rendered HTML (or a redirect): nothing needs the session once the endpoint has returned.
:func:`in_one_trip` (applied by :class:`OneTripRoute`, the route classes' base) makes the endpoint a
coroutine that runs it and commits the request's unit of work in the same worker call; FastAPI then
validates the answer on the loop. What stays as it was:

- the commit happens before the answer leaves, and a failed commit is an error answer;
- an endpoint that raises leaves its session uncommitted: the unit of work's dependency rolls it back;
- the endpoint's signature, name and documentation (FastAPI reads its parameters, the OpenAPI document
  its name and docstring) are the endpoint's own, with one more parameter FastAPI fills with the request.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.dependencies.utils import get_typed_signature
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from emulator import unit_of_work

# The parameter FastAPI fills with the request (a name no endpoint uses; FastAPI recognises it by its type).
REQUEST_PARAMETER = "crm_request__"


def _run_and_commit(endpoint: Callable[..., Any], request: Request, args: Any, kwargs: dict[str, Any]) -> Any:
    result = endpoint(*args, **kwargs)
    unit_of_work.commit_now(request)
    return result


def in_one_trip(endpoint: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """``endpoint`` as a coroutine that runs it and commits in one worker call (a coroutine is kept as is)."""
    if inspect.iscoroutinefunction(endpoint) or not inspect.isfunction(endpoint):
        return endpoint
    signature = inspect.signature(endpoint)
    # FastAPI fills one parameter with the request: the endpoint's own if it has one.
    own = [name for name, p in get_typed_signature(endpoint).parameters.items() if p.annotation is Request]
    name = own[0] if own else REQUEST_PARAMETER

    async def trip(*args: Any, **kwargs: Any) -> Any:
        request: Request = kwargs[name] if own else kwargs.pop(name)
        return await run_in_threadpool(_run_and_commit, endpoint, request, args, kwargs)

    functools.update_wrapper(trip, endpoint)
    if not own:
        extra = inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=Request)
        trip.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[*signature.parameters.values(), extra]
        )
    return trip


class OneTripRoute(APIRoute):
    """The route classes' common base (API, control API, pages): a plain endpoint is one worker call with
    its commit."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, in_one_trip(endpoint), **kwargs)
