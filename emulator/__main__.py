"""``python -m emulator``: the CRM with demo data on SQLite, and the provider fakes beside it.

By default the provider fakes (``python -m mocks``) run in the same process on --fakes-port and
the CRM talks to them, so every "sent" message shows on their outbox page instead of reaching a
real service. ``--real-providers`` points the CRM at the real provider URLs instead.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from dataclasses import replace
from pathlib import Path

import uvicorn

from emulator import seed
from emulator.api.control_access import startup_refusal
from emulator.app import create_app
from emulator.db import Database
from emulator.providers.registry import ADAPTERS
from emulator.settings import Settings


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m emulator",
        description=__doc__,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        epilog="Environment: DATABASE_URL (default: SQLite in .crm-data/), CRM_PUBLIC_BASE_URL, "
        + "".join(f"{cls.base_url_env}, " for cls in ADAPTERS.values())
        + "CRM_CONTROL_API, CRM_CONTROL_TOKEN (required for --control-api on a non-loopback --host), "
        "CRM_SCHEDULER_LOOP.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address the CRM and the fakes listen on")
    parser.add_argument("--port", type=int, default=8000, help="the CRM's port")
    parser.add_argument("--fakes-port", type=int, default=8100, help="the provider fakes' port (their outbox page)")
    parser.add_argument(
        "--real-providers", action="store_true", help="talk to the real provider APIs instead of the fakes"
    )
    parser.add_argument("--keep-data", action="store_true", help="do not reload the demo data at start")
    parser.add_argument(
        "--control-api", action="store_true", help="enable /_control (tests, local clock, run due work)"
    )
    return parser.parse_args()


def _serve_fakes(host: str, port: int) -> str:
    from mocks.app import create_app as create_fakes_app, fakes_base_urls
    from mocks.demo import seed_demo
    from mocks.registry import ProviderFakes

    fakes = ProviderFakes(fakes_base_urls(f"http://{host}:{port}"))
    seed_demo(fakes)
    server = uvicorn.Server(uvicorn.Config(create_fakes_app(fakes), host=host, port=port, log_level="warning"))
    threading.Thread(target=server.run, name="provider-fakes", daemon=True).start()
    return f"http://{host}:{port}"


def main() -> None:
    args = _parse()
    settings = Settings.from_env()
    settings = replace(
        settings,
        public_base_url=os.environ.get("CRM_PUBLIC_BASE_URL", f"http://{args.host}:{args.port}"),
        control_api=settings.control_api or args.control_api,
    )
    refused = startup_refusal(args.host, settings)
    if refused is not None:
        print(refused, file=sys.stderr)
        sys.exit(2)
    if not args.real_providers:
        fakes_url = _serve_fakes(args.host, args.fakes_port)
        from mocks.app import fakes_base_urls

        settings = replace(settings, provider_base_urls=fakes_base_urls(fakes_url))
        print(f"Provider fakes: {fakes_url}/ (outbox of every message the CRM sends)")
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    database = Database(settings.database_url)
    if not args.keep_data:
        # Fresh demo data on a fresh schema: a data file left by an older version of the kit starts cleanly.
        database.drop_schema()
    database.create_schema()
    if not args.keep_data:
        seed.reset(database)
    print(f"CRM: {settings.public_base_url}/deals/{seed.DEMO_DEAL_ID}  (admin/admin, manager/manager)")
    uvicorn.run(create_app(settings, database), host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
