"""Шаги о правах (кто что может открыть) и о показе введённого пользователем буквально, без разметки."""

from __future__ import annotations

from pytest_bdd import given, then

from drivers.protocol import CrmDriver
from steps.context import ScenarioContext
from steps.phrases import phrase


@given(phrase("пользователь вошёл как «{login}» с паролем «{password}»"))
def sign_in(crm: CrmDriver, login: str, password: str) -> None:
    crm.sign_in(login, password)


def _open(crm: CrmDriver, page: str) -> tuple[bool, str]:
    try:
        result = crm.open_page(page)
    except KeyError as exc:
        raise AssertionError(f"драйвер не умеет открывать страницу «{page}»: {exc}") from exc
    return result.allowed, result.message


@then(phrase("пользователю недоступна страница «{page}» с сообщением «{text}»"))
def page_denied(crm: CrmDriver, page: str, text: str) -> None:
    allowed, message = _open(crm, page)
    assert not allowed, f"страница «{page}» открылась, а пользователю она недоступна"
    assert text in message, f"при отказе ожидалось сообщение «{text}», показано «{message}»"


@then(phrase("пользователю доступна страница «{page}»"))
def page_allowed(crm: CrmDriver, page: str) -> None:
    allowed, message = _open(crm, page)
    assert allowed, f"страница «{page}» должна открываться, а показано: «{message}»"


@then(phrase("в карточке сделки контакт показан как «{name:A}»"))
def contact_shown(crm: CrmDriver, ctx: ScenarioContext, name: str) -> None:
    names = [c.name for c in crm.deal(ctx.deal).contacts]
    assert name in names, f"ожидался контакт, показанный буквально как {name!r}; показаны {names!r}"


@then(phrase("в карточке сделки регион клиента показан как «{region}»"))
def region_shown(crm: CrmDriver, ctx: ScenarioContext, region: str) -> None:
    shown = crm.deal(ctx.deal).client_region
    assert shown == region, f"ожидался регион, показанный буквально как {region!r}; показан {shown!r}"


@then(phrase("в диалоге сделки текст сообщения показан как «{text:A}»"))
def dialog_text_shown(crm: CrmDriver, ctx: ScenarioContext, text: str) -> None:
    texts = [m.text for m in crm.dialog(ctx.deal)]
    assert text in texts, f"ожидался текст, показанный буквально как {text!r}; показаны {texts!r}"


@then(phrase("в диалоге сделки файл показан как «{name}»"))
def dialog_file_shown(crm: CrmDriver, ctx: ScenarioContext, name: str) -> None:
    files = [f for m in crm.dialog(ctx.deal) for f in m.attachments]
    assert name in files, f"ожидался файл, показанный буквально как {name!r}; показаны {files!r}"
