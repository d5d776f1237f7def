"""docs/ADDING_A_PROVIDER.md's count holds: a provider is named in code only in its own files, its demo data
and one registration line on each side (and one in the test kit), so a new provider is its contract, its
adapter, its fake, its example rows and those lines.

Every provider's name is searched in the code of the CRM, the fakes and the test kit (comments and
docstrings, which may name a provider as an example, left out). Tests, benchmarks, features, contracts and
documents may name providers freely.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

from emulator.providers.registry import ADAPTERS
from mocks.registry import FAKE_CLASSES
from tests.docs.test_layering import provider_patterns

ROOT = Path(__file__).resolve().parents[2]
CODE = ("emulator", "mocks", "drivers", "steps", "pages", "harness", "tooling")

# Demo data: a connected demo account of every provider (optional for a new provider).
DEMO_DATA = {"emulator/demo_accounts.py", "emulator/seed.py", "mocks/demo.py"}
DEMO_LINES = {
    "harness/world.py": (
        "DEMO_CHANNELS = ",  # each provider's demo channel (the suite's standard channel)
        "SEEDED_WITH_WEBHOOKS = ",  # the demo integrations connected by the seed
        'if provider == "default" and not self.client.integration("default").connected:',  # Default's demo
        'self.client.connect("default", DEMO_DEFAULT_KEY)',  # account is connected on first use
    ),
}

# The registrations: the only lines outside a provider's files that list every provider.
REGISTRATIONS = {
    "emulator/providers/registry.py": ("from emulator.providers.", "_ADAPTER_CLASSES: "),
    "mocks/registry.py": ("from mocks.", "_FAKE_CLASSES: "),
    "drivers/names.py": ("MESSAGING = ",),
}

# Mentions that are no registration (a new provider needs none of them), each with its reason.
OTHER_MENTIONS = {
    # the package's convenience re-exports of the fake classes (``from mocks import WazzupFake``)
    "mocks/__init__.py": ("from mocks.", '"'),
    # the access feature's scenarios act on named providers (the task's example process is I2CRM's)
    "steps/access_steps.py": (
        'spec = ProcessSpec(funnel="Воронка 2", stage="Оплата", service="I2CRM"',
        '"подключить Default": ',
        '"сменить ключ Wazzup": ',
        '"отключить I2CRM": ',
        '"обновить каналы Wazzup": ',
    ),
    # steps of one provider's own scenarios (Default's history in the demo data, its replay answer)
    "steps/crm_process_steps.py": (
        '@given("бизнес-процессы демонстрационных данных, настроенные до появления Default")',
    ),
    "steps/webhook_steps.py": ('last = fake_of(providers, "Default").webhook_deliveries[-1]',),
    # the title of the task's checklist (docs/CHECKLIST.md)
    "tooling/checklist.py": (
        '"# Чек-лист: отправка сообщения в WhatsApp бизнес-процессом через новый сервис Default"',
    ),
}


def _own(path: str, name: str) -> bool:
    """The provider's own files: its adapter (and the modules it is split into) and its fake."""
    return any(
        path == f"{side}/{name}.py" or path.startswith(f"{side}/{name}_") for side in ("emulator/providers", "mocks")
    )


def _code_lines(path: Path) -> dict[int, str]:
    """Line number -> the line's code, comments and docstrings blanked out."""
    text = path.read_text(encoding="utf-8")
    docstring_lines: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                docstring_lines.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    lines = {number: line for number, line in enumerate(text.splitlines(), 1) if number not in docstring_lines}
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT and token.start[0] in lines:
            row, column = token.start
            lines[row] = lines[row][:column]
    return lines


def _mentions() -> list[str]:
    names = sorted(set(ADAPTERS) | set(FAKE_CLASSES))
    found = []
    for folder in CODE:
        for file in sorted((ROOT / folder).rglob("*.py")):
            path = file.relative_to(ROOT).as_posix()
            if path in DEMO_DATA:
                continue
            for number, line in _code_lines(file).items():
                code = line.strip()
                for name in names:
                    if _own(path, name) or not any(p.search(code) for p in provider_patterns(name)):
                        continue
                    allowed = REGISTRATIONS.get(path, ()) + DEMO_LINES.get(path, ()) + OTHER_MENTIONS.get(path, ())
                    if any(code.startswith(start) for start in allowed):
                        continue
                    found.append(f"{path}:{number}: {code}")
                    break
    return found


def test_a_provider_is_named_only_in_its_files_its_demo_data_and_the_registration_lines() -> None:
    found = _mentions()
    assert not found, (
        "a provider is named outside its own files, its demo data and the registration lines "
        "(fold it into the adapter or fake class, or update docs/ADDING_A_PROVIDER.md and this test):\n"
        + "\n".join(found)
    )


def test_each_registration_line_is_one_line_per_side() -> None:
    """The adapters and the fakes are listed once each, on one line (besides their imports)."""
    for path, (_, listing) in (
        ("emulator/providers/registry.py", REGISTRATIONS["emulator/providers/registry.py"]),
        ("mocks/registry.py", REGISTRATIONS["mocks/registry.py"]),
    ):
        lines = [line for line in (ROOT / path).read_text(encoding="utf-8").splitlines() if line.startswith(listing)]
        assert len(lines) == 1 and lines[0].rstrip().endswith(")"), f"{path}: the list is not one line: {lines}"


def test_every_provider_has_an_adapter_a_fake_and_a_contract() -> None:
    assert list(ADAPTERS) == list(FAKE_CLASSES)
    for name in ADAPTERS:
        assert (ROOT / "contracts" / f"{name}.yaml").is_file(), name
        assert (ROOT / "emulator" / "providers" / f"{name}.py").is_file(), name
        assert (ROOT / "mocks" / f"{name}.py").is_file(), name
