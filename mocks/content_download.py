"""Fetching a message's file the way a provider does: a plain GET with a short timeout and a size cap.

Runs with plain ``requests``, so under an active ``responses`` mock the URL must be registered or
passed through (the CRM emulator's file URLs are passed through by the suite).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import requests

DOWNLOAD_TIMEOUT_SECONDS = 5.0
_CHUNK = 64 * 1024
_FILENAME = re.compile(r"""filename\*?=(?:UTF-8'')?"?([^";]+)"?""", re.IGNORECASE)


@dataclass(frozen=True)
class Download:
    """What a successful download turned out to be."""

    url: str
    size: int
    content_type: str | None
    filename: str | None


class DownloadError(Exception):
    """The file could not be fetched (``too_large`` when it exceeded the cap)."""

    def __init__(self, reason: str, *, too_large: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.too_large = too_large


def is_http_url(value: object) -> bool:
    """Whether ``value`` is an absolute http(s) URL with a host."""
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _filename(url: str, response: requests.Response) -> str | None:
    found = _FILENAME.search(response.headers.get("Content-Disposition", ""))
    if found:
        return unquote(found.group(1))
    last = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return last or None


def download(
    url: str, limit: int, timeout: float = DOWNLOAD_TIMEOUT_SECONDS, *, follow_redirects: bool = True
) -> Download:
    """GET ``url``; raise ``DownloadError`` unless it answers 200 with at most ``limit`` bytes.

    ``follow_redirects=False``: a redirect is a failure (Wazzup downloads "without redirects").
    """
    if not is_http_url(url):
        raise DownloadError(f"not an http(s) URL: {url!r}")
    try:
        with requests.get(url, timeout=timeout, stream=True, allow_redirects=follow_redirects) as response:
            if 300 <= response.status_code < 400:
                raise DownloadError(f"GET {url} redirected ({response.status_code}): not followed")
            if response.status_code != 200:
                raise DownloadError(f"GET {url} answered {response.status_code}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise DownloadError(f"{url} is {declared} bytes, over {limit}", too_large=True)
            size = 0
            for chunk in response.iter_content(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise DownloadError(f"{url} is over {limit} bytes", too_large=True)
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip() or None
            return Download(url=url, size=size, content_type=content_type, filename=_filename(url, response))
    except requests.RequestException as error:
        raise DownloadError(f"GET {url} failed: {error}") from error
