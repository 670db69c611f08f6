"""A vendor's runtime data, read from its spec's `x-tessera` extensions (see specs/README.md).

The codegen writes the extension data verbatim into `<vendor>/_profile.py`, with the generated
`Operation`s of `_endpoints.py`; this module reads it into typed objects once, at import time, so a
malformed spec fails loudly there and not mid-request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, TypeAlias

import attrs

from tessera import errors
from tessera._runtime.operation import Operation
from tessera._runtime.requestinfo import REQUEST_ID_HEADERS

MatchMode: TypeAlias = Literal["equals", "prefix", "contains"]

_MATCH_MODES: tuple[MatchMode, ...] = ("equals", "prefix", "contains")


class ProfileError(ValueError):
    """The spec's x-tessera data does not have the shape specs/README.md describes."""


@attrs.frozen
class ErrorRule:
    """Bodies of these statuses whose fields match `when` raise `error`."""

    statuses: frozenset[int]
    when: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    """(field path, accepted values) pairs; all must match."""
    match: MatchMode
    error: type[errors.ApiError]


@attrs.frozen
class ErrorSpec:
    message_fields: tuple[str, ...]
    code_fields: tuple[str, ...]
    rules: tuple[ErrorRule, ...]


@attrs.frozen
class PaginationStyle:
    """How one paginated operation's pages are asked for and read (JSON names, not attributes)."""

    kind: Literal["page-number", "offset"]
    items: str
    total: str | None
    page_param: str | None = None
    next: str | None = None
    limit_param: str | None = None
    skip_param: str | None = None


SchemeKind: TypeAlias = Literal["bearer", "basic", "apiKey", "oauth2"]
Placement: TypeAlias = Literal["header", "query", "cookie"]
ClientAuthentication: TypeAlias = Literal["basic", "body"]

_CLIENT_AUTHENTICATIONS: dict[object, ClientAuthentication] = {"basic": "basic", "body": "body"}
_PLACEMENTS: dict[object, Placement] = {"header": "header", "query": "query", "cookie": "cookie"}
_HTTP_SCHEMES: dict[str, tuple[SchemeKind, str]] = {"bearer": ("bearer", "Bearer "), "basic": ("basic", "Basic ")}
"""The http schemes tessera sends, by their lower-case name (RFC 9110: auth scheme names ignore case)."""


@attrs.frozen
class SecurityScheme:
    """Where a scheme's credential goes in a request, and its lifecycle data (read by the auth flows)."""

    name: str
    kind: SchemeKind
    """http bearer, http basic, apiKey, or oauth2 (its clientCredentials flow: the token is a bearer)."""
    placement: Placement
    key: str
    """The header, query parameter or cookie that carries the credential: Authorization but for an apiKey."""
    prefix: str
    """Written before the credential: `Bearer `, `Basic `, or nothing (an apiKey, unless the spec says)."""
    auth: Mapping[str, object]
    """The scheme's x-tessera-auth data, as in the spec."""
    token_url: str | None = None
    """oauth2 clientCredentials: where tokens are asked for, as the spec writes it (perhaps relative)."""
    client_authentication: ClientAuthentication = "basic"
    """oauth2 clientCredentials: the client's id and secret in HTTP basic (RFC 6749's default) or in the form."""

    def headers(self, token: str) -> dict[str, str]:
        """The request headers that carry `token` (a cookie's included: the Cookie header)."""
        if self.placement == "header":
            return {self.key: self.prefix + token}
        if self.placement == "cookie":
            return {"Cookie": f"{self.key}={self.prefix}{token}"}
        return {}

    def query(self, token: str) -> list[tuple[str, str]]:
        """The query pair that carries `token`, for an apiKey in the query; none otherwise."""
        return [(self.key, self.prefix + token)] if self.placement == "query" else []


@attrs.frozen
class VendorProfile:
    vendor: str
    base_url: str | None
    """The spec's first server; None when it lists none (then every client is given its base_url)."""
    errors: ErrorSpec
    pagination: Mapping[str, PaginationStyle]
    rate_limit_reset_header: str | None
    security_schemes: Mapping[str, SecurityScheme]
    operations: Mapping[str, Operation]
    """Every operation by its operationId: the auth flows send their logins, refreshes and mints with them."""
    request_id_headers: tuple[str, ...] = REQUEST_ID_HEADERS
    """Where the vendor's answers carry its id of the request: the spec's `request-id-header`, else the usual."""
    secret_query_names: frozenset[str] = frozenset()
    """The query parameters the spec's apiKey schemes put a credential in: redacted in URLs shown."""

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> VendorProfile:
        vendor = _str(data, "vendor")
        rate_limit = _mapping(data.get("rate_limit", {}), "rate_limit")
        reset_header = rate_limit.get("reset-header")
        schemes = _mapping(data.get("security_schemes", {}), "security_schemes")
        return cls(
            vendor=vendor,
            base_url=_optional_str(data, "base_url", "profile") if data.get("base_url") is not None else None,
            errors=_error_spec(_mapping(data.get("errors", {}), "errors")),
            pagination={
                name: _pagination_style(name, _mapping(style, f"pagination.{name}"))
                for name, style in _mapping(data.get("pagination", {}), "pagination").items()
            },
            rate_limit_reset_header=reset_header if isinstance(reset_header, str) else None,
            security_schemes={
                name: _security_scheme(name, _mapping(scheme, f"security_schemes.{name}"))
                for name, scheme in schemes.items()
            },
            operations={
                operation_id: _operation(operation_id, operation)
                for operation_id, operation in _mapping(data.get("operations", {}), "operations").items()
            },
            request_id_headers=(
                (_str(data, "request_id_header"),) if data.get("request_id_header") is not None else REQUEST_ID_HEADERS
            ),
            secret_query_names=frozenset(
                str(scheme["name"])
                for scheme in schemes.values()
                if isinstance(scheme, Mapping) and scheme.get("in") == "query" and isinstance(scheme.get("name"), str)
            ),
        )


