from emulator import parameters


def test_catalogue_has_the_twelve_parameters_of_the_task_in_order() -> None:
    assert [p.label for p in parameters.BUILT_IN] == [
        "Имя клиента",
        "Регион клиента",
        "Все email адреса основного контакта",
        "Email основного контакта",
        "Все номера телефонов основного контакта",
        "Ссылка на сделку",
        "Предыдущий ответственный",
        "Телефон основного контакта",
        "Имя основного контакта",
        "Название этапа",
        "Дата и время задачи",
        "Ответственный",
    ]
    assert parameters.BUILT_IN_BY_ID[2000].token == "[Ответственный#2000]"


def test_tokens_are_found_with_label_and_id() -> None:
    text = "менеджер [Ответственный#2000] по телефону [телефон кастомный (сделка)#657292]."
    found = parameters.tokens_in(text)
    assert [(t.label, t.id) for t in found] == [("Ответственный", 2000), ("телефон кастомный (сделка)", 657292)]


def test_unknown_ids_are_reported_known_custom_fields_are_not() -> None:
    text = "[Ответственный#2000] [телефон кастомный (сделка)#657292] [Нет такого#999]"
    unknown = parameters.unknown_tokens(text, custom_field_ids={657292})
    assert [t.text for t in unknown] == ["[Нет такого#999]"]
