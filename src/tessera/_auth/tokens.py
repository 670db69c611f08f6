"""A set of tokens and when to stop using, and when to renew, each of them.

Times are on the local clock: a JWT's lifetime (`exp - iat`) is added to the moment we asked for it,
so a vendor's clock running ahead or behind ours does not shift our schedule.
"""

from __future__ import annotations

import attrs

from tessera._auth import jwt
from tessera._auth.secrets import Secret

_WINDOW_SHARE = 0.2
"""Renew once this share of the lifetime is left: a 3-second token at 2.4 s, not on every call."""
_WINDOW_CAP = 120.0
"""...but never more than two minutes before expiry: a 1-hour token at 58 minutes. Room for a refresh's
round trip and a retry after a passing failure (the current token is served meanwhile), while a day
of 1-hour tokens costs 24 refreshes, not the 26 a five-minute window would."""
_MARGIN_SHARE = 0.05
_MARGIN_CAP = 2.0
"""Stop sending a token this close to its expiry: it could expire on the way."""


@attrs.frozen
class TokenSet:
    access: Secret
    refresh: Secret | None
    renew_at: float
    """From here on, renew in the background while still serving `access`."""
    usable_until: float
    """From here on, callers wait for the renewal."""
    refresh_expires_at: float | None
    """When the refresh token stops working, if known; past it, renewal is a new login."""

    @classmethod
    def issued(
        cls,
        access: Secret,
        refresh: Secret | None,
        *,
        asked_at: float,
        access_lifetime: float | None,
        refresh_lifetime: float | None,
    ) -> TokenSet:
        """Tokens received for a request sent at `asked_at`; lifetimes are fallbacks for opaque tokens."""
        lifetime = _lifetime(access, asked_at) or access_lifetime
        refresh_left = _lifetime(refresh, asked_at) if refresh is not None else None
        refresh_left = refresh_left or (refresh_lifetime if refresh is not None else None)
        if lifetime is None:
            # No exp and no documented lifetime: use it until the vendor refuses it.
            return cls(access, refresh, float("inf"), float("inf"), None)
        expires_at = asked_at + lifetime
        return cls(
            access=access,
            refresh=refresh,
            renew_at=expires_at - min(lifetime * _WINDOW_SHARE, _WINDOW_CAP),
            usable_until=expires_at - min(lifetime * _MARGIN_SHARE, _MARGIN_CAP),
            refresh_expires_at=asked_at + refresh_left if refresh_left is not None else None,
        )

    def refused(self, now: float) -> TokenSet:
        """The vendor refused `access`: stop serving it, keep the refresh token for the renewal."""
        return attrs.evolve(self, renew_at=min(self.renew_at, now), usable_until=min(self.usable_until, now))

    def renew_later(self, at: float) -> TokenSet:
        """A renewal failed for a passing reason while `access` is still good: try again at `at`."""
        return attrs.evolve(self, renew_at=min(max(self.renew_at, at), self.usable_until))

    def refresh_usable(self, now: float) -> bool:
        return self.refresh is not None and (self.refresh_expires_at is None or now < self.refresh_expires_at)


def given_lifetime(value: object) -> float | None:
    """An answer's `expires_in`: its seconds when it is a positive number, else None (then a fallback)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None


def _lifetime(token: Secret, asked_at: float) -> float | None:
    """Seconds the token surely lives from `asked_at`: `exp - iat` when it has both, else `exp - asked_at`.

    Whole-second claims (SimpleJWT, jsonwebtoken) truncate the moment of issue: a token stamped iat=10
    may have been issued at 10.99 and still expire at exp. Counting from our own `asked_at` we can only
    be sure of `exp - iat - 1` seconds (never less than half the stated lifetime, for very short tokens).
    """
    claims = jwt.timing(token.reveal())
    if claims is None:
        return None
    expires, issued = claims
    if issued is None:
        return expires - asked_at
    stated = expires - issued
    if expires.is_integer() and issued.is_integer():
        return max(stated - 1, stated / 2)
    return stated
