"""What a Biuwer account holds in the emulator: users, and each user's authentication tokens."""

from __future__ import annotations

import itertools
import uuid
from typing import Final

from .._clock import TimeFunction
from .._json import JsonObject
from .._secrets import remember
from .errors import not_found
from .records import USER_FIELDS, AuthToken, User

_SEED_PEOPLE: Final = (
    ("Lucía", "Martínez", "lucia.martinez"),
    ("Pablo", "García", "pablo.garcia"),
    ("Sofía", "López", "sofia.lopez"),
    ("Javier", "Sánchez", "javier.sanchez"),
    ("Marta", "Romero", "marta.romero"),
)
_SEED_SPACING_SECONDS: Final = 24 * 3600


class Directory:
    """Users by id in creation order, and every live token by id and by value."""

    def __init__(self, clock: TimeFunction) -> None:
        self._clock = clock
        self._users: dict[str, User] = {}
        self._tokens: dict[str, AuthToken] = {}
        self._by_value: dict[str, AuthToken] = {}
        self._user_ids = itertools.count(1)
        self._token_ids = itertools.count(1)
        self.mints = 0
        """Tokens created through the API."""

    def users(self) -> list[User]:
        return list(self._users.values())

    def user(self, user_id: str) -> User:
        """The user with that id, or the 404 Biuwer answers."""
        try:
            return self._users[user_id]
        except KeyError:
            raise not_found("User") from None

    def by_email(self, email: str) -> User | None:
        """Emails are compared without case, as mail servers do."""
        wanted = email.casefold()
        return next((user for user in self._users.values() if user.email.casefold() == wanted), None)

    def create_user(self, fields: JsonObject, *, created_at: float | None = None) -> User:
        """A new user from fields that have been checked."""
        now = self._clock() if created_at is None else created_at
        user = User(id=str(next(self._user_ids)), email=str(fields["email"]), created_at=now, updated_at=now)
        self.update_user(user, fields, updated_at=now)
        self._users[user.id] = user
        return user

    def update_user(self, user: User, fields: JsonObject, *, updated_at: float | None = None) -> None:
        """Replace the fields given, keep the others."""
        for name in USER_FIELDS:
            if name in fields:
                setattr(user, name, fields[name])
        user.updated_at = self._clock() if updated_at is None else updated_at

    def delete_user(self, user: User) -> None:
        """The user goes, and their tokens stop working with them."""
        for token in self.tokens_of(user):
            self._forget(token)
        del self._users[user.id]

    def tokens_of(self, user: User) -> list[AuthToken]:
        return [token for token in self._tokens.values() if token.user_id == user.id]

    def mint(self, user: User, valid_from: float, valid_to: float | None) -> AuthToken:
        token = AuthToken(
            id=str(next(self._token_ids)),
            # UUID-like, as Biuwer's integration guide describes its tokens.
            token=remember(str(uuid.uuid4())),
            user_id=user.id,
            valid_from=valid_from,
            valid_to=valid_to,
            created_at=self._clock(),
        )
        self._tokens[token.id] = token
        self._by_value[token.token] = token
        self.mints += 1
        return token

    def delete_token(self, user: User, token_id: str) -> None:
        """Delete one of `user`'s tokens; another user's token id is as unknown as a made-up one."""
        token = self._tokens.get(token_id)
        if token is None or token.user_id != user.id:
            raise not_found("Token")
        self._forget(token)

    def find_token(self, value: str) -> AuthToken | None:
        """The live token whose value this is."""
        return self._by_value.get(value)

    def seed(self, count: int) -> None:
        """`count` users a day apart, ending now; the first is the account's admin, the others basic users."""
        start = self._clock() - count * _SEED_SPACING_SECONDS
        for number in range(count):
            name, surname, local = _SEED_PEOPLE[number % len(_SEED_PEOPLE)]
            # Past the named people, a number keeps every email unique.
            suffix = "" if number < len(_SEED_PEOPLE) else str(number + 1)
            fields: JsonObject = {
                "email": f"{local}{suffix}@example.com",
                "name": name,
                "surname": surname,
                "type": "admin" if number == 0 else "basic",
            }
            self.create_user(fields, created_at=start + (number + 1) * _SEED_SPACING_SECONDS)

    def _forget(self, token: AuthToken) -> None:
        del self._tokens[token.id]
        del self._by_value[token.token]
