"""Biuwer's error envelope {code, message} and the request bodies it refuses; all inferred, as in the spec."""

from __future__ import annotations

from aiohttp import web

from .._errors import ErrorReply
from .._json import JsonObject
from .._json import json_object as read_json_object


def biuwer_error(status: int, code: str, message: str) -> ErrorReply:
    """The spec's BiuwerError body; `code` is what its x-tessera rules match on (token_expired, ...)."""
    return ErrorReply(status, {"code": code, "message": message})


def invalid(message: str) -> ErrorReply:
    """A 400 validation_error; `message` names the field the way the spec's example does: "`from` is required"."""
    return biuwer_error(400, "validation_error", message)


def not_found(what: str) -> ErrorReply:
    return biuwer_error(404, "not_found", f"{what} not found")


async def json_object(request: web.Request) -> JsonObject:
    """The request's body, which must be a JSON object."""
    return await read_json_object(
        request,
        not_json=lambda _: invalid("The body is not valid JSON"),
        not_an_object=lambda _: invalid("The body must be a JSON object"),
    )
