"""Single flight: one login or refresh per credential, however many coroutines and clients need it."""

from __future__ import annotations

import asyncio

from tessera.testing import ManualClock, ZapSignEmulator
from tests.broker.conftest import password_client


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
