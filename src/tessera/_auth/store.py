"""Where token state lives, so that many processes can share one login.

The broker keeps its current tokens in memory for the hot path and goes to the store only around a
renewal: to see whether another worker already renewed, to take the store's lock so that one worker
renews for all, and to publish what it obtained. The default MemoryStore is the process itself
(its lock is always free: the broker's in-process single flight is enough there).
"""

from __future__ import annotations

import json
from typing import Protocol

from tessera._auth.secrets import Secret
from tessera._auth.tokens import TokenSet


class StoreUnavailable(Exception):
    """The store could not be reached; the broker falls back to in-process single flight."""


class TokenStore(Protocol):
    """Token state by credential fingerprint (a digest: stores never see a secret in a key)."""

    async def load(self, key: str) -> TokenSet | None:
        """The tokens published under `key`, if any (and not expired)."""
        ...

    async def save(self, key: str, tokens: TokenSet, ttl: float) -> None:
        """Publish `tokens` under `key` for `ttl` seconds."""
        ...

    async def acquire(self, key: str, ttl: float) -> object | None:
        """Take the renewal lock of `key` for at most `ttl` seconds; a handle, or None when another holds it."""
        ...

    async def release(self, key: str, handle: object) -> None: ...

    @property
    def shared(self) -> bool:
        """Whether other processes see this store (worth polling while another renews)."""
        ...


class MemoryStore:
    """Token state in this process only: the default."""

    shared = False

    def __init__(self) -> None:
        self._tokens: dict[str, TokenSet] = {}

    async def load(self, key: str) -> TokenSet | None:
        return self._tokens.get(key)

    async def save(self, key: str, tokens: TokenSet, ttl: float) -> None:
        self._tokens[key] = tokens

    async def acquire(self, key: str, ttl: float) -> object | None:
        return True

    async def release(self, key: str, handle: object) -> None:
        return None

    def __repr__(self) -> str:
        return f"MemoryStore({len(self._tokens)} credentials)"


def encode(tokens: TokenSet) -> bytes:
    """The tokens as stored: JSON with the access and refresh tokens in clear and their schedule."""
    return json.dumps(
        {
            "access": tokens.access.reveal(),
            "refresh": tokens.refresh.reveal() if tokens.refresh is not None else None,
            "renew_at": tokens.renew_at,
            "usable_until": tokens.usable_until,
            "refresh_expires_at": tokens.refresh_expires_at,
        }
    ).encode()


def decode(raw: bytes) -> TokenSet | None:
    """Stored tokens, or None for anything that does not read back (a corrupt or foreign value is ignored)."""
    try:
        data = json.loads(raw)
        return TokenSet(
            access=Secret(str(data["access"])),
            refresh=Secret(str(data["refresh"])) if data.get("refresh") else None,
            renew_at=float(data["renew_at"]),
            usable_until=float(data["usable_until"]),
            refresh_expires_at=float(data["refresh_expires_at"]) if data.get("refresh_expires_at") else None,
        )
    except (ValueError, KeyError, TypeError):
        return None
