"""schemathesis over the CRM's own ``/openapi.json``: no 5xx, and every answer is what the document says.

The CRM is the suite's in-process stand (``harness/world.py``: uvicorn on 127.0.0.1, the demo data, the
provider fakes mounted through ``responses``, the clock frozen), called as the administrator
(``admin-token``). Each documented operation gets a bounded number of generated requests — valid ones
and, for every operation with an input, invalid ones — derandomized, so a run in CI is repeatable.
Checks: not a server error; the status code is declared; the content type is declared; the body
matches the declared schema (``response_headers_conformance`` too).

Nothing is left out silently: :data:`NOT_FUZZED` names each operation that is not fuzzed and why, and
a test proves each of those still exists.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
import requests

from emulator.seed import ADMIN_TOKEN
from harness.world import World

if TYPE_CHECKING:
    from schemathesis import GenerationMode

# schemathesis and hypothesis are imported by the fuzz run itself, not when the module is collected: every
# xdist worker collects every test module, and the two cost about a second and a half of each worker's
# start-up (pyproject.toml's addopts keep schemathesis's own pytest plugin, unused here, out as well).

# Generated requests per operation: valid ones, and invalid ones where an input can be invalid at all.
# CI runs the default; a deeper run by hand: CRM_FUZZ_EXAMPLES=100 pytest tests/hardening/test_openapi_fuzz.py
POSITIVE_EXAMPLES = int(os.environ.get("CRM_FUZZ_EXAMPLES", "12"))
NEGATIVE_EXAMPLES = max(1, POSITIVE_EXAMPLES * 2 // 3)
AUTHORIZATION = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
# The control API (tests and local development only; off in a deployment) is not fuzzed: its operations
# reset the database or move the clock under the fuzzer, which would make every other operation's
# answers depend on what the fuzzer happened to send there. Its own tests are tests/emulator's.
NOT_FUZZED = {
    ("POST", "/_control/reset"): "empties the database and reloads the demo data under the fuzzer",
    ("POST", "/_control/seed"): "the same as reset",
    ("POST", "/_control/clock"): "moves the scenario clock the fuzz run is frozen at",
    ("POST", "/_control/scheduler/run-due"): "runs the scheduler (sends through the fakes) out of any scenario",
    ("GET", "/_control/scheduler/next-due"): "part of the control API: tests only, off in a deployment",
    ("GET", "/_control/health"): "part of the control API: tests only, off in a deployment",
}


@dataclass
class Run:
    operations: int = 0
    examples: int = 0
    failures: list[str] = field(default_factory=list)


def _document(world: World) -> dict[str, Any]:
    answer = requests.get(world.crm_url + "/openapi.json", timeout=30)
    answer.raise_for_status()
    document: dict[str, Any] = answer.json()
    return document


def test_what_is_not_fuzzed_still_exists(world: World) -> None:
    """A stale exclusion would hide nothing now, but hide a new operation of the same name later."""
    documented = {(m.upper(), p) for p, ops in _document(world)["paths"].items() for m in ops}
    assert set(NOT_FUZZED) <= documented


def _can_be_invalid(operation: dict[str, Any]) -> bool:
    """Whether a request can break the operation's declared inputs. Not when its only inputs are path
    strings without constraints and a body of any JSON (a webhook's): every value of those is valid."""
    body = operation.get("requestBody", {}).get("content", {})
    if any(media.get("schema") for media in body.values()):
        return True
    return any(set(p.get("schema", {})) - {"type", "title", "description"} or p["schema"].get("type") != "string"
               for p in operation.get("parameters", []))  # fmt: skip


def _checks() -> list[Any]:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
    ]


def _fuzz(world: World, http: requests.Session, operation: Any, mode: GenerationMode, run: Run) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis import GenerationMode
    from schemathesis.core.failures import FailureGroup

    checks = _checks()

    @settings(
        max_examples=POSITIVE_EXAMPLES if mode == GenerationMode.POSITIVE else NEGATIVE_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        run.examples += 1
        response = case.call(base_url=world.crm_url, session=http, headers=AUTHORIZATION, timeout=30)
        case.validate_response(response, checks=checks)

    try:
        check()
    except (Exception, FailureGroup) as exc:  # one entry per failing operation and mode, with how to reproduce
        run.failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}")


def test_every_operation_answers_as_documented(world: World) -> None:
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.core.result import Ok

    document = _document(world)
    schema = schemathesis.openapi.from_dict(document)
    run = Run()
    # The suite's client session: in-process, it hands each request to the CRM's app directly
    # (harness/asgi_transport.py), a quarter of the cost of a request over the socket.
    http = world.client.session
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):  # an operation schemathesis cannot read is a failure too
            run.failures.append(f"{result.err()}")
            continue
        operation = result.ok()
        if (operation.method.upper(), operation.path) in NOT_FUZZED:
            continue
        run.operations += 1
        modes = [GenerationMode.POSITIVE]
        if _can_be_invalid(document["paths"][operation.path][operation.method.lower()]):
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:
            _fuzz(world, http, operation, mode, run)
    summary = f"{run.operations} operations, {run.examples} requests, {len(run.failures)} failing"
    print(summary)
    assert not run.failures, summary + "\n\n" + "\n\n".join(run.failures)


@pytest.fixture(autouse=True)
def _in_process_only(world: World) -> None:
    if not world.stand.in_process:
        pytest.skip("the fuzz run needs the in-process CRM and fakes (it must talk to 127.0.0.1 only)")
