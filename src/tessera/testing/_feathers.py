"""feathers.js's side of Videsk: its error bodies and $limit/$skip pagination."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from aiohttp import web

from ._errors import ErrorReply
from ._json import JsonObject

# A feathers error's name and className, by HTTP status: the classes of @feathersjs/errors Videsk answers with.
_ERROR_CLASSES: Final = {
    400: ("BadRequest", "bad-request"),
    401: ("NotAuthenticated", "not-authenticated"),
    403: ("Forbidden", "forbidden"),
    404: ("NotFound", "not-found"),
    406: ("NotAcceptable", "not-acceptable"),
    409: ("Conflict", "conflict"),
    422: ("Unprocessable", "unprocessable"),
    429: ("TooManyRequests", "too-many-requests"),
}
DEFAULT_LIMIT: Final = 10
MAX_LIMIT: Final = 50


def feathers_error(status: int, message: str, *, data: object = None) -> ErrorReply:
    """{name, message, code, className, errors} and, when given, the `data` feathers attaches (an object,
    or a plain string as Videsk sometimes sends: "date", or a hint)."""
    name, class_name = _ERROR_CLASSES[status]
    body: JsonObject = {
        "name": name,
        "message": message,
        "code": status,
        "className": class_name,
        "errors": {},
    }
    if data is not None:
        body["data"] = data
    return ErrorReply(status, body)


def page(request: web.Request, items: Sequence[JsonObject]) -> JsonObject:
    """One page as a paginated feathers service answers: {total, limit, skip, data}.

    Like feathers' adapter, a $limit that is missing, negative or not a number means the default, one over
    the maximum means the maximum, and $limit=0 gives only the total.
    """
    limit = min(_count_param(request, "$limit", DEFAULT_LIMIT), MAX_LIMIT)
    skip = _count_param(request, "$skip", 0)
    return {"total": len(items), "limit": limit, "skip": skip, "data": list(items[skip : skip + limit])}


def _count_param(request: web.Request, name: str, default: int) -> int:
    raw = request.query.get(name, "")
    return int(raw) if raw.isdecimal() else default
