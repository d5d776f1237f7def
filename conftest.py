"""Wires the acceptance suite: emulator, provider fakes, frozen clock, the CRM driver, Allure.

The world of a scenario (emulator, fakes, frozen clock, webhook wiring) is built by
``harness/world.py``: in-process by default (the emulator in a thread with its own SQLite file, the
providers faked through ``responses``, time frozen with freezegun); with ``--base-url`` (an emulator
started elsewhere with its control API on) and ``--fakes-url`` (``python -m mocks``) the same scenarios
use the control APIs for time and providers instead.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.api_driver import ApiDriver
from drivers.protocol import CrmDriver
from emulator.client import Exchange
from harness import reporting, step_lookup
from harness.clock import ScenarioClock
from harness.world import Stand, StandOptions, World
from mocks.interface import FakeProviders
from steps import STEP_MODULES

pytest_plugins = list(STEP_MODULES)


def pytest_configure(config: pytest.Config) -> None:
    step_lookup.install()  # pytest-bdd's per-step search of every fixture, remembered (harness/step_lookup.py)


SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
# Debian's build of Chromium's headless shell (package chromium-headless-shell): what Playwright itself
# runs for headless Chromium; a new context costs a quarter and a page load about four fifths of the full
# browser's in headless mode. The full browser stays for --headed.
SYSTEM_HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")


def system_chromium(headed: bool) -> Path | None:
    """The distribution's Chromium for this run, if the machine has one (else Playwright's own download)."""
    if not headed and SYSTEM_HEADLESS_SHELL.exists():
        return SYSTEM_HEADLESS_SHELL
    return SYSTEM_CHROMIUM if SYSTEM_CHROMIUM.exists() else None


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
    group.addoption(
        "--browser-ws-endpoint",
        default=None,
        help="a Playwright browser server (`playwright run-server`) to connect to instead of launching Chromium here",
    )


# -- the world: emulator, provider fakes, clock (harness/world.py builds it) ---------------------


SESSION_STAND = pytest.StashKey[Stand]()  # the session's stand, for the hook below that releases its clock
BDD_EXAMPLE = "_pytest_bdd_example"  # the parameter pytest-bdd 9 gives every scenario's test


@pytest.fixture(scope="session")
def crm_stand(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stand]:
    """The CRM and the provider fakes of this session: served here, or the ones given with --base-url."""
    options = StandOptions(
        data_dir=tmp_path_factory.mktemp("crm"),
        database_url=request.config.getoption("--crm-database-url"),
        crm_url=request.config.getoption("base_url", default=None),
        fakes_url=request.config.getoption("--fakes-url"),
        # An emulator elsewhere: its control API's token from the environment (never a command-line argument).
        control_token=os.environ.get("CRM_CONTROL_TOKEN") or None,
    )
    with Stand(options) as stand:
        request.config.stash[SESSION_STAND] = stand
        yield stand
        del request.config.stash[SESSION_STAND]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test that builds no world runs in real time: the session's stand keeps the scenarios' frozen clock
    between scenarios (harness/world.py, ``Stand._clock_at_start``) and gives real time back here."""
    stand = item.config.stash.get(SESSION_STAND, None)
    if stand is not None and not builds_world(item):
        stand.release_clock()


def builds_world(item: pytest.Item) -> bool:
    """Whether a test runs in a scenario's world: it asks for ``world``, or it is a Gherkin scenario (whose
    steps ask for the world while it runs, so pytest-bdd's test lists only its example parameter)."""
    names = getattr(item, "fixturenames", ())
    return "world" in names or BDD_EXAMPLE in names


@pytest.fixture(scope="session")
def base_url(crm_stand: Stand) -> str:
    """The emulator's URL (pytest-base-url's fixture, which Playwright's pages use too)."""
    return crm_stand.crm_url


@pytest.fixture
def exchanges() -> list[Exchange]:
    """Every request a scenario made to the CRM, for the report of a failing step."""
    return []


