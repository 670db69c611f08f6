"""MemoryStore: entries live for their TTL on their client's clock, and at most `max_entries` of them."""

from __future__ import annotations

import pytest

from tessera import errors
from tessera._auth.secrets import Secret
from tessera._auth.tokens import TokenSet
from tessera.clock import SystemClock
from tessera.stores import MemoryStore
from tessera.testing import ManualClock


def tokens(name: str) -> TokenSet:
    return TokenSet(Secret(f"access-{name}"), Secret(f"refresh-{name}"), 10.0, 20.0, 30.0)


async def test_an_entry_lives_for_its_ttl_on_the_clock_of_its_client() -> None:
    store, clock, other = MemoryStore(), ManualClock(), ManualClock()
    here, there = store.on(clock), store.on(other)
    await here.save("a", tokens("a"), ttl=60)
    assert await there.load("a") is None  # another clock's client never sees it
    clock.advance(59)
    assert await here.load("a") == tokens("a")
    clock.advance(1)
    assert await here.load("a") is None
    assert len(store) == 0


async def test_expired_entries_go_with_the_next_access_on_their_clock() -> None:
    store, clock = MemoryStore(), ManualClock()
    view = store.on(clock)
    for index in range(1_000):
        await view.save(f"k{index}", tokens(str(index)), ttl=60 + index % 7)
    await view.save("long", tokens("long"), ttl=3600)
    clock.advance(100)
    assert await view.load("long") is not None
    assert len(store) == 1


async def test_a_save_drops_the_expired_entries_too() -> None:
    # Tenants used once are saved once and never read again: the next tenant's save clears them out.
    store, clock = MemoryStore(), ManualClock()
    view = store.on(clock)
    for index in range(10):
        await view.save(f"once{index}", tokens(str(index)), ttl=60)
    clock.advance(60)
    await view.save("next", tokens("next"), ttl=60)
    assert len(store) == 1


async def test_the_least_recently_used_entry_goes_first_past_max_entries() -> None:
    store, clock = MemoryStore(max_entries=3), ManualClock()
    view = store.on(clock)
    for key in "abc":
        await view.save(key, tokens(key), ttl=60)
    assert await view.load("a") is not None  # a is used: b is now the least recently used
    await view.save("d", tokens("d"), ttl=60)
    assert [await view.load(key) is not None for key in "abcd"] == [True, False, True, True]
    assert len(store) == 3


async def test_a_saved_entry_replaces_the_previous_one_and_its_ttl() -> None:
    store, clock = MemoryStore(), ManualClock()
    view = store.on(clock)
    await view.save("a", tokens("old"), ttl=10)
    await view.save("a", tokens("new"), ttl=100)
    clock.advance(50)
    assert await view.load("a") == tokens("new")


@pytest.mark.parametrize("bad", [0, -1, 1.5, "10", True, None])
def test_max_entries_must_be_a_positive_whole_number(bad: object) -> None:
    with pytest.raises(errors.ConfigurationError) as raised:
        MemoryStore(max_entries=bad)  # type: ignore[arg-type]
    assert str(raised.value) == "max_entries must be a whole number of credentials, 1 or more"


async def test_one_entry_is_a_bound_too() -> None:
    store, clock = MemoryStore(max_entries=1), ManualClock()
    view = store.on(clock)
    await view.save("a", tokens("a"), ttl=60)
    await view.save("b", tokens("b"), ttl=60)
    assert (await view.load("a"), await view.load("b")) == (None, tokens("b"))
    assert len(store) == 1


async def test_the_store_itself_reads_and_writes_on_real_time_as_every_system_clock() -> None:
    store = MemoryStore()
    await store.save("a", tokens("a"), ttl=60)
    assert await store.load("a") == tokens("a")
    assert await store.on(SystemClock()).load("a") == tokens("a")  # any system clock: the same time
    assert await store.on(ManualClock()).load("a") is None
    assert repr(store.on(ManualClock())) == "MemoryStore(1 credential, at most 10000) on ManualClock"
    await store.save("b", tokens("b"), ttl=60)
    assert repr(store) == "MemoryStore(2 credentials, at most 10000)"


async def test_entries_expire_one_after_another() -> None:
    store, clock = MemoryStore(), ManualClock()
    view = store.on(clock)
    await view.save("short", tokens("short"), ttl=10)
    await view.save("long", tokens("long"), ttl=100)
    clock.advance(50)
    assert (await view.load("short"), await view.load("long")) == (None, tokens("long"))
    clock.advance(50)
    assert await view.load("long") is None
    assert len(store) == 0


async def test_entries_still_expire_after_many_were_evicted() -> None:
    # Evicted entries leave their expiry behind until the store drops those records in bulk: the live
    # entries' expiries survive that.
    store, clock = MemoryStore(max_entries=2), ManualClock()
    view = store.on(clock)
    for index in range(100):
        await view.save(f"k{index}", tokens(str(index)), ttl=60)
    assert len(store) == 2
    clock.advance(60)
    assert await view.load("k99") is None
    assert len(store) == 0


async def test_a_new_clock_never_sees_the_entries_of_a_clock_that_is_gone() -> None:
    # Entries are kept by their clock's id: the store keeps the clock alive while they live, so that no
    # new clock (a later test's) can take that id and be served them.
    store, clock = MemoryStore(), ManualClock()
    await store.on(clock).save("a", tokens("a"), ttl=60)
    gone = id(clock)
    del clock
    clocks = [ManualClock() for _ in range(1_000)]  # new objects, where the old one's memory would be reused
    assert [await store.on(clock).load("a") for clock in clocks if id(clock) == gone] == []


@pytest.mark.parametrize("saves", range(1, 60))
async def test_an_entry_saved_again_and_again_still_expires(saves: int) -> None:
    # Each save leaves the previous one's expiry behind, until the store drops those records in bulk
    # (past a multiple of the entries): whichever save that happens at, the entry's own expiry stays.
    store, clock = MemoryStore(), ManualClock()
    view = store.on(clock)
    for _ in range(saves):
        await view.save("a", tokens("a"), ttl=60)
    clock.advance(60)
    assert await view.load("a") is None
    assert len(store) == 0
