"""The token broker: a renewal under 10,000 waiters, and the cost of a valid token.

    python -m bench.broker

1. 10,000 coroutines ask for a token that has just expired: how many refreshes reach the emulator
   (must be 1), and each waiter's latency against the refresh's own round trip.
2. The cost of `token()` while the token is valid, in ns per call, against the floor of awaiting a
   coroutine that returns a constant (the least any async accessor can cost).
"""

from __future__ import annotations

import asyncio
import statistics
import time

from tessera import zapsign
from tessera.testing import ManualClock, emulator

WAITERS = 10_000
CALLS = 200_000
ROUNDS = 5


async def renewal_under_load() -> dict[str, float]:
    """Each round: one renewal under 10,000 waiters, then each peer; figures are medians over the rounds."""
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock, refresh_seconds=30 * 86400)
    async with emu:
        client = zapsign.Client(
            auth=zapsign.PasswordAuth("123", "dev@ejemplo.com", "StrongPassword123"), base_url=emu.base_url, clock=clock
        )
        async with client:
            flow = client._flows["PasswordLogin"]
            await flow.token()
            round_trips = []
            for _ in range(ROUNDS):  # the refresh alone, with no waiters around it
                clock.advance(3600)
                begun = time.perf_counter()
                await flow.token()
                round_trips.append(time.perf_counter() - begun)
            round_trip = statistics.median(round_trips)

            async def waiter() -> float:
                begun = time.perf_counter()
                await flow.token()
                return time.perf_counter() - begun

            rounds: dict[str, list[list[float]]] = {"": [], "floor_": [], "futures_": []}
            refreshes = []
            for _ in range(ROUNDS):
                before = emu.refreshes
                clock.advance(3600)
                rounds[""].append(await asyncio.gather(*(waiter() for _ in range(WAITERS))))
                refreshes.append(emu.refreshes - before)
                rounds["floor_"].append(await event_waiters(round_trip))
                rounds["futures_"].append(await future_waiters(round_trip))
    figures = {
        "refreshes": float(max(refreshes)),
        "refreshes_fewest": float(min(refreshes)),
        "refresh_round_trip_ms": round_trip * 1000,
    }
    for prefix, latencies in rounds.items():
        figures[f"{prefix}p50_ms"] = statistics.median(percentile(each, 0.50) for each in latencies) * 1000
        figures[f"{prefix}p99_ms"] = statistics.median(percentile(each, 0.99) for each in latencies) * 1000
    return figures


def percentile(values: list[float], share: float) -> float:
    return sorted(values)[int(len(values) * share)]


async def event_waiters(round_trip: float) -> list[float]:
    """The peer: as many coroutines waiting on one asyncio.Event that is set after the same round trip."""
    ready = asyncio.Event()

    async def waiter() -> float:
        begun = time.perf_counter()
        if not ready.is_set():
            asyncio.get_running_loop().call_later(round_trip, ready.set)
        await ready.wait()
        return time.perf_counter() - begun

    return await asyncio.gather(*(waiter() for _ in range(WAITERS)))


async def future_waiters(round_trip: float) -> list[float]:
    """The least a cancellation-safe wait can cost: each coroutine awaits a future of its own, all of them set
    by one callback after the same round trip (what the broker does, without a token, a clock or HTTP)."""
    loop = asyncio.get_running_loop()
    waiting: list[asyncio.Future[int]] = []

    def ended() -> None:
        for future in waiting:
            future.set_result(1)

    async def waiter() -> float:
        begun = time.perf_counter()
        if not waiting:
            loop.call_later(round_trip, ended)
        future = loop.create_future()
        waiting.append(future)
        await future
        return time.perf_counter() - begun

    return await asyncio.gather(*(waiter() for _ in range(WAITERS)))


async def valid_token_cost() -> dict[str, float]:
    emu = emulator("zapsign")
    async with emu:
        client = zapsign.Client(
            auth=zapsign.PasswordAuth("123", "dev@ejemplo.com", "StrongPassword123"), base_url=emu.base_url
        )
        async with client:
            flow = client._flows["PasswordLogin"]
            await flow.token()

            async def constant() -> int:
                return 1

            broker_ns, floor_ns = [], []
            for _ in range(ROUNDS):
                begun = time.perf_counter_ns()
                for _ in range(CALLS):
                    await flow.token()
                broker_ns.append((time.perf_counter_ns() - begun) / CALLS)
                begun = time.perf_counter_ns()
                for _ in range(CALLS):
                    await constant()
                floor_ns.append((time.perf_counter_ns() - begun) / CALLS)
    broker, floor = statistics.median(broker_ns), statistics.median(floor_ns)
    return {"token_ns": broker, "floor_ns": floor, "ratio": broker / floor}


def main() -> None:
    load = asyncio.run(renewal_under_load())
    cost = asyncio.run(valid_token_cost())
    print(
        f"{WAITERS:,} waiters on an expired token, {ROUNDS} rounds: {load['refreshes_fewest']:.0f} to "
        f"{load['refreshes']:.0f} refresh(es) per round"
    )
    print(
        f"  refresh round trip {load['refresh_round_trip_ms']:.2f} ms; waiters p50 {load['p50_ms']:.2f} ms, "
        f"p99 {load['p99_ms']:.2f} ms (p99 - round trip = {load['p99_ms'] - load['refresh_round_trip_ms']:.2f} ms)"
    )
    print(
        f"  peer, {WAITERS:,} coroutines on one asyncio.Event set after the same round trip: "
        f"p50 {load['floor_p50_ms']:.2f} ms, p99 {load['floor_p99_ms']:.2f} ms"
    )
    print(
        f"  peer, {WAITERS:,} coroutines on a future each, set after the same round trip: "
        f"p50 {load['futures_p50_ms']:.2f} ms, p99 {load['futures_p99_ms']:.2f} ms"
    )
    print(
        f"valid token: {cost['token_ns']:.0f} ns per call; awaiting a constant coroutine {cost['floor_ns']:.0f} ns "
        f"(ratio {cost['ratio']:.2f})"
    )


if __name__ == "__main__":
    main()
