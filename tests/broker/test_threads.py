"""One login per credential in the process: threads with an event loop each share one renewal.

The emulator runs on the test's loop; each worker thread runs its own loop (`asyncio.run`, as a Celery
task or a sync wrapper does) with a client of its own and hundreds of coroutines, all with one
credential. The emulator delays the login, so that every thread's callers meet the renewal in flight.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine

from tessera import zapsign
from tessera.testing import Fault, ManualClock, ZapSignEmulator
from tests.broker.conftest import password_client

LOGIN = "POST /auth/token/{organization_id}/"
DOCS = "GET /docs/"
THREADS = 4
CALLERS = 300
"""Coroutines per thread."""
LOGIN_DELAY = 0.5
"""Long enough for every thread to be waiting before the login is answered."""


def in_threads(count: int, work: Callable[[int], Coroutine[object, object, object]]) -> list[object]:
    """`work(i)` on a loop of its own in each of `count` threads; their results (or errors), in order."""
    results: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            results[index] = asyncio.run(work(index))
        except BaseException as error:  # noqa: BLE001 - handed to the test, which fails on it
            results[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


async def first_pages(zs: zapsign.Client, count: int) -> list[int]:
    return [page.count for page in await asyncio.gather(*(zs.docs.list_docs() for _ in range(count)))]


async def test_threads_with_a_loop_each_share_one_login(emu: ZapSignEmulator, clock: ManualClock) -> None:
    emu.faults.add(LOGIN, Fault.delay(LOGIN_DELAY))
    started = threading.Barrier(THREADS)

    async def worker(index: int) -> list[int]:
        async with password_client(emu, clock) as zs:
            await asyncio.to_thread(started.wait)  # every thread's callers go at once
            return await first_pages(zs, CALLERS)

    results = await asyncio.to_thread(in_threads, THREADS, worker)
    assert all(isinstance(pages, list) and len(pages) == CALLERS for pages in results), results
    assert (emu.counts[LOGIN], emu.logins) == (1, 1)
    assert emu.counts[DOCS] == THREADS * CALLERS


async def test_cancelling_waiters_in_one_loop_leaves_the_other_loops_served(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    emu.faults.add(LOGIN, Fault.delay(LOGIN_DELAY))
    started = threading.Barrier(THREADS)

    async def worker(index: int) -> tuple[int, int]:
        """Thread 0 cancels all its callers (the renewal's starter among them, perhaps); the others half."""
        async with password_client(emu, clock) as zs:
            await asyncio.to_thread(started.wait)
            calls = [asyncio.ensure_future(zs.docs.list_docs()) for _ in range(CALLERS)]
            await asyncio.sleep(LOGIN_DELAY / 5)  # all waiting on the login in flight
            cancelled = calls if index == 0 else calls[::2]
            for call in cancelled:
                call.cancel()
            outcomes = await asyncio.gather(*calls, return_exceptions=True)
            served = sum(isinstance(outcome, zapsign.models.DocList) for outcome in outcomes)
            return served, sum(isinstance(outcome, asyncio.CancelledError) for outcome in outcomes)

    results = await asyncio.to_thread(in_threads, THREADS, worker)
    assert results[0] == (0, CALLERS)
    assert results[1:] == [(CALLERS // 2, CALLERS // 2)] * (THREADS - 1)
    assert (emu.counts[LOGIN], emu.logins) == (1, 1)


async def test_waiters_in_other_loops_renew_when_the_renewals_loop_closes(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    # Thread 0 starts the login, then its asyncio.run() ends, which cancels the renewal task: the other
    # threads' callers neither hang nor see a cancellation that is not theirs; one of them logs in again.
    emu.faults.add(LOGIN, Fault.delay(LOGIN_DELAY))
    login_sent, others_waiting = threading.Event(), threading.Barrier(THREADS)

    async def worker(index: int) -> int:
        zs = password_client(emu, clock)
        if index == 0:
            starter = asyncio.ensure_future(zs.docs.list_docs())
            await asyncio.to_thread(login_sent.wait)
            await asyncio.to_thread(others_waiting.wait)
            for task in asyncio.all_tasks():  # as asyncio.run() does on its way out, before closing the loop
                if task is not asyncio.current_task():
                    task.cancel()
            await asyncio.gather(starter, return_exceptions=True)
            await zs.aclose()
            return 0
        if index == 1:
            await until_true(lambda: emu.counts[LOGIN] == 1)
            login_sent.set()
        else:
            await asyncio.to_thread(login_sent.wait)
        calls = asyncio.gather(*(zs.docs.list_docs(timeout=10.0) for _ in range(CALLERS)))
        await asyncio.sleep(LOGIN_DELAY / 5)  # joined the renewal of thread 0
        await asyncio.to_thread(others_waiting.wait)
        pages = await calls
        await zs.aclose()
        return len(pages)

    results = await asyncio.to_thread(in_threads, THREADS, worker)
    assert results == [0] + [CALLERS] * (THREADS - 1)
    assert emu.counts[LOGIN] == 2  # the cancelled one, then one for every other loop
    assert emu.counts[DOCS] == (THREADS - 1) * CALLERS


async def test_waiters_in_other_loops_renew_when_the_renewals_loop_stops(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    # A loop driven by run_until_complete() stops between calls with the renewal task still pending:
    # the other loops' callers stop waiting for it and renew on their own loop.
    emu.faults.add(LOGIN, Fault.delay(LOGIN_DELAY))
    stopped_loop = asyncio.new_event_loop()
    stopped_client = password_client(emu, clock)

    stopped_calls: list[asyncio.Future[zapsign.models.DocList]] = []

    async def start_and_stop() -> None:
        stopped_calls.append(asyncio.ensure_future(stopped_client.docs.list_docs()))
        await until_true(lambda: emu.counts[LOGIN] == 1)

    async def finish() -> None:
        await asyncio.gather(*stopped_calls)  # served once its loop runs again: it asks again
        await stopped_client.aclose()

    async def worker(index: int) -> int:
        async with password_client(emu, clock) as zs:
            return len(await asyncio.gather(*(zs.docs.list_docs(timeout=10.0) for _ in range(CALLERS))))

    try:
        await asyncio.to_thread(stopped_loop.run_until_complete, start_and_stop())
        results = await asyncio.to_thread(in_threads, 2, worker)
        assert results == [CALLERS, CALLERS]
        assert emu.counts[LOGIN] == 2
        assert emu.counts[DOCS] == 2 * CALLERS
    finally:  # the stopped loop runs once more: its call and renewal end, its client closes
        await asyncio.to_thread(stopped_loop.run_until_complete, finish())
        stopped_loop.close()


async def test_a_loop_closed_while_its_caller_waited_holds_up_no_other_loop(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    # Thread X's caller joins the renewal, then gives up and its asyncio.run() ends, closing its loop; thread
    # Y's callers join after it. The renewal's end has nothing to hand to X's closed loop, and serves Y's.
    emu.faults.add(LOGIN, Fault.delay(2 * LOGIN_DELAY))  # X, then Y, join meanwhile
    served: list[object] = []

    async def gives_up() -> None:
        async with password_client(emu, clock) as zs:
            call = asyncio.ensure_future(zs.docs.list_docs())
            await asyncio.sleep(0.05)  # joined the renewal in flight
            call.cancel()
            await asyncio.gather(call, return_exceptions=True)

    async def waits() -> None:
        async with password_client(emu, clock) as zs:
            served.extend(await first_pages(zs, 3))

    async with password_client(emu, clock) as zs:
        starter = asyncio.ensure_future(zs.docs.list_docs())
        await until_true(lambda: emu.counts[LOGIN] == 1)
        await asyncio.to_thread(asyncio.run, gives_up())  # its loop closed, its waiting still on the renewal
        thread = threading.Thread(target=asyncio.run, args=(waits(),), daemon=True)
        thread.start()
        await starter
        await asyncio.to_thread(thread.join, 10)
    assert not thread.is_alive(), "the renewal's end never reached the loop that waited after the closed one"
    assert len(served) == 3
    assert (emu.counts[LOGIN], emu.logins) == (1, 1)


async def make_client(emu: ZapSignEmulator, clock: ManualClock) -> zapsign.Client:
    return password_client(emu, clock)


async def until_true(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "not there within 10 s"
        await asyncio.sleep(0.005)


async def test_a_waiter_on_a_debug_mode_loop_is_woken_by_its_own_loop(emu: ZapSignEmulator, clock: ManualClock) -> None:
    # asyncio's debug mode refuses a future set from another thread than its loop's (RuntimeError in the
    # renewal's loop, and the waiter never wakes): the renewal hands the other loop its outcome through
    # that loop's call_soon_threadsafe.
    emu.faults.add(LOGIN, Fault.delay(LOGIN_DELAY))
    login_sent = threading.Event()
    served: list[object] = []

    async def waiter_on_a_debug_loop() -> None:
        async with password_client(emu, clock) as zs:
            await asyncio.to_thread(login_sent.wait)
            served.extend(await first_pages(zs, 3))  # they join the renewal in flight on the test's loop

    thread = threading.Thread(target=asyncio.run, args=(waiter_on_a_debug_loop(),), kwargs={"debug": True})
    thread.daemon = True  # a waiter never woken would hold the test run's exit
    thread.start()
    async with password_client(emu, clock) as zs:
        starter = asyncio.ensure_future(zs.docs.list_docs())
        await until_true(lambda: emu.counts[LOGIN] == 1)
        login_sent.set()
        await starter
        await asyncio.to_thread(thread.join, 10)
    assert not thread.is_alive(), "the debug-mode loop's waiters were never woken"
    assert len(served) == 3
    assert (emu.counts[LOGIN], emu.logins) == (1, 1)
