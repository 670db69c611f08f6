"""JSON request bodies: one reader of a JSON object body, refused in each vendor's own words."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

JsonObject = dict[str, object]


async def json_object(
    request: web.Request,
    *,
    not_json: Callable[[ValueError], Exception],
    not_an_object: Callable[[object], Exception],
) -> JsonObject:
    """The request's body, which must be a JSON object; else the vendor's refusal, raised.

    `not_json` gets the parser's error (the body is not JSON, or not even UTF-8), `not_an_object` the JSON
    value that came instead of an object.
    """
    try:
        body = await request.json()
    except ValueError as error:
        raise not_json(error) from error
    if not isinstance(body, dict):
        raise not_an_object(body)
    return body
