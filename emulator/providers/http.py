"""The HTTP calls adapters make, and how transport failures are classified.

Each thread makes its calls through one ``requests`` session of its own (a session is not thread-safe),
built once instead of per call. It behaves as the fresh session of ``requests.request`` did: every call
on a new connection (a kept-alive connection the provider closed meanwhile could turn a call into a lost
answer), no cookies kept from one call to the next, the environment's proxy, CA bundle and netrc settings
applied, and no retries (its adapter's urllib3 ``Retry(0, read=False)`` sends each call once). Those
settings are read by ``requests`` itself, once per thread and provider origin instead of per call (it
scanned the whole environment twice per call): the environment of a running CRM does not change.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.cookiejar import Cookie, CookiePolicy
from typing import Any
from urllib.parse import urlsplit
from urllib.request import Request

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from emulator.providers.base import AuthRejected, ProviderUnavailable


@dataclass(frozen=True)
class TransportFailure:
    """No answer. ``may_have_arrived`` is False only when the request provably never left."""

    may_have_arrived: bool
    reason: str


class _OneCallConnections(requests.adapters.HTTPAdapter):
    """An adapter that reuses no connection: it forgets its pools after each call (as the session of
    ``requests.request`` did when it closed), so the next call opens a new connection."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        try:
            return super().send(request, *args, **kwargs)
        finally:
            self.close()


class _NoCookies(CookiePolicy):
    """A cookie policy that accepts no cookie and returns none (a provider's cookie is not kept)."""

    netscape = True
    rfc2965 = False
    hide_cookie2 = True

    def set_ok(self, cookie: Cookie, request: Request) -> bool:
        return False

    def return_ok(self, cookie: Cookie, request: Request) -> bool:
        return False

    def domain_return_ok(self, domain: str, request: Request) -> bool:
        return False

    def path_return_ok(self, path: str, request: Request) -> bool:
        return False


@dataclass(frozen=True)
class _Environment:
    """What ``requests`` takes from the environment for calls to one origin (``trust_env``)."""

    proxies: dict[str, str]
    verify: bool | str | None
    cert: Any
    auth: tuple[str, str] | None  # from netrc


class _Sessions(threading.local):
    def __init__(self) -> None:
        self.session: requests.Session | None = None
        self.environments: dict[tuple[str, str], _Environment] = {}


_sessions = _Sessions()


def _session() -> requests.Session:
    session = _sessions.session
    if session is None:
        session = _sessions.session = requests.Session()
        session.trust_env = False  # applied per origin by _environment
        for prefix in ("https://", "http://"):
            session.mount(prefix, _OneCallConnections())
        session.cookies.set_policy(_NoCookies())
    return session


def _environment(url: str) -> _Environment:
    origin = urlsplit(url)[:2]
    found = _sessions.environments.get(origin)
    if found is None:
        with requests.Session() as reader:  # trust_env: requests' own reading of the environment
            settings = reader.merge_environment_settings(url, {}, None, None, None)
        found = _sessions.environments[origin] = _Environment(
            dict(settings["proxies"]), settings["verify"], settings["cert"], requests.utils.get_netrc_auth(url)
        )
    return found


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
        environment = _environment(url)
        return _session().request(
            method,
            url,
            headers=headers,
            params=params,
            json=json,
            timeout=timeout,
            proxies=environment.proxies,
            verify=environment.verify,
            cert=environment.cert,
            auth=environment.auth,
        )
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
