"""Шаги о CRM как о работающей программе: перезапуск, сбой посреди отправки, несколько планировщиков,
собственный фоновый планировщик CRM, много сделок и быстрые повторные действия (только в процессе теста)."""

from __future__ import annotations

from pytest_bdd import given, then, when

from drivers.names import provider_key
from drivers.protocol import ContactSpec, CrmDriver
from harness.clock import ScenarioClock
from harness.crm_operations import CrmOperations
from mocks.interface import FakeProviders
from steps.contact_tables import numbered_phones
from steps.context import ScenarioContext
from steps.durations import parse_duration
from steps.outcome_steps import outbox_summary
from steps.phone_literals import digits
from steps.phrases import phrase
from steps.services import standard_channel
from steps.stage_steps import mark_journals
from steps.vocabulary import CLIENT


@when("CRM перезапускают")
def restart(crm_process: CrmOperations, clock: ScenarioClock) -> None:
    """Остановка и новый запуск над той же базой; после запуска CRM сразу делает то, что наступило."""
    crm_process.restart()
    clock.run_due()


@when("CRM аварийно останавливается посреди отправки и запускается снова")
def crash_and_restart(crm_process: CrmOperations, clock: ScenarioClock) -> None:
    """Отправки, начатые до остановки, остаются незавершёнными: CRM не знает, дошли ли они."""
    crm_process.crash_during_sends()
    clock.run_due()


@when(phrase("CRM не работала {duration}"))
def crm_down(crm_process: CrmOperations, clock: ScenarioClock, duration: str) -> None:
    """Время идёт, а CRM ничего не выполняет; затем она запускается и делает всё наступившее."""
    clock.jump(parse_duration(duration))
    crm_process.restart()
    clock.run_due()


@when(phrase("проходит {duration} и наступившее одновременно выполняют два планировщика CRM"))
def two_schedulers(crm_process: CrmOperations, clock: ScenarioClock, duration: str) -> None:
    clock.jump(parse_duration(duration))
    crm_process.run_due_twice_at_once()


@when(phrase("сделку переводят на этап «{stage}», а наступившее выполняет фоновый планировщик CRM"))
def background_send(
    crm: CrmDriver, crm_process: CrmOperations, ctx: ScenarioContext, providers: FakeProviders, stage: str
) -> None:
    """Ни один шаг не выполняет наступившее: это делает сам планировщик CRM, как в работе (раз в секунду)."""
    mark_journals(ctx, providers)
    worked = crm_process.let_background_scheduler_work(lambda: crm.move_deal_to_stage(ctx.deal, stage))
    assert worked, "фоновый планировщик CRM так ничего и не выполнил"


@given(phrase("{count:d} сделок в воронке «{funnel}» на этапе «{stage}», у каждой свой клиент с номером от «{first}»"))
def many_deals(crm_api: CrmDriver, ctx: ScenarioContext, count: int, funnel: str, stage: str, first: str) -> None:
    """Клиенты с номерами подряд: «+7(999)200-00-01», «…-02», ..."""
    for n, phone in enumerate(numbered_phones(first, count), 1):
        contact = ContactSpec(name=f"{CLIENT} {n}", primary=True, phones=(phone,))
        ctx.deals[phone] = crm_api.create_deal(funnel, stage, client_name=CLIENT, contacts=[contact])


@when(phrase("все эти сделки переводят на этап «{stage}»"))
def move_all(crm: CrmDriver, ctx: ScenarioContext, providers: FakeProviders, clock: ScenarioClock, stage: str) -> None:
    """Одна за другой в одну и ту же минуту; затем CRM выполняет наступившее."""
    assert ctx.deals, "в сценарии нет группы сделок"
    mark_journals(ctx, providers)
    for deal_id in ctx.deals.values():
        crm.move_deal_to_stage(deal_id, stage)
    clock.run_due()


@then(phrase("каждый из {count:d} клиентов от «{first}» получил ровно одно сообщение «{text:A}»"))
def each_got_one(providers: FakeProviders, count: int, first: str, text: str) -> None:
    numbers = [digits(p) for p in numbered_phones(first, count)]
    received = [m.to for m in providers.outbox() if m.text == text]
    wrong = {n: received.count(n) for n in numbers if received.count(n) != 1}
    strangers = sorted(set(received) - set(numbers))
    assert not wrong and not strangers, (
        f"не по одному сообщению: {wrong or 'у всех по одному'}; чужим номерам: {strangers or 'никому'}; "
        f"всего сообщений {len(received)}"
    )
    assert len(providers.outbox()) == count, f"всего отправлено {len(providers.outbox())}: {outbox_summary(providers)}"


@when(phrase("сделку {times:d} раз подряд переводят на этап «{stage}» и обратно на «{back}»"))
def back_and_forth(
    crm: CrmDriver,
    ctx: ScenarioContext,
    providers: FakeProviders,
    clock: ScenarioClock,
    times: int,
    stage: str,
    back: str,
) -> None:
    """Быстро, в одну минуту, без выполнения наступившего между переходами."""
    mark_journals(ctx, providers)
    for _ in range(times):
        crm.move_deal_to_stage(ctx.deal, stage)
        crm.move_deal_to_stage(ctx.deal, back)
    clock.run_due()


@when(phrase("в сделке {times:d} раза подряд нажимают кнопку «{label}»"))
def press_repeatedly(
    crm: CrmDriver, ctx: ScenarioContext, providers: FakeProviders, clock: ScenarioClock, times: int, label: str
) -> None:
    """Повторные нажатия той же кнопки, пока сделка уже на её этапе: кнопки может и не быть."""
    mark_journals(ctx, providers)
    crm.press_deal_button(ctx.deal, label)
    for _ in range(times - 1):
        if label in crm.deal(ctx.deal).buttons:
            crm.press_deal_button(ctx.deal, label)
    clock.run_due()


@given("бизнес-процессы демонстрационных данных, настроенные до появления Default")
def demo_processes(crm_process: CrmOperations) -> None:
    """Демонстрационные данные заново, с их процессом I2CRM на «В работе» воронки «Воронка 2» (текст задания)."""
    crm_process.restore_demo_with_processes()


@given(
    phrase(
        "на этапе «{stage}» воронки «{funnel}» бизнес-процесс «{service}» с текстом «{text:A}», "
        "сохранённый прежней версией CRM"
    )
)
def legacy_process(crm_process: CrmOperations, stage: str, funnel: str, service: str, text: str) -> None:
    """Запись процесса, какой её оставила версия CRM до Default (год назад, только её поля), — без пересохранения."""
    channel = digits(standard_channel(service))
    crm_process.store_process_as_older_crm(funnel, stage, provider_key(service), channel, text)
