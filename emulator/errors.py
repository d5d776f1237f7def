"""Domain errors shared by the HTML and JSON front doors."""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """Base class of the errors the front doors translate into HTTP answers."""


class NotFound(DomainError):
    def __init__(self, what: str, ident: object) -> None:
        super().__init__(f"{what} {ident} не найден(а)")
        self.what = what
        self.ident = ident


class Forbidden(DomainError):
    pass


@dataclass(frozen=True)
class FieldError:
    """A refused field: ``field`` is the API name, ``label`` the editor's Russian label."""

    field: str
    label: str
    message: str


class ValidationFailed(DomainError):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.label}: {e.message}" for e in errors))
        self.errors = errors

    @classmethod
    def one(cls, field: str, label: str, message: str) -> ValidationFailed:
        return cls([FieldError(field, label, message)])
