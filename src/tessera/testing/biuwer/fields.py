"""What Biuwer accepts in a request: user fields, a token's validity window, and limit/skip paging."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final

from aiohttp import web

from .._json import JsonObject
from .errors import invalid
from .records import USER_FIELDS

USER_TYPES: Final = ("basic", "admin")
DEFAULT_LIMIT: Final = 20
MAX_LIMIT: Final = 100
# Something, an @, and a domain with a dot: what a form's email check asks, not RFC 5322.
_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def user_fields(body: JsonObject, *, partial: bool) -> JsonObject:
    """The user fields of `body` (others are ignored); `partial` for an update, where email is optional."""
    if not partial and "email" not in body:
        raise invalid("`email` is required")
    fields: JsonObject = {name: body[name] for name in USER_FIELDS if name in body}
    for name, value in fields.items():
        if not isinstance(value, str):
            raise invalid(f"`{name}` must be a string")
    if "email" in fields and not _EMAIL.fullmatch(str(fields["email"])):
        raise invalid("`email` is not a valid email address")
    if "type" in fields and fields["type"] not in USER_TYPES:
        raise invalid(f"`type` must be one of {', '.join(USER_TYPES)}")
    return fields


def validity_window(body: JsonObject) -> tuple[float, float | None]:
    """`from` (required) and `to` (absent or null: never expires) as epoch seconds; `to` must come later."""
    if body.get("from") is None:
        raise invalid("`from` is required")
    valid_from = _instant(body, "from")
    valid_to = None if body.get("to") is None else _instant(body, "to")
    if valid_to is not None and valid_to <= valid_from:
        raise invalid("`to` must be after `from`")
    return valid_from, valid_to


def offset_page(request: web.Request, items: Sequence[JsonObject]) -> JsonObject:
    """One page as {total, limit, skip, data}; a limit over the maximum is served as the maximum."""
    limit = min(_count_param(request, "limit", default=DEFAULT_LIMIT, minimum=1), MAX_LIMIT)
    skip = _count_param(request, "skip", default=0, minimum=0)
    return {"total": len(items), "limit": limit, "skip": skip, "data": list(items[skip : skip + limit])}


def _instant(body: JsonObject, name: str) -> float:
    value = body[name]
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise invalid(f"`{name}` must be an ISO 8601 date-time")
    if moment.tzinfo is None:  # no offset given: UTC, the emulator has no account time zone to read it in
        moment = moment.replace(tzinfo=UTC)
    # Milliseconds, as a JavaScript Date keeps: the instant checked is then exactly the one answered.
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000).timestamp()


def _count_param(request: web.Request, name: str, *, default: int, minimum: int) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    if not raw.isdecimal() or int(raw) < minimum:
        raise invalid(f"`{name}` must be an integer of at least {minimum}")
    return int(raw)
