"""Named lookups of the demo data's rows (emulator/seed.py) in a CRM's database: tests reach a funnel, a stage or
a channel by what it is called, never by the numeric id the seed happens to give it.

One implementation for the TestClient-based tests: :class:`DemoRowLookups` is mixed into ``tests/web``'s ``Crm``
(``web_app.stage("Воронка 2", "Новая")``), and :class:`DemoRows` is the ``demo_rows`` fixture of
``tests/conftest.py`` over a package's ``database`` fixture. The scenario suite's equivalent, over the REST API,
is ``harness.world.World``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from emulator.db import Database
from emulator.models import Channel, Funnel, Integration, Stage


class DemoRowLookups:
    """The lookups, for any class that has the CRM's ``database``."""

    database: Database

    def funnel(self, name: str) -> int:
        """The id of the funnel called ``name`` («Воронка логики кнопок», «Воронка 2»)."""
        with self.database.session() as session:
            found = session.scalars(select(Funnel.id).where(Funnel.name == name)).one_or_none()
        if found is None:
            raise KeyError(f"нет воронки «{name}»")
        return found

    def stage(self, funnel: str, stage: str) -> int:
        """The id of the stage ``stage`` («Новая», «В работе», «Оплата») of the funnel called ``funnel``."""
        query = select(Stage.id).join(Stage.funnel).where(Funnel.name == funnel, Stage.name == stage)
        with self.database.session() as session:
            found = session.scalars(query).one_or_none()
        if found is None:
            raise KeyError(f"нет этапа «{stage}» в воронке «{funnel}»")
        return found

    def channel(self, provider: str, phone_digits: str) -> int:
        """The CRM's id of ``provider``'s channel by its number as digits (``79370000001``)."""
        query = (
            select(Channel.id)
            .join(Channel.integration)
            .where(Integration.provider == provider, Channel.phone == phone_digits)
        )
        with self.database.session() as session:
            found = session.scalars(query).one_or_none()
        if found is None:
            raise KeyError(f"у {provider} нет канала {phone_digits}")
        return found


@dataclass(frozen=True)
class DemoRows(DemoRowLookups):
    """The lookups over a database (the ``demo_rows`` fixture)."""

    database: Database
