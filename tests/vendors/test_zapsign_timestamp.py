"""ZapSign's timestamps, end to end."""

from __future__ import annotations

import pytest

from tessera import errors, zapsign
from tessera.testing import ZapSignEmulator, emulator

M = zapsign.models


async def test_both_timestamps_answer_the_stamped_file(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    plain = await zs.timestamp.add_timestamp(body=M.TimestampRequest(url="https://example.com/a.pdf"))
    kept = await zs.timestamp.add_timestamp_keeping_signatures(body=M.TimestampRequest(url="JVBERi0xLjQK"))
    assert plain.url.endswith(".pdf")
    assert kept.url != plain.url
    assert zs_emu.stamped == ["https://example.com/a.pdf", "JVBERi0xLjQK"]
    assert zs_emu.counts["POST /timestamp/no-signature"] == 1


async def test_without_the_feature_the_answer_is_payment_required() -> None:
    emu = emulator("zapsign", documents=0, timestamps=False)
    async with emu, zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as zs:
        with pytest.raises(errors.ApiError) as caught:
            await zs.timestamp.add_timestamp(body=M.TimestampRequest(url="https://example.com/a.pdf"))
    # The {"error": ...} body's message is found: `error` is one of the spec's message fields.
    assert (caught.value.status, caught.value.message) == (402, "Payment Required")
    assert emu.stamped == []
