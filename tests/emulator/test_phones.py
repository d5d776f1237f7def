import pytest

from emulator.phones import display, normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+7(999)888-55-22", "79998885522"),
        ("8 999 888 55 22", "79998885522"),
        ("8(999)888-55-22", "79998885522"),
        ("9998885522", "79998885522"),
        ("+7 999 888-55-22", "79998885522"),
        ("+375 29 123-45-67", "375291234567"),
    ],
)
def test_numbers_become_provider_digits(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize("raw", ["", "12-34", "+7(999)888-55", "abc", "+7(999)888-55-22 доб. 5", "7999888552212345678"])
def test_malformed_numbers_are_refused(raw: str) -> None:
    assert normalise(raw) is None


def test_display_form_is_the_crm_one() -> None:
    assert display("79370000003") == "+7(937)000-00-03"
