"""The main job: the vendors' emulators on loopback, and a high-concurrency batch against them.

Every worker coroutine loops until the deadline, each turn sending one operation of the next vendor
through that vendor's one shared client, and the run ends with a table per vendor. It exits non-zero
on any error: it is a smoke test of the whole stack as much as a show.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TextIO

import attrs

from tessera import biuwer, errors, optiwe, videsk, zapsign
from tessera.testing import BiuwerEmulator, OptiweEmulator, VideskEmulator, ZapSignEmulator

Operation = Callable[[], Awaitable[object]]


@attrs.define
class VendorStats:
    name: str
    latencies: list[float] = attrs.Factory(list)
    errors: int = 0
    first_error: str | None = None
    logins: Callable[[], int] = lambda: 0
    renewals: Callable[[], int] = lambda: 0
    """Token refreshes, or minted user tokens for Biuwer."""

    def record(self, seconds: float) -> None:
        self.latencies.append(seconds)

    def fail(self, error: Exception) -> None:
        self.errors += 1
        if self.first_error is None:
            self.first_error = f"{type(error).__name__}: {error}"


@attrs.frozen
class Workload:
    """One vendor's share of the batch: the operations its turns pick from."""

    stats: VendorStats
    operations: Sequence[Operation]


async def run_demo(*, concurrency: int, seconds: float, out: TextIO = sys.stdout) -> int:
    """Run the batch; the exit status is 0 only when no request failed."""
    async with _workloads() as workloads:
        deadline = time.perf_counter() + seconds
        turns = itertools.cycle(workloads)
        started = time.perf_counter()
        progress = asyncio.create_task(_report_progress(workloads, started, out))
        try:
            await asyncio.gather(*(_worker(turns, deadline) for _ in range(concurrency)))
        finally:
            progress.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await progress
        elapsed = time.perf_counter() - started
    out.write("\n" + _table([w.stats for w in workloads], elapsed) + "\n")
    failures = [w.stats for w in workloads if w.stats.errors]
    for stats in failures:
        out.write(f"{stats.name}: {stats.errors} errors, the first: {stats.first_error}\n")
    return 1 if failures else 0


async def _worker(turns: itertools.cycle[Workload], deadline: float) -> None:
    while time.perf_counter() < deadline:
        workload = next(turns)
        operation = random.choice(workload.operations)  # noqa: S311 - load mix, not crypto
        begun = time.perf_counter()
        try:
            await operation()
        except errors.TesseraError as error:
            workload.stats.fail(error)
        else:
            workload.stats.record(time.perf_counter() - begun)


@contextlib.asynccontextmanager
async def _workloads() -> AsyncIterator[list[Workload]]:
    # Access tokens of 4 s: over a 10 s run the broker renews them twice or more under full load.
    zapsign_emulator = ZapSignEmulator(access_seconds=4, refresh_seconds=60)
    videsk_emulator = VideskEmulator()
    optiwe_emulator = OptiweEmulator()
    biuwer_emulator = BiuwerEmulator()
    async with contextlib.AsyncExitStack() as stack:
        for emulator in (zapsign_emulator, videsk_emulator, optiwe_emulator, biuwer_emulator):
            await stack.enter_async_context(emulator)
        account = zapsign_emulator.credentials()
        zs = await stack.enter_async_context(
            zapsign.Client(
                auth=zapsign.PasswordAuth(account["organization_id"], account["username"], account["password"]),
                base_url=zapsign_emulator.base_url,
            )
        )
        vd = await stack.enter_async_context(
            videsk.Client(api_key=videsk_emulator.api_key, base_url=videsk_emulator.base_url)
        )
        ow = await stack.enter_async_context(
            optiwe.Client(token=optiwe_emulator.token, base_url=optiwe_emulator.base_url)
        )
        bw = await stack.enter_async_context(
            biuwer.Client(api_token=biuwer_emulator.api_token, base_url=biuwer_emulator.base_url)
        )
        docs = (await zs.docs.list_docs()).results
        services = (await vd.services.list_services()).data
        users = (await bw.users.list_users()).data
        greeting = optiwe.models.SendTemplateRequest(
            template_key="welcome", phone="+56912345678", variables={"1": "Ana"}
        )
        yield [
            Workload(
                VendorStats(
                    "zapsign", logins=lambda: zapsign_emulator.logins, renewals=lambda: zapsign_emulator.refreshes
                ),
                [
                    lambda: zs.docs.list_docs(page=random.randint(1, 3)),  # noqa: S311
                    lambda: zs.docs.get_doc(doc_token=random.choice(docs).token),  # noqa: S311
                ],
            ),
            Workload(
                VendorStats("videsk"),
                [
                    vd.segments.list_segments,
                    lambda: vd.availability.list_service_hours(
                        id=random.choice(services).id,  # noqa: S311
                        date="2026-11-23",
                        timezone="America/Santiago",
                    ),
                ],
            ),
            Workload(
                VendorStats("optiwe"),
                [ow.templates.list_whatsapp_templates, lambda: ow.messages.send_template(body=greeting)],
            ),
            Workload(
                VendorStats("biuwer", renewals=lambda: biuwer_emulator.mints),
                [
                    bw.users.list_users,
                    # One embed token per user and day, however many coroutines ask: minted once each.
                    lambda: bw.user_token(random.choice(users).id, policy="daily"),  # noqa: S311
                ],
            ),
        ]


async def _report_progress(workloads: Sequence[Workload], started: float, out: TextIO) -> None:
    while True:
        await asyncio.sleep(0.5)
        done = sum(len(w.stats.latencies) for w in workloads)
        failed = sum(w.stats.errors for w in workloads)
        elapsed = time.perf_counter() - started
        out.write(f"\r{elapsed:6.1f} s  requests {done:>9,}  errors {failed:>5,}  {done / elapsed:>9,.0f} req/s")
        out.flush()


def _table(rows: Sequence[VendorStats], elapsed: float) -> str:
    header = ("vendor", "requests", "errors", "logins", "refreshes", "p50 ms", "p99 ms", "req/s")
    # "refreshes" is every token renewal the vendor saw: refreshes for ZapSign, minted user tokens for Biuwer.
    lines = [header]
    for stats in rows:
        ordered = sorted(stats.latencies)
        lines.append(
            (
                stats.name,
                f"{len(ordered) + stats.errors:,}",
                f"{stats.errors:,}",
                f"{stats.logins():,}",
                f"{stats.renewals():,}",
                f"{_percentile(ordered, 0.50) * 1000:.1f}",
                f"{_percentile(ordered, 0.99) * 1000:.1f}",
                f"{len(ordered) / elapsed:,.0f}",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    )


def _percentile(ordered: Sequence[float], fraction: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
