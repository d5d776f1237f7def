"""A provider's id of a sent message is linked to it once; an id already linked stays with its message."""

from __future__ import annotations

from sqlalchemy import select

from emulator.automation import status_updates
from emulator.models import MessageExternalId, OutgoingMessage
from harness.world import World


def test_an_id_already_linked_stays_with_its_message(world: World) -> None:
    world.process("wazzup")
    first, second = world.deal(), world.deal()
    world.enter(first)
    world.enter(second)
    with world.database.session() as session:
        messages = {m.deal_id: m.id for m in session.scalars(select(OutgoingMessage))}
        links = {link.external_id: link.message_id for link in session.scalars(select(MessageExternalId))}
    assert sorted(links.values()) == sorted(messages.values())
    taken = next(external_id for external_id, message_id in links.items() if message_id == messages[first])
    with world.database.session() as session:  # the same id again, for the other message and for its own
        status_updates.link_all(
            session,
            [(messages[second], "wazzup", taken), (messages[first], "wazzup", taken), (messages[second], "wazzup", "")],
        )
    with world.database.session() as session:
        again = [(link.external_id, link.message_id) for link in session.scalars(select(MessageExternalId))]
    assert sorted(again) == sorted(links.items())
