"""Replacing ``[Label#id]`` tokens with the deal's values at the moment of sending."""

from __future__ import annotations

from collections.abc import Callable

from emulator import parameters, relative_time, tasks
from emulator.models import Contact, Deal


def _primary(deal: Deal) -> Contact | None:
    return next((c for c in deal.contacts if c.is_primary), None)


def _name(user: object) -> str:
    return str(getattr(user, "name", "") or "")


def built_in_values(deal: Deal, deal_url: str) -> dict[str, Callable[[], str]]:
    primary = _primary(deal)
    emails = [e.value for e in primary.emails] if primary else []
    numbers = [p.value for p in primary.phones] if primary else []

    def task_due() -> str:
        task = tasks.nearest_open(deal)
        return relative_time.full(task.due_at) if task else ""

    return {
        "client_name": lambda: deal.client_name or "",
        "client_region": lambda: deal.client_region or "",
        "primary_emails": lambda: ", ".join(emails),
        "primary_email": lambda: emails[0] if emails else "",
        "primary_phones": lambda: ", ".join(numbers),
        "deal_url": lambda: deal_url,
        "previous_responsible": lambda: _name(deal.previous_responsible),
        "primary_phone": lambda: numbers[0] if numbers else "",
        "primary_contact_name": lambda: primary.name if primary else "",
        "stage_name": lambda: deal.stage.name,
        "task_due": task_due,
        "responsible": lambda: _name(deal.responsible),
    }


def render(text: str, deal: Deal, deal_url: str) -> str:
    """Every token becomes its value; a token without a value (or a vanished field) becomes ""."""
    values = built_in_values(deal, deal_url)
    custom = {v.field_id: v.value for v in deal.field_values}

    def value_of(token_id: int) -> str:
        parameter = parameters.BUILT_IN_BY_ID.get(token_id)
        if parameter is not None:
            return values[parameter.key]()
        return custom.get(token_id, "")

    return parameters.TOKEN.sub(lambda m: value_of(int(m.group(2))), text)
