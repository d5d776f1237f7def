"""Шаги о ленте сделки («Детально») и её диалогах («Диалоги»)."""

from __future__ import annotations

from pytest_bdd import then

from drivers.protocol import CrmDriver, DialogItem
from steps import text_macros
from steps.context import ScenarioContext
from steps.file_specs import file_names
from steps.phrases import phrase

BP_TITLE = "Отправка сообщения в WhatsApp из бизнес процесса"


def bp_bodies(crm: CrmDriver, ctx: ScenarioContext) -> list[str]:
    """The business-process entries' texts, newest first."""
    return [item.body for item in crm.timeline(ctx.deal) if item.title == BP_TITLE]


@then(phrase("в ленте сделки запись об отправке со статусом «{status:A}»"))
def log_has_status(crm: CrmDriver, ctx: ScenarioContext, status: str) -> None:
    bodies = bp_bodies(crm, ctx)
    assert f"Статус: {status}" in bodies, f"ожидалась запись «Статус: {status}», записи об отправке: {bodies or 'нет'}"


@then(phrase("в ленте сделки нет записи об отправке со статусом «{status:A}»"))
def log_lacks_status(crm: CrmDriver, ctx: ScenarioContext, status: str) -> None:
    bodies = bp_bodies(crm, ctx)
    assert f"Статус: {status}" not in bodies, f"в ленте не должно быть «Статус: {status}», а записи: {bodies}"


@then(phrase("в ленте сделки записей об отправке: {count:d}"))
def log_count(crm: CrmDriver, ctx: ScenarioContext, count: int) -> None:
    bodies = bp_bodies(crm, ctx)
    assert len(bodies) == count, f"ожидалось записей «{BP_TITLE}» {count}, в ленте {len(bodies)}: {bodies}"


@then(phrase("в ленте сделки записей об отправке со статусом «{status:A}»: {count:d}"))
def log_status_count(crm: CrmDriver, ctx: ScenarioContext, status: str, count: int) -> None:
    bodies = bp_bodies(crm, ctx)
    found = bodies.count(f"Статус: {status}")
    assert found == count, f"ожидалось записей «Статус: {status}» {count}, в ленте {found}: {bodies}"


@then("в ленте сделки записи об отправке со статусами:")
def log_statuses(crm: CrmDriver, ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    """По одному «Статус: ...» в строке, новые сверху."""
    expected = [row[0].strip() for row in datatable if row[0].strip().lower() != "статус"]
    bodies = bp_bodies(crm, ctx)
    assert bodies == expected, f"ожидались записи (новые сверху) {expected}, в ленте {bodies}"


@then("в ленте сделки нет записей об отправке")
def log_empty(crm: CrmDriver, ctx: ScenarioContext) -> None:
    bodies = bp_bodies(crm, ctx)
    assert not bodies, f"ожидалось, что записей об отправке нет, а в ленте: {bodies}"


@then("лента сделки начинается с записей:")
def log_starts_with(crm: CrmDriver, ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    """Столбцы: Заголовок | Текст | Автор («—» — без автора) | Время («сегодня в 14:23»); новые сверху."""
    expected = [
        (row[0].strip(), row[1].strip(), None if row[2].strip() in {"", "—"} else row[2].strip(), row[3].strip())
        for row in datatable[1:]
    ]
    items = crm.timeline(ctx.deal)[: len(expected)]
    actual = [(i.title, i.body, i.author, i.when) for i in items]
    wanted = "\n".join(f"  {e}" for e in expected)
    shown = "\n".join(f"  {a}" for a in actual)
    assert actual == expected, f"лента начинается не так: ожидалось\n{wanted}\nесть\n{shown}"


@then(phrase("все записи об отправке в ленте сделки датированы «{when}»"))
def log_dated(crm: CrmDriver, ctx: ScenarioContext, when: str) -> None:
    stamps = [(i.body, i.when) for i in crm.timeline(ctx.deal) if i.title == BP_TITLE]
    assert stamps, "в ленте нет записей об отправке"
    wrong = [s for s in stamps if s[1] != when]
    assert not wrong, f"ожидалось время «{when}» у всех записей об отправке, а есть {wrong}"


def _dialog_row(item: DialogItem) -> dict[str, str]:
    return {
        "кому": item.to,
        "сервис": item.service,
        "текст": item.text,
        "вложения": ", ".join(item.attachments) or "—",
        "статус": item.status,
        "причина": item.reason or "—",
    }


@then("в диалогах сделки сообщения:")
def dialogs_are(crm: CrmDriver, ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    """Столбцы (любые из): Кому | Сервис | Текст | Вложения | Статус | Причина; строка на сообщение, старые сверху."""
    header = [cell.strip().lower() for cell in datatable[0]]
    expected = []
    for row in datatable[1:]:
        cells = dict(zip(header, (cell.strip() for cell in row), strict=True))
        if "текст" in cells:
            cells["текст"] = text_macros.expand(cells["текст"])
        if "вложения" in cells:
            cells["вложения"] = ", ".join(file_names(cells["вложения"])) or "—"
        expected.append(cells)
    actual = [{k: v for k, v in _dialog_row(item).items() if k in header} for item in crm.dialog(ctx.deal)]
    assert actual == expected, (
        "диалоги сделки: ожидалось\n" + "\n".join(map(str, expected)) + "\nесть\n" + "\n".join(map(str, actual))
    )


@then(phrase("в диалоге сделки сообщение клиенту «{phone}» со статусом «{status}»"))
def dialog_status(crm: CrmDriver, ctx: ScenarioContext, phone: str, status: str) -> None:
    statuses = [item.status for item in crm.dialog(ctx.deal) if item.to == phone]
    assert statuses, f"в диалогах нет сообщений клиенту {phone}"
    assert statuses == [status] * len(statuses), f"сообщения {phone}: ожидался статус «{status}», есть {statuses}"
