"""Wires the acceptance suite: emulator, provider fakes, frozen clock, the CRM driver, Allure.

In-process (default): the emulator runs in a thread with its own SQLite file, the providers are
faked through ``responses``, time is frozen with freezegun. With ``--base-url`` (an emulator started
elsewhere with its control API on) and ``--fakes-url`` (``python -m mocks``), the same scenarios use
the control APIs for time and providers instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from freezegun import freeze_time

from drivers.api_driver import ApiDriver
from drivers.protocol import CrmDriver
from emulator.client import CrmClient, Exchange
from emulator.seed import ADMIN_TOKEN
from harness import reporting
from harness.clock import REAL_TIME_MODULES, SCENARIO_START, FreezegunMover, RemoteMover, ScenarioClock
from harness.emulator_server import EmulatorServer
from harness.provider_fakes import ProviderFakesFixture
from steps import STEP_MODULES

pytest_plugins = list(STEP_MODULES)

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("crm", "CRM acceptance suite")
    group.addoption("--fakes-url", default=None, help="standalone provider fakes (python -m mocks) for --base-url")
    group.addoption(
        "--crm-database-url", default=None, help="database of the in-process emulator (default: SQLite per worker)"
    )


# -- the emulator -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def base_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The emulator's URL: the one given with --base-url, or one served in this process."""
    given = request.config.getoption("base_url", default=None)
    if given:
        yield str(given).rstrip("/")
        return
    server = EmulatorServer(tmp_path_factory.mktemp("crm"), request.config.getoption("--crm-database-url"))
    server.start()
    yield server.base_url
    server.stop()


@pytest.fixture(scope="session")
def in_process(request: pytest.FixtureRequest) -> bool:
    return not request.config.getoption("base_url", default=None)


@pytest.fixture
def exchanges() -> list[Exchange]:
    """Every request a scenario made to the CRM, for the report of a failing step."""
    return []


@pytest.fixture
def crm_client(base_url: str, exchanges: list[Exchange]) -> CrmClient:
    return CrmClient(base_url, ADMIN_TOKEN, on_exchange=exchanges.append)


# -- time ---------------------------------------------------------------------------------------


@pytest.fixture
def clock(in_process: bool, crm_client: CrmClient) -> Iterator[ScenarioClock]:
    """Frozen at SCENARIO_START (Europe/Moscow); steps move it."""
    if not in_process:
        crm_client.set_clock(SCENARIO_START)
        yield ScenarioClock(RemoteMover(crm_client), crm_client)
        return
    freezer = freeze_time(SCENARIO_START, real_asyncio=True, ignore=REAL_TIME_MODULES)
    factory = freezer.start()
    try:
        yield ScenarioClock(FreezegunMover(factory), crm_client)
    finally:
        freezer.stop()


# -- providers ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def provider_fakes_factory(request: pytest.FixtureRequest, base_url: str, in_process: bool) -> ProviderFakesFixture:
    return ProviderFakesFixture(base_url, in_process, request.config.getoption("--fakes-url"))


@pytest.fixture
def providers(provider_fakes_factory: ProviderFakesFixture, clock: ScenarioClock) -> Iterator[Any]:
    """The three provider fakes, reset to the demo accounts the CRM's demo data uses."""
    if provider_fakes_factory.in_process:
        with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
            yield provider_fakes_factory.start(rsps)
    else:
        yield provider_fakes_factory.start(None)


# -- the CRM driver -----------------------------------------------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Against an emulator elsewhere, scenarios that need the in-process fakes are skipped, and say why."""
    if not config.getoption("base_url", default=None):
        return
    reason = (
        "@inprocess: needs the in-process provider fakes (their clock follows the frozen scenario time, "
        "and a refused or reset connection can be faked exactly only in-process)"
    )
    for item in items:
        if item.get_closest_marker("inprocess"):
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``@both`` runs a scenario through the API and through the browser.

    pytest-bdd's scenario functions do not name ``driver_kind`` (the ``crm`` fixture does), so it is
    added to the closure before parametrizing.
    """
    if metafunc.definition.get_closest_marker("both"):
        if "driver_kind" not in metafunc.fixturenames:
            metafunc.fixturenames.append("driver_kind")
        metafunc.parametrize("driver_kind", ["api", "ui"], indirect=True)


@pytest.fixture
def driver_kind(request: pytest.FixtureRequest) -> str:
    if hasattr(request, "param"):
        return str(request.param)
    return "ui" if request.node.get_closest_marker("ui") else "api"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium where it is installed (no browser download needed), Playwright's elsewhere."""
    if SYSTEM_CHROMIUM.exists():
        return {**browser_type_launch_args, "executable_path": str(SYSTEM_CHROMIUM), "args": CHROMIUM_FLAGS}
    return browser_type_launch_args


@pytest.fixture
def crm_api(crm_client: CrmClient, clock: ScenarioClock, providers: Any) -> ApiDriver:
    """The CRM through its REST API, reset to its demo data without business processes."""
    crm_client.reset(with_processes=False)
    return ApiDriver(crm_client)


@pytest.fixture
def crm(request: pytest.FixtureRequest, driver_kind: str, crm_api: ApiDriver, base_url: str) -> CrmDriver:
    """The CRM as an administrator works with it: through the API, or the browser for @ui."""
    if driver_kind != "ui":
        return crm_api
    from pages.ui_driver import UiDriver

    driver = UiDriver(request.getfixturevalue("page"), base_url, crm_api)
    driver.sign_in("admin", "admin")
    return driver


# -- Allure -------------------------------------------------------------------------------------


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    tags = set(scenario.tags) | set(feature.tags)
    kind = request.getfixturevalue("driver_kind") if "driver_kind" in request.fixturenames else "api"
    reporting.label_scenario(feature.name, scenario.rule.name if scenario.rule else None, tags, kind)


def pytest_bdd_step_error(request: pytest.FixtureRequest, exception: Exception, **_: Any) -> None:
    names = request.fixturenames
    if "providers" in names:
        fakes = request.getfixturevalue("providers")
        rows = [entry.to_json() for fake in fakes.all() for entry in fake.journal]
        reporting.attach_provider_journal(rows)
    if "exchanges" in names:
        reporting.attach_exchanges(request.getfixturevalue("exchanges"))
    if "driver_kind" in names and request.getfixturevalue("driver_kind") == "ui":
        reporting.attach_screenshot(request.getfixturevalue("page").screenshot(full_page=True))
