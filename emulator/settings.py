"""Runtime settings of the emulator, read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from emulator.providers.registry import ADAPTERS

DEFAULT_DATA_DIR = Path(os.environ.get("CRM_DATA_DIR", ".crm-data"))


def _real_base_urls() -> dict[str, str]:
    """Every provider's real service, as its adapter declares it."""
    return {name: cls.base_url for name, cls in ADAPTERS.items()}


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything the emulator needs to know about its surroundings."""

    database_url: str = f"sqlite:///{DEFAULT_DATA_DIR / 'crm.sqlite3'}"
    files_dir: Path = DEFAULT_DATA_DIR / "files"
    public_base_url: str = "http://127.0.0.1:8000"
    # provider -> the base URL of its API (default: the real service's, as its adapter declares it)
    provider_base_urls: Mapping[str, str] = field(default_factory=_real_base_urls, hash=False)
    control_api: bool = False
    # Bearer token of /_control/* (CRM_CONTROL_TOKEN). Without one the control API answers only requests
    # that no browser sent, and `python -m emulator` refuses to serve it on a non-loopback address.
    control_token: str | None = None
    scheduler_loop: bool = True
    scheduler_interval_seconds: float = 1.0
    provider_timeout_seconds: float = 10.0

    @classmethod
    def from_env(cls) -> Settings:
        base = cls()
        data_dir = Path(os.environ.get("CRM_DATA_DIR", str(DEFAULT_DATA_DIR)))
        return replace(
            base,
            database_url=os.environ.get("DATABASE_URL", f"sqlite:///{data_dir / 'crm.sqlite3'}"),
            files_dir=Path(os.environ.get("CRM_FILES_DIR", str(data_dir / "files"))),
            public_base_url=os.environ.get("CRM_PUBLIC_BASE_URL", base.public_base_url).rstrip("/"),
            provider_base_urls={
                name: os.environ.get(cls.base_url_env, base.provider_base_urls[name]).rstrip("/")
                for name, cls in ADAPTERS.items()
            },
            control_api=_flag("CRM_CONTROL_API", base.control_api),
            control_token=os.environ.get("CRM_CONTROL_TOKEN", "").strip() or None,
            scheduler_loop=_flag("CRM_SCHEDULER_LOOP", base.scheduler_loop),
        )

    def deal_url(self, deal_id: int) -> str:
        """The deal's page: what "Ссылка на сделку" becomes and what the API reports."""
        return f"{self.public_base_url}/deals/{deal_id}"

    def provider_base_url(self, provider: str) -> str:
        return self.provider_base_urls[provider]
