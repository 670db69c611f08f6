"""The one request path every generated operation goes through: URL, auth, send, retry, map, decode."""

from __future__ import annotations

import asyncio
import datetime
import enum
import random
from collections.abc import Mapping
from types import NoneType
from typing import Any, TypeVar
from urllib.parse import quote

from tessera._auth.flow import AuthFlow
from tessera._auth.rejection import Rejection
from tessera._runtime.conversion import Codec
from tessera._runtime.errormap import map_error, parse_error_body, retry_after_seconds
from tessera._runtime.operation import Operation
from tessera._runtime.options import NOT_GIVEN, NotGiven
from tessera._runtime.pagination import Pages
from tessera._runtime.profile import SecurityScheme, VendorProfile
from tessera._runtime.transport import RawResponse, Transport
from tessera.errors import AuthenticationError, ConfigurationError, TransportError

T = TypeVar("T")
PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_BACKOFF_BASE = 0.5
_BACKOFF_CAP = 8.0
_STALE_RETRIES = 3
"""A request may wait long enough in a busy pool for its token to be replaced; this often, retry."""
_RETRY_AFTER_CAP = 60.0
"""A vendor asking for more than a minute gets an error, not a silently stalled caller."""


class Requester:
    """Sends operations for one client: its base URL, credentials, timeout and retry budget."""

    __slots__ = ("_base_url", "_codec", "_flows", "_max_retries", "_profile", "_timeout", "_transport")

    def __init__(
        self,
        *,
        profile: VendorProfile,
        base_url: str,
        transport: Transport,
        codec: Codec,
        flows: Mapping[str, AuthFlow],
        timeout: float,
        max_retries: int,
    ) -> None:
        self._profile = profile
        self._base_url = base_url
        self._transport = transport
        self._codec = codec
        self._flows = flows
        self._timeout = timeout
        self._max_retries = max_retries

    async def call(
        self,
        operation: Operation,
        response_type: type[T],
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        body: object = None,
        timeout: float | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> T:
        url = self._url(operation, path)
        params = _query_params(query) if query else []
        json_body = self._codec.unstructure(body) if body is not None else None
        response = await self._send(
            operation,
            url,
            params,
            json_body,
            timeout=self._timeout if timeout is NOT_GIVEN else timeout,
            max_retries=self._max_retries if max_retries is NOT_GIVEN else max_retries,
        )
        if response_type is NoneType:
            return None  # type: ignore[return-value]  # T is None here: the operation has no body
        return self._codec.decode(
            response.body, response_type, vendor=self._profile.vendor, operation=operation.operation_id
        )

    def paginate(
        self,
        operation: Operation,
        page_type: type[PageT],
        item_type: type[ItemT],
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        timeout: float | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Pages[PageT, ItemT]:
        if operation.pagination is None or operation.pagination not in self._profile.pagination:
            raise ConfigurationError(f"{operation.operation_id} names no pagination style of the spec")

        async def fetch(page_query: Mapping[str, object]) -> PageT:
            return await self.call(
                operation, page_type, path=path, query=page_query, timeout=timeout, max_retries=max_retries
            )

        return Pages(fetch, page_type, self._profile.pagination[operation.pagination], query or {})

    def _url(self, operation: Operation, path: Mapping[str, object] | None) -> str:
        if not path:
            return self._base_url + operation.path
        return self._base_url + operation.path.format_map(
            {name: quote(_query_value(value), safe="") for name, value in path.items()}
        )

    async def _send(
        self,
        operation: Operation,
        url: str,
        params: list[tuple[str, str]],
        json_body: object,
        *,
        timeout: float,
        max_retries: int,
    ) -> RawResponse:
        describe = f"{self._profile.vendor} {operation.method} {operation.path}"
        scheme, flow = self._auth_for(operation)
        attempt = 0
        renewed_once = False
        stale_retries = 0
        while True:
            headers: dict[str, str] = {}
            token = None
            async with self._transport.slot():
                if scheme is not None and flow is not None:
                    token = await flow.token()
                    headers[scheme.header] = scheme.header_value(token.reveal())
                try:
                    response = await self._transport.send(
                        operation.method,
                        url,
                        params=params,
                        json_body=json_body,
                        headers=headers,
                        timeout=timeout,
                        describe=describe,
                    )
                except TransportError:
                    if not operation.retry_safe or attempt >= max_retries:
                        raise
                    response = None
            if response is None:
                attempt += 1
                await asyncio.sleep(_backoff(attempt))
                continue
            if response.status < 400:
                return response
            error = map_error(self._profile, response.status, parse_error_body(response.body), response.headers)
            if isinstance(error, AuthenticationError) and flow is not None and token is not None:
                rejection = await flow.rejected(token, error, may_renew=not renewed_once)
                if rejection is Rejection.STALE and stale_retries < _STALE_RETRIES:
                    stale_retries += 1
                    continue
                if rejection is Rejection.RENEWING:
                    renewed_once = True  # one retry with the renewed token; a second refusal is final
                    continue
            if response.status in _RETRY_STATUSES and attempt < max_retries and operation.retry_safe:
                delay = _retry_delay(self._profile, response, attempt + 1)
                if delay is not None:
                    attempt += 1
                    await asyncio.sleep(delay)
                    continue
            raise error

    def _auth_for(self, operation: Operation) -> tuple[SecurityScheme | None, AuthFlow | None]:
        if not operation.security:
            return None, None
        for name in operation.security:
            flow = self._flows.get(name)
            if flow is not None:
                return self._profile.security_schemes[name], flow
        raise ConfigurationError(
            f"{operation.operation_id} needs one of the credentials {', '.join(operation.security)}, "
            "and this client was built with none of them"
        )


def _backoff(attempt: int) -> float:
    """Exponential backoff with full jitter: spread retries so that many clients do not retry in step."""
    return random.uniform(0, min(_BACKOFF_CAP, _BACKOFF_BASE * 2 ** (attempt - 1)))  # noqa: S311 - not crypto


def _retry_delay(profile: VendorProfile, response: RawResponse, attempt: int) -> float | None:
    """How long to wait before the next attempt, or None when the vendor asked for too long a wait."""
    asked = retry_after_seconds(profile, response.headers)
    if asked is None:
        return _backoff(attempt)
    return asked if asked <= _RETRY_AFTER_CAP else None


def _query_params(query: Mapping[str, object]) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = []
    for name, value in query.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            params.extend((name, _query_value(item)) for item in value)
        else:
            params.append((name, _query_value(value)))
    return params


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
