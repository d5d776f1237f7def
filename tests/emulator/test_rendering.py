import datetime as dt

import pytest

from emulator.automation.rendering import render
from emulator.models import Deal, User
from tests.emulator.deal_builder import NOW, contact, deal, with_field, with_task

URL = "http://crm.test/deals/9396"


def full_deal() -> Deal:
    primary = contact(
        "Пётр Основной", "+7(999)888-55-22", "+7(999)111-22-33", primary=True, emails=("a@example.com", "b@example.com")
    )
    result = deal(primary, contact("Второй", "+7(999)555-88-22", emails=("c@example.com",)))
    result.client_region = "Москва"
    result.previous_responsible = User(id=2, name="Иван Менеджер")
    with_task(result, "Позвонить", NOW + dt.timedelta(days=1), done=True)
    with_task(result, "Связаться с клиентом", NOW + dt.timedelta(hours=2))
    return with_field(result, 657292, "+7(999)111-11-11")


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("[Имя клиента#2001]", "Иван Клиентов"),
        ("[Регион клиента#2002]", "Москва"),
        ("[Все email адреса основного контакта#2003]", "a@example.com, b@example.com"),
        ("[Email основного контакта#2004]", "a@example.com"),
        ("[Все номера телефонов основного контакта#2005]", "+7(999)888-55-22, +7(999)111-22-33"),
        ("[Ссылка на сделку#2006]", URL),
        ("[Предыдущий ответственный#2007]", "Иван Менеджер"),
        ("[Телефон основного контакта#2008]", "+7(999)888-55-22"),
        ("[Имя основного контакта#2009]", "Пётр Основной"),
        ("[Название этапа#2010]", "В работе"),
        ("[Дата и время задачи#2011]", "10.11.2026 16:23"),
        ("[Ответственный#2000]", "Ксения Администратор"),
        ("[телефон кастомный (сделка)#657292]", "+7(999)111-11-11"),
    ],
)
def test_each_parameter_takes_the_deals_value(token: str, value: str) -> None:
    assert render(f"«{token}»", full_deal(), URL) == f"«{value}»"


def test_missing_values_become_empty_never_the_raw_token() -> None:
    bare = deal()
    text = "|".join(
        [
            "[Регион клиента#2002]",
            "[Email основного контакта#2004]",
            "[Предыдущий ответственный#2007]",
            "[Дата и время задачи#2011]",
            "[поле#657292]",
        ]
    )
    assert render(text, bare, URL) == "||||"


def test_text_around_tokens_is_kept_exactly() -> None:
    text = "Здравствуйте! 👋\nВаш менеджер: [Ответственный#2000]."
    assert render(text, full_deal(), URL) == "Здравствуйте! 👋\nВаш менеджер: Ксения Администратор."
