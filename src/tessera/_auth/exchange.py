"""The HTTP calls of an auth lifecycle (login, refresh, mint), driven by the spec's operation routes."""

from __future__ import annotations

import json
from collections.abc import Mapping

import attrs

from tessera._auth.store import TokenStore
from tessera._runtime.arguments import path_segment
from tessera._runtime.errormap import map_error, parse_error_body
from tessera._runtime.profile import SecurityScheme, VendorProfile
from tessera._runtime.transport import Transport
from tessera.clock import Clock
from tessera.errors import DecodeError


@attrs.frozen
class AuthContext:
    """What a credential's flow may use: the vendor's data, where to send, how, and the time."""

    profile: VendorProfile
    scheme: SecurityScheme
    base_url: str
    transport: Transport
    clock: Clock
    timeout: float
    store: TokenStore


async def exchange(
    context: AuthContext,
    operation_id: str,
    *,
    path: Mapping[str, str],
    body: Mapping[str, object],
    headers: Mapping[str, str] | None = None,
) -> Mapping[str, object]:
    """Send one auth operation of the spec; its JSON object answer, or the mapped error."""
    profile = context.profile
    route = profile.operations[operation_id]
    segments = {
        name: path_segment(value, argument=name, vendor=profile.vendor, operation=operation_id)
        for name, value in path.items()
    }
    url = context.base_url + route.path.format_map(segments)
    response = await context.transport.send(
        route.method,
        url,
        params=[],
        json_body=body,
        headers=headers or {},
        timeout=context.timeout,
        describe=f"{profile.vendor} {route.method} {route.path}",
    )
    if response.status >= 400:
        raise map_error(
            profile, response.status, parse_error_body(response.body), response.headers, now=context.clock.now()
        )
    try:
        answer = json.loads(response.body)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise DecodeError("the answer is not a JSON object", vendor=profile.vendor, operation=operation_id)
    return answer


def field(answer: Mapping[str, object], name: str, *, vendor: str, operation: str) -> str:
    """A string field of an auth answer, or DecodeError naming it (never showing its value)."""
    value = answer.get(name)
    if not isinstance(value, str) or not value:
        raise DecodeError("expected a non-empty string", path=f"$.{name}", vendor=vendor, operation=operation)
    return value
