"""The feathers errors Videsk's booking, forms, QMS and rate limit answer with.

_feathers.feathers_error knows the classes of authentication and lookups and takes an object as `data`;
these answers need more classes, and Videsk also puts plain strings in `data` ("date", or a hint).
"""

from __future__ import annotations

from typing import Final

from .._errors import ErrorReply

# name and className by HTTP status, as @feathersjs/errors spells them.
_CLASSES: Final = {
    400: ("BadRequest", "bad-request"),
    401: ("NotAuthenticated", "not-authenticated"),
    404: ("NotFound", "not-found"),
    406: ("NotAcceptable", "not-acceptable"),
    409: ("Conflict", "conflict"),
    422: ("Unprocessable", "unprocessable"),
    429: ("TooManyRequests", "too-many-requests"),
}


def videsk_error(status: int, message: str, *, data: object = None) -> ErrorReply:
    """{name, message, code, className, errors} and, when given, `data`."""
    name, class_name = _CLASSES[status]
    return _reply(status, {"name": name, "message": message, "code": status, "className": class_name}, data)


def precondition_required(message: str) -> ErrorReply:
    """Videsk's 428, whose body says code 426 and className precondition-require (documented as such)."""
    return _reply(
        428,
        {"name": "PreconditionRequired", "message": message, "code": 426, "className": "precondition-require"},
        None,
    )


def _reply(status: int, head: dict[str, object], data: object) -> ErrorReply:
    body = {**head, "errors": {}}
    if data is not None:
        body["data"] = data
    return ErrorReply(status, body)
