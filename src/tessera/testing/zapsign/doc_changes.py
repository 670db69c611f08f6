"""ZapSign's changes to a document after its creation: its details, its envelope's order, its reprocessing."""

from __future__ import annotations

import datetime
from typing import Final, cast

from aiohttp import web

from .._clock import TimeFunction, drf_timestamp
from .._drf import field_errors, invalid, json_object
from .._errors import ErrorReply
from .._json import JsonObject
from .records import Document
from .store import DocumentStore

UPDATED_MESSAGE: Final = "Documento atualizado corretamente"
REPROCESSED_MESSAGE: Final = (
    "Documento reprocessado com sucesso. Lembrete: este endpoint é assíncrono, então aguarde os PDF finais "
    "ficarem prontos via webhooks ou confira-os daqui alguns minutos."
)
_UPDATE_FIELDS: Final = {"name": str, "date_limit_to_sign": str, "folder_path": str, "folder_token": str}
_RENAME_FIELDS: Final = {"token": str, "name": str}
_REPROCESS_FIELDS: Final = {"send_webhook": bool, "resign_doc": bool}


class ZapSignDocChanges:
    """The handlers of PUT /docs/{doc_token}/, its document-display-order/ and its reprocess-doc/.

    `reprocessed` lists each reprocessing asked for: (document token, send_webhook, resign_doc).
    The refusal of a document no longer pending is documented; its body is inferred.
    """

    def __init__(self, store: DocumentStore, clock: TimeFunction) -> None:
        self._store = store
        self._clock = clock
        self.reprocessed: list[tuple[str, bool, bool]] = []

    async def update_doc(self, request: web.Request) -> web.Response:
        document = self._pending(request)
        body = await json_object(request)
        errors = field_errors(body, _UPDATE_FIELDS, required=())
        if "date_limit_to_sign" in body and "date_limit_to_sign" not in errors:
            try:
                datetime.date.fromisoformat(str(body["date_limit_to_sign"]))
            except ValueError:
                errors["date_limit_to_sign"] = ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]
        renames = body.get("extra_docs", [])
        extras = {extra.token: extra for extra in document.extra_docs}
        if not isinstance(renames, list):
            errors["extra_docs"] = [f'Expected a list of items but got type "{type(renames).__name__}".']
        elif any(per_item := [field_errors(item, _RENAME_FIELDS, required=_RENAME_FIELDS.keys()) for item in renames]):
            errors["extra_docs"] = per_item
        elif any(cast(JsonObject, item)["token"] not in extras for item in renames):
            errors["extra_docs"] = ["An extra document of another document cannot be renamed here."]
        if errors:
            raise invalid(errors)
        for name in ("name", "folder_path"):
            if name in body:
                setattr(document, name, str(body[name]))
        if "date_limit_to_sign" in body:
            # Sent as a date; answered as DRF writes a deadline, midnight UTC (inferred).
            document.date_limit_to_sign = f"{body['date_limit_to_sign']}T00:00:00Z"
        for item in cast(list[JsonObject], renames):
            extras[str(item["token"])].name = str(item["name"])
        self._touch(document)
        return web.json_response({"message": UPDATED_MESSAGE})

    async def reorder_envelope(self, request: web.Request) -> web.Response:
        document = self._pending(request)
        body = await json_object(request)
        order = body.get("document_display_order")
        if not isinstance(order, list) or not all(isinstance(token, str) for token in order):
            raise invalid({"document_display_order": ["Expected a list of document tokens."]})
        if not document.extra_docs:
            raise ErrorReply(400, {"detail": "The document is not an envelope."})
        envelope = [document.token, *(extra.token for extra in document.extra_docs)]
        if sorted(order) != sorted(envelope):
            raise invalid({"document_display_order": ["Send every token of the envelope, each once."]})
        document.display_order = [str(token) for token in order]
        self._touch(document)
        return web.json_response({"message": UPDATED_MESSAGE})

    async def reprocess_doc(self, request: web.Request) -> web.Response:
        document = self._store.document(request.match_info["doc_token"])
        body = await json_object(request)
        if errors := field_errors(body, _REPROCESS_FIELDS, required=()):
            raise invalid(errors)
        self.reprocessed.append((document.token, body.get("send_webhook") is True, body.get("resign_doc") is True))
        # A JSON string: the page shows the bare text.
        return web.json_response(REPROCESSED_MESSAGE)

    def _pending(self, request: web.Request) -> Document:
        document = self._store.document(request.match_info["doc_token"])
        if document.status != "pending" or document.deleted:
            raise ErrorReply(400, {"detail": "Only a document in progress can be changed."})
        return document

    def _touch(self, document: Document) -> None:
        document.last_update_at = drf_timestamp(self._clock())
