"""Шаги о том, что CRM отправила по сети: журналы запросов к сервисам."""

from __future__ import annotations

import itertools
import uuid
from typing import Any
from urllib.parse import quote

from pytest_bdd import then

from drivers.protocol import CrmDriver
from mocks.interface import FakeProvider, FakeProviders
from steps import text_macros, vocabulary as words
from steps.context import ScenarioContext
from steps.durations import parse_duration
from steps.phone_literals import digits
from steps.phrases import phrase
from steps.provider_terms import fake_of, send_requests

_MISSING = object()
BP_TITLE = "Отправка сообщения в WhatsApp из бизнес процесса"


def field_value(body: Any, path: str) -> Any:
    """``attachments[0].size`` -> the value, or _MISSING."""
    current = body
    for part in path.replace("]", "").replace("[", ".").split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return _MISSING
    return current


def expected_value(fake: FakeProvider, cell: str) -> Any:
    """A table cell as a value: «(нет)» absent, «(есть)» present, «канал «+7…»» a channel id, «N шт.» a list size."""
    cell = cell.strip()
    if cell.startswith("канал «") and cell.endswith("»"):
        return fake.channel(cell[len("канал «") : -1]).id
    if cell.startswith("ключ канала «") and cell.endswith("»"):
        return fake.channel(cell[len("ключ канала «") : -1]).key
    if cell.startswith("файл «") and cell.endswith("»"):
        return ("файл", cell[len("файл «") : -1])
    if cell.startswith("номер «") and cell.endswith("»"):
        return digits(cell[len("номер «") : -1])
    return text_macros.expand(cell)


def matches(actual: Any, wanted: Any) -> bool:
    if wanted == "(нет)":
        return actual is _MISSING
    if wanted == "(есть)":
        return actual is not _MISSING and actual not in (None, "", [])
    if isinstance(wanted, tuple):  # a file URL ends with its (URL-quoted) name
        return isinstance(actual, str) and actual.endswith("/" + quote(wanted[1]))
    if isinstance(wanted, str) and wanted.endswith(" шт.") and wanted[:-4].isdigit():
        return isinstance(actual, list) and len(actual) == int(wanted[:-4])
    if isinstance(actual, bool | int | float):
        return str(actual).lower() == str(wanted).lower()
    return bool(actual == wanted)


def _show(actual: Any) -> str:
    return "(нет)" if actual is _MISSING else repr(actual)


def _sends(providers: FakeProviders, service: str) -> tuple[Any, list[Any]]:
    fake = fake_of(providers, service)
    sends = send_requests(fake)
    assert sends, f"{service} не получил ни одного запроса на отправку"
    return fake, sends


@then(phrase("сервис «{service}» получил запросов на отправку: {count:d}"))
def send_count(providers: FakeProviders, service: str, count: int) -> None:
    sends = send_requests(fake_of(providers, service))
    assert len(sends) == count, f"{service}: ожидалось запросов на отправку {count}, получено {len(sends)}: " + (
        "; ".join(f"{e.json} → {e.status} {e.fault or ''}" for e in sends) or "ни одного"
    )


@then(phrase("каждый запрос на отправку в «{service}» содержит поля:"))
def every_send_has(providers: FakeProviders, service: str, datatable: list[list[str]]) -> None:
    """Столбцы: Поле (``to``, ``attachments[0].size``) | Значение.

    Значение — текст, «(нет)», «(есть)», «канал «…»», «ключ канала «…»», «файл «…»», «номер «…»», «N шт.».
    """
    fake, sends = _sends(providers, service)
    problems = []
    for n, entry in enumerate(sends, 1):
        for row in datatable[1:]:
            path, actual = row[0].strip(), field_value(entry.json, row[0].strip())
            if not matches(actual, expected_value(fake, row[1])):
                problems.append(f"запрос {n}: «{path}» ожидалось {row[1].strip()!r}, отправлено {_show(actual)}")
    assert not problems, f"запросы в {service} не по контракту:\n" + "\n".join(problems)


@then(phrase("запросы на отправку в «{service}» по порядку:"))
def sends_in_order(providers: FakeProviders, service: str, datatable: list[list[str]]) -> None:
    """Заголовок — сравниваемые поля; по строке на запрос в порядке отправки."""
    fake, sends = _sends(providers, service)
    header = [cell.strip() for cell in datatable[0]]
    rows = datatable[1:]
    actual_rows = [[_show(field_value(e.json, name)) for name in header] for e in sends]
    assert len(sends) == len(rows), f"{service}: ожидалось запросов {len(rows)}, отправлено {len(sends)}: {actual_rows}"
    problems = []
    for n, (entry, row) in enumerate(zip(sends, rows, strict=True), 1):
        for name, cell in zip(header, row, strict=True):
            actual = field_value(entry.json, name)
            if not matches(actual, expected_value(fake, cell)):
                problems.append(f"запрос {n}: «{name}» ожидалось {cell.strip()!r}, отправлено {_show(actual)}")
    assert not problems, f"запросы в {service} не те или не в том порядке:\n" + "\n".join(problems)


@then(phrase("каждый запрос на отправку в «{service}» передаёт заголовок «{name}» со значением «{value}»"))
def header_value(providers: FakeProviders, service: str, name: str, value: str) -> None:
    _, sends = _sends(providers, service)
    seen = [e.header(name) for e in sends]
    assert all(v == value for v in seen), f"заголовок {name}: ожидалось «{value}», передано {seen}"


