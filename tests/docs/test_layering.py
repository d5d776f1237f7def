"""The layers keep to their side: the shared send path names no provider, the steps hold no provider wire
details and, like the page objects, do not lean on the system under test; no test code hands a fake a CRM
secret behind its back."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from mocks.registry import FAKE_CLASSES

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
ENGLISH_WORDS = {"default"}  # provider names that are also ordinary words: only their name-like uses count


def _python(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def provider_patterns(name: str) -> list[re.Pattern[str]]:
    """How a provider's name shows in code (for a name that is also a word, only its name-like uses)."""
    if name not in ENGLISH_WORDS:
        return [re.compile(rf"(?i){re.escape(name)}")]
    capital = name.capitalize()
    return [
        re.compile(rf"[\"']{re.escape(name)}[\"']", re.IGNORECASE),  # the provider key as a literal
        re.compile(rf"\b{capital}\b|\b{capital}[A-Z_]\w*"),  # Default, DefaultAdapter, …
        re.compile(rf"\.{re.escape(name)}\b"),  # emulator.providers.default, fakes.default
    ]


def test_the_shared_send_path_names_no_provider() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _python("emulator/automation")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for name in FAKE_CLASSES
        if any(p.search(line) for p in provider_patterns(name))
    ]
    assert not found, "emulator/automation/ names a provider (it belongs in its adapter):\n" + "\n".join(found)


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _string_literals(path: Path) -> Iterator[tuple[int, str]]:
    """The file's string constants (f-string parts included), docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def _walk_schema(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                yield from value
            yield from _walk_schema(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk_schema(item)


def _wire_words() -> dict[str, str]:
    """Each contract's routes, header names and distinctive field names (camelCase or snake_case) -> where
    they come from. Plain words (``text``, ``to``, ``id``) are everybody's and are not listed."""
    words: dict[str, str] = {}
    for contract in sorted(CONTRACTS.glob("*.yaml")):
        document = yaml.safe_load(contract.read_text(encoding="utf-8"))
        for route in document.get("paths", {}):
            words[route.split("{", 1)[0].rstrip("/") or route] = f"{contract.name}: route {route}"
        for parameter in _parameters(document):
            if parameter.get("in") == "header":
                words[parameter["name"]] = f"{contract.name}: header"
        for field in _walk_schema(document):
            if re.search(r"[a-z][A-Z]|_", field) and len(field) >= 5:
                words[field] = f"{contract.name}: field"
    for fake in FAKE_CLASSES.values():
        if "header" in fake.profile.auth:
            words[fake.profile.auth["header"]] = f"{fake.name} profile: auth header"
    return words


def _parameters(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "parameters" and isinstance(value, list):
                yield from (p for p in value if isinstance(p, dict) and "name" in p)
            else:
                yield from _parameters(value)
    elif isinstance(node, list):
        for item in node:
            yield from _parameters(item)


def test_the_wire_vocabulary_is_read_from_the_contracts() -> None:
    """The rule below only checks what this finds: it must find the words the audit named."""
    words = _wire_words()
    for expected in ("/message", "/messages", "/target/feedback", "X-Auth-Token", "Idempotency-Key", "channelId"):
        assert expected in words, f"{expected} is not read from contracts/: {sorted(words)}"


def _is_wire_literal(value: str, word: str) -> bool:
    if word.startswith("/"):
        return re.search(rf"{re.escape(word)}(?![\w-])", value) is not None
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", value, re.IGNORECASE) is not None


def test_steps_hold_no_provider_routes_headers_or_fields() -> None:
    """Wire details live in the fakes' profiles (mocks/profile.py); a step names the business, not the wire."""
    words = _wire_words()
    found = [
        f"{path.relative_to(ROOT)}:{line}: {value!r} ({words[word]})"
        for path in _python("steps")
        for line, value in _string_literals(path)
        for word in words
        if _is_wire_literal(value, word)
    ]
    assert not found, "provider wire details in steps/:\n" + "\n".join(found)


@pytest.mark.parametrize("folder", ["steps", "pages"])
def test_the_oracle_does_not_import_the_system_under_test(folder: str) -> None:
    """Expected values come from literals or the fakes, never from the emulator's code (its normaliser, its
    vocabulary, its engine)."""
    found = []
    for path in _python(folder):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            found += [f"{path.relative_to(ROOT)}:{node.lineno}: {m}" for m in modules if m.split(".")[0] == "emulator"]
    assert not found, f"{folder}/ imports the emulator:\n" + "\n".join(found)


def test_no_test_code_reaches_into_a_fake_for_the_crm_secret() -> None:
    """A fake learns the CRM's webhook address and secret only from the CRM's registration call; its private
    state is the fake's own (the public setter refuses Wazzup and Default)."""
    private = re.compile(r"\._(webhook_url|learn_webhook|registered_secrets)\b")
    folders = _python("steps", "harness", "drivers", "pages", "tests/acceptance", "tests/engine")
    files = [*folders, ROOT / "conftest.py", ROOT / "tests" / "conftest.py"]
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if private.search(line)
    ]
    assert not found, "test code writes a fake's webhook registration itself:\n" + "\n".join(found)


def test_time_is_frozen_only_through_the_harness() -> None:
    """A bare ``freeze_time`` freezes the in-process CRM's event loop too (harness/clock.py ``frozen``)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _python("tests", "steps", "harness", "mocks", "pages", "drivers", "bench", "tooling")
        if path != ROOT / "harness" / "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\bfreeze_time\(|from freezegun import", line) and "test_layering.py" not in str(path)
    ]
    assert offenders == []
