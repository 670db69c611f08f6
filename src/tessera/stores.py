"""Token stores: where the token broker keeps token state.

```python
from tessera.stores import RedisStore
store = RedisStore("redis://127.0.0.1:6379/0")      # pip install "tessera[redis]"
async with zapsign.Client(auth=zapsign.PasswordAuth(...), store=store) as zs: ...
```

With a shared store, one login and one refresh per credential serve every worker that uses it: a
worker about to renew first looks in the store, then takes the store's lock (SET NX PX with an
owner token, released only by its owner, expiring on its own if the owner dies), re-reads, renews,
and publishes; the others poll the store for the new tokens instead of logging in.

What is stored, under `tessera:tokens:<fingerprint>` (a SHA-256 of vendor, scheme, base URL and
credential, so no secret is in a key): the access and refresh tokens in clear, and their schedule,
expiring with the refresh token. Anyone who can read the Redis database can use those tokens until
they expire: give it the access control you give the credentials themselves. Passwords are never
stored.

If Redis cannot be reached, the broker logs one warning and falls back to in-process single flight:
requests keep working, each process renewing for itself until Redis is back.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from tessera._auth.store import MemoryStore, StoreUnavailable, TokenStore, decode, encode
from tessera._auth.tokens import TokenSet
from tessera.errors import ConfigurationError

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["MemoryStore", "RedisStore", "TokenStore"]

_PREFIX = "tessera:"


class RedisStore:
    """Token state in Redis, shared by every process (and machine) that uses the same database."""

    shared = True

    def __init__(self, url: str, *, lock_seconds: float = 30.0, timeout: float = 1.0) -> None:
        """`lock_seconds` bounds a renewal: past it, a dead holder's lock expires and another worker renews.
        `timeout` bounds every Redis call, so an unreachable Redis costs at most that before the fallback."""
        try:
            import redis.asyncio  # noqa: PLC0415 - an optional dependency, imported only when used
            import redis.exceptions  # noqa: PLC0415
        except ImportError:
            raise ConfigurationError('RedisStore needs redis-py: pip install "tessera[redis]"') from None
        if not isinstance(url, str) or not url.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigurationError("RedisStore takes a redis:// (or rediss://, unix://) URL")
        self._url = url
        self._lock_seconds = lock_seconds
        self._timeout = timeout
        self._redis = redis.asyncio
        self._errors = redis.exceptions
        self._clients: dict[asyncio.AbstractEventLoop, Redis] = {}

    @property
    def lock_seconds(self) -> float:
        return self._lock_seconds

    def _client(self) -> Redis:
        # redis-py's asyncio connections belong to the loop that opened them.
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            for closed in [other for other in self._clients if other.is_closed()]:
                del self._clients[closed]
            client = self._clients[loop] = self._redis.Redis.from_url(
                self._url, socket_timeout=self._timeout, socket_connect_timeout=self._timeout
            )
        return client

    async def load(self, key: str) -> TokenSet | None:
        raw = await self._call(self._client().get(f"{_PREFIX}tokens:{key}"))
        return decode(raw) if isinstance(raw, bytes) else None

    async def save(self, key: str, tokens: TokenSet, ttl: float) -> None:
        milliseconds = max(1, int(ttl * 1000)) if ttl != float("inf") else None
        await self._call(self._client().set(f"{_PREFIX}tokens:{key}", encode(tokens), px=milliseconds))

    async def acquire(self, key: str, ttl: float) -> object | None:
        lock = self._client().lock(f"{_PREFIX}renewal:{key}", timeout=ttl, blocking=False)
        acquired = await self._call(lock.acquire())
        return lock if acquired else None

    async def release(self, key: str, handle: object) -> None:
        try:
            await handle.release()  # type: ignore[attr-defined]
        except self._errors.LockError:
            pass  # it expired while we renewed: another worker may hold it now, and it is theirs to release
        except (self._errors.RedisError, OSError) as error:
            raise StoreUnavailable(type(error).__name__) from None

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()

    async def _call(self, pending: Any) -> Any:
        try:
            return await pending
        except (self._errors.RedisError, OSError) as error:
            raise StoreUnavailable(type(error).__name__) from None

    def __repr__(self) -> str:
        # The URL may carry a password (redis://:secret@host): show only where it points.
        where = self._url.partition("://")[2].rpartition("@")[2]
        return f"RedisStore({where!r})"
