"""ZapSign's webhook subscriptions: created and deleted through the API (the emulator delivers none)."""

from __future__ import annotations

import itertools
from typing import Final, cast

import attrs
from aiohttp import web

from .._drf import REQUIRED, field_errors, invalid, json_object, not_found
from .._json import JsonObject
from .store import DocumentStore

WEBHOOK_TYPES: Final = ("", "doc_signed", "doc_created", "doc_deleted", "doc_refused", "email_bounce")
"""The events a subscription names; the empty string is every document event."""
_FIELDS: Final = {"url": str, "doc_token": str}
_HEADER_FIELDS: Final = {"name": str, "value": str}


@attrs.frozen
class Webhook:
    id: int
    url: str
    type: str
    doc_token: str | None
    headers: tuple[tuple[str, str], ...]


class ZapSignWebhooks:
    """The handlers of /user/company/webhook/ and its delete/; `subscriptions` holds what they created."""

    def __init__(self, store: DocumentStore) -> None:
        self._store = store
        self.subscriptions: dict[int, Webhook] = {}
        self._ids = itertools.count(1)

    async def create_webhook(self, request: web.Request) -> web.Response:
        """{url, type, doc_token?, headers?} → {id}."""
        body = await json_object(request)
        if errors := _webhook_errors(body):
            raise invalid(errors)
        doc_token = body.get("doc_token")
        if doc_token is not None and self._store.find(str(doc_token)) is None:
            raise invalid({"doc_token": ["No document has this token."]})
        headers = cast(list[JsonObject], body.get("headers", []))  # _webhook_errors checked them
        webhook = Webhook(
            id=next(self._ids),
            url=str(body["url"]),
            type=str(body["type"]),
            doc_token=None if doc_token is None else str(doc_token),
            headers=tuple((str(header["name"]), str(header["value"])) for header in headers),
        )
        self.subscriptions[webhook.id] = webhook
        return web.json_response({"id": webhook.id})

    async def delete_webhook(self, request: web.Request) -> web.Response:
        """DELETE with a JSON body {id}; ZapSign documents the id as a string, and DRF reads "7" as 7."""
        body = await json_object(request)
        raw = body.get("id")
        if raw is None:
            raise invalid({"id": REQUIRED})
        if isinstance(raw, bool) or not (isinstance(raw, int) or (isinstance(raw, str) and raw.isdecimal())):
            raise invalid({"id": ["A valid integer is required."]})
        if self.subscriptions.pop(int(raw), None) is None:
            raise not_found()
        # A bare 200, as ZapSign documents it.
        return web.Response()


def _webhook_errors(body: JsonObject) -> JsonObject:
    errors = field_errors(body, _FIELDS, required=("url",))
    if "url" not in errors and not str(body["url"]).startswith(("http://", "https://")):
        errors["url"] = ["Enter a valid URL."]
    # `type` is required but may be blank (every event), which field_errors would refuse.
    kind = body.get("type")
    if "type" not in body:
        errors["type"] = REQUIRED
    elif kind not in WEBHOOK_TYPES:
        errors["type"] = [f'"{kind}" is not a valid choice.']
    headers = body.get("headers", [])
    if not isinstance(headers, list):
        errors["headers"] = [f'Expected a list of items but got type "{type(headers).__name__}".']
    elif any(per_item := [field_errors(h, _HEADER_FIELDS, required=_HEADER_FIELDS.keys()) for h in headers]):
        errors["headers"] = per_item
    return errors
