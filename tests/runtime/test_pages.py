"""A paginated call is a real coroutine (tasks, task groups) that stays async-iterable, and its pages navigate.

Against the emulators, on both pagination styles the specs use: ZapSign's page numbers (DRF, a `next` URL;
60 documents are three pages of 25), and feathers' skip and limit with a total (Videsk's 12 segments,
Biuwer's 5 users). Every claim is checked on the server's counts.
"""

from __future__ import annotations

import asyncio
import collections.abc
import gc
import warnings
from collections.abc import AsyncIterator

import attrs
import pytest

from tessera import biuwer, errors, videsk, zapsign
from tessera.testing import BiuwerEmulator, Fault, ManualClock, VideskEmulator, ZapSignEmulator
from tests.polling import until

DOCS = "GET /docs/"
SEGMENTS = "GET /public/video-contact-center/segments"
USERS = "GET /users"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def zs_emu(clock: ManualClock) -> AsyncIterator[ZapSignEmulator]:
    emu = ZapSignEmulator(clock=clock)
    async with emu:
        yield emu


@pytest.fixture
async def zs(zs_emu: ZapSignEmulator, clock: ManualClock) -> AsyncIterator[zapsign.Client]:
    auth = zapsign.ApiTokenAuth(zs_emu.api_token)
    async with zapsign.Client(auth=auth, base_url=zs_emu.base_url, clock=clock) as client:
        yield client


@pytest.fixture
async def vd_emu(clock: ManualClock) -> AsyncIterator[VideskEmulator]:
    emu = VideskEmulator(clock=clock)
    async with emu:
        yield emu


@pytest.fixture
async def vd(vd_emu: VideskEmulator, clock: ManualClock) -> AsyncIterator[videsk.Client]:
    async with videsk.Client(api_key=vd_emu.api_key, base_url=vd_emu.base_url, clock=clock) as client:
        yield client


@pytest.fixture
async def bw_emu(clock: ManualClock) -> AsyncIterator[BiuwerEmulator]:
    emu = BiuwerEmulator(clock=clock)
    async with emu:
        yield emu


@pytest.fixture
async def bw(bw_emu: BiuwerEmulator, clock: ManualClock) -> AsyncIterator[biuwer.Client]:
    async with biuwer.Client(api_token=bw_emu.api_token, base_url=bw_emu.base_url, clock=clock) as client:
        yield client


# A paginated call as a coroutine


async def test_a_paginated_call_is_a_coroutine_that_create_task_runs(
    zs: zapsign.Client, zs_emu: ZapSignEmulator
) -> None:
    pages = zs.docs.list_docs(page=2)
    assert isinstance(pages, collections.abc.Coroutine)
    assert asyncio.iscoroutine(pages)
    page = await asyncio.create_task(pages)
    assert page.count == 60
    assert len(page.results) == 25
    assert zs_emu.counts[DOCS] == 1


async def test_task_groups_run_many_paginated_calls_at_once(
    zs: zapsign.Client, zs_emu: ZapSignEmulator, vd: videsk.Client, vd_emu: VideskEmulator
) -> None:
    async with asyncio.TaskGroup() as group:
        documents = [group.create_task(zs.docs.list_docs(page=1 + n % 3)) for n in range(300)]
        segments = [group.create_task(vd.segments.list_segments(limit=5, skip=n % 12)) for n in range(300)]
    assert sorted({len(task.result().results) for task in documents}) == [10, 25]
    assert {task.result().total for task in segments} == {12}
    assert zs_emu.counts[DOCS] == 300
    assert vd_emu.counts[SEGMENTS] == 300


async def test_asyncio_run_and_gather_take_it_too(zs_emu: ZapSignEmulator, clock: ManualClock) -> None:
    auth = zapsign.ApiTokenAuth(zs_emu.api_token)
    async with zapsign.Client(auth=auth, base_url=zs_emu.base_url, clock=clock) as zs:
        first, second = await asyncio.gather(zs.docs.list_docs(page=1), zs.docs.list_docs(page=3))
        done, _ = await asyncio.wait([asyncio.ensure_future(zs.docs.list_docs())])
    assert (len(first.results), len(second.results), len(done.pop().result().results)) == (25, 10, 25)
    assert zs_emu.counts[DOCS] == 3


