"""ZapSign's signing operations: placing signature fields on pages, and signing in batch for a user."""

from __future__ import annotations

from typing import Final, cast

from aiohttp import web

from .._clock import TimeFunction, drf_timestamp
from .._drf import REQUIRED, field_errors, invalid, json_object, not_found
from .._errors import ErrorReply
from .._json import JsonObject
from .records import Document, Signer
from .store import DocumentStore

SIGNED_MESSAGE: Final = (
    "Document(s) successfully signed. Reminder: this endpoint is asynchronous, "
    "so wait for the final PDFs to be ready via webhooks or check them in a few minutes."
)
RUBRICA_TYPES: Final = ("signature", "visto")
# Positions and sizes are percentages of the page, so each lies in [0, _WHOLE_PAGE].
_PERCENTAGES: Final = ("relative_position_bottom", "relative_position_left", "relative_size_x", "relative_size_y")
_WHOLE_PAGE: Final = 100
_RUBRICA_FIELDS: Final = {"page": int, "signer_token": str, "type": str}
_BATCH_FIELDS: Final = {"user_token": str}
# Batch signing only works for these signer auth modes (documented); the others need the signer in person.
_BATCH_AUTH_MODES: Final = frozenset({"assinaturaTela"})


class ZapSignSigning:
    """The handlers of /docs/{doc_token}/place-signatures/ and /sign/.

    `user_token` and `user_email` are the account user's, who batch-signs: ZapSign only lets them sign for
    signers whose email is empty or theirs.
    """

    def __init__(self, store: DocumentStore, clock: TimeFunction, *, user_token: str, user_email: str) -> None:
        self._store = store
        self._clock = clock
        self._user_token = user_token
        self._user_email = user_email

    async def place_signatures(self, request: web.Request) -> web.Response:
        """Replace the placed fields of a document or of one of its annexes; an empty list removes them all."""
        token = request.match_info["doc_token"]
        extra = self._store.find_extra_doc(token)
        document = self._store.document(token if extra is None else extra.doc_token)
        body = await json_object(request)
        rubricas = body.get("rubricas")
        if rubricas is None:
            raise invalid({"rubricas": REQUIRED})
        if not isinstance(rubricas, list):
            raise invalid({"rubricas": [f'Expected a list of items but got type "{type(rubricas).__name__}".']})
        signers = {signer.token for signer in document.signers}
        if any(per_item := [_rubrica_errors(rubrica, signers) for rubrica in rubricas]):
            raise invalid({"rubricas": per_item})
        placed = [cast(JsonObject, rubrica) for rubrica in rubricas]  # _rubrica_errors checked each is an object
        (document if extra is None else extra).rubricas = [{"type": "signature", **rubrica} for rubrica in placed]
        self._touch(document)
        # ZapSign answers a bare 200 here, with no body.
        return web.Response()

    async def sign_batch(self, request: web.Request) -> web.Response:
        """POST /sign/ {user_token, signer_tokens}: all of them are signed, or none is."""
        body = await json_object(request)
        errors = field_errors(body, _BATCH_FIELDS, required=_BATCH_FIELDS.keys())
        tokens = body.get("signer_tokens")
        if tokens is None:
            errors["signer_tokens"] = REQUIRED
        elif not isinstance(tokens, list) or not all(isinstance(token, str) for token in tokens):
            errors["signer_tokens"] = ["Expected a list of signer tokens."]
        if errors:
            raise invalid(errors)
        # Documented: an unknown user_token or signer token is a plain 404.
        if body["user_token"] != self._user_token:
            raise not_found()
        signers = [self._store.signer(token) for token in cast(list[str], tokens)]
        for signer in signers:
            if reason := self._unsignable(signer, self._store.document(signer.doc_token)):
                raise ErrorReply(400, {"detail": f"Signer {signer.token} cannot be signed via API: {reason}."})
        stamp = drf_timestamp(self._clock())
        for signer in signers:
            self._store.sign(signer, stamp)
        return web.json_response({"message": SIGNED_MESSAGE})

    def _unsignable(self, signer: Signer, document: Document) -> str | None:
        """Why the user may not sign for `signer`, or None when they may (the reasons are inferred)."""
        if document.deleted or document.status != "pending":
            return f"the document is {'deleted' if document.deleted else document.status}"
        if signer.status == "signed":
            return "the signer has already signed"
        if signer.email not in ("", self._user_email):
            return "the signer's email is not the user's"
        if signer.auth_mode not in _BATCH_AUTH_MODES:
            return f"auth_mode {signer.auth_mode} needs the signer in person"
        return None

    def _touch(self, document: Document) -> None:
        document.last_update_at = drf_timestamp(self._clock())


def _rubrica_errors(rubrica: object, signers: set[str]) -> JsonObject:
    """DRF's errors for one placed field, empty when it is valid; its signer must sign the document."""
    errors = field_errors(rubrica, _RUBRICA_FIELDS, required=("page", "signer_token"))
    if not isinstance(rubrica, dict):
        return errors
    if "page" not in errors and rubrica["page"] < 0:
        errors["page"] = ["Ensure this value is greater than or equal to 0."]
    if "type" not in errors and rubrica.get("type", "signature") not in RUBRICA_TYPES:
        errors["type"] = [f'"{rubrica["type"]}" is not a valid choice.']
    if "signer_token" not in errors and rubrica["signer_token"] not in signers:
        errors["signer_token"] = ["This signer does not sign this document."]
    for name in _PERCENTAGES:
        if (message := _percentage_error(rubrica.get(name, 0))) is not None:
            errors[name] = [message]
    return errors


def _percentage_error(value: object) -> str | None:
    """DRF FloatField's messages for a value that is not a number in [0, 100]."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "A valid number is required."
    if value < 0:
        return "Ensure this value is greater than or equal to 0."
    if value > _WHOLE_PAGE:
        return f"Ensure this value is less than or equal to {_WHOLE_PAGE}."
    return None
