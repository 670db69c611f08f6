"""Which media type of a `content` map a request body or a success response is generated for.

A request body offering several takes the first kind in this order: JSON, form fields
(`application/x-www-form-urlencoded`), multipart (`multipart/form-data`), `application/octet-stream`,
then any other media type in the spec's order (sent as the file's bytes with that Content-Type). A
response takes JSON first, then `text/*` (a str), then anything else (bytes).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from codegen.document import JSON_MEDIA_TYPE, Node

_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"
_OCTET_STREAM = "application/octet-stream"

_REQUEST_ORDER: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("json", lambda media_type: JSON_MEDIA_TYPE.fullmatch(media_type) is not None),
    ("form", lambda media_type: media_type == _FORM),
    ("multipart", lambda media_type: media_type == _MULTIPART),
    ("binary", lambda media_type: media_type == _OCTET_STREAM),
)


@attrs.frozen
class Media:
    """The chosen media type, its kind, and its schema (None when the spec gives none)."""

    kind: str
    """`json`, `form`, `multipart` or `binary` for a body; `json`, `text` or `binary` for a response."""
    media_type: str
    schema: Node | None


def request_media(content: Node) -> Media:
    """The media type a request body is sent as (see the module's order)."""
    offered = [(_base(media_type), media) for media_type, media in content.items()]
    if not offered:
        raise content.error("a request body needs at least one media type")
    for kind, matches in _REQUEST_ORDER:
        for media_type, media in offered:
            if matches(media_type):
                return Media(kind, media_type, media.get("schema"))
    media_type, media = offered[0]
    # A wildcard (`*/*`, `image/*`) names no Content-Type to send: the bytes go as octet-stream.
    return Media("binary", _OCTET_STREAM if "*" in media_type else media_type, media.get("schema"))


def response_media(content: Node) -> Media:
    """The media type a success response is decoded from: JSON, text, or bytes."""
    offered = [(_base(media_type), media) for media_type, media in content.items()]
    for media_type, media in offered:
        if JSON_MEDIA_TYPE.fullmatch(media_type):
            return Media("json", media_type, media.get("schema"))
    for media_type, media in offered:
        if media_type.startswith("text/"):
            return Media("text", media_type, media.get("schema"))
    media_type, media = offered[0]
    return Media("binary", media_type, media.get("schema"))


def _base(media_type: str) -> str:
    """`text/plain; charset=utf-8` → `text/plain`."""
    return media_type.partition(";")[0].strip().lower()
