"""Raw responses: the status and headers of a call, beside its parsed model.

    response = await tessera.with_response(zs.docs.get_doc(doc_token=token))
    response.status, response.headers["Content-Type"], response.parsed.name

Any operation (or a paginated operation's first page) can be wrapped: the requester notes each
final answer in a slot that `with_response` opens in the caller's context for the one call.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Mapping
from typing import Generic, TypeVar

import attrs

from tessera._runtime.transport import RawResponse

T = TypeVar("T")

_slot: contextvars.ContextVar[list[RawResponse] | None] = contextvars.ContextVar("tessera_response", default=None)


@attrs.frozen
class ApiResponse(Generic[T]):
    status: int
    headers: Mapping[str, str]
    parsed: T


async def with_response(call: Awaitable[T]) -> ApiResponse[T]:
    """Await one operation and return its answer's status and headers with the parsed result."""
    answers: list[RawResponse] = []
    token = _slot.set(answers)
    try:
        parsed = await call
    finally:
        _slot.reset(token)
    if not answers:
        raise TypeError("with_response() takes a tessera operation call, e.g. with_response(zs.docs.get_doc(...))")
    last = answers[-1]
    return ApiResponse(last.status, last.headers, parsed)


def note(response: RawResponse) -> None:
    """Called by the requester with each final answer; a no-op unless `with_response` is waiting for one."""
    answers = _slot.get()
    if answers is not None:
        answers.append(response)
