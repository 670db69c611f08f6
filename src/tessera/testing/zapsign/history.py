"""ZapSign's activity history of a document (its audit trail), told from what the emulator kept of it."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from .._json import JsonObject
from .records import Document
from .store import DocumentStore


class ZapSignHistory:
    """The handler of GET /docs/signer-log/{doc_token} (its JSON form; download_pdf=true is not emulated)."""

    def __init__(self, store: DocumentStore) -> None:
        self._store = store

    async def get_activity_history(self, request: web.Request) -> web.Response:
        return web.json_response(events(self._store.document(request.match_info["doc_token"])))


def events(document: Document) -> list[JsonObject]:
    """The creation, then each signer's view and signature, then a refusal, in the account's language
    (Portuguese here). The documented creation event is worded as the page words it; the others are inferred.
    """
    happened = [
        _event(
            document.created_at,
            document.created_by,
            "Documento criado",
            f"O documento foi criado por {document.created_by} via api",
        )
    ]
    for signer in document.signers:
        who = signer.email or signer.name
        if signer.last_view_at is not None:
            happened.append(
                _event(signer.last_view_at, who, "Documento visualizado", f"Documento visualizado por {who}")
            )
        if signer.signed_at is not None:
            happened.append(_event(signer.signed_at, who, "Documento assinado", f"Documento assinado por {who}"))
    if document.status == "refused":
        reason = document.rejected_reason or ""
        happened.append(_event(document.last_update_at, document.created_by, "Documento recusado", f"Motivo: {reason}"))
    return happened


def _event(drf_stamp: str, user: str, event: str, description: str) -> JsonObject:
    # The log writes Python's str() of an aware datetime: a space and +00:00, not DRF's T and Z.
    when = datetime.fromisoformat(drf_stamp.replace("Z", "+00:00"))
    return {"time": str(when), "user": user, "event": event, "description": description}
