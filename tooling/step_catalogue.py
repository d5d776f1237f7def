"""``python -m tooling.step_catalogue``: docs/STEPS.md, every step phrase of the suite for QA authors.

The phrases come from the step modules themselves (the registry pytest-bdd fills when they are
imported), with their kind, module and docstring, and how many feature steps use each of them.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections import Counter
from dataclasses import dataclass, field

from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

from steps import STEP_MODULES
from steps.phrases import readable
from tooling import document
from tooling.feature_model import ROOT, features

OUTPUT = ROOT / "docs" / "STEPS.md"
COMMAND = "python -m tooling.step_catalogue"
KINDS = {"given": "Дано", "when": "Когда", "then": "Тогда", None: "любой"}


@dataclass(frozen=True)
class StepDef:
    kind: str | None
    phrase: str
    module: str
    line: int
    doc: str
    context: StepFunctionContext = field(compare=False, hash=False)


def step_modules() -> list[str]:
    return list(STEP_MODULES)


def step_defs() -> list[StepDef]:
    modules = step_modules()
    for name in modules:
        importlib.import_module(name)
    found = []
    for context in list(step_function_context_registry.values()):
        func = context.step_func
        if func.__module__ not in modules:
            continue
        found.append(
            StepDef(
                kind=context.type,
                phrase=readable(context.parser.name),
                module=func.__module__,
                line=inspect.getsourcelines(func)[1],
                doc=" ".join((inspect.getdoc(func) or "").split()),
                context=context,
            )
        )
    order = {name: n for n, name in enumerate(modules)}
    return sorted(set(found), key=lambda d: (order[d.module], d.line, d.kind or "", d.phrase))


def usage(defs: list[StepDef]) -> tuple[Counter[StepDef], list[str]]:
    """How many feature steps each definition serves, and the steps no definition matches."""
    used: Counter[StepDef] = Counter()
    missing = []
    for feature in features():
        for scenario in feature.scenarios:
            for steps in scenario.rendered_steps():
                for step in steps:
                    match = next(
                        (d for d in defs if d.kind in (step.kind, None) and d.context.parser.is_matching(step.text)),
                        None,
                    )
                    if match is None:
                        missing.append(f"{feature.path.name}:{step.line}: {step.keyword}{step.text}")
                    else:
                        used[match] += 1
    return used, sorted(set(missing))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _module_doc(name: str) -> str:
    return " ".join((inspect.getdoc(sys.modules[name]) or "").split("\n\n")[0].split())


def render() -> str:
    defs = step_defs()
    used, missing = usage(defs)
    lines = [
        "# Каталог шагов",
        "",
        f"Сгенерировано из `steps/` командой `{COMMAND}`; не редактируйте вручную.",
        "",
        "Как писать шаги:",
        "",
        "- `«{имя}»` — одно значение в кавычках-ёлочках (может быть пустым, без «ёлочек» внутри);"
        " последнее значение фразы, где это нужно (текст ошибки, статус), может содержать «ёлочки».",
        "- `{имя:d}` — целое число; `{duration}` — длительность: «2 дня 23 часа 59 минут», «10 секунд».",
        "- В текстах сообщений и значениях: `\\n` — перенос строки, `{Имя клиента}` — параметр, как его"
        " вставляет редактор (`[Имя клиента#2001]`), `{ж × 4096}` — повтор, `(пусто)`, `(пробелы)`.",
        "- Файлы: `прайс.pdf`, `фото.jpg (2 МБ)`, `big.mp4 (50 МБ + 1 Б)`, `счёт.pdf (исполняемый)`;"
        " списки через запятую, `—` — ничего.",
        "- Сбои сервиса: «ответ потерян», «нет соединения», «соединение оборвано», «истекло время подключения».",
        "",
        f"Всего фраз: {len(defs)}; шагов в сценариях: {sum(used.values())}.",
        "",
    ]
    if missing:
        lines += ["## Шаги сценариев без определения", ""] + [f"- `{m}`" for m in missing] + [""]
    for module in dict.fromkeys(d.module for d in defs):
        path = module.replace(".", "/") + ".py"
        lines += [f"## `{path}`", "", _module_doc(module), "", "| Вид | Фраза | Использований | Описание |"]
        lines.append("|---|---|---:|---|")
        for d in (d for d in defs if d.module == module):
            lines.append(f"| {KINDS[d.kind]} | {_cell(d.phrase)} | {used[d]} | {_cell(d.doc) or '—'} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    return document.write(render, OUTPUT, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
