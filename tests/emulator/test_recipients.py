import pytest

from emulator.automation.recipients import resolve
from emulator.model_enums import RecipientRule
from emulator.models import Contact
from tests.emulator.deal_builder import contact, deal

PRIMARY = contact("Основной", "+7(999)888-55-22", "8 999 111 22 33", primary=True)
OTHER = contact("Второй", "+7(999)555-88-22", "+7(999)555-88-22")


@pytest.mark.parametrize(
    ("rule", "numbers"),
    [
        (RecipientRule.ALL_CONTACTS_ALL_NUMBERS, ["79998885522", "79991112233", "79995558822"]),
        (RecipientRule.PRIMARY_ALL_NUMBERS, ["79998885522", "79991112233"]),
        (RecipientRule.PRIMARY_FIRST_NUMBER, ["79998885522"]),
        (RecipientRule.ALL_CONTACTS_FIRST_NUMBER, ["79998885522", "79995558822"]),
    ],
)
def test_each_rule_picks_its_numbers_normalised_and_deduplicated(rule: RecipientRule, numbers: list[str]) -> None:
    assert resolve(deal(PRIMARY, OTHER), rule).numbers == numbers


def test_the_same_number_in_two_contacts_gets_one_message() -> None:
    twin = contact("Двойник", "8(999)888-55-22")
    assert resolve(deal(PRIMARY, twin), RecipientRule.ALL_CONTACTS_ALL_NUMBERS).numbers == [
        "79998885522",
        "79991112233",
    ]


def test_malformed_numbers_are_reported_not_sent() -> None:
    broken = contact("Сломанный", "12-34", "+7(999)000-00-01")
    found = resolve(deal(broken), RecipientRule.ALL_CONTACTS_ALL_NUMBERS)
    assert found.numbers == ["79990000001"]
    assert found.invalid == ["12-34"]


def test_first_number_means_the_first_listed_even_when_it_is_malformed() -> None:
    broken = contact("Сломанный", "12-34", "+7(999)000-00-01", primary=True)
    found = resolve(deal(broken), RecipientRule.PRIMARY_FIRST_NUMBER)
    assert found.numbers == []
    assert found.invalid == ["12-34"]


@pytest.mark.parametrize(
    ("contacts", "rule", "reason"),
    [
        ((), RecipientRule.ALL_CONTACTS_ALL_NUMBERS, "у сделки нет контактов"),
        ((OTHER,), RecipientRule.PRIMARY_ALL_NUMBERS, "у сделки нет основного контакта"),
        (
            (contact("Без телефона", primary=True),),
            RecipientRule.PRIMARY_FIRST_NUMBER,
            "у контактов сделки нет номеров телефонов",
        ),
    ],
)
def test_nobody_to_send_to_is_explained(contacts: tuple[Contact, ...], rule: RecipientRule, reason: str) -> None:
    found = resolve(deal(*contacts), rule)
    assert (found.numbers, found.invalid, found.none_reason) == ([], [], reason)
