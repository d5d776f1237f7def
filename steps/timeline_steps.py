"""Шаги о ленте сделки («Детально») и её диалогах («Диалоги»)."""

from __future__ import annotations

from pytest_bdd import then

from drivers.protocol import CrmDriver, DialogItem, ReplyItem
from steps import text_macros, vocabulary as words
from steps.context import ScenarioContext
from steps.file_specs import file_names
from steps.phrases import phrase


def bp_bodies(crm: CrmDriver, ctx: ScenarioContext) -> list[str]:
    """The business-process entries' texts, newest first."""
    return [item.body for item in crm.timeline(ctx.deal) if item.title == words.BP_TITLE]


def status_line(status: str) -> str:
    """ "Отправлено" -> "Статус: Отправлено"; a line already written in full is taken as it is."""
    status = status.strip()
    return status if status.startswith(words.STATUS_PREFIX) else words.STATUS_PREFIX + status


@then(phrase("в ленте сделки запись об отправке со статусом «{status:A}»"))
def log_has_status(crm: CrmDriver, ctx: ScenarioContext, status: str) -> None:
    """Ровно одна такая запись (другие записи с другими статусами могут быть)."""
    bodies = bp_bodies(crm, ctx)
    found = bodies.count(status_line(status))
    assert found == 1, f"ожидалась ровно одна запись «{status_line(status)}», таких {found}; записи: {bodies or 'нет'}"


@then(phrase("в ленте сделки нет записи об отправке со статусом «{status:A}»"))
def log_lacks_status(crm: CrmDriver, ctx: ScenarioContext, status: str) -> None:
    bodies = bp_bodies(crm, ctx)
    assert status_line(status) not in bodies, f"в ленте не должно быть «{status_line(status)}», а записи: {bodies}"


@then(phrase("в ленте сделки записей об отправке: {count:d}"))
def log_count(crm: CrmDriver, ctx: ScenarioContext, count: int) -> None:
    bodies = bp_bodies(crm, ctx)
    assert len(bodies) == count, f"ожидалось записей «{words.BP_TITLE}» {count}, в ленте {len(bodies)}: {bodies}"


@then(phrase("в ленте сделки записей об отправке со статусом «{status:A}»: {count:d}"))
def log_status_count(crm: CrmDriver, ctx: ScenarioContext, status: str, count: int) -> None:
    bodies = bp_bodies(crm, ctx)
    found = bodies.count(status_line(status))
    assert found == count, f"ожидалось записей «{status_line(status)}» {count}, в ленте {found}: {bodies}"


