"""The HTTP calls adapters make, and how transport failures are classified."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from emulator.providers.base import AuthRejected, ProviderUnavailable


@dataclass(frozen=True)
class TransportFailure:
    """No answer. ``may_have_arrived`` is False only when the request provably never left."""

    may_have_arrived: bool
    reason: str


def _never_left(exc: requests.ConnectionError) -> bool:
    if isinstance(exc, requests.ConnectTimeout):
        return True
    inner: Any = exc.args[0] if exc.args else None
    if isinstance(inner, MaxRetryError):
        inner = inner.reason
    return isinstance(inner, NewConnectionError | ConnectionRefusedError)


def call(
    method: str,
    url: str,
    *,
    timeout: float,
    headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
    json: Any = None,
) -> requests.Response | TransportFailure:
    try:
        return requests.request(method, url, headers=headers, params=params, json=json, timeout=timeout)
    except requests.ConnectionError as exc:  # includes ConnectTimeout
        if _never_left(exc):
            return TransportFailure(False, "сервис недоступен (соединение не установлено)")
        return TransportFailure(True, "соединение оборвалось до ответа сервиса")
    except requests.Timeout:
        return TransportFailure(True, "сервис не ответил вовремя")


def request(method: str, url: str, **kwargs: Any) -> requests.Response:
    """A :func:`call` whose transport failure is simply an error (channel lists, settings)."""
    answer = call(method, url, **kwargs)
    if isinstance(answer, TransportFailure):
        raise ProviderUnavailable(answer.reason)
    return answer


def bearer_json_list(url: str, api_key: str, timeout: float, provider_label: str) -> list[dict[str, Any]]:
    """GET a JSON list with ``Authorization: Bearer``; 401 is a refused key, anything else unavailable."""
    response = request("GET", url, headers={"Authorization": f"Bearer {api_key}"}, timeout=timeout)
    if response.status_code == 401:
        raise AuthRejected("неверный API ключ")
    if response.status_code != 200:
        raise ProviderUnavailable(f"{provider_label} ответил HTTP {response.status_code}")
    body = json_body(response)
    if not isinstance(body, list):
        raise ProviderUnavailable(f"{provider_label} вернул неожиданный список каналов")
    return body


def json_body(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise ProviderUnavailable(f"сервис вернул не JSON (HTTP {response.status_code})") from exc


def retry_after(response: requests.Response) -> float | None:
    raw = response.headers.get("Retry-After")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        return None
