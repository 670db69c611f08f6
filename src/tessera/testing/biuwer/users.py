"""The handlers of /users and /users/{user_id}/auth-tokens."""

from __future__ import annotations

from aiohttp import web

from .._errors import ErrorReply
from .errors import biuwer_error, json_object
from .fields import offset_page, user_fields, validity_window
from .records import User
from .store import Directory


def _email_taken() -> ErrorReply:
    return biuwer_error(409, "conflict", "Email already in use")


class BiuwerUsers:
    """Users CRUD and each user's tokens, over one directory."""

    def __init__(self, directory: Directory) -> None:
        self._directory = directory

    async def list_users(self, request: web.Request) -> web.Response:
        """Oldest first; `email` keeps only the user with that email."""
        users = self._directory.users()
        if "email" in request.query:
            match = self._directory.by_email(request.query["email"])
            users = [] if match is None else [match]
        return web.json_response(offset_page(request, [user.to_json() for user in users]))

    async def create_user(self, request: web.Request) -> web.Response:
        fields = user_fields(await json_object(request), partial=False)
        if self._directory.by_email(str(fields["email"])) is not None:
            raise _email_taken()
        return web.json_response(self._directory.create_user(fields).to_json(), status=201)

    async def get_user(self, request: web.Request) -> web.Response:
        return web.json_response(self._user(request).to_json())

    async def update_user(self, request: web.Request) -> web.Response:
        user = self._user(request)
        fields = user_fields(await json_object(request), partial=True)
        if "email" in fields:
            owner = self._directory.by_email(str(fields["email"]))
            if owner is not None and owner is not user:
                raise _email_taken()
        self._directory.update_user(user, fields)
        return web.json_response(user.to_json())

    async def delete_user(self, request: web.Request) -> web.Response:
        self._directory.delete_user(self._user(request))
        return web.Response(status=204)

    async def list_tokens(self, request: web.Request) -> web.Response:
        """Every token of the user, valid or not yet or no longer, oldest first."""
        tokens = self._directory.tokens_of(self._user(request))
        return web.json_response([token.to_json() for token in tokens])

    async def create_token(self, request: web.Request) -> web.Response:
        user = self._user(request)
        valid_from, valid_to = validity_window(await json_object(request))
        return web.json_response(self._directory.mint(user, valid_from, valid_to).to_json(), status=201)

    async def delete_token(self, request: web.Request) -> web.Response:
        self._directory.delete_token(self._user(request), request.match_info["token_id"])
        return web.Response(status=204)

    def _user(self, request: web.Request) -> User:
        return self._directory.user(request.match_info["user_id"])
