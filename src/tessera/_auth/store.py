"""Where token state lives, so that many processes can share one login.

The broker keeps its current tokens in memory for the hot path and goes to the store only around a
renewal: to see whether another worker already renewed, to take the store's lock so that one worker
renews for all, and to publish what it obtained. The default MemoryStore is the process itself
(its lock is always free: the broker's in-process single flight is enough there); a broker built for
a credential whose earlier broker is gone finds its tokens there, for as long as their TTL.
"""

from __future__ import annotations

import heapq
import json
import math
import re
import threading
from collections import OrderedDict
from typing import Final, Protocol

from tessera._auth.secrets import Secret
from tessera._auth.tokens import TokenSet
from tessera.clock import Clock, SystemClock
from tessera.errors import ConfigurationError


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


DEFAULT_MAX_ENTRIES: Final = 10_000
"""Credentials a MemoryStore keeps at most by default: a tenant each, for a multi-tenant backend."""


class MemoryStore:
    """Token state in this process only: the default.

    An entry lives for the TTL it was saved with, on the clock of the client that saved it (clients on
    different clocks, a test's ManualClock and real time, never see each other's entries), and at most
    `max_entries` are kept: past that, the least recently used goes first (its credential's next
    renewal logs in again). Expired entries are dropped by the next load or save on their clock.
    """

    shared = False

    def __init__(self, *, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        if not isinstance(max_entries, int) or isinstance(max_entries, bool) or max_entries < 1:
            raise ConfigurationError("max_entries must be a whole number of credentials, 1 or more")
        self._max_entries = max_entries
        self._entries: OrderedDict[tuple[int | None, str], _Entry] = OrderedDict()
        """By (clock, key), least recently used first."""
        self._expiries: dict[int | None, _Expiries] = {}
        self._serial = 0
        self._lock = threading.Lock()  # brokers on several threads' loops share one store
        self._system = self.on(SystemClock())

    def on(self, clock: Clock) -> TokenStore:
        """This store as a broker on `clock` uses it: TTLs run on that clock."""
        return _ClockedStore(self, clock)

    async def load(self, key: str) -> TokenSet | None:
        return await self._system.load(key)

    async def save(self, key: str, tokens: TokenSet, ttl: float) -> None:
        await self._system.save(key, tokens, ttl)

    async def acquire(self, key: str, ttl: float) -> object | None:
        return True  # in one process, the broker's own single flight is the lock

    async def release(self, key: str, handle: object) -> None:
        return None

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        count = len(self._entries)
        return f"MemoryStore({count} credential{'' if count == 1 else 's'}, at most {self._max_entries})"

    def _get(self, clock: Clock, key: str) -> TokenSet | None:
        with self._lock:
            self._sweep(clock)
            entry = self._entries.get((_space(clock), key))
            if entry is None:
                return None
            self._entries.move_to_end((_space(clock), key))
            return entry.tokens

    def _put(self, clock: Clock, key: str, tokens: TokenSet, ttl: float) -> None:
        space = _space(clock)
        with self._lock:
            self._sweep(clock)
            self._serial += 1
            self._entries[(space, key)] = _Entry(tokens, self._serial)
            self._entries.move_to_end((space, key))
            expiries = self._expiries.get(space)
            if expiries is None:
                expiries = self._expiries[space] = _Expiries(clock)
            heapq.heappush(expiries.heap, (clock.now() + ttl, self._serial, key))
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
            if len(expiries.heap) > 2 * len(self._entries) + 16:
                expiries.heap = [item for item in expiries.heap if self._holds(space, item)]
                heapq.heapify(expiries.heap)

    def _sweep(self, clock: Clock) -> None:
        """Drop the entries of `clock` whose TTL has passed (called under the lock)."""
        space = _space(clock)
        expiries = self._expiries.get(space)
        if expiries is None:
            return
        heap, now = expiries.heap, clock.now()
        while heap and heap[0][0] <= now:
            item = heapq.heappop(heap)
            if self._holds(space, item):
                del self._entries[(space, item[2])]
        if not heap:
            del self._expiries[space]  # and with it the clock, whose id no entry uses any more

    def _holds(self, space: int | None, item: tuple[float, int, str]) -> bool:
        """Whether the heap item is the live entry of its key (not one replaced, evicted or swept)."""
        entry = self._entries.get((space, item[2]))
        return entry is not None and entry.serial == item[1]


class _Entry:
    __slots__ = ("serial", "tokens")

    def __init__(self, tokens: TokenSet, serial: int) -> None:
        self.tokens = tokens
        self.serial = serial


class _Expiries:
    """One clock's entries by expiry: (expires_at, serial, key), earliest first."""

    __slots__ = ("clock", "heap")

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        """Kept while its entries live, so that no other clock takes its id meanwhile."""
        self.heap: list[tuple[float, int, str]] = []


def _space(clock: Clock) -> int | None:
    """Entries saved on `clock`: every system clock tells the same time, each other clock its own."""
    return None if type(clock) is SystemClock else id(clock)


class _ClockedStore:
    """A MemoryStore on one clock."""

    shared = False

    def __init__(self, store: MemoryStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def load(self, key: str) -> TokenSet | None:
        return self._store._get(self._clock, key)

    async def save(self, key: str, tokens: TokenSet, ttl: float) -> None:
        self._store._put(self._clock, key, tokens, ttl)

    async def acquire(self, key: str, ttl: float) -> object | None:
        return True

    async def release(self, key: str, handle: object) -> None:
        return None

    def __repr__(self) -> str:
        return f"{self._store!r} on {type(self._clock).__name__}"


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


_SENDABLE: Final = re.compile(r"[\x21-\x7e]+")
"""What a token sent in a header can be: visible ASCII, no space, no CR, LF or NUL (aiohttp's ValueError)."""


def decode(raw: bytes) -> TokenSet | None:
    """Stored tokens, or None for anything that does not read back as a worker could have published it
    (a corrupt or foreign value is ignored, then replaced by a renewal).

    Whoever can write to a shared store can put anything there: an access token that no header can carry
    would fail every request with aiohttp's raw ValueError, and a NaN in the schedule compares false with
    any time, so that tokens of any age would pass for usable and be sent.
    """
    try:
        data = json.loads(raw)
        tokens = TokenSet(
            access=Secret(str(data["access"])),
            refresh=Secret(str(data["refresh"])) if data.get("refresh") else None,
            renew_at=float(data["renew_at"]),
            usable_until=float(data["usable_until"]),
            refresh_expires_at=float(data["refresh_expires_at"]) if data.get("refresh_expires_at") else None,
        )
    except (ValueError, KeyError, TypeError):
        return None
    if _SENDABLE.fullmatch(tokens.access.reveal()) is None:
        return None
    schedule = (tokens.renew_at, tokens.usable_until, tokens.refresh_expires_at)
    return None if any(time is not None and math.isnan(time) for time in schedule) else tokens
