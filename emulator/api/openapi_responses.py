"""The OpenAPI document tells what each operation really answers.

FastAPI documents only the success and its own 422 (in a shape the CRM does not use). This adds, per
operation, from what the route depends on:

- 400 (a body that cannot be read) and 404 (an id, in the path or the body, that names no row) where the
  operation takes a body or path parameters;
- 401 where it needs a signed-in user, 403 where it needs the administrator;
- 413 everywhere (``emulator.request_limits`` bounds every request's body);
- 422 in the one error shape, ``ErrorOut``, which every error answer has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from emulator.api.dependencies import current_user, require_admin
from emulator.api.error_schemas import ErrorOut

REF = "#/components/schemas/ErrorOut"
DESCRIPTIONS = {
    "400": "Тело запроса не прочитать (не JSON, не форма)",
    "401": "Требуется вход: токен в заголовке Authorization: Bearer",
    "403": "Недостаточно прав: доступно только администратору",
    "404": "Не найдено: нет строки с таким идентификатором",
    "413": "Слишком большой запрос (пределы — в docs/DECISIONS.md, «Request limits»)",
    "422": "Поля не прошли проверку: каждое названо, с причиной",
}
METHODS = ("get", "put", "post", "delete", "patch")
# Answers a route gives by itself, not through a dependency that can be looked at.
OWN_CODES = {("post", "/api/auth/token"): {"401"}}  # a wrong login or password


def _api_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)  # FastAPI >= 0.165 keeps included routers whole
        if inner is not None:
            yield from _api_routes(inner.routes)


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any] | None]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def _error(code: str) -> dict[str, Any]:
    return {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": {"$ref": REF}}}}


def declare(app: FastAPI, document: dict[str, Any]) -> dict[str, Any]:
    routes = {(r.path, m.lower()): r for r in _api_routes(app.routes) if r.include_in_schema for m in r.methods or ()}
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses: dict[str, Any] = operation.setdefault("responses", {})
            route = routes.get((path, method))
            calls = set(_calls(route.dependant)) if route is not None else set()
            has_input = bool(operation.get("parameters") or operation.get("requestBody"))
            codes = {"413", *OWN_CODES.get((method, path), set())}
            if has_input:
                codes |= {"404", "422"}
            if operation.get("requestBody"):
                codes.add("400")
            if current_user in calls or require_admin in calls:
                codes.add("401")
            if require_admin in calls:
                codes.add("403")
            for code in sorted(codes):
                if code not in responses or code == "422":
                    responses[code] = _error(code)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    definitions = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(definitions.pop("$defs", {}))
    schemas["ErrorOut"] = definitions
    return document


def install(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare(app, generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
