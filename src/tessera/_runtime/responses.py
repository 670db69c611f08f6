"""Raw responses: the status, headers and body of a call, and its request, beside its parsed model.

    response = await tessera.with_response(zs.docs.get_doc(doc_token=token))
    response.status, response.headers["Content-Type"], response.parsed.name
    response.content, response.method, response.url, response.request_id

Any operation (or a paginated operation's first page) can be wrapped: the requester notes each
final answer in a slot that `with_response` opens in the caller's context for the one call.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Mapping
from typing import Generic, TypeVar

import attrs

from tessera._runtime.profile import VendorProfile
from tessera._runtime.requestinfo import request_id, shown_url
from tessera._runtime.transport import RawResponse

T = TypeVar("T")

_slot: contextvars.ContextVar[list[tuple[RawResponse, VendorProfile]] | None] = contextvars.ContextVar(
    "tessera_response", default=None
)


@attrs.frozen
class ApiResponse(Generic[T]):
    status: int
    headers: Mapping[str, str]
    parsed: T
    content: bytes = attrs.field(default=b"", repr=False)
    """The body as it came, decompressed."""
    method: str = ""
    url: str = ""
    """The request's URL (the last hop's, after redirects), every query value of a credential redacted."""
    request_id: str | None = None
    """The vendor's id of the request, from the answer's headers (the spec's `request-id-header`, else
    `X-Request-Id` or `Request-Id`); None where it sends none."""


async def with_response(call: Awaitable[T]) -> ApiResponse[T]:
    """Await one operation and return its answer (status, headers, body) and request with the parsed result."""
    answers: list[tuple[RawResponse, VendorProfile]] = []
    token = _slot.set(answers)
    try:
        parsed = await call
    finally:
        _slot.reset(token)
    if not answers:
        raise TypeError("with_response() takes a tessera operation call, e.g. with_response(zs.docs.get_doc(...))")
    last, profile = answers[-1]
    return ApiResponse(
        last.status,
        last.headers,
        parsed,
        content=last.body,
        method=last.method,
        url=shown_url(last.url, profile.secret_query_names),
        request_id=request_id(last.headers, profile.request_id_headers),
    )


def note(response: RawResponse, profile: VendorProfile) -> None:
    """Called by the requester with each final answer; a no-op unless `with_response` is waiting for one."""
    answers = _slot.get()
    if answers is not None:
        answers.append((response, profile))
