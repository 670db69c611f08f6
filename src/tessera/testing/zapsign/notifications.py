"""ZapSign's bulk notification of a document's pending signers, with its cooldown."""

from __future__ import annotations

import math
from typing import Final

from aiohttp import web

from .._clock import TimeFunction
from .._errors import ErrorReply
from .._json import JsonObject
from .store import DocumentStore

COOLDOWN_SECONDS: Final = 600
"""How long a document waits between two bulk notifications. The 429 cooldown_period is documented, its
length is not: ten minutes is inferred."""


class ZapSignNotifications:
    """The handler of POST /docs/{doc_token}/resend-notifications-bulk/; `sent` lists the signer tokens
    notified, in order. The error codes are documented; they come as {"message": code} as in /refuse/.
    """

    def __init__(self, store: DocumentStore, clock: TimeFunction) -> None:
        self._store = store
        self._clock = clock
        self._last: dict[str, float] = {}
        self.sent: list[str] = []

    async def resend_notifications(self, request: web.Request) -> web.Response:
        document = self._store.document(request.match_info["doc_token"])
        if document.status != "pending" or document.deleted:
            raise ErrorReply(400, {"message": "document_not_in_progress"})
        pending = [signer for signer in document.signers if signer.status != "signed"]
        if not pending:
            raise ErrorReply(400, {"message": "no_pending_signers"})
        now = self._clock()
        waited = now - self._last.get(document.token, -math.inf)
        if waited < COOLDOWN_SECONDS:
            left = math.ceil(COOLDOWN_SECONDS - waited)
            raise ErrorReply(429, {"message": f"cooldown_period: wait {left} seconds"}, {"Retry-After": str(left)})
        self._last[document.token] = now
        failed: list[JsonObject] = []
        for signer in pending:
            if signer.email or signer.phone_number:
                self.sent.append(signer.token)
            else:
                failed.append({"name": signer.name, "reason": "Sem email ou telefone"})
        return web.json_response(
            {
                "success": len(failed) < len(pending),
                "total_signers": len(pending),
                "sent_count": len(pending) - len(failed),
                "failed_count": len(failed),
                "failed_signers": failed,
                "has_order_active": False,
                "has_signature_groups": bool(document.signature_groups),
            }
        )
