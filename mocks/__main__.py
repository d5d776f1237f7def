"""``python -m mocks [--host 127.0.0.1] [--port 8100] [--demo] [--public-url URL]``: the standalone fakes."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import uvicorn

from mocks.app import create_app, fakes_base_urls
from mocks.demo import seed_demo
from mocks.registry import ProviderFakes


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m mocks", description="Serve the provider fakes.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--demo", action="store_true", help="seed the demo keys and channels")
    parser.add_argument("--public-url", help="the server's address as clients see it (default http://HOST:PORT)")
    return parser.parse_args(argv)


def build_fakes(public_url: str, demo: bool) -> ProviderFakes:
    """Fakes whose base URLs point at this server; seeded with the demo state when asked."""
    base = public_url.rstrip("/")
    fakes = ProviderFakes(fakes_base_urls(base))
    if demo:
        seed_demo(fakes)
    return fakes


def main(argv: Sequence[str] | None = None) -> None:
    """Parse, build, serve until interrupted."""
    args = parse_args(argv)
    public_url = args.public_url or f"http://{args.host}:{args.port}"
    fakes = build_fakes(public_url, args.demo)
    for fake in fakes.all():
        print(f"{fake.name:8} {fake.base_url}")
    print(f"outbox   {public_url}/   control {public_url}/_fakes/...")
    uvicorn.run(create_app(fakes), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
