"""The credentials users build, one kind per security scheme kind: each vendor's `<S>Auth` subclasses one.

The generated `<vendor>/__init__.py` defines a class per security scheme of the spec (its name, its
scheme and its constructor's parameters), over these bases, which check the values when the class is
built (ConfigurationError, never showing them) and hold each one as a `Secret`, so no repr shows it.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import ClassVar

from tessera._auth.client_credentials import ClientCredentials, checked_scopes
from tessera._auth.exchange import AuthContext
from tessera._auth.flow import AuthFlow, AuthStrategy
from tessera._auth.password import PasswordCredential
from tessera._auth.secrets import Secret, required_secret
from tessera._auth.static import StaticKey, basic_key
from tessera._runtime.arguments import DOT_SEGMENTS
from tessera.errors import ConfigurationError


class SchemeAuth:
    """A credential for the spec's security scheme `scheme`; the generated subclass names both."""

    scheme: ClassVar[str]
    """The security scheme's name in the spec."""
    __slots__ = ()

    def flow(self, context: AuthContext) -> AuthFlow:
        raise NotImplementedError

    def _secret(self, value: object, parameter: str) -> Secret:
        vendor = type(self).__module__.rpartition(".")[2]
        return required_secret(value, f"{vendor}.{type(self).__name__} {parameter}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<{self.scheme} credential>)"


class KeyAuth(SchemeAuth):
    """http bearer, or an apiKey: one secret, sent as the spec says (header, query or cookie)."""

    __slots__ = ("key",)

    def __init__(self, key: str, parameter: str = "key") -> None:
        """`parameter`: the name the generated class gives `key`, which a refusal names."""
        self.key = self._secret(key, parameter)

    def flow(self, context: AuthContext) -> AuthFlow:
        return StaticKey(self.scheme, self.key).flow(context)


class BasicAuth(SchemeAuth):
    """http basic: a user and a password, sent as `Authorization: Basic base64(username:password)`."""

    __slots__ = ("_credential",)

    def __init__(self, username: str, password: str) -> None:
        self._credential = basic_key(self._secret(username, "username"), self._secret(password, "password"))

    def flow(self, context: AuthContext) -> AuthFlow:
        return StaticKey(self.scheme, self._credential).flow(context)


class ClientCredentialsAuth(SchemeAuth):
    """oauth2 clientCredentials: a client's id and secret, for tokens of the `scopes` asked for."""

    __slots__ = ("_credentials",)

    def __init__(self, client_id: str, client_secret: str, scopes: Sequence[str] = ()) -> None:
        self._credentials = ClientCredentials(
            self.scheme,
            self._secret(client_id, "client_id"),
            self._secret(client_secret, "client_secret"),
            checked_scopes(scopes, f"{type(self).__name__} scopes"),
        )

    def flow(self, context: AuthContext) -> AuthFlow:
        return self._credentials.flow(context)


class PasswordAuth(SchemeAuth):
    """A login with the values the spec's x-tessera-auth names (`kind: password`), renewed by the broker."""

    in_path: ClassVar[frozenset[str]] = frozenset()
    """The values the login sends as path segments: '.' and '..' would send it to another route."""
    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = {name: self._secret(value, name) for name, value in values.items()}
        for name in sorted(self.in_path & self._values.keys()):
            if self._values[name].reveal() in DOT_SEGMENTS:
                raise ConfigurationError(
                    f"{type(self).__name__} {name} cannot be '.' or '..': it is a segment of the login's path"
                )

    def flow(self, context: AuthContext) -> AuthFlow:
        return PasswordCredential(self.scheme, self._values).flow(context)


def given_credentials(
    vendor: str,
    auth: SchemeAuth | Sequence[SchemeAuth] | None,
    keywords: Mapping[str, tuple[type[KeyAuth], str | None]],
    accepted: tuple[type[SchemeAuth], ...],
) -> list[AuthStrategy]:
    """A Client's credentials: `auth` (one or a list) and the keyword arguments the spec names for schemes.

    `keywords`: each keyword → the class it builds and the value given (None: not given). `accepted`: the
    vendor's auth classes. At most one credential per scheme; none at all is refused when there are classes.
    """
    given: list[object]
    if auth is None:
        given = []
    elif isinstance(auth, Sequence):
        given = list(auth)
    else:
        given = [auth]
    given += [auth_class(value) for auth_class, value in keywords.values() if value is not None]
    names = " or ".join(_usage(vendor, auth_class) for auth_class in accepted)
    if not given and accepted:
        *others, last = [f"{keyword}=" for keyword in keywords] or [""]
        options = f"{', '.join(others)} or {last}" if others else last
        wanted = f"{options}, or auth={names}" if options else f"auth={names}"
        raise ConfigurationError(f"{vendor}.Client needs {wanted}")
    credentials: dict[str, SchemeAuth] = {}
    for credential in given:
        if not isinstance(credential, accepted):
            raise ConfigurationError(f"auth must be {names}, or a list of them, not {type(credential).__name__}")
        if credential.scheme in credentials:
            raise ConfigurationError(f"two credentials for the security scheme {credential.scheme}: give one")
        credentials[credential.scheme] = credential
    return list(credentials.values())


def _usage(vendor: str, auth_class: type[SchemeAuth]) -> str:
    """How a class is built, for a message: `zapsign.ApiTokenAuth(api_token)`."""
    parameters = ", ".join(inspect.signature(auth_class).parameters)
    return f"{vendor}.{auth_class.__name__}({parameters})"
