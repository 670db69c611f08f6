"""ZapSign's account pages: the organization's plan and its users."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

import attrs
from aiohttp import web

from .._clock import TimeFunction
from .._drf import field_errors, invalid, json_object, not_found, page
from .._errors import ErrorReply
from .._json import JsonObject

USERS_PAGE_SIZE: Final = 25
ROLES: Final = ("member", "admin", "self_docs_limited")
"""The roles a new user may get; the owner is the one user no request creates or removes."""
_USER_FIELDS: Final = {
    "email": str,
    "role": str,
    "first_name": str,
    "last_name": str,
    "phone_country": str,
    "phone_number": str,
}
_PLAN_DAYS: Final = 365


@attrs.define
class AccountUser:
    email: str
    role: str
    first_name: str = ""
    last_name: str = ""
    email_verified: bool = False

    def to_json(self) -> JsonObject:
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "email_verified": self.email_verified,
            "user_group": {"name": self.role},
        }


class ZapSignAccount:
    """The handlers of /info-plan/ and /users/: `users` holds the organization's users by email, owner first.

    `user_limit` is the plan's number of users (None: no limit); a creation past it is refused.
    """

    def __init__(self, clock: TimeFunction, *, owner_email: str, credits: int, user_limit: int | None) -> None:
        self._clock = clock
        self._credits = credits
        self._user_limit = user_limit
        self._started = clock()
        self.users: dict[str, AccountUser] = {
            owner_email: AccountUser(email=owner_email, role="owner", first_name="Dev", email_verified=True)
        }

    async def get_plan_info(self, request: web.Request) -> web.Response:
        """An annual plan, paid, that ends a year after the emulator started; dates as the page writes them."""
        end = datetime.fromtimestamp(self._started, UTC) + timedelta(days=_PLAN_DAYS)
        return web.json_response(
            {
                "name": "API Plan",
                # A string of digits, as the documented body has it.
                "number_of_credits": str(self._credits),
                "status": "paid",
                "period": "annual",
                "current_period_end": end.strftime("%d-%m-%Y"),
            }
        )

    async def list_users(self, request: web.Request) -> web.Response:
        users = list(self.users.values())
        return web.json_response(page(request, users, USERS_PAGE_SIZE, AccountUser.to_json))

    async def create_user(self, request: web.Request) -> web.Response:
        body = await json_object(request)
        errors = field_errors(body, _USER_FIELDS, required=("email",))
        if "email" not in errors and "@" not in str(body["email"]):
            errors["email"] = ["Enter a valid email address."]
        if "role" not in errors and body.get("role", "self_docs_limited") not in ROLES:
            errors["role"] = [f'"{body["role"]}" is not a valid choice.']
        if errors:
            raise invalid(errors)
        email = str(body["email"])
        # Refusals past the plan's users and of a user already there: bodies inferred.
        if email in self.users:
            raise invalid({"email": ["This user already belongs to the organization."]})
        if self._user_limit is not None and len(self.users) >= self._user_limit:
            raise ErrorReply(400, {"message": "The organization has reached its plan's number of users."})
        self.users[email] = AccountUser(
            email=email,
            role=str(body.get("role", "self_docs_limited")),
            first_name=str(body.get("first_name", "")),
            last_name=str(body.get("last_name", "")),
        )
        return web.json_response({"message": "User created successfully."})

    async def delete_user(self, request: web.Request) -> web.Response:
        user = self.users.get(request.match_info["user_email"])
        if user is None:
            raise not_found()
        if user.role == "owner":
            # Documented as impossible; the status and body are inferred.
            raise ErrorReply(403, {"detail": "The owner of the organization cannot be removed."})
        del self.users[user.email]
        return web.json_response({"message": "User successfully removed from the company."})
