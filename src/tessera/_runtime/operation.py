"""One operation of a spec, as the generated stubs hand it to the runtime."""

from __future__ import annotations

import attrs


@attrs.frozen
class Operation:
    """What the runtime needs to send one operation: built once per operation at import time."""

    operation_id: str
    method: str
    path: str
    """The path template under the base URL, with `{name}` placeholders for path parameters."""
    security: tuple[str, ...]
    """Security scheme names the operation accepts, in the spec's order; empty for no bearer (logins)."""
    retry_safe: bool
    """Idempotent methods, and POSTs the spec marks `x-tessera-retry-safe`."""
    pagination: str | None = None
    """The name of the spec's pagination style, for paginated operations."""