@then("в ленте сделки записи об отправке со статусами:")
def log_statuses(crm: CrmDriver, ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    """По одному статусу в строке («Отправлено» или «Статус: Отправлено»), новые сверху; ровно эти записи."""
    expected = [status_line(row[0]) for row in datatable if row[0].strip().lower() not in {"статус", ""}]
    bodies = bp_bodies(crm, ctx)
    assert bodies == expected, f"ожидались записи (новые сверху) {expected}, в ленте {bodies}"


@then("в ленте сделки нет записей об отправке")
def log_empty(crm: CrmDriver, ctx: ScenarioContext) -> None:
    bodies = bp_bodies(crm, ctx)
    assert not bodies, f"ожидалось, что записей об отправке нет, а в ленте: {bodies}"


def _author(cell: str) -> str | None:
    return None if text_macros.is_empty(cell) else cell.strip()


@then("лента сделки начинается с записей:")
def log_starts_with(crm: CrmDriver, ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    """Столбцы: Заголовок | Текст | Автор («—» — без автора) | Время («сегодня в 14:23»); новые сверху."""
    expected = [
        (row[0].strip(), text_macros.expand(row[1]).strip(), _author(row[2]), row[3].strip()) for row in datatable[1:]
    ]
    items = crm.timeline(ctx.deal)[: len(expected)]
    actual = [(i.title, i.body, i.author, i.when) for i in items]
    wanted = "\n".join(f"  {e}" for e in expected)
    shown = "\n".join(f"  {a}" for a in actual)
    assert actual == expected, f"лента начинается не так: ожидалось\n{wanted}\nесть\n{shown}"


@then(phrase("все записи об отправке в ленте сделки датированы «{when}»"))
def log_dated(crm: CrmDriver, ctx: ScenarioContext, when: str) -> None:
    stamps = [(i.body, i.when) for i in crm.timeline(ctx.deal) if i.title == words.BP_TITLE]
    assert stamps, "в ленте нет записей об отправке"
    wrong = [s for s in stamps if s[1] != when]
    assert not wrong, f"ожидалось время «{when}» у всех записей об отправке, а есть {wrong}"


@then(phrase("автор записи «{title}» в ленте сделки — «{author}»"))
def log_author(crm: CrmDriver, ctx: ScenarioContext, title: str, author: str) -> None:
    """Ровно одна запись с таким заголовком, и её автор — названный пользователь."""
    authors = [i.author for i in crm.timeline(ctx.deal) if i.title == title]
    assert authors == [_author(author)], f"у записи «{title}» ожидался автор «{author}», в ленте авторы {authors}"


def _dialog_row(item: DialogItem) -> dict[str, str]:
    return {
        "кому": item.to,
        "сервис": item.service,
        "текст": item.text,
        "вложения": ", ".join(item.attachments) or text_macros.EMPTY,
        "статус": item.status,
        "причина": item.reason or text_macros.EMPTY,
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
            cells["вложения"] = ", ".join(file_names(cells["вложения"])) or text_macros.EMPTY
        expected.append(cells)
    actual = [{k: v for k, v in _dialog_row(item).items() if k in header} for item in crm.dialog(ctx.deal)]
    assert actual == expected, (
        "диалоги сделки: ожидалось\n" + "\n".join(map(str, expected)) + "\nесть\n" + "\n".join(map(str, actual))
    )


@then(phrase("в диалоге сделки сообщение клиенту «{phone}» со статусом «{status}»"))
def dialog_status(crm: CrmDriver, ctx: ScenarioContext, phone: str, status: str) -> None:
    """Ровно одно сообщение этому клиенту, и у него этот статус."""
    statuses = [item.status for item in crm.dialog(ctx.deal) if item.to == phone]
    assert statuses == [status], f"клиенту {phone} ожидалось одно сообщение со статусом «{status}», есть {statuses}"


@then(phrase("в диалогах сделки ответ клиента «{phone}» через «{service}» на канал «{channel}»: «{text}»"))
def reply_shown(crm: CrmDriver, ctx: ScenarioContext, phone: str, service: str, channel: str, text: str) -> None:
    """Ровно один такой ответ: от этого номера, через этот сервис, на этот канал, с этим текстом."""
    _one_reply(crm, ctx.deal, ReplyItem(sender=phone, service=service, channel=channel, text=text))


@then(phrase("в диалогах второй сделки ответ клиента «{phone}» через «{service}» на канал «{channel}»: «{text}»"))
def reply_in_second(crm: CrmDriver, ctx: ScenarioContext, phone: str, service: str, channel: str, text: str) -> None:
    _one_reply(crm, ctx.second_deal, ReplyItem(sender=phone, service=service, channel=channel, text=text))


def _one_reply(crm: CrmDriver, deal_id: int, wanted: ReplyItem) -> None:
    replies = crm.replies(deal_id)
    assert replies.count(wanted) == 1, f"сделка {deal_id}: ожидался ровно один ответ {wanted}, в диалогах: {replies}"


@then("в диалогах сделки ответов клиента нет")
def no_replies(crm: CrmDriver, ctx: ScenarioContext) -> None:
    replies = crm.replies(ctx.deal)
    assert replies == [], f"ответов быть не должно, в диалогах: {replies}"
