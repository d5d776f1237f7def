"""Allure labels from the features and attachments that explain a failing step."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import allure

from emulator.client import Exchange

SEVERITIES = ("blocker", "critical", "normal", "minor", "trivial")


def label_scenario(feature_name: str, rule_name: str | None, tags: set[str], driver_kind: str) -> None:
    """epic = area (the feature), story = rule, severity from a tag, the driver as a label and tag."""
    allure.dynamic.epic(feature_name)
    if rule_name:
        allure.dynamic.story(rule_name)
    for severity in SEVERITIES:
        if severity in tags:
            allure.dynamic.severity(allure.severity_level[severity.upper()])
            break
    allure.dynamic.label("driver", driver_kind.upper())
    allure.dynamic.tag(driver_kind.upper())


def attach_exchanges(exchanges: Sequence[Exchange], last: int = 30) -> None:
    lines = []
    for item in list(exchanges)[-last:]:
        sent = json.dumps(item.request_json, ensure_ascii=False) if item.request_json is not None else ""
        lines.append(f"{item.method} {item.url} {sent}\n  -> {item.status} {item.response_text[:2000]}")
    allure.attach("\n\n".join(lines) or "(нет запросов)", "Запросы к CRM и её ответы", allure.attachment_type.TEXT)


def attach_provider_journal(journal_rows: list[dict[str, Any]]) -> None:
    allure.attach(
        json.dumps(journal_rows, ensure_ascii=False, indent=2, default=str),
        "Запросы к провайдерам (журналы фейков)",
        allure.attachment_type.JSON,
    )


def attach_screenshot(png: bytes) -> None:
    allure.attach(png, "Снимок экрана", allure.attachment_type.PNG)
