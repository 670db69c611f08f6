"""Renewing through a token store, so that one worker renews for every process that shares the store."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from tessera._auth.store import StoreUnavailable, TokenStore
from tessera._auth.tokens import TokenSet
from tessera.clock import Clock

logger = logging.getLogger("tessera")

Recheck = Callable[[], Awaitable[TokenSet | None]]
"""Tokens another worker published since the renewal began, or None: asked before falling back to a login."""

_POLL_SECONDS = 0.05
"""How often a worker waiting on another's renewal looks for its result."""
_DEFAULT_LOCK_SECONDS = 30.0


class TokenSource(Protocol):
    """Obtains new tokens: a refresh of `current` when it can, a login otherwise."""

    @property
    def timeout(self) -> float:
        """Seconds each of its requests may take."""
        ...

    async def obtain(self, current: TokenSet | None, recheck: Recheck) -> TokenSet: ...


class SharedTokens:
    """One credential's tokens in a store: look there first, renew under the store's lock, publish."""

    def __init__(self, store: TokenStore, key: str, clock: Clock, name: str) -> None:
        self._store = store
        self._key = key
        self._clock = clock
        self._name = name
        self._warned = False

    async def renew(self, source: TokenSource, current: TokenSet | None) -> TokenSet:
        """New tokens for `current`: another worker's if it published some, else obtained from `source`.

        Only the store's answers before obtaining decide anything: once tokens are obtained they are used,
        whatever publishing them or releasing the lock does (obtaining again would log in again, or spend
        a refresh token the first attempt rotated).
        """
        if not self._store.shared:
            renewed = await source.obtain(current, _nothing)
            await self._publish(renewed)
            return renewed
        try:
            return await self._renew_shared(source, current)
        except StoreUnavailable as error:
            # Raised before anything was obtained (nothing after it raises): renew in this process alone,
            # outside this block so that what it raises does not carry the store's failure along.
            self._unreachable(error)
        return await source.obtain(current, _nothing)

    async def _renew_shared(self, source: TokenSource, current: TokenSet | None) -> TokenSet:
        store, key = self._store, self._key
        lock_seconds = getattr(store, "lock_seconds", _DEFAULT_LOCK_SECONDS)
        while True:
            published = await store.load(key)
            if self._replaces(published, current):
                assert published is not None  # for the type checker: _replaces says so
                return published
            handle = await store.acquire(key, lock_seconds)
            if handle is None:
                # Another worker is renewing: wait for what it publishes (or for its lock to expire).
                await self._clock.sleep(_POLL_SECONDS)
                continue
            try:
                published = await store.load(key)
                if self._replaces(published, current):
                    assert published is not None
                    return published
                # A fresh process adopts what others left, refresh token included, rather than logging in.
                base = published if published is not None else current
                renewed = await source.obtain(base, functools.partial(self._published_since, base))
                await self._publish(renewed)
                return renewed
            finally:
                await self._release(handle)

    async def _publish(self, tokens: TokenSet) -> None:
        try:
            await self._store.save(self._key, tokens, self._ttl(tokens))
        except StoreUnavailable as error:
            self._unreachable(error)  # kept in this process: the other workers renew for themselves

    async def _release(self, handle: object) -> None:
        try:
            await self._store.release(self._key, handle)
        except StoreUnavailable as error:
            self._unreachable(error)  # the lock expires on its own

    async def _published_since(self, base: TokenSet | None) -> TokenSet | None:
        try:
            newer = await self._store.load(self._key)
        except StoreUnavailable as error:
            self._unreachable(error)
            return None  # nothing to adopt: the caller logs in, rather than asking for the refused refresh again
        return newer if self._replaces(newer, base) else None

    def _unreachable(self, error: StoreUnavailable) -> None:
        if not self._warned:
            self._warned = True
            logger.warning(
                "%s: token store unreachable (%s); falling back to in-process single flight", self._name, error
            )

    def _replaces(self, published: TokenSet | None, current: TokenSet | None) -> bool:
        """Whether `published` is another worker's renewal of `current`, usable now."""
        if published is None or self._clock.now() >= published.usable_until:
            return False
        return current is None or published.access != current.access

    def _ttl(self, tokens: TokenSet) -> float:
        """Stored tokens expire with the refresh token (or the access token when there is none)."""
        until = tokens.refresh_expires_at if tokens.refresh_expires_at is not None else tokens.usable_until
        return max(1.0, until - self._clock.now())


async def _nothing() -> TokenSet | None:
    return None
