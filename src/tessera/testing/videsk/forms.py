"""Videsk's forms: each segment's base and contact forms, and submissions, captcha-checked for public keys."""

from __future__ import annotations

from typing import Final

import attrs
from aiohttp import web

from .._clock import TimeFunction
from .._feathers import feathers_error
from .._json import JsonObject
from .auth import BEARER, Grant
from .catalog import object_id
from .fields import Field, checked_answers, json_body

EMAIL_FIELD: Final = object_id("field", 2)
"""The email field, the same in both forms: booking takes the appointment's email from it."""
BASE_FORM: Final = (
    Field(object_id("field", 0), "text", "firstname", "Nombre", required=True, max_length=50),
    Field(object_id("field", 1), "text", "lastname", "Apellido", max_length=50),
    Field(EMAIL_FIELD, "email", "email", "Correo electrónico", required=True),
    Field(object_id("field", 3), "tel", "phone", "Teléfono", max_length=20),
)
CONTACT_FORM: Final = (
    *BASE_FORM[:1],
    Field(EMAIL_FIELD, "email", "email", "Correo electrónico", required=True),
    Field(object_id("field", 4), "textarea", "message", "Mensaje", max_length=250),
)
FORMS: Final = {"base": BASE_FORM, "contact": CONTACT_FORM}
# A pre-call submission answers the base form, the one shown before a call or booking.
_FORM_OF_TYPE: Final = {"contact": CONTACT_FORM, "pre-call": BASE_FORM}
# Cloudflare Turnstile, which Videsk's forms use; this site key is Turnstile's public always-pass test key.
_CAPTCHA: Final = {
    "siteKey": "1x00000000000000000000AA",
    "resource": "https://challenges.cloudflare.com/turnstile/v0/api.js",
    "provider": "turnstile",
}
FAILING_CAPTCHA: Final = "fail"
"""The captcha token the emulator refuses as suspicious; any other non-empty token passes."""


@attrs.frozen
class Submission:
    id: str
    segment: str
    type: str
    values: list[JsonObject]
    created_at: float


class Forms:
    """The handlers of /forms; `submissions` holds what was stored, in order."""

    def __init__(self, segments: list[JsonObject], clock: TimeFunction) -> None:
        self._segments = {str(segment["id"]): segment for segment in segments}
        self._clock = clock
        self.submissions: list[Submission] = []

    async def get_form(self, request: web.Request) -> web.Response:
        """GET /forms/{segmentId}?version=base|contact (base by default), with the captcha for public keys."""
        if request.match_info["segmentId"] not in self._segments:
            raise feathers_error(404, "Not form found in segment provided.")
        version = request.query.get("version", "base")
        if version not in FORMS:
            raise feathers_error(404, f"The {version} version of form not found.")
        captcha = _CAPTCHA if request[BEARER].grant is Grant.PUBLIC else dict.fromkeys(_CAPTCHA)
        return web.json_response({"form": [field.to_json() for field in FORMS[version]], **captcha})

    async def submit_form(self, request: web.Request) -> web.Response:
        """POST /forms {segment, type, values, token?} → 201 {message, success, submission}."""
        body = await json_body(request)
        if body.get("segment") not in self._segments:
            raise feathers_error(400, "Please check the segment id provided.")
        kind = body.get("type")
        if not isinstance(kind, str) or kind not in _FORM_OF_TYPE:
            raise feathers_error(400, 'Provide a valid "type" form submission.')
        if request[BEARER].grant is Grant.PUBLIC:
            _check_captcha(body.get("token"))
        values = checked_answers(body.get("values"), _FORM_OF_TYPE[kind])
        submission = Submission(
            id=object_id("submission", len(self.submissions)),
            segment=str(body["segment"]),
            type=kind,
            values=values,
            created_at=self._clock(),
        )
        self.submissions.append(submission)
        answer = {"message": "The form was saved successfully.", "success": True, "submission": submission.id}
        return web.json_response(answer, status=201)

    def report_rows(self) -> list[JsonObject]:
        """The submissions as the forms export lists them."""
        return [
            {"id": s.id, "segment": self._segments[s.segment]["name"], "type": s.type, "createdAt": s.created_at}
            for s in self.submissions
        ]


def _check_captcha(token: object) -> None:
    """A public key's submission needs a token that passes the captcha (any but FAILING_CAPTCHA here)."""
    if not isinstance(token, str) or not token:
        raise feathers_error(400, 'Please provide a valid "token", is mandatory.')
    if token == FAILING_CAPTCHA:
        message = "Your submit looks suspicious, not pass the captcha validation."
        raise feathers_error(422, message, data={"extraData": "invalid-input-response"})
