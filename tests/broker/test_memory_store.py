"""MemoryStore: entries live for their TTL on their client's clock, and at most `max_entries` of them."""

from __future__ import annotations

import pytest

from tessera import errors
from tessera._auth.secrets import Secret
from tessera._auth.tokens import TokenSet
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