@then(phrase("каждый запрос на отправку в «{service}» передаёт параметр адреса «{name}» со значением «{value:A}»"))
def query_value(providers: FakeProviders, service: str, name: str, value: str) -> None:
    fake, sends = _sends(providers, service)
    wanted = expected_value(fake, value)
    seen = [e.query.get(name) for e in sends]
    assert all(v == wanted for v in seen), f"параметр адреса {name}: ожидалось {wanted!r}, передано {seen}"


def idempotency_keys(fake: FakeProvider, sends: list[Any]) -> list[str | None]:
    """Each send's idempotency key, as the provider's profile reads it (None: the provider has none)."""
    return [fake.profile.key_of(e) for e in sends]


@then(phrase("все запросы на отправку в «{service}» несут один и тот же ключ идемпотентности"))
def same_key(providers: FakeProviders, service: str) -> None:
    fake, sends = _sends(providers, service)
    keys = idempotency_keys(fake, sends)
    assert None not in keys and len(set(keys)) == 1, f"ожидался один ключ идемпотентности на попытки, переданы {keys}"


@then(phrase("запросы на отправку в «{service}» несут разные ключи идемпотентности"))
def different_keys(providers: FakeProviders, service: str) -> None:
    fake, sends = _sends(providers, service)
    keys = idempotency_keys(fake, sends)
    assert None not in keys and len(set(keys)) == len(keys), f"ожидались разные ключи идемпотентности, переданы {keys}"


@then(phrase("ключ идемпотентности каждого запроса на отправку в «{service}» — случайный UUID"))
def random_keys(providers: FakeProviders, service: str) -> None:
    """UUID версии 4, а не что-то, выведенное из номеров в базе CRM."""
    fake, sends = _sends(providers, service)
    keys = idempotency_keys(fake, sends)
    wrong = [k for k in keys if not _is_uuid4(k)]
    assert not wrong, f"ключи идемпотентности не UUID v4: {wrong}"


def _is_uuid4(value: str | None) -> bool:
    try:
        return value is not None and uuid.UUID(value).version == 4 and str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


@then(phrase("сервис «{service}» получил запросов о судьбе сообщения: {count:d}"))
def look_up_count(providers: FakeProviders, service: str, count: int) -> None:
    """Вопросы сверки: что стало с сообщением (по его id или по ключу идемпотентности)."""
    fake = fake_of(providers, service)
    asked = [e for e in fake.journal if e.method == "GET" and not fake.profile.channels.matches(e)]
    assert len(asked) == count, f"{service}: ожидалось вопросов о сообщении {count}, было {len(asked)}: " + (
        "; ".join(f"{e.method} {e.path} {dict(e.query)} → {e.status}" for e in asked) or "ни одного"
    )


@then(phrase("сервис «{service}» получил запросов о сообщении клиенту «{phone}» по его идентификатору: {count:d}"))
def look_ups_by_id(providers: FakeProviders, service: str, phone: str, count: int) -> None:
    """Сверка по идентификатору, который сервис дал сообщению (а не по ключу идемпотентности)."""
    fake = fake_of(providers, service)
    asked_by_id = fake.profile.looked_up_by_id
    assert asked_by_id is not None, f"у сервиса {service} не спрашивают о сообщении"
    sent = fake.outbox_to(digits(phone))
    assert len(sent) == 1, f"{service} принял для {phone} сообщений: {len(sent)}"
    asked = [e for e in fake.journal if asked_by_id(e) == sent[0].id]
    assert len(asked) == count, f"{service}: ожидалось вопросов о сообщении {count}, было {len(asked)}"


@then(phrase("в ленте сделки с номером запроса сервиса «{service}» запись об отправке со статусом «{status:A}»"))
def status_with_request_id(
    crm: CrmDriver, ctx: ScenarioContext, providers: FakeProviders, status: str, service: str
) -> None:
    """«{запрос}» в статусе — номер запроса (request_id), который сервис вернул в последнем ответе на отправку."""
    fake, sends = _sends(providers, service)
    request_ids = [fake.profile.request_id_of(e) for e in sends if fake.profile.request_id_of(e)]
    assert request_ids, f"{service} не вернул номера запроса ни в одном ответе на отправку"
    expected = words.STATUS_PREFIX + status.replace("{запрос}", str(request_ids[-1]))
    bodies = [item.body for item in crm.timeline(ctx.deal) if item.title == BP_TITLE]
    assert expected in bodies, f"ожидалась запись «{expected}», записи об отправке: {bodies or 'нет'}"


@then(phrase("ни один запрос на отправку в «{service}» не содержит одновременно «{first}» и «{second}»"))
def never_together(providers: FakeProviders, service: str, first: str, second: str) -> None:
    _, sends = _sends(providers, service)
    both = [e.json for e in sends if isinstance(e.json, dict) and first in e.json and second in e.json]
    assert not both, f"«{first}» и «{second}» ушли одним запросом: {both}"


@then(phrase("попытки отправки в «{service}» шли с интервалами «{intervals}»"))
def attempt_intervals(providers: FakeProviders, service: str, intervals: str) -> None:
    """«10 секунд, 30 секунд, 1 минута» — время между соседними запросами на отправку."""
    _, sends = _sends(providers, service)
    expected = [parse_duration(item) for item in text_macros.split_list(intervals)]
    actual = [later.time - earlier.time for earlier, later in itertools.pairwise(sends)]
    shown = ", ".join(f"{int(d.total_seconds())} с" for d in actual) or "попытка была одна"
    wanted = ", ".join(f"{int(d.total_seconds())} с" for d in expected)
    assert actual == expected, f"{service}: ожидались интервалы между попытками {wanted}, были {shown}"
