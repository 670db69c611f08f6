"""What the benchmarks share: the ZapSign page they serve and decode, and medians."""

from __future__ import annotations

import asyncio
import json
import statistics
from collections.abc import Sequence
from typing import TypeVar

import aiohttp

from tessera._runtime.client import BaseClient
from tessera._runtime.conversion import Codec
from tessera.testing import ZapSignEmulator

TOKEN = "bench-token"
C = TypeVar("C", bound=BaseClient)


def plain_install(client: C) -> C:
    """`client`, reading bodies with `json.loads` as it does where the `speedups` extra (orjson) is not
    installed: the benchmarks measure both installs in one process, so the ratios come from one run."""
    client._requester._codec = Codec(speedups=False)
    return client


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


async def _zapsign_page(documents: int) -> dict[str, object]:
    emu = ZapSignEmulator(documents=documents)
    async with emu, aiohttp.ClientSession() as session:
        answer = await session.get(
            f"{emu.base_url}/docs/?include_signers=true",
            headers={"Authorization": f"Bearer {emu.api_token}"},
        )
        page: dict[str, object] = await answer.json()
    return page


def zapsign_page(documents: int = 25) -> bytes:
    """GET /docs/ as the emulator answers it: a page of 25 documents with their signers."""
    page = asyncio.run(_zapsign_page(25))
    results = page["results"]
    assert isinstance(results, list)
    page["results"] = (results * (documents // len(results) + 1))[:documents]
    page["next"] = None
    return json.dumps(page).encode()
