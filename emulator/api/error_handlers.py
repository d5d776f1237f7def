"""Domain errors -> JSON answers that name the refused field, all in one shape (``ErrorOut``)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from emulator.api import openapi_responses
from emulator.api.bounded_fields import OWN_ERROR_TYPES
from emulator.api.error_schemas import ErrorOut, FieldErrorOut
from emulator.errors import Forbidden, NotFound, ValidationFailed
from emulator.vocabulary import FIELD_LABELS

# Labels of the API's own fields (the editor's fields keep the editor's labels: FIELD_LABELS).
API_FIELD_LABELS = {
    "body": "Тело запроса",
    "title": "Название",
    "client_name": "Имя клиента",
    "client_region": "Регион клиента",
    "responsible_id": "Ответственный",
    "funnel_id": "Воронка",
    "contacts": "Контакты",
    "custom_fields": "Поля сделки",
    "name": "Название",
    "is_primary": "Основной контакт",
    "phones": "Телефоны",
    "emails": "Email",
    "value": "Значение",
    "kind": "Тип",
    "due_at": "Срок",
    "api_key": "API ключ",
    "base_url": "Адрес API",
    "login": "Логин",
    "password": "Пароль",
    "enabled": "Включён",
    "file": "Файл",
}

# pydantic's refusals in Russian, by their type; ``{name}`` is filled from the error's context.
MESSAGES = {
    "missing": "обязательное поле",
    "json_invalid": "тело запроса не JSON",
    "json_type": "ожидается JSON",
    "int_type": "ожидается целое число",
    "int_parsing": "ожидается целое число",
    "int_from_float": "ожидается целое число",
    "int_parsing_size": "слишком большое число",
    "float_type": "ожидается число",
    "float_parsing": "ожидается число",
    "finite_number": "ожидается конечное число",
    "bool_type": "ожидается true или false",
    "bool_parsing": "ожидается true или false",
    "string_type": "ожидается строка",
    "string_unicode": "ожидается строка в UTF-8",
    "string_too_long": "не длиннее {max_length} символов",
    "string_too_short": "не короче {min_length} символов",
    "greater_than_equal": "не меньше {ge}",
    "less_than_equal": "не больше {le}",
    "greater_than": "больше {gt}",
    "less_than": "меньше {lt}",
    "list_type": "ожидается список",
    "dict_type": "ожидается объект",
    "model_type": "ожидается объект",
    "model_attributes_type": "ожидается объект",
    "datetime_type": "ожидается дата и время (ISO 8601)",
    "datetime_parsing": "ожидается дата и время (ISO 8601)",
    "datetime_from_date_parsing": "ожидается дата и время (ISO 8601)",
    "datetime_object_invalid": "недопустимые дата и время",
    "timezone_aware": "укажите часовой пояс",
    "literal_error": "недопустимое значение",
    "enum": "недопустимое значение",
}


# FastAPI's and Starlette's own refusals, in Russian like the CRM's.
HTTP_DETAILS = {
    "There was an error parsing the body": "Тело запроса не прочитать: проверьте Content-Type и формат",
    "Not Found": "Не найдено",
    "Method Not Allowed": "Метод не поддерживается для этого адреса",
}


def _field_of(loc: tuple[object, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def _label(field: str) -> str:
    top = field.split(".")[0]
    return FIELD_LABELS.get(top) or API_FIELD_LABELS.get(top) or top


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind in OWN_ERROR_TYPES:
        return str(error.get("msg", ""))
    template = MESSAGES.get(kind, "недопустимое значение")
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return "недопустимое значение"


def refusal(errors: list[FieldErrorOut]) -> JSONResponse:
    body = ErrorOut(detail="Проверьте поля: " + ", ".join(e.label for e in errors), errors=errors)
    return JSONResponse(status_code=422, content=body.model_dump())


def install(app: FastAPI) -> None:
    openapi_responses.install(app)

    @app.exception_handler(ValidationFailed)
    async def validation_failed(_: Request, exc: ValidationFailed) -> JSONResponse:
        return refusal([FieldErrorOut(field=e.field, label=e.label, message=e.message) for e in exc.errors])

    @app.exception_handler(RequestValidationError)
    async def request_invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for error in exc.errors():
            field = _field_of(tuple(error.get("loc", ())))
            errors.append(FieldErrorOut(field=field, label=_label(field), message=_message(error)))
        return refusal(errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_refused(request: Request, exc: StarletteHTTPException) -> Response:
        if isinstance(exc.detail, str) and exc.detail in HTTP_DETAILS:
            exc = StarletteHTTPException(exc.status_code, HTTP_DETAILS[exc.detail], headers=exc.headers)
        return await http_exception_handler(request, exc)

    @app.exception_handler(NotFound)
    async def not_found(_: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(status_code=status.HTTP_404_NOT_FOUND, content={"detail": str(exc)})

    @app.exception_handler(Forbidden)
    async def forbidden(_: Request, exc: Forbidden) -> JSONResponse:
        return JSONResponse(status_code=status.HTTP_403_FORBIDDEN, content={"detail": str(exc)})