def _error_spec(data: Mapping[str, object]) -> ErrorSpec:
    return ErrorSpec(
        message_fields=_str_tuple(data.get("message-fields", ()), "errors.message-fields"),
        code_fields=_str_tuple(data.get("code-fields", ()), "errors.code-fields"),
        rules=tuple(
            _error_rule(index, _mapping(rule, f"errors.rules[{index}]"))
            for index, rule in enumerate(_sequence(data.get("rules", ()), "errors.rules"))
        ),
    )


def _error_rule(index: int, data: Mapping[str, object]) -> ErrorRule:
    where = f"errors.rules[{index}]"
    status = data.get("status")
    listed: list[object] = status if isinstance(status, list) else [status]
    statuses = frozenset(s for s in listed if isinstance(s, int))
    if not listed or len(statuses) != len(listed):
        raise ProfileError(f"{where}.status must be an int or a list of distinct ints")
    error_name = _str(data, "error", where)
    error = getattr(errors, error_name, None)
    if not (isinstance(error, type) and issubclass(error, errors.ApiError)):
        raise ProfileError(f"{where}.error: {error_name!r} is not an ApiError class of tessera.errors")
    match = data.get("match", "equals")
    if match not in _MATCH_MODES:
        raise ProfileError(f"{where}.match must be one of {', '.join(_MATCH_MODES)}")
    when = tuple(
        (
            tuple(path.split(".")),
            _str_tuple(values if isinstance(values, list) else [values], f"{where}.when"),
        )
        for path, values in _mapping(data.get("when", {}), f"{where}.when").items()
    )
    return ErrorRule(statuses=statuses, when=when, match=match, error=error)


def _pagination_style(name: str, data: Mapping[str, object]) -> PaginationStyle:
    where = f"pagination.{name}"
    kind = data.get("kind")
    if kind == "page-number":
        return PaginationStyle(
            kind="page-number",
            items=_str(data, "items", where),
            total=_optional_str(data, "total", where),
            page_param=_str(data, "page-param", where),
            next=_optional_str(data, "next", where),
        )
    if kind == "offset":
        return PaginationStyle(
            kind="offset",
            items=_str(data, "items", where),
            total=_optional_str(data, "total", where),
            limit_param=_str(data, "limit-param", where),
            skip_param=_str(data, "skip-param", where),
        )
    raise ProfileError(f"{where}.kind must be 'page-number' or 'offset', not {kind!r}")


def _security_scheme(name: str, data: Mapping[str, object]) -> SecurityScheme:
    """The schemes codegen/security.py lets through; it reports every other one, naming where it is."""
    where = f"security_schemes.{name}"
    scheme_type = data.get("type")
    auth = _mapping(data.get("x-tessera-auth", {}), f"{where}.x-tessera-auth")
    http = _HTTP_SCHEMES.get(_str(data, "scheme", where).lower()) if scheme_type == "http" else None
    if http is not None:
        kind, prefix = http
        return SecurityScheme(name, kind, "header", "Authorization", prefix, auth)
    placement = _PLACEMENTS.get(data.get("in"))
    if scheme_type == "apiKey" and placement is not None:
        prefix = "Bearer " if data.get("x-tessera-bearer-prefix", False) else ""
        return SecurityScheme(name, "apiKey", placement, _str(data, "name", where), prefix, auth)
    flows = _mapping(data.get("flows", {}), f"{where}.flows")
    if scheme_type == "openIdConnect" or (scheme_type == "oauth2" and "clientCredentials" not in flows):
        # A token the application obtained by a flow tessera does not run: sent as a bearer, not renewed.
        return SecurityScheme(name, "bearer", "header", "Authorization", "Bearer ", auth)
    if scheme_type == "oauth2":
        flow = _mapping(flows.get("clientCredentials"), f"{where}.flows.clientCredentials")
        client_authentication = _CLIENT_AUTHENTICATIONS.get(flow.get("x-tessera-client-authentication", "basic"))
        if client_authentication is None:
            raise ProfileError(f"{where}.flows.clientCredentials.x-tessera-client-authentication must be basic or body")
        return SecurityScheme(
            name,
            "oauth2",
            "header",
            "Authorization",
            "Bearer ",
            auth,
            token_url=_str(flow, "tokenUrl", f"{where}.flows.clientCredentials"),
            client_authentication=client_authentication,
        )
    raise ProfileError(f"{where}: only http bearer and basic, apiKey, oauth2 and openIdConnect schemes are supported")


def _operation(operation_id: str, value: object) -> Operation:
    if not isinstance(value, Operation) or value.operation_id != operation_id:
        raise ProfileError(f"operations.{operation_id} must be the generated Operation of {operation_id}")
    return value


def _mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ProfileError(f"{where} must be a mapping")
    return value


def _sequence(value: object, where: str) -> Sequence[object]:
    if not isinstance(value, list | tuple):
        raise ProfileError(f"{where} must be a list")
    return value


def _str(data: Mapping[str, object], key: str, where: str = "profile") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ProfileError(f"{where}.{key} must be a non-empty string")
    return value


def _optional_str(data: Mapping[str, object], key: str, where: str) -> str | None:
    return _str(data, key, where) if key in data else None


def _str_tuple(value: object, where: str) -> tuple[str, ...]:
    items = _sequence(value, where)
    if not all(isinstance(item, str) for item in items):
        raise ProfileError(f"{where} must be a list of strings")
    return tuple(str(item) for item in items)
