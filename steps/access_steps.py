"""Шаги о правах (кто что может открыть) и о показе введённого пользователем буквально, без разметки."""

from __future__ import annotations

from collections.abc import Callable

from pytest_bdd import given, then, when

from drivers.protocol import AccessDenied, CrmDriver, ProcessSpec, ProcessView, SettingsReader, ShownEverywhere
from mocks.interface import FakeProviders
from steps import vocabulary as words
from steps.context import ScenarioContext
from steps.phrases import phrase
from steps.process_tables import spec_of
from steps.provider_terms import fake_of


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
    assert message == text, f"при отказе ожидалось сообщение «{text}», показано «{message}»"


@then(phrase("пользователю доступна страница «{page}»"))
def page_allowed(crm: CrmDriver, page: str) -> None:
    allowed, message = _open(crm, page)
    assert allowed, f"страница «{page}» должна открываться, а показано: «{message}»"


@then(phrase("в карточке сделки контакт показан как «{name:A}»"))
def contact_shown(crm: CrmDriver, ctx: ScenarioContext, name: str) -> None:
    names = [c.name for c in crm.deal(ctx.deal).contacts]
    assert names.count(name) == 1, f"ожидался контакт, показанный буквально как {name!r}; показаны {names!r}"


@then(phrase("в карточке сделки регион клиента показан как «{region}»"))
def region_shown(crm: CrmDriver, ctx: ScenarioContext, region: str) -> None:
    shown = crm.deal(ctx.deal).client_region
    assert shown == region, f"ожидался регион, показанный буквально как {region!r}; показан {shown!r}"


@then(phrase("в диалоге сделки текст сообщения показан как «{text:A}»"))
def dialog_text_shown(crm: CrmDriver, ctx: ScenarioContext, text: str) -> None:
    texts = [m.text for m in crm.dialog(ctx.deal)]
    assert texts.count(text) == 1, f"ожидался текст, показанный буквально как {text!r}; показаны {texts!r}"


@then(phrase("в диалоге сделки файл показан как «{name}»"))
def dialog_file_shown(crm: CrmDriver, ctx: ScenarioContext, name: str) -> None:
    files = [f for m in crm.dialog(ctx.deal) for f in m.attachments]
    assert files.count(name) == 1, f"ожидался файл, показанный буквально как {name!r}; показаны {files!r}"


# -- a manager attempts every write an administrator can do ----------------------------------------------


def _attempts(ctx: ScenarioContext) -> dict[str, Callable[[CrmDriver], object]]:
    saved = ctx.remembered.get("process")

    def edited(crm: CrmDriver) -> object:
        assert isinstance(saved, ProcessView), "в сценарии нет сохранённого процесса для изменения"
        spec = spec_of(saved)
        spec.text = "Изменено менеджером"
        return crm.save_business_process(spec, saved.id)

    def deleted(crm: CrmDriver) -> object:
        assert isinstance(saved, ProcessView), "в сценарии нет сохранённого процесса для удаления"
        crm.delete_business_process(saved.id)
        return None

    def created(crm: CrmDriver) -> object:
        spec = ProcessSpec(funnel="Воронка 2", stage="Оплата", service="I2CRM", channel="+7(937)000-00-02")
        spec.text = "Создано менеджером"
        return crm.save_business_process(spec)

    return {
        "подключить Default": lambda crm: crm.connect_integration("Default", "demo-default-key"),
        "сменить ключ Wazzup": lambda crm: crm.connect_integration("Wazzup", "manager-wazzup-key"),
        "отключить I2CRM": lambda crm: crm.disconnect_integration("I2CRM"),
        "обновить каналы Wazzup": lambda crm: crm.refresh_channels("Wazzup"),
        "создать бизнес-процесс": created,
        "изменить бизнес-процесс": edited,
        "удалить бизнес-процесс": deleted,
    }


@given("настройки интеграций и бизнес-процессов запомнены")
def remember_settings(crm_api: CrmDriver, ctx: ScenarioContext) -> None:
    assert isinstance(crm_api, SettingsReader), "драйвер API не умеет читать настройки целиком"
    ctx.remembered["settings"] = crm_api.settings_snapshot()
    if ctx.process_id is not None:
        ctx.remembered["process"] = crm_api.business_process(ctx.process_id)


@when(phrase("менеджер «{login}» с паролем «{password}» пытается «{action}»"))
def manager_attempts(crm: CrmDriver, ctx: ScenarioContext, login: str, password: str, action: str) -> None:
    """Через API от имени менеджера: подключить, сменить ключ, отключить, обновить каналы, создать/изменить/удалить."""
    attempts = _attempts(ctx)
    assert action in attempts, f"неизвестное действие «{action}» (есть: {', '.join(attempts)})"
    crm.sign_in(login, password)
    try:
        outcome = attempts[action](crm)
    except AccessDenied as refusal:
        ctx.remembered["refusal"] = str(refusal)
    else:
        ctx.remembered["refusal"] = None
        ctx.remembered["outcome"] = outcome


@then(phrase("CRM отказала менеджеру: «{text:A}»"))
def manager_refused(ctx: ScenarioContext, text: str) -> None:
    refusal = ctx.remembered.get("refusal", "не было попытки")
    assert refusal == text, f"ожидался отказ «{text}», а CRM: {refusal or ctx.remembered.get('outcome')!r}"


@then("настройки интеграций и бизнес-процессов не изменились")
def settings_unchanged(crm_api: CrmDriver, ctx: ScenarioContext) -> None:
    """Проверяет администратор (входит заново): интеграции, каналы и процессы — как были."""
    before = ctx.remembered.get("settings")
    assert before is not None, "настройки не были запомнены: добавьте «Дано настройки ... запомнены»"
    crm_api.sign_in(*words.ADMIN_LOGIN)
    assert isinstance(crm_api, SettingsReader)
    after = crm_api.settings_snapshot()
    assert after == before, f"настройки изменились:\nбыло  {before}\nстало {after}"


# -- secrets are shown nowhere ---------------------------------------------------------------------------


def _shown_with(crm_api: CrmDriver, ctx: ScenarioContext, secret: str) -> list[str]:
    assert isinstance(crm_api, ShownEverywhere), "драйвер API не умеет собрать все ответы CRM"
    assert secret, "секрет пуст: искать нечего"
    return [where for where, text in crm_api.everything_shown(ctx.deal_id) if secret in text]


@then(phrase("ключ «{key}» не виден ни в одном ответе и ни на одной странице CRM"))
def key_hidden(crm_api: CrmDriver, ctx: ScenarioContext, key: str) -> None:
    found = _shown_with(crm_api, ctx, key)
    assert not found, f"ключ «{key}» виден: {found}"


@then(phrase("секрет вебхука сервиса «{service}» не виден ни в одном ответе и ни на одной странице CRM"))
def webhook_secret_hidden(crm_api: CrmDriver, providers: FakeProviders, ctx: ScenarioContext, service: str) -> None:
    """Секрет, которым сервис подписывает уведомления (его знает сервис), CRM не показывает никому."""
    secrets = fake_of(providers, service).webhook_secrets
    assert secrets, f"{service} не получил от CRM секрета вебхука: проверять нечего"
    found = [where for secret in secrets for where in _shown_with(crm_api, ctx, secret)]
    assert not found, f"секрет вебхука {service} виден: {found}"
