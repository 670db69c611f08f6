"""Biuwer's users and their authentication tokens: what the emulator keeps of them and the JSON it answers."""

from __future__ import annotations

from typing import Final

import attrs

from .._clock import js_timestamp
from .._json import JsonObject

USER_FIELDS: Final = ("email", "name", "surname", "type")
"""The fields a request may set on a user."""


@attrs.define
class User:
    id: str
    email: str
    created_at: float
    updated_at: float
    name: str = ""
    surname: str = ""
    type: str = "basic"

    def to_json(self) -> JsonObject:
        return {
            "id": self.id,
            "email": self.email,
            "name": self.name,
            "surname": self.surname,
            "type": self.type,
            "created_at": js_timestamp(self.created_at),
            "updated_at": js_timestamp(self.updated_at),
        }


@attrs.frozen
class AuthToken:
    """A user's token, valid from `valid_from` (included) until `valid_to` (excluded; None: never expires)."""

    id: str
    token: str = attrs.field(repr=False)
    user_id: str
    valid_from: float
    valid_to: float | None
    created_at: float

    def valid_at(self, now: float) -> bool:
        return self.valid_from <= now and (self.valid_to is None or now < self.valid_to)

    def to_json(self) -> JsonObject:
        return {
            "id": self.id,
            "token": self.token,
            "user_id": self.user_id,
            "from": js_timestamp(self.valid_from),
            "to": None if self.valid_to is None else js_timestamp(self.valid_to),
            "created_at": js_timestamp(self.created_at),
        }
