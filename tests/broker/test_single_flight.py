"""Single flight: one login or refresh per credential, however many coroutines and clients need it."""

from __future__ import annotations

import asyncio

import pytest

from tessera.stores import MemoryStore
from tessera.testing import ManualClock, ZapSignEmulator
from tests.broker.conftest import password_client

LOGIN = "POST /auth/token/{organization_id}/"


async def test_ten_thousand_coroutines_on_an_expired_token_cause_one_refresh(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    async with password_client(emu, clock) as zs:
        signers = (await zs.docs.get_doc(doc_token=(await zs.docs.list_docs()).results[0].token)).signers
        assert signers is not None
        signer = signers[0]
        assert emu.logins == 1
        clock.advance(3600)  # the access token is past its expiry: every caller must wait for a renewal
        answers = await asyncio.gather(*(zs.signers.get_signer(signer_token=signer.token) for _ in range(10_000)))
    assert {answer.token for answer in answers} == {signer.token}
    assert emu.logins == 1
    assert emu.refreshes == 1
    assert emu.counts["POST /auth/token-refresh/"] == 1
    assert emu.counts["GET /signers/{signer_token}/"] == 10_000


async def test_clients_built_with_the_same_credentials_share_one_login(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    clients = [password_client(emu, clock) for _ in range(20)]
    await asyncio.gather(*(client.docs.list_docs() for client in clients for _ in range(50)))
    clock.advance(3600)
    await asyncio.gather(*(client.docs.list_docs() for client in clients for _ in range(50)))
    for client in clients:
        await client.aclose()
    assert emu.counts["POST /auth/token/{organization_id}/"] == 1
    assert emu.counts["POST /auth/token-refresh/"] == 1
    assert emu.counts["GET /docs/"] == 2_000


@pytest.mark.parametrize("other", ["clock", "store"])
async def test_clients_on_another_clock_or_store_share_neither_login_nor_tokens(
    emu: ZapSignEmulator, clock: ManualClock, other: str
) -> None:
    # A test's manual clock never meets another's (or real time), and tokens kept in one store are not
    # served to a client that asked for another: a login each; a later client finds its own side's tokens.
    clocks = [clock, ManualClock()] if other == "clock" else [clock, clock]
    stores = [MemoryStore(), MemoryStore()] if other == "store" else [MemoryStore()] * 2
    async with (
        password_client(emu, clocks[0], store=stores[0]) as first,
        password_client(emu, clocks[1], store=stores[1]) as second,
    ):
        await first.docs.list_docs()
        await second.docs.list_docs()
    assert emu.counts[LOGIN] == 2
    for each_clock, each_store in zip(clocks, stores, strict=True):
        async with password_client(emu, each_clock, store=each_store) as later:
            await later.docs.list_docs()
    assert emu.counts[LOGIN] == 2
