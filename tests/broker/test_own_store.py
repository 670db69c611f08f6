"""A token store of the user's own (the `TokenStore` protocol) that only this process sees, and fails.

A non-shared store is read once, when a broker starts for a credential (an earlier broker's tokens);
a store that cannot be read then raises StoreUnavailable, and the broker logs in as if nothing was
stored: the call is served, never failed with the store's error.
"""

from __future__ import annotations

from tessera._auth.store import StoreUnavailable
from tessera._auth.tokens import TokenSet
from tessera.testing import ManualClock, ZapSignEmulator
from tests.broker.conftest import password_client
from tests.broker.test_threads import LOGIN


class UnreadableStore:
    """Saves, but cannot load: a local cache whose file went missing, say."""

    shared = False

    def __init__(self) -> None:
        self.saved: list[TokenSet] = []
        self.loads = 0

    async def load(self, key: str) -> TokenSet | None:
        self.loads += 1
        raise StoreUnavailable("the cache file cannot be read")

    async def save(self, key: str, tokens: TokenSet, ttl: float) -> None:
        self.saved.append(tokens)

    async def acquire(self, key: str, ttl: float) -> object | None:
        return True

    async def release(self, key: str, handle: object) -> None:
        return None


async def test_an_own_store_that_cannot_be_read_costs_a_login_not_an_error(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    store = UnreadableStore()
    async with password_client(emu, clock, store=store) as zs:
        assert (await zs.docs.list_docs()).results
        assert (await zs.docs.list_docs()).results  # the tokens in memory: no second look at the store
    assert store.loads == 1
    assert emu.counts[LOGIN] == 1
    assert len(store.saved) == 1  # what the login got is still published


class KeptStore(UnreadableStore):
    """Loads what it saved: a local cache that outlives the client that filled it."""

    async def load(self, key: str) -> TokenSet | None:
        self.loads += 1
        return self.saved[-1] if self.saved else None


async def test_an_earlier_clients_tokens_read_from_an_own_store_stay_in_memory(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    store = KeptStore()
    async with password_client(emu, clock, store=store) as zs:
        assert (await zs.docs.list_docs()).results
    async with password_client(emu, clock, store=store) as zs:  # a new broker: reads what the first saved
        for _ in range(3):
            assert (await zs.docs.list_docs()).results
    assert store.loads == 2  # once per broker, not once per call
    assert emu.counts[LOGIN] == 1


async def test_tokens_read_from_an_own_store_at_the_end_of_their_usable_time_are_renewed(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    store = KeptStore()
    async with password_client(emu, clock, store=store) as zs:
        assert (await zs.docs.list_docs()).results
    clock.advance(store.saved[-1].usable_until - clock.now())  # spent at that very moment
    async with password_client(emu, clock, store=store) as zs:
        assert (await zs.docs.list_docs()).results
    assert emu.refreshes == 1  # renewed with their refresh token, not sent as they are
