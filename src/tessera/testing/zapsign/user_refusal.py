"""ZapSign's refusal of a document by an account user who is also its signer (/refuse/by-user/)."""

from __future__ import annotations

from typing import Final

from aiohttp import web

from .._clock import TimeFunction, drf_timestamp
from .._drf import field_errors, invalid, json_object, not_found
from .._errors import ErrorReply
from .store import DocumentStore

REFUSED_BY_USER_MESSAGE: Final = (
    "Documento recusado com sucesso. Lembrete: este endpoint é assíncrono, então aguarde os PDF finais "
    "ficarem prontos via webhooks ou confira-os daqui alguns minutos."
)
_FIELDS: Final = {"doc_token": str, "user_token": str, "signer_token": str, "rejected_reason": str}


class ZapSignUserRefusal:
    """The handler of /refuse/by-user/: `user_token` and `user_email` are the account user's, as for batch
    signing. Its documented answers are the Portuguese page's, `{"error": ...}` bodies included.
    """

    def __init__(self, store: DocumentStore, clock: TimeFunction, *, user_token: str, user_email: str) -> None:
        self._store = store
        self._clock = clock
        self._user_token = user_token
        self._user_email = user_email

    async def refuse_doc_by_user(self, request: web.Request) -> web.Response:
        body = await json_object(request)
        if errors := field_errors(body, _FIELDS, required=("doc_token", "user_token", "signer_token")):
            raise invalid(errors)
        document = self._store.document(str(body["doc_token"]))
        signer = self._store.signer(str(body["signer_token"]))
        if body["user_token"] != self._user_token or signer.doc_token != document.token:
            raise not_found()
        if document.status != "pending" or not document.allow_refuse_signature:
            raise ErrorReply(403, {"error": "A reprovação deste documento não é permitida."})
        if signer.email != self._user_email:
            raise ErrorReply(400, {"error": "O e-mail do signatário e do usuário são diferentes"})
        document.status, document.rejected_reason = "refused", str(body.get("rejected_reason", ""))
        document.last_update_at = drf_timestamp(self._clock())
        return web.json_response({"message": REFUSED_BY_USER_MESSAGE})
