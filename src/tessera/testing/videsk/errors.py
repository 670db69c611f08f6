"""Videsk's one feathers error that is not built by `.._feathers.feathers_error`: its 428."""

from __future__ import annotations

from .._errors import ErrorReply


def precondition_required(message: str) -> ErrorReply:
    """Videsk's 428, whose body says code 426 and className precondition-require (documented as such)."""
    body: dict[str, object] = {
        "name": "PreconditionRequired",
        "message": message,
        "code": 426,
        "className": "precondition-require",
        "errors": {},
    }
    return ErrorReply(428, body)
