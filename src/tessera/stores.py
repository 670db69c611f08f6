"""Token stores: where the token broker keeps token state.

```python
from tessera.stores import RedisStore
store = RedisStore("redis://127.0.0.1:6379/0")      # pip install "aiotessera[redis]"
async with zapsign.Client(auth=zapsign.PasswordAuth(...), store=store) as zs: ...
```

With a shared store, one login and one refresh per credential serve every worker that uses it: a
worker about to renew first looks in the store, then takes the store's lock (SET NX PX with an
owner token, released only by its owner, taken for a short lease that its holder extends while it
renews, so that it expires soon if the owner dies), re-reads, renews, and publishes; the others poll
the store for the new tokens instead of logging in.

What is stored, under `tessera:tokens:<fingerprint>` (a SHA-256 of vendor, scheme, base URL and
credential, so no secret is in a key): the access and refresh tokens in clear, and their schedule,
expiring with the refresh token. Anyone who can read the Redis database can use those tokens until
they expire: give it the access control you give the credentials themselves. Passwords are never
stored.

If Redis cannot be reached (or refuses writes), the broker logs one warning and falls back to
in-process single flight: requests keep working, each process renewing for itself until Redis is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from typing import TYPE_CHECKING, Any

import attrs

from tessera._auth.store import MemoryStore, StoreUnavailable, TokenStore, decode, encode
from tessera._auth.tokens import TokenSet
from tessera._runtime.settings import checked_timeout
from tessera.errors import ConfigurationError

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["MemoryStore", "RedisStore", "StoreUnavailable", "TokenStore"]

_PREFIX = "tessera:"

# Take the lock (KEYS[1]) for owner token ARGV[1] and ARGV[2] ms: 1 if taken, else 0. A lock with no expiry was
# set by no worker (each sets one) and would hold every worker for ever: it gets the lease a worker's would have.
_ACQUIRE = """
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('pttl', KEYS[1]) == -1 then redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0
"""
# Owner-checked changes to a lock: KEYS[1] the lock, ARGV[1] the owner's token; 1 if it was theirs, else 0.
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
_EXTEND = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"

_LEASE_TIMEOUTS = 4
"""A lock's lease, in Redis call timeouts: extended every timeout, it survives one extension that times out."""


@attrs.frozen
class _Lease:
    """A renewal lock this worker holds: its owner token, and the task keeping its lease alive."""

    name: str
    token: str
    keeper: asyncio.Task[None]


class RedisStore:
    """Token state in Redis, shared by every process (and machine) that uses the same database."""

    shared = True

    def __init__(self, url: str, *, lock_seconds: float = 30.0, timeout: float = 1.0) -> None:
        """`lock_seconds` bounds a renewal: past it, its lock expires and another worker may renew.
        `timeout` bounds every Redis call (one attempt each), so an unreachable Redis costs little before the
        fallback; a lock's lease is four of them, so a dead holder's lock is free again within that."""
        try:
            import redis.asyncio  # noqa: PLC0415 - an optional dependency, imported only when used
            import redis.asyncio.retry  # noqa: PLC0415
            import redis.backoff  # noqa: PLC0415
            import redis.exceptions  # noqa: PLC0415
        except ImportError:
            raise ConfigurationError('RedisStore needs redis-py: pip install "aiotessera[redis]"') from None
        if not isinstance(url, str) or not url.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigurationError("RedisStore takes a redis:// (or rediss://, unix://) URL")
        self._url = url
        self._lock_seconds = checked_timeout(lock_seconds, "RedisStore lock_seconds")
        self._timeout = checked_timeout(timeout, "RedisStore timeout")
        self._redis = redis.asyncio
        # One attempt per call, whatever redis-py's defaults (its Redis class retries ten times; the pool
        # from_url builds does not, today): a retried call costs a timeout each time, and a SET NX sent
        # again after a late first one finds the lock taken, by itself.
        self._no_retry = redis.asyncio.retry.Retry(redis.backoff.NoBackoff(), 0)
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
                self._url, socket_timeout=self._timeout, socket_connect_timeout=self._timeout, retry=self._no_retry
            )
        return client

    async def load(self, key: str) -> TokenSet | None:
        raw = await self._call(self._client().get(f"{_PREFIX}tokens:{key}"))
        if isinstance(raw, str):
            raw = raw.encode()  # the URL asked redis-py for decoded responses (?decode_responses=true)
        return decode(raw) if isinstance(raw, bytes) else None

    async def save(self, key: str, tokens: TokenSet, ttl: float) -> None:
        milliseconds = _milliseconds(ttl) if ttl != float("inf") else None
        await self._call(self._client().set(f"{_PREFIX}tokens:{key}", encode(tokens), px=milliseconds))

    async def acquire(self, key: str, ttl: float) -> object | None:
        """The lock for at most `ttl` seconds, taken for a lease and extended while its holder lives."""
        name, token = f"{_PREFIX}renewal:{key}", secrets.token_hex(16)
        lease = min(ttl, _LEASE_TIMEOUTS * self._timeout)
        try:
            taken = await self._call(self._client().eval(_ACQUIRE, 1, name, token, _milliseconds(lease)))
        except BaseException:
            # The SET may have reached Redis after our timeout and taken the lock for nobody: release what it
            # may have taken (by our token, so harmless when it took nothing). Later still, the lease bounds it.
            with contextlib.suppress(StoreUnavailable):  # not answering: the lease expires on its own
                await self._unlock(name, token)
            raise
        if not taken:
            return None
        loop = asyncio.get_running_loop()
        keeper = loop.create_task(self._keep(name, token, lease, until=loop.time() + ttl))
        return _Lease(name, token, keeper)

    async def release(self, key: str, handle: object) -> None:
        assert isinstance(handle, _Lease), "only what acquire returned"
        handle.keeper.cancel()
        await asyncio.wait([handle.keeper])  # cancels nothing else: our own cancellation still reaches us
        await self._unlock(handle.name, handle.token)

    async def _unlock(self, name: str, token: str) -> None:
        await self._call(self._client().eval(_RELEASE, 1, name, token))

    async def _keep(self, name: str, token: str, lease: float, *, until: float) -> None:
        """Extend the lock's lease every timeout until `until`, or until it is no longer ours."""
        loop = asyncio.get_running_loop()
        while (left := until - loop.time()) > lease:
            await asyncio.sleep(min(self._timeout, left - lease))
            extension = _milliseconds(min(lease, until - loop.time()))
            try:
                ours = await self._call(self._client().eval(_EXTEND, 1, name, token, extension))
            except StoreUnavailable:
                continue  # the lease outlasts one failed extension; the next one may pass
            if not ours:
                return  # expired or taken over: nothing left to keep

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


def _milliseconds(seconds: float) -> int:
    return max(1, int(seconds * 1000))