@pytest.fixture
def world(crm_stand: Stand, exchanges: list[Exchange]) -> Iterator[World]:
    """One scenario: fresh demo data without business processes, fresh fakes, the clock frozen."""
    with crm_stand.scenario(on_exchange=exchanges.append) as built:
        yield built


@pytest.fixture
def clock(world: World) -> ScenarioClock:
    """Frozen at SCENARIO_START (Europe/Moscow); steps move it."""
    return world.clock


@pytest.fixture
def providers(world: World) -> FakeProviders:
    """The three provider fakes, with the demo accounts the CRM's demo data uses."""
    return world.fakes


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
def connect_options(request: pytest.FixtureRequest) -> dict[str, Any] | None:
    """pytest-playwright connects to a browser server when this is set (--browser-ws-endpoint).

    The server launches the browser with the options of the ``x-playwright-launch-options`` header
    (Playwright's own names). A server on a machine with its own browser needs none; one started here
    on the system Chromium needs ``--unsafe`` to accept its path and flags (scripts/remote-browser.sh).
    """
    endpoint = request.config.getoption("--browser-ws-endpoint")
    if not endpoint:
        return None
    headed = bool(request.config.getoption("--headed"))
    launch: dict[str, Any] = {"headless": not headed}
    executable = system_chromium(headed)
    if executable is not None:
        launch |= {"executablePath": str(executable), "args": CHROMIUM_FLAGS}
    return {"endpoint": endpoint, "timeout": 30_000, "headers": {"x-playwright-launch-options": json.dumps(launch)}}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], pytestconfig: pytest.Config) -> dict[str, Any]:
    """Debian's Chromium where it is installed (no browser download needed), Playwright's elsewhere."""
    executable = system_chromium(bool(pytestconfig.getoption("--headed")))
    if executable is not None:
        return {**browser_type_launch_args, "executable_path": str(executable), "args": CHROMIUM_FLAGS}
    return browser_type_launch_args


@pytest.fixture
def crm_api(world: World) -> ApiDriver:
    """The CRM through its REST API as the administrator."""
    return ApiDriver(world.client)


@pytest.fixture(scope="session")
def browser_sign_ins() -> Any:
    """The administrator signs in through the screen once per session; later @ui scenarios reuse the cookies."""
    from pages.signed_in import SignIns

    return SignIns()


@pytest.fixture
def crm(request: pytest.FixtureRequest, driver_kind: str, crm_api: ApiDriver, base_url: str) -> CrmDriver:
    """The CRM as an administrator works with it: through the API, or the browser for @ui."""
    if driver_kind != "ui":
        return crm_api
    from pages.ui_driver import UiDriver

    driver = UiDriver(request.getfixturevalue("ui_page"), base_url, crm_api)
    request.getfixturevalue("browser_sign_ins").sign_in(driver.page, base_url, "admin", "admin")
    return driver


@pytest.fixture(scope="session")
def reused_pages(browser: Any) -> Iterator[Any]:
    from pages.reused_pages import ReusedPages

    pages = ReusedPages(browser)
    yield pages
    pages.close()


@pytest.fixture
def ui_page(request: pytest.FixtureRequest, browser_context_args: dict[str, Any]) -> Iterator[Any]:
    """The page of an @ui scenario: a reused one made fresh (pages/reused_pages.py) and released when the
    scenario ends, or pytest-playwright's own new page when the run records a trace or a video per test."""
    config = request.config
    if config.getoption("--tracing") != "off" or config.getoption("--video") != "off":
        yield request.getfixturevalue("page")
        return
    marker = request.node.get_closest_marker("browser_context_args")
    pages = request.getfixturevalue("reused_pages")
    page = pages.page({**browser_context_args, **(marker.kwargs if marker else {})})
    yield page
    pages.release(page)


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
        reporting.attach_screenshot(request.getfixturevalue("ui_page").screenshot(full_page=True))
