"""Who gets the message: the four rules of "Выберите на какие контакты отправлять сообщение"."""

from __future__ import annotations

from dataclasses import dataclass, field

from emulator import phones
from emulator.model_enums import RecipientRule
from emulator.models import Contact, Deal


@dataclass
class Recipients:
    numbers: list[str] = field(default_factory=list)  # normalised, de-duplicated, in contact order
    invalid: list[str] = field(default_factory=list)  # as typed in the contact
    none_reason: str = ""  # why there is nobody to send to (when numbers and invalid are empty)


def _contacts(deal: Deal, rule: str) -> list[Contact]:
    if rule in (RecipientRule.PRIMARY_ALL_NUMBERS, RecipientRule.PRIMARY_FIRST_NUMBER):
        return [c for c in deal.contacts if c.is_primary][:1]
    return list(deal.contacts)


def resolve(deal: Deal, rule: str) -> Recipients:
    """The first number of a contact is its first listed phone, whether valid or not."""
    result = Recipients()
    contacts = _contacts(deal, rule)
    if not deal.contacts:
        result.none_reason = "у сделки нет контактов"
    elif not contacts:
        result.none_reason = "у сделки нет основного контакта"
    else:
        result.none_reason = "у контактов сделки нет номеров телефонов"
    first_only = rule in (RecipientRule.PRIMARY_FIRST_NUMBER, RecipientRule.ALL_CONTACTS_FIRST_NUMBER)
    for contact in contacts:
        chosen = contact.phones[:1] if first_only else contact.phones
        for phone in chosen:
            number = phones.normalise(phone.value)
            if number is None:
                if phone.value not in result.invalid:
                    result.invalid.append(phone.value)
            elif number not in result.numbers:
                result.numbers.append(number)
    return result
