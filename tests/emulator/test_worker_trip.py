"""A plain endpoint of the JSON API and the commit of its unit of work are one worker call
(emulator/api/worker_trip.py): what it saves, what it leaves, and what FastAPI still sees of it."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from typing import Any

import anyio.to_thread
import pytest
from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from emulator.api.dependencies import SessionDep
from emulator.api.worker_trip import REQUEST_PARAMETER, OneTripRoute
from emulator.db import Database
from emulator.models import CustomField
from harness.emulator_server import THREAD_NAME as SERVER_THREAD


def _refuse_commit(_: Any) -> None:
    raise OperationalError("COMMIT", {}, Exception("disk I/O error"))


def _app(database: Database) -> FastAPI:
    router = APIRouter(route_class=OneTripRoute)

    @router.post("/fields/{name}", status_code=201)
    def add_field(name: str, session: SessionDep, fail: bool = False, fail_commit: bool = False) -> dict[str, str]:
        """Adds a custom field; ``fail`` refuses after the row was written (flushed), ``fail_commit`` makes
        the database refuse the commit."""
        session.add(CustomField(name=name))
        session.flush()
        if fail:
            raise HTTPException(422, "refused after writing")
        if fail_commit:
            event.listen(session, "before_commit", _refuse_commit, once=True)
        return {"name": name}

    app = FastAPI()
    app.state.database = database
    app.include_router(router)
    return app


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the functions handed to a worker thread (starlette's run_in_threadpool goes through anyio)
    by this test's app: a session's in-process CRM, which an earlier test of this worker may have left a
    browser polling, awaits its own on its server thread and is not counted."""
    handed: list[str] = []
    original = anyio.to_thread.run_sync

    async def counted(function: Any, *args: Any, **kwargs: Any) -> Any:
        called = function.func if isinstance(function, functools.partial) else function  # starlette's partial
        if threading.current_thread().name != SERVER_THREAD:
            handed.append(called.__name__)
        return await original(function, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return handed


@pytest.fixture
def client(database: Database) -> Iterator[TestClient]:
    with TestClient(_app(database)) as test_client:
        yield test_client


def _fields(database: Database, name: str) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).where(CustomField.name == name)) or 0)


def test_the_endpoint_and_its_commit_are_one_worker_call(
    client: TestClient, database: Database, trips: list[str]
) -> None:
    answer = client.post("/fields/Бюджет")
    assert (answer.status_code, answer.json()) == (201, {"name": "Бюджет"})
    assert trips == ["_run_and_commit"]  # no trip to validate the answer, none to commit
    assert _fields(database, "Бюджет") == 1  # committed before the answer left


def test_an_endpoint_that_refuses_after_writing_saves_nothing(
    client: TestClient, database: Database, trips: list[str]
) -> None:
    answer = client.post("/fields/Бюджет", params={"fail": True})
    assert (answer.status_code, answer.json()) == (422, {"detail": "refused after writing"})
    assert _fields(database, "Бюджет") == 0
    assert trips[0] == "_run_and_commit" and "_roll_back" in trips


def test_a_commit_the_database_refuses_is_an_error_answer_and_saves_nothing(database: Database) -> None:
    with TestClient(_app(database), raise_server_exceptions=False) as client:
        answer = client.post("/fields/Бюджет", params={"fail_commit": True})
    assert answer.status_code == 500
    assert _fields(database, "Бюджет") == 0


def test_the_api_answers_a_read_with_the_bearer_check_and_one_trip(api: TestClient, trips: list[str]) -> None:
    assert api.get("/api/deals/9396").status_code == 200
    assert trips == ["_user_of", "_run_and_commit"]


def test_fastapi_sees_the_endpoints_own_parameters_name_and_documentation(database: Database) -> None:
    document = _app(database).openapi()
    operation = document["paths"]["/fields/{name}"]["post"]
    assert operation["operationId"] == "add_field_fields__name__post"
    assert operation["description"].startswith("Adds a custom field")
    assert sorted(parameter["name"] for parameter in operation["parameters"]) == ["fail", "fail_commit", "name"]
    assert REQUEST_PARAMETER not in str(document)
