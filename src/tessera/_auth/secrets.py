"""A wrapper that keeps a secret out of every repr, str, f-string and log line."""

from __future__ import annotations

import hashlib
import re
from typing import Final, final

from tessera.errors import ConfigurationError

_MASK: Final = "**********"

_UNSENDABLE: Final = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
"""Every C0 control and DEL, not only the CR, LF and NUL that aiohttp refuses at the first request, and
lone surrogates, which UTF-8 cannot encode (aiohttp would raise UnicodeEncodeError). HTTP allows none of
these controls in a header value but tab, which a server strips at either end (so the credential would
arrive changed), and no vendor issues a credential, username or password with one: they come from a
value read from a file or pasted (a trailing newline), better refused when the client is built than at
its first call, or as a refused login. Other characters (non-ASCII letters in a password) are left
alone: they are legitimate, and a JSON body or a UTF-8 header carries them."""


@final
class Secret:
    """A token, key or password. Only `reveal()` gives the value; everything else shows a mask."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def fingerprint(self) -> str:
        """A short, stable digest for keys and logs that cannot be turned back into the secret."""
        return hashlib.sha256(self._value.encode()).hexdigest()[:16]

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return f"Secret({_MASK!r})"

    __str__ = __repr__

    def __format__(self, format_spec: str) -> str:
        return repr(self)

    def __reduce__(self) -> str:
        # Pickling would write the value out; a secret has no business in a pickle.
        raise TypeError("a Secret cannot be pickled")


def required_secret(value: object, what: str) -> Secret:
    """`value` as a Secret, or ConfigurationError naming `what` when it is not a non-empty string."""
    if isinstance(value, Secret):
        value = value.reveal()
    if value is not None and not isinstance(value, str):
        # The type only: a secret of the wrong type (bytes, say) is still a secret.
        kind = type(value).__name__
        raise ConfigurationError(f"{what} must be a string, the value from the vendor's dashboard, not {kind}")
    if value is None or not value.strip():
        raise ConfigurationError(f"{what} is missing or empty: pass the value from the vendor's dashboard")
    if _UNSENDABLE.search(value):
        # Which character, or where, is not said: that would tell part of the secret.
        raise ConfigurationError(
            f"{what} contains a control character (a line break, tab or NUL, perhaps a newline read with it"
            " from a file) or a lone surrogate: pass the value from the vendor's dashboard as it is shown"
        )
    return Secret(value)
