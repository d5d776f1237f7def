"""The docs page of a provider's contract, rendered on the server (offline: no CDN, no script)."""

from __future__ import annotations

import json
from html import escape
from typing import Any

import yaml

from mocks.contract import Contract

METHODS = ("get", "post", "put", "patch", "delete")


def _block(value: Any) -> str:
    return f"<pre>{escape(json.dumps(value, ensure_ascii=False, indent=2))}</pre>"


def _text(value: Any) -> str:
    return f"<p>{escape(str(value)).replace(chr(10), '<br>')}</p>" if value else ""


def _operation(method: str, path: str, operation: dict[str, Any]) -> str:
    parts = [f"<h3><code>{method.upper()} {escape(path)}</code> — {escape(str(operation.get('summary', '')))}</h3>"]
    parts.append(_text(operation.get("description")))
    parameters = operation.get("parameters") or []
    if parameters:
        rows = "".join(
            f"<tr><td><code>{escape(str(p.get('name', p.get('$ref', ''))))}</code></td>"
            f"<td>{escape(str(p.get('in', '')))}</td><td>{'да' if p.get('required') else 'нет'}</td></tr>"
            for p in parameters
        )
        parts.append(f"<table><tr><th>Параметр</th><th>Где</th><th>Обязателен</th></tr>{rows}</table>")
    body = (operation.get("requestBody") or {}).get("content") or {}
    for media, content in body.items():
        parts.append(f"<h4>Тело запроса ({escape(media)})</h4>{_block(content.get('schema'))}")
        for name, example in (content.get("examples") or {}).items():
            parts.append(f"<h4>Пример «{escape(name)}»</h4>{_block(example.get('value'))}")
    for status, answer in (operation.get("responses") or {}).items():
        parts.append(f"<h4>Ответ {escape(str(status))}</h4>{_block(answer)}")
    return "<section>" + "".join(parts) + "</section>"


def render(contract: Contract, provider_title: str) -> str:
    document = yaml.safe_load(contract.path.read_text(encoding="utf-8"))
    info = document.get("info", {})
    sections = [
        _operation(method, path, item[method])
        for path, item in (document.get("paths") or {}).items()
        for method in METHODS
        if method in item
    ]
    hooks = [
        _operation(method, f"webhook: {name}", item[method])
        for name, item in (document.get("webhooks") or {}).items()
        for method in METHODS
        if method in item
    ]
    schemas = "".join(
        f"<h3><code>{escape(name)}</code></h3>{_block(schema)}"
        for name, schema in ((document.get("components") or {}).get("schemas") or {}).items()
    )
    return (
        "<!doctype html><html lang='ru'><head><meta charset='utf-8'>"
        f"<title>{escape(provider_title)}: контракт</title>"
        "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto}pre{background:#f4f4f4;padding:.5em;"
        "overflow:auto}section{border-top:1px solid #ccc;margin-top:1em}td,th{padding:.2em .6em;text-align:left}"
        "</style></head><body>"
        f"<h1>{escape(str(info.get('title', provider_title)))}</h1>{_text(info.get('description'))}"
        f"<p>Сервер: <code>{escape(contract.server_url)}</code>. Документ: <a href='openapi.yaml'>openapi.yaml</a>.</p>"
        "<h2>Запросы</h2>" + "".join(sections) + "<h2>Вебхуки</h2>" + "".join(hooks) + "<h2>Схемы</h2>" + schemas
        + "</body></html>"
    )  # fmt: skip
