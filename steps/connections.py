"""Connecting a provider account to the CRM the way a scenario arranges it."""

from __future__ import annotations

from drivers.protocol import CrmDriver
from mocks.interface import FakeProviders
from steps.phone_literals import digits
from steps.provider_terms import fake_of, key_of


def suite_key(service: str) -> str:
    return f"{key_of(service)}-test-key"


def arrange_channels(providers: FakeProviders, service: str, rows: list[dict[str, str]]) -> None:
    """The provider account has these channels (existing ones change state, new ones are added)."""
    fake = fake_of(providers, service)
    known = {c.phone for c in fake.channels.values()}
    for row in rows:
        phone, state = row["канал"], row.get("состояние", "active")
        if digits(phone) in known:
            fake.set_channel_state(phone, state)
        else:
            fake.add_channel(phone, state, row.get("название") or None, row.get("транспорт") or "whatsapp")


def connect_account(crm: CrmDriver, providers: FakeProviders, service: str, key: str) -> None:
    """Connect through the CRM (which registers its status webhook with the provider where it can)."""
    fake = fake_of(providers, service)
    fake.add_api_key(key)
    result = crm.connect_integration(service, key)
    assert result.connected, f"сервис {service} не подключился с ключом «{key}»: {result.error}"


def connect_with_channels(crm: CrmDriver, providers: FakeProviders, service: str, rows: list[dict[str, str]]) -> None:
    arrange_channels(providers, service, rows)
    connect_account(crm, providers, service, suite_key(service))


def table_rows(datatable: list[list[str]]) -> list[dict[str, str]]:
    header = [cell.strip().lower() for cell in datatable[0]]
    return [dict(zip(header, (cell.strip() for cell in row), strict=False)) for row in datatable[1:]]
