"""Domain errors -> JSON answers that name the refused field."""

from __future__ import annotations

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from emulator.errors import Forbidden, NotFound, ValidationFailed
from emulator.vocabulary import FIELD_LABELS


def _field_of(loc: tuple[object, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def install(app: FastAPI) -> None:
    @app.exception_handler(ValidationFailed)
    async def validation_failed(_: Request, exc: ValidationFailed) -> JSONResponse:
        return JSONResponse(
            status_code=422,
            content={
                "detail": "Проверьте поля: " + ", ".join(e.label for e in exc.errors),
                "errors": [{"field": e.field, "label": e.label, "message": e.message} for e in exc.errors],
            },
        )

    @app.exception_handler(RequestValidationError)
    async def request_invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for error in exc.errors():
            field = _field_of(tuple(error.get("loc", ())))
            top = field.split(".")[0]
            errors.append({"field": field, "label": FIELD_LABELS.get(top, field), "message": error.get("msg", "")})
        return JSONResponse(
            status_code=422,
            content={"detail": "Проверьте поля: " + ", ".join(e["label"] for e in errors), "errors": errors},
        )

    @app.exception_handler(NotFound)
    async def not_found(_: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(status_code=status.HTTP_404_NOT_FOUND, content={"detail": str(exc)})

    @app.exception_handler(Forbidden)
    async def forbidden(_: Request, exc: Forbidden) -> JSONResponse:
        return JSONResponse(status_code=status.HTTP_403_FORBIDDEN, content={"detail": str(exc)})
