"""ZapSign's identity validations of signers: their attempts, the block after three failures, and its reset.

The emulator runs no validation: tests record failed attempts with `fail`, as a signer's would be.
"""

from __future__ import annotations

import uuid
from typing import Final

from aiohttp import web

from .._clock import TimeFunction, drf_timestamp
from .._errors import ErrorReply
from .._json import JsonObject
from .store import DocumentStore

ATTEMPTS: Final = 3
"""Failed validations after which a signer is blocked (documented)."""
VALIDATION_TYPE: Final = "identity-verification-global"


class ZapSignValidations:
    """The handlers of /signer-verification-details/{signer_token}/ and /reset-auth-attempts/{signer_token}/."""

    def __init__(self, store: DocumentStore, clock: TimeFunction) -> None:
        self._store = store
        self._clock = clock
        self._attempts: dict[str, list[JsonObject]] = {}
        self._failures: dict[str, int] = {}

    def fail(self, signer_token: str, reason: str) -> None:
        """Record a failed identity verification of the signer, as its validation would."""
        self._store.signer(signer_token)
        self._attempts.setdefault(signer_token, []).append(
            {
                "type": "Identity verification",
                "validation_number": str(uuid.uuid4()),
                "status": "failed",
                "reason": reason,
                "created_at": drf_timestamp(self._clock()),
                "document_photo_url": "",
                "document_verse_photo_url": "",
                "selfie_photo_url": "",
            }
        )
        self._failures[signer_token] = self._failures.get(signer_token, 0) + 1

    def blocked(self, signer_token: str) -> bool:
        return self._failures.get(signer_token, 0) >= ATTEMPTS

    async def get_signer_validations(self, request: web.Request) -> web.Response:
        signer = self._store.signer(request.match_info["signer_token"])
        attempts = self._attempts.get(signer.token, [])
        return web.json_response(
            {
                "token": signer.token,
                "selfie_validation_type": VALIDATION_TYPE if attempts else "",
                "validations": attempts,
            }
        )

    async def reset_signer_attempts(self, request: web.Request) -> web.Response:
        signer = self._store.signer(request.match_info["signer_token"])
        if not self.blocked(signer.token):
            raise ErrorReply(400, {"error": "Signatário tem tentativas"})
        self._failures[signer.token] = 0
        return web.json_response({"success": "As tentativas do signatário foram resetadas com sucesso."})
