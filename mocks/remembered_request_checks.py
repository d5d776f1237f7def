"""openapi-core's OpenAPI 3.1 request validator, remembering the security and parameter checks.

What a request's security requirement and its parameters yield is a pure function of the contract, the
operation and the parts of the request those checks read: the path variables, the query, the cookies, and
the headers the operation names (its header parameters, and the headers of its security schemes). The
fakes check thousands of requests that differ only in their bodies (and in an idempotency header), so
those checks are made once per distinct head; the body is checked every time. The errors a remembered
head yields are the exception objects of its first check: read them, never raise them. What openapi-core
looks up in the contract on every request (each operation's list of parameters, each body's media type
and deserializer) is looked up once.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any

from jsonschema_path import SchemaPath
from openapi_core.datatypes import Parameters, RequestParameters
from openapi_core.deserializing.media_types.deserializers import MediaTypeDeserializer
from openapi_core.protocols import BaseRequest
from openapi_core.security.providers import ApiKeyProvider, HttpProvider, UnsupportedProvider
from openapi_core.validation.request.exceptions import (
    MissingParameter,
    MissingRequestBody,
    ParametersError,
    ParameterValidationError,
    RequestBodyValidationError,
    SecurityValidationError,
)
from openapi_core.validation.request.validators import V31RequestValidator
from werkzeug.datastructures import Headers, MultiDict

from mocks.remembered import Remembered

_KEPT_CHECKS = 4096  # remembered checks per validator (the oldest forgotten first)
_EVERY_HEADER = None  # an operation whose read headers cannot be named: the whole header set is the key


@dataclass(frozen=True)
class _HeaderNames:
    """The headers (lower case) an operation's parameters read, and those its security schemes read
    (None: a scheme openapi-core reads in a way not known here, so any header may matter)."""

    parameters: frozenset[str]
    security: frozenset[str] | None


class _Body:
    """How a body of one media type of one operation is read: its deserializer and its schema."""

    __slots__ = ("deserializer", "schema")

    def __init__(self, deserializer: MediaTypeDeserializer, schema: SchemaPath | None) -> None:
        self.deserializer = deserializer
        self.schema = schema


class RememberingRequestValidator(V31RequestValidator):
    """Checks as ``V31RequestValidator`` does, in the same order, yielding the same errors."""

    def __init__(self, spec: SchemaPath, **kwargs: Any) -> None:
        super().__init__(spec, **kwargs)
        self._checked: Remembered[tuple[Exception, ...]] = Remembered(_KEPT_CHECKS)
        self._header_names: Remembered[_HeaderNames] = Remembered()
        self._bodies: Remembered[_Body] = Remembered()
        self._parameters: Remembered[tuple[tuple[str, str, SchemaPath], ...]] = Remembered()

    def _iter_errors(self, request: BaseRequest, operation: SchemaPath, path: SchemaPath) -> Iterator[Exception]:
        where = (operation.parts, path.parts)
        names = self._names(where, operation, path)
        refused = self._checked.get(
            ("security", where, self._read(request.parameters, names.security)),
            lambda: self._security_errors(request, operation),
        )
        if refused:  # openapi-core checks nothing further after a security failure
            yield from refused
            return
        yield from self._checked.get(
            (
                "parameters",
                where,
                tuple(sorted(request.parameters.path.items())),
                self._read(request.parameters, names.parameters),
            ),
            lambda: self._parameter_errors(request, operation, path),
        )
        try:
            self._get_body(request.body, request.content_type, operation)
        except MissingRequestBody:
            pass
        except RequestBodyValidationError as exc:
            yield exc

    def _security_errors(self, request: BaseRequest, operation: SchemaPath) -> tuple[Exception, ...]:
        try:
            self._get_security(request.parameters, operation)
        except SecurityValidationError as exc:
            return (exc,)
        return ()

    def _parameter_errors(self, request: BaseRequest, operation: SchemaPath, path: SchemaPath) -> tuple[Exception, ...]:
        try:
            self._get_parameters(request.parameters, operation, path)
        except ParametersError as exc:
            return tuple(exc.errors)
        return ()

    def _get_parameters(self, parameters: RequestParameters, operation: SchemaPath, path: SchemaPath) -> Parameters:
        """As openapi-core's, over the operation's parameters as listed once (see :meth:`_declared`)."""
        errors: list[ParameterValidationError] = []
        validated = Parameters()
        for name, location, parameter in self._declared(operation, path):
            try:
                value = self._get_parameter(parameters, parameter)
            except MissingParameter:
                continue
            except ParameterValidationError as exc:
                errors.append(exc)
                continue
            getattr(validated, location)[name] = value
        if errors:
            raise ParametersError(errors=errors, parameters=validated)
        return validated

    def _declared(self, operation: SchemaPath, path: SchemaPath) -> tuple[tuple[str, str, SchemaPath], ...]:
        """The operation's parameters, then its path's, each (name, location) once: the first one listed."""

        def listed() -> tuple[tuple[str, str, SchemaPath], ...]:
            seen: set[tuple[str, str]] = set()
            found = []
            for parameter in chain(operation.get("parameters") or (), path.get("parameters") or ()):
                name, location = (parameter / "name").read_str(), (parameter / "in").read_str()
                if (name, location) not in seen:
                    seen.add((name, location))
                    found.append((name, location, parameter))
            return tuple(found)

        return self._parameters.get((operation.parts, path.parts), listed)

    def _get_content_schema_value_and_schema(
        self, raw: bytes, content: SchemaPath, mimetype: str | None = None
    ) -> tuple[Any, SchemaPath | None]:
        """As openapi-core's, with the media type, its deserializer and its schema found once per content."""
        body = self._bodies.get((content.parts, mimetype), lambda: self._body(content, mimetype))
        return body.deserializer.deserialize(raw), body.schema

    def _body(self, content: SchemaPath, mimetype: str | None) -> _Body:
        """openapi-core's ``_find_media_type`` and ``_deserialise_media_type`` up to the deserializer."""
        mime_type, parameters, media_type = self._find_media_type(content, mimetype)
        schema = media_type.get("schema")
        schema_validator = None
        if schema is not None:
            schema_validator = self.schema_validators_factory.create(
                self.spec,
                schema,
                format_validators=self.format_validators,
                extra_format_validators=self.extra_format_validators,
                forbid_unspecified_additional_properties=self.forbid_unspecified_additional_properties,
                enforce_properties_required=self.enforce_properties_required,
            )
        deserializer = self.media_type_deserializers_factory.create(
            self.spec,
            mime_type,
            schema=schema,
            schema_validator=schema_validator,
            parameters=parameters,
            encoding=media_type.get("encoding") if "encoding" in media_type else None,
            extra_media_type_deserializers=self.extra_media_type_deserializers,
        )
        return _Body(deserializer, media_type / "schema" if "schema" in media_type else None)

    def _names(self, where: Hashable, operation: SchemaPath, path: SchemaPath) -> _HeaderNames:
        return self._header_names.get(
            where, lambda: _HeaderNames(self._parameter_headers(operation, path), self._security_headers(operation))
        )

    @staticmethod
    def _read(parameters: Any, header_names: frozenset[str] | None) -> Hashable:
        """What a check reading ``header_names`` (None: any header) may read: those, the query, the cookies."""
        header = parameters.header
        if header_names is _EVERY_HEADER or not isinstance(header, Headers):
            headers: Hashable = tuple(_pairs(header))
        else:
            headers = tuple((name, tuple(header.getlist(name))) for name in sorted(header_names))
        return (tuple(_pairs(parameters.query)), tuple(_pairs(parameters.cookie)), headers)

    def _parameter_headers(self, operation: SchemaPath, path: SchemaPath) -> frozenset[str]:
        """The headers (lower case) the operation's parameters and its path's read."""
        return frozenset(name.lower() for name, location, _ in self._declared(operation, path) if location == "header")

    def _security_headers(self, operation: SchemaPath) -> frozenset[str] | None:
        """The headers (lower case) the operation's security schemes read; None: not known."""
        names: set[str] = set()
        security = None
        if "security" in self.spec:
            security = self.spec / "security"
        if "security" in operation:
            security = operation / "security"
        schemes = self.spec / "components#securitySchemes" if security else None
        for requirement in security or ():
            for scheme_name in requirement.str_keys():
                if schemes is None or scheme_name not in schemes:
                    continue  # openapi-core reads nothing for an undefined scheme
                scheme = schemes / scheme_name
                provider = self.security_provider_factory.PROVIDERS.get((scheme / "type").read_str())
                if provider is HttpProvider:
                    names.add("authorization")
                elif provider is ApiKeyProvider:
                    if (scheme / "in").read_str() == "header":
                        names.add((scheme / "name").read_str().lower())
                elif provider is not UnsupportedProvider:
                    return _EVERY_HEADER
        return frozenset(names)


def _pairs(values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Every (name, value) pair, repeated names included (werkzeug's ``Headers`` lists them all)."""
    if isinstance(values, MultiDict):
        return list(values.items(multi=True))
    return list(values.items())
