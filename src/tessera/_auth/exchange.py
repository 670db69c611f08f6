"""What the requests of an auth lifecycle (login, refresh, mint) go with: the operations, the requester."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from tessera._auth.store import TokenStore
from tessera._runtime.profile import SecurityScheme, VendorProfile
from tessera.clock import Clock
from tessera.errors import DecodeError

if TYPE_CHECKING:  # the requester asks the flows for each call's authorization: a cycle at import time
    from tessera._runtime.requester import Requester


@attrs.frozen
class AuthContext:
    """What a credential's flow may use: the vendor's data, where and how to send, and the time."""

    profile: VendorProfile
    scheme: SecurityScheme
    base_url: str
    """For the broker's key: the same credential at another URL is another broker."""
    requester: Requester
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
    """Send one auth operation of the spec on the request path of every call; its JSON object, or the error."""
    operation = context.profile.operations[operation_id]
    return await context.requester.exchange(operation, path=path, body=body, headers=headers or {})


def field(answer: Mapping[str, object], name: str, *, vendor: str, operation: str) -> str:
    """A string field of an auth answer, or DecodeError naming it (never showing its value)."""
    value = answer.get(name)
    if not isinstance(value, str) or not value:
        raise DecodeError("expected a non-empty string", path=f"$.{name}", vendor=vendor, operation=operation)
    return value
