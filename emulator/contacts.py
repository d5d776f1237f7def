"""The deal's "Контакты" block: ordered contacts, one of them "Основной контакт"."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from emulator.errors import NotFound, ValidationFailed
from emulator.models import Contact, ContactEmail, ContactPhone, Deal


@dataclass(frozen=True)
class PhoneData:
    value: str
    kind: str = "Мобильный"


@dataclass(frozen=True)
class ContactData:
    name: str = ""
    is_primary: bool = False
    phones: list[PhoneData] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)


def _check(data: ContactData, index: int) -> None:
    for n, phone in enumerate(data.phones):
        if not phone.value.strip():
            raise ValidationFailed.one(f"contacts[{index}].phones[{n}]", "Телефон", "номер не может быть пустым")
        if len(phone.value) > 50:
            raise ValidationFailed.one(f"contacts[{index}].phones[{n}]", "Телефон", "не длиннее 50 символов")
    for n, email in enumerate(data.emails):
        if "@" not in email or len(email) > 300:
            raise ValidationFailed.one(f"contacts[{index}].emails[{n}]", "Email", f"некорректный адрес «{email}»")


def _fill(contact: Contact, data: ContactData) -> None:
    contact.name = data.name
    contact.is_primary = data.is_primary
    contact.phones = [ContactPhone(position=n, kind=p.kind, value=p.value) for n, p in enumerate(data.phones)]
    contact.emails = [ContactEmail(position=n, value=e) for n, e in enumerate(data.emails)]


def replace_contacts(session: Session, deal: Deal, contacts: list[ContactData]) -> list[Contact]:
    """Replace the whole block; at most one contact may be primary."""
    if sum(1 for c in contacts if c.is_primary) > 1:
        raise ValidationFailed.one("contacts", "Контакты", "основным может быть только один контакт")
    for index, data in enumerate(contacts):
        _check(data, index)
    deal.contacts.clear()
    session.flush()
    for position, data in enumerate(contacts):
        contact = Contact(position=position)
        _fill(contact, data)
        deal.contacts.append(contact)
    session.flush()
    return list(deal.contacts)


def add_contact(session: Session, deal: Deal, data: ContactData) -> Contact:
    _check(data, len(deal.contacts))
    if data.is_primary:
        for other in deal.contacts:
            other.is_primary = False
    contact = Contact(position=len(deal.contacts))
    _fill(contact, data)
    deal.contacts.append(contact)
    session.flush()
    return contact


def update_contact(session: Session, deal: Deal, contact_id: int, data: ContactData) -> Contact:
    contact = next((c for c in deal.contacts if c.id == contact_id), None)
    if contact is None:
        raise NotFound("Контакт", contact_id)
    _check(data, contact.position)
    if data.is_primary:
        for other in deal.contacts:
            if other.id != contact.id:
                other.is_primary = False
    _fill(contact, data)
    session.flush()
    return contact


def delete_contact(session: Session, deal: Deal, contact_id: int) -> None:
    contact = next((c for c in deal.contacts if c.id == contact_id), None)
    if contact is None:
        raise NotFound("Контакт", contact_id)
    deal.contacts.remove(contact)
    for position, other in enumerate(deal.contacts):
        other.position = position
    session.flush()
