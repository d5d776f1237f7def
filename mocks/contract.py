"""A provider's documented surface as data (``contracts/<provider>.yaml``, OpenAPI 3.1), checked by openapi-core.

The fakes validate every request against it before their own rules (and answer a violation in their
provider's error format); the contract audit (``harness.contract_audit``) checks every request the CRM
made and every answer a fake gave against the same document; the documented examples are replayed
against the fakes by ``tests/contracts``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema_path import SchemaPath
from openapi_core import Config, OpenAPI
from openapi_core.casting.schemas import oas31_schema_casters_factory
from openapi_core.deserializing.styles import style_deserializers
from openapi_core.deserializing.styles.deserializers import StyleDeserializer
from openapi_core.deserializing.styles.factories import StyleDeserializersFactory
from openapi_core.templating.paths.datatypes import PathOperationServer
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound, ServerNotFound
from openapi_core.templating.paths.finders import APICallPathFinder
from openapi_core.templating.security.exceptions import SecurityNotFound
from openapi_core.testing import MockRequest, MockResponse
from openapi_core.validation.schemas import oas31_schema_validators_factory
from openapi_core.validation.schemas.datatypes import FormatValidatorsDict
from openapi_core.validation.schemas.factories import DialectSchemaValidatorsFactory
from openapi_core.validation.schemas.validators import SchemaValidator

from mocks.remembered import Remembered
from mocks.remembered_request_checks import RememberingRequestValidator
from mocks.wire import FakeRequest

_KEPT_ANSWERS = 4096  # checks remembered per contract: requests, answers, webhooks (oldest forgotten first)
CONTRACTS_DIR = Path(__file__).resolve().parent.parent / "contracts"


@dataclass(frozen=True)
class Problem:
    """One violation: where (a dotted field name, a header, a query parameter, or "route"), and why."""

    field: str
    message: str


def _json(raw: bytes | str) -> Any:
    return json.loads(raw)


class _WebhookRequest(MockRequest):
    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.name = name


def _field_problems(error: Any) -> list[Problem]:
    """The fields a jsonschema error names (missing and unexpected properties by name)."""
    path = ".".join(str(p) for p in error.absolute_path)
    prefix = f"{path}." if path else ""
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        return [Problem(prefix + name, "required") for name in missing]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set((error.schema or {}).get("properties", {}))
        return [Problem(prefix + name, "not a documented field") for name in sorted(set(error.instance) - known)]
    return [Problem(path or "body", error.message)]


def _problems_of(errors: Any) -> list[Problem]:
    problems: list[Problem] = []
    for error in errors:
        if isinstance(error, PathNotFound | ServerNotFound):
            problems.append(Problem("route", str(error)))
            continue
        if isinstance(error, OperationNotFound):
            problems.append(Problem("method", str(error)))
            continue
        if isinstance(error, SecurityNotFound) or isinstance(error.__cause__, SecurityNotFound):
            problems.append(Problem("auth", str(error.__cause__ or error)))
            continue
        cause = error.__cause__
        schema_errors = getattr(cause, "schema_errors", None)
        parameter = getattr(error, "name", None)
        if schema_errors and parameter:  # a header, query or path parameter of the wrong shape
            problems.append(Problem(str(parameter), "; ".join(e.message for e in schema_errors)))
            continue
        if schema_errors:
            for schema_error in schema_errors:
                problems += _field_problems(schema_error)
            continue
        name = getattr(cause, "name", None) or getattr(error, "name", None)
        problems.append(Problem(str(name) if name else "request", str(cause or error)))
    return problems


_KEPT_ROUTES = 4096  # resolved (method, URL) pairs remembered per contract


class _RememberedPaths(APICallPathFinder):
    """openapi-core's path finder, remembering the path and operation each (method, URL) resolves to:
    a pure function of the contract, recomputed by openapi-core on every request otherwise."""

    def __init__(self, spec: SchemaPath, base_url: str | None = None) -> None:
        super().__init__(spec, base_url=base_url)
        self._found: Remembered[PathOperationServer] = Remembered(_KEPT_ROUTES)

    def find(self, method: str, name: str) -> PathOperationServer:
        # a route that does not resolve raises, and is not remembered
        return self._found.get((method, name), lambda: super(_RememberedPaths, self).find(method, name))


class _RememberedSchemaValidators(DialectSchemaValidatorsFactory):
    """openapi-core's OpenAPI 3.1 schema validator factory, making each schema's validator once: a pure
    function of the contract (a jsonschema validator keeps no state between validations)."""

    def __init__(self) -> None:
        base = oas31_schema_validators_factory
        super().__init__(base.schema_validator_cls, base.default_jsonschema_dialect_id, base.format_checker)
        self._made: Remembered[SchemaValidator] = Remembered()

    def create(
        self,
        spec: SchemaPath,
        schema: SchemaPath,
        format_validators: FormatValidatorsDict | None = None,
        extra_format_validators: FormatValidatorsDict | None = None,
        forbid_unspecified_additional_properties: bool = False,
        enforce_properties_required: bool = False,
    ) -> SchemaValidator:
        if format_validators is not None or extra_format_validators is not None:
            return super().create(
                spec,
                schema,
                format_validators,
                extra_format_validators,
                forbid_unspecified_additional_properties,
                enforce_properties_required,
            )
        key = (id(spec), schema.parts, forbid_unspecified_additional_properties, enforce_properties_required)
        return self._made.get(
            key,
            lambda: super(_RememberedSchemaValidators, self).create(
                spec,
                schema,
                forbid_unspecified_additional_properties=forbid_unspecified_additional_properties,
                enforce_properties_required=enforce_properties_required,
            ),
        )


class _RememberedStyleDeserializers(StyleDeserializersFactory):
    """openapi-core's deserializers of parameter styles, each parameter's made once: a pure function of the
    contract (a style deserializer keeps no state between values). openapi-core makes one per value
    otherwise, with a schema caster whose validator copies the format checker."""

    def __init__(self) -> None:
        super().__init__(oas31_schema_casters_factory, style_deserializers=style_deserializers)
        self._made: Remembered[StyleDeserializer] = Remembered()

    def create(self, spec: SchemaPath, schema: SchemaPath, style: str, explode: bool, name: str) -> StyleDeserializer:
        return self._made.get(
            (id(spec), schema.parts, style, explode, name),
            lambda: super(_RememberedStyleDeserializers, self).create(spec, schema, style, explode, name),
        )


class Contract:
    """One provider's OpenAPI document."""

    def __init__(self, provider: str) -> None:
        self.provider = provider
        self.path = CONTRACTS_DIR / f"{provider}.yaml"
        config = Config(
            extra_media_type_deserializers={"application/problem+json": _json},
            path_finder_cls=_RememberedPaths,
            request_validator_cls=RememberingRequestValidator,
            schema_validators_factory=_RememberedSchemaValidators(),
            style_deserializers_factory=_RememberedStyleDeserializers(),
        )
        self.api = OpenAPI.from_file_path(str(self.path), config=config)
        server = self.api.spec / "servers"
        first = next(iter(server))
        self.server_url: str = str(first["url"]).rstrip("/")
        parts = urlsplit(self.server_url)
        self._host = f"{parts.scheme}://{parts.netloc}"
        self._base_path = parts.path.rstrip("/")
        self._checked: Remembered[tuple[Problem, ...]] = Remembered(_KEPT_ANSWERS)  # see _remembered

    def _mock(self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes) -> MockRequest:
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "application/json")
        return MockRequest(
            self._host,
            method.lower(),
            self._base_path + path,
            args=dict(query),
            headers=dict(headers),
            data=body,
            content_type=content_type.split(";")[0].strip() or "application/json",
        )

    def request_problems(self, request: FakeRequest) -> list[Problem]:
        """What is wrong with a request, by the contract ([] when it conforms).

        A pure function of the request, and the same request is checked several times (the fake's route
        lookup and its own check on arrival, the contract audit at the end of the scenario): each answer
        is kept for the next identical request (openapi-core costs milliseconds per request).
        """

        def check() -> list[Problem]:
            mock = self._mock(request.method, request.path, dict(request.query), dict(request.headers), request.body)
            return _problems_of(self.api.request_validator.iter_errors(mock))

        key = (
            "request",
            request.method,
            request.path,
            tuple(sorted(request.query.items())),
            tuple(sorted(request.headers.items())),
            request.body,
        )
        return self._remembered(key, check)

    def knows_route(self, method: str, path: str) -> bool | None:
        """True: documented; False: the path exists but not the method; None: no such path."""
        problems = self.request_problems(FakeRequest(method=method, path=path))
        if any(p.field == "route" for p in problems):
            return None
        return not any(p.field == "method" for p in problems)

    def response_problems(
        self, method: str, path: str, query: dict[str, str], status: int, headers: dict[str, str], body: bytes
    ) -> list[Problem]:
        def check() -> list[Problem]:
            mock = self._mock(method, path, query, {}, b"")
            content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "application/json")
            response = MockResponse(body, status, headers, content_type.split(";")[0].strip() or "application/json")
            return _problems_of(self.api.iter_response_errors(mock, response))

        key = ("answer", method, path, tuple(sorted(query.items())), status, tuple(sorted(headers.items())), body)
        return self._remembered(key, check)

    def webhook_problems(self, name: str, headers: dict[str, str], body: bytes, method: str = "post") -> list[Problem]:
        """What is wrong with a webhook delivery the fake made (its ``webhooks`` section)."""

        def check() -> list[Problem]:
            request = _WebhookRequest(name, host_url="", method=method, path="", headers=dict(headers), data=body)
            return _problems_of(self.api.iter_webhook_request_errors(request))

        return self._remembered(("webhook", name, method, tuple(sorted(headers.items())), body), check)

    def _remembered(self, key: Hashable, check: Callable[[], list[Problem]]) -> list[Problem]:
        """A check's answer, computed once per identical input: the fakes check each request on arrival and
        the contract audit checks it again with every answer and webhook of every scenario, and many of
        them repeat from scenario to scenario (a channel list, a registration's answer) while openapi-core
        costs milliseconds per check."""
        return list(self._checked.get(key, lambda: tuple(check())))


@functools.cache
def contract(provider: str) -> Contract:
    """The loaded contract of ``provider`` (loaded once per process)."""
    return Contract(provider)
