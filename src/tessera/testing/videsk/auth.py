"""Videsk's bearers: API keys and appointment tokens, JWTs the emulator signs, refused with feathers' bodies.

A key belongs to an integration, created in Videsk for backend or for public (browser) use; the key's
`sub` names it, and which kind it is stays on the server, as in Videsk. An appointment's accessToken and
actionToken name the appointment in `sub` and their purpose in `purpose`. What each may call is Grant's.
"""

from __future__ import annotations

import enum
from typing import Final

import attrs
import jwt
from aiohttp import web

from .._bearer import bearer_token
from .._clock import TimeFunction, js_timestamp
from .._errors import ErrorReply
from .._feathers import feathers_error
from .._json import JsonObject
from .._tokens import ExpiredToken, TokenMint
from .catalog import object_id

INTEGRATION_ID: Final = object_id("integration", 0)
PUBLIC_INTEGRATION_ID: Final = object_id("integration", 1)


class Grant(enum.Enum):
    """What a bearer is, which decides the routes it may call."""

    BACKEND = "backend"
    """A backend key: every public endpoint, the QMS ones included."""
    PUBLIC = "public"
    """A browser key: no QMS, and POST /forms needs a captcha token."""
    ACCESS = "access"
    """An appointment's accessToken: GET /schedule/info only."""
    ACTION = "action"
    """An appointment's actionToken: cancel and reschedule only."""


API_KEYS: Final = frozenset({Grant.BACKEND, Grant.PUBLIC})
_INTEGRATIONS: Final = {INTEGRATION_ID: Grant.BACKEND, PUBLIC_INTEGRATION_ID: Grant.PUBLIC}


@attrs.frozen
class Bearer:
    grant: Grant
    subject: str
    """The integration's id for a key, the appointment's id for an appointment token."""
    token: str


BEARER: Final = web.RequestKey("videsk_bearer", Bearer)
"""Where the emulator leaves a request's checked bearer for its handler."""


class VideskKeys:
    """Issues keys and appointment tokens and checks them the way Videsk's feathers JWT strategy does."""

    def __init__(self, clock: TimeFunction) -> None:
        self._mint = TokenMint(clock)
        self._revoked: set[str] = set()

    def issue(self, expires_in: float | None, *, public: bool = False) -> str:
        """A key of the backend (or the public) integration; `expires_in` None gives one without exp."""
        return self._mint.issue({"sub": PUBLIC_INTEGRATION_ID if public else INTEGRATION_ID}, expires_in)

    def issue_appointment_token(self, appointment_id: str, grant: Grant) -> str:
        """An accessToken (Grant.ACCESS) or actionToken (Grant.ACTION); the appointment decides how long it is good."""
        return self._mint.issue({"sub": appointment_id, "purpose": grant.value}, None)

    def revoke(self, key: str) -> None:
        """Remove a key: it still decodes, but Videsk answers 403 to it from now on."""
        self._revoked.add(key)

    def authenticate(self, request: web.Request) -> Bearer:
        token = bearer_token(request)
        if not token:
            raise feathers_error(401, "Authorization header with valid JWT is required.")
        try:
            claims = self._mint.read(token)
        except ExpiredToken as expired:
            # feathers passes jsonwebtoken's error along as the error's data.
            data: JsonObject = {
                "name": "TokenExpiredError",
                "message": "jwt expired",
                "expiredAt": js_timestamp(expired.expired_at),
            }
            raise feathers_error(401, "jwt expired", data=data) from None
        except jwt.InvalidSignatureError:
            raise feathers_error(401, "invalid signature") from None
        except jwt.InvalidTokenError:
            raise feathers_error(401, "jwt malformed") from None
        if token in self._revoked:
            raise feathers_error(403, "The integration token it's invalid or was removed.")
        subject = str(claims.get("sub"))
        purpose = claims.get("purpose")
        grant = _INTEGRATIONS.get(subject) if purpose is None else Grant(purpose)
        if grant is None:
            raise feathers_error(403, "The integration token it's invalid or was removed.")
        return Bearer(grant=grant, subject=subject, token=token)


def no_access(path: str) -> ErrorReply:
    """Videsk's 403 for a bearer that may not call `path`."""
    return feathers_error(403, f"You don't have access to {path}. Please contact to your administrator.")
