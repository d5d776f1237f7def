"""The message parameters of "Вы можете использовать параметры" and their ``[Label#id]`` tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Parameter:
    id: int
    label: str
    key: str

    @property
    def token(self) -> str:
        return f"[{self.label}#{self.id}]"


# In the order of the editor's list (task screenshot 6).
BUILT_IN: tuple[Parameter, ...] = (
    Parameter(2001, "Имя клиента", "client_name"),
    Parameter(2002, "Регион клиента", "client_region"),
    Parameter(2003, "Все email адреса основного контакта", "primary_emails"),
    Parameter(2004, "Email основного контакта", "primary_email"),
    Parameter(2005, "Все номера телефонов основного контакта", "primary_phones"),
    Parameter(2006, "Ссылка на сделку", "deal_url"),
    Parameter(2007, "Предыдущий ответственный", "previous_responsible"),
    Parameter(2008, "Телефон основного контакта", "primary_phone"),
    Parameter(2009, "Имя основного контакта", "primary_contact_name"),
    Parameter(2010, "Название этапа", "stage_name"),
    Parameter(2011, "Дата и время задачи", "task_due"),
    Parameter(2000, "Ответственный", "responsible"),
)

BUILT_IN_BY_ID: dict[int, Parameter] = {p.id: p for p in BUILT_IN}

TOKEN = re.compile(r"\[([^\[\]#\n]+)#(\d+)\]")


@dataclass(frozen=True)
class TokenUse:
    label: str
    id: int
    text: str


def tokens_in(text: str) -> list[TokenUse]:
    return [TokenUse(m.group(1), int(m.group(2)), m.group(0)) for m in TOKEN.finditer(text)]


def unknown_tokens(text: str, custom_field_ids: set[int]) -> list[TokenUse]:
    """Tokens whose id is neither a built-in parameter nor a custom deal field."""
    known = set(BUILT_IN_BY_ID) | custom_field_ids
    return [t for t in tokens_in(text) if t.id not in known]
