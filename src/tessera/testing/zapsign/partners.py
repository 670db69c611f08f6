"""ZapSign's partnerships: associated accounts a reseller creates, and their payment status."""

from __future__ import annotations

import itertools
import uuid
from typing import Final

import attrs
from aiohttp import web

from .._clock import TimeFunction, drf_timestamp
from .._drf import REQUIRED, json_object
from .._errors import ErrorReply
from .._json import JsonObject
from .._secrets import remember

COUNTRIES: Final = ("br", "mx", "co", "pe", "cl")
PAYMENT_STATUSES: Final = ("adimplente", "inadimplente")
_TIMEZONES: Final = {
    "br": "America/Brasilia",
    "mx": "America/Mexico_City",
    "co": "America/Bogota",
    "pe": "America/Lima",
    "cl": "America/Santiago",
}
_REQUIRED_FIELDS: Final = ("country", "lang", "company_name")
_OPTIONAL_FIELDS: Final = ("email", "phone_country", "phone_number", "primary_color", "logo_url")


@attrs.define
class PartnerAccount:
    id: int
    name: str
    api_token: str = attrs.field(repr=False)
    created_at: str
    lang: str
    country: str
    member_email: str | None
    payment_status: str = "adimplente"

    def to_json(self) -> JsonObject:
        return {
            "id": self.id,
            "name": self.name,
            "api_token": self.api_token,
            "created_at": self.created_at,
            "credits_balance": 0,
            "lang": self.lang,
            "timezone": _TIMEZONES[self.country],
        }


class ZapSignPartners:
    """The handlers of /partner/company/ and /partner/update-payment-status/.

    `accounts` holds the associated accounts by api_token; `own_api_token` is the partner's, no client of
    its own. Without `enabled` (the feature is sold apart),
    creating one is refused with the documented 403. Bodies are the Portuguese page's, as ZapSign sends them.
    """

    def __init__(self, clock: TimeFunction, *, enabled: bool, own_api_token: str) -> None:
        self._clock = clock
        self._enabled = enabled
        self._own_api_token = own_api_token
        self.accounts: dict[str, PartnerAccount] = {}
        self._ids = itertools.count(543)

    async def create_partner_account(self, request: web.Request) -> web.Response:
        if not self._enabled:
            raise ErrorReply(403, {"detail": "Plan necesario para crear empresa parceira."})
        body = await json_object(request)
        # Not DRF's per-field body: a message with the field errors under data (documented).
        errors: JsonObject = {name: list(REQUIRED) for name in _REQUIRED_FIELDS if not body.get(name)}
        for name in (*_REQUIRED_FIELDS, *_OPTIONAL_FIELDS):
            if name in body and body[name] is not None and not isinstance(body[name], str):
                errors[name] = ["Not a valid string."]
        if "country" not in errors and body["country"] not in COUNTRIES:
            errors["country"] = [f'"{body["country"]}" is not a valid choice.']
        if errors:
            raise ErrorReply(400, {"message": "Invalid Input", "data": errors})
        account = PartnerAccount(
            id=next(self._ids),
            name=str(body["company_name"]),
            api_token=remember(f"{uuid.uuid4()}-{uuid.uuid4()}"),
            created_at=drf_timestamp(self._clock()),
            lang=str(body["lang"]),
            country=str(body["country"]),
            member_email=str(body["email"]) if body.get("email") else None,
        )
        self.accounts[account.api_token] = account
        return web.json_response(account.to_json())

    async def update_payment_status(self, request: web.Request) -> web.Response:
        """Every answer here is a JSON string, the success one included (documented)."""
        body = await json_object(request)
        token, status = body.get("client_api_token"), body.get("payment_status")
        if not isinstance(token, str) or status not in PAYMENT_STATUSES:
            # The page documents no answer for a malformed request; DRF's field body is inferred.
            raise ErrorReply(400, {"payment_status": [f'"{status}" is not a valid choice.']})
        if token == self._own_api_token:
            return web.json_response("A organização especificada não é parceira da organização atual.", status=403)
        account = self.accounts.get(token)
        if account is None:
            return web.json_response("A organização especificada não foi encontrada.", status=404)
        account.payment_status = str(status)
        return web.json_response("Status atualizado com sucesso.")