async def test_a_call_never_awaited_sends_nothing_and_warns_nothing(
    zs: zapsign.Client, zs_emu: ZapSignEmulator
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pages = zs.docs.list_docs()
        pages.close()
        del pages
        zs.docs.list_docs()  # dropped at once
        gc.collect()
    assert [str(warning.message) for warning in caught] == []
    assert zs_emu.counts[DOCS] == 0


async def test_a_cancelled_task_ends_its_request_and_the_call_cannot_be_awaited_again(
    zs: zapsign.Client, zs_emu: ZapSignEmulator
) -> None:
    zs_emu.faults.add(DOCS, Fault.stall(), times=1)  # an answer that never finishes
    pages = zs.docs.list_docs()
    task = asyncio.create_task(pages)
    await until(lambda: zs_emu.counts[DOCS] == 1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    with pytest.raises(RuntimeError, match="cannot reuse already awaited coroutine"):
        await pages  # as a coroutine's: one run each
    assert len((await zs.docs.list_docs()).results) == 25  # a new call: the client is fine
    assert zs_emu.counts[DOCS] == 2


async def test_it_stays_async_iterable_over_every_item(zs: zapsign.Client, zs_emu: ZapSignEmulator) -> None:
    tokens = [doc.token async for doc in zs.docs.list_docs()]
    assert len(set(tokens)) == 60
    assert zs_emu.counts[DOCS] == 3


# Page navigation


async def test_page_numbers_navigate_by_the_next_url(zs: zapsign.Client, zs_emu: ZapSignEmulator) -> None:
    first = await zs.docs.list_docs()
    assert first.has_next_page()
    second = await first.next_page()
    assert second is not None
    assert second.has_next_page()
    third = await second.next_page()
    assert third is not None
    assert (third.next, third.has_next_page(), len(third.results)) == (None, False, 10)
    assert await third.next_page() is None  # sends nothing
    assert zs_emu.counts[DOCS] == 3
    names = [doc.token for page in (first, second, third) for doc in page.results]
    assert len(set(names)) == 60


async def test_iter_pages_from_a_call_and_from_a_page(zs: zapsign.Client, zs_emu: ZapSignEmulator) -> None:
    sizes = [len(page.results) async for page in zs.docs.list_docs().iter_pages()]
    assert sizes == [25, 25, 10]
    second = await zs.docs.list_docs(page=2)
    assert [len(page.results) async for page in second.iter_pages()] == [25, 10]
    assert zs_emu.counts[DOCS] == 3 + 1 + 1  # iter_pages from a page starts with that page: not asked again


async def test_skip_and_limit_navigate_by_the_total(vd: videsk.Client, vd_emu: VideskEmulator) -> None:
    pages = [page async for page in vd.segments.list_segments(limit=5).iter_pages()]
    assert [(page.skip, len(page.data)) for page in pages] == [(0, 5), (5, 5), (10, 2)]
    assert [page.has_next_page() for page in pages] == [True, True, False]
    later = await vd.segments.list_segments(limit=5, skip=3)
    following = await later.next_page()
    assert following is not None
    assert (following.skip, len(following.data), following.has_next_page()) == (8, 4, False)
    assert vd_emu.counts[SEGMENTS] == 3 + 2


async def test_biuwer_users_navigate_by_skip_and_total(bw: biuwer.Client, bw_emu: BiuwerEmulator) -> None:
    first = await bw.users.list_users(limit=2)
    assert [len(page.data) async for page in first.iter_pages()] == [2, 2, 1]
    assert bw_emu.counts[USERS] == 3


async def test_a_page_not_from_a_call_cannot_navigate(zs: zapsign.Client) -> None:
    page = await zs.docs.list_docs()
    for copied in (attrs.evolve(page), zapsign.models.DocList(count=0, next=None, previous=None, results=[])):
        with pytest.raises(errors.InvalidArgument, match="not returned by a paginated call"):
            copied.has_next_page()
        with pytest.raises(errors.InvalidArgument, match="not returned by a paginated call"):
            await copied.next_page()


async def test_the_next_page_of_a_closed_client_is_refused(zs_emu: ZapSignEmulator, clock: ManualClock) -> None:
    auth = zapsign.ApiTokenAuth(zs_emu.api_token)
    async with zapsign.Client(auth=auth, base_url=zs_emu.base_url, clock=clock) as zs:
        first = await zs.docs.list_docs()
    with pytest.raises(errors.ClientClosed):
        await first.next_page()
    assert zs_emu.counts[DOCS] == 1
