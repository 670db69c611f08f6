"""Optiwe's error answers, {"detail": ...}, and the request bodies it refuses.

No error body of Optiwe is documented. Its paths end in a slash like a Django REST framework API, so the
emulator answers DRF's {"detail": ...}: the first of the spec's message fields (detail, message, error).
"""

from __future__ import annotations

from aiohttp import web

from .._drf import parse_error
from .._errors import ErrorReply
from .._json import JsonObject
from .._json import json_object as read_json_object


def optiwe_error(status: int, detail: str) -> ErrorReply:
    return ErrorReply(status, {"detail": detail})


def invalid(detail: str) -> ErrorReply:
    """A 400 whose detail starts with the field at fault: "key: only lowercase letters, ..."."""
    return optiwe_error(400, detail)


async def json_object(request: web.Request) -> JsonObject:
    """The request's body, which must be a JSON object; refused with DRF's parse message otherwise."""
    return await read_json_object(
        request,
        not_json=parse_error,
        not_an_object=lambda body: invalid(f"Invalid data. Expected a dictionary, but got {type(body).__name__}."),
    )
