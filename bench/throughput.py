"""Throughput: tessera's generated client vs raw aiohttp vs an openapi-python-client client.

A local aiohttp.web server in its own process serves ZapSign's GET /docs/ (25 documents with signers)
behind bearer auth. Each client sends the same requests with the same concurrency:
- tessera: `zapsign.Client.docs.list_docs()`, decoded into the attrs models, as installed plainly
  (bodies read by `json.loads`) and with the `speedups` extra (read by orjson);
- raw aiohttp: `session.get(...)` and `response.json()` into dicts (the practical limit in Python),
  and the same with `response.json(loads=orjson.loads)`;
- openapi-python-client 0.29 (httpx): generated from the same specs/zapsign.yaml into a temporary
  folder at bench time, never committed.
All three hold at most 100 connections and keep them all alive: tessera's own session and the raw one are
`aiohttp.ClientSession()` with aiohttp's default connector (limit 100); httpx gets the same pool
(its default keeps only 20 of 100 alive, so 44 of 64 coroutines would reconnect on every request).

    python -m bench.throughput --profile    # tessera's loop alone under cProfile, top costs
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import importlib
import multiprocessing
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiohttp
import attrs
import httpx
import orjson
from aiohttp import web

from bench.common import TOKEN, median, plain_install, zapsign_page
from tessera import zapsign

ROOT = Path(__file__).parents[1]
CONNECTIONS = 100
"""Every client's pool: aiohttp's default connector limit, and httpx's default max_connections."""
PAGE = 25
SWEEP = (1, 8, 64, 256)
Call = Callable[[], Awaitable[object]]


@attrs.frozen
class Rate:
    """One client's run: requests per second, and the CPU that the client and the server burnt meanwhile."""

    requests_per_second: float
    client_cpu: float
    """Seconds of CPU per second of the run, in the client process (1.0: one core, all the time)."""
    server_cpu: float | None
    """The same in the server process (read from /proc; None where there is none)."""


def _serve(body: bytes, ready: Connection) -> None:
    async def docs(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"detail": "Authentication credentials were not provided."}, status=401)
        return web.Response(body=body, content_type="application/json")

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/api/v1/docs/", docs)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        ready.send(runner.addresses[0][1])
        await asyncio.Event().wait()

    asyncio.run(main())


@contextlib.contextmanager
def serving(body: bytes) -> Iterator[tuple[int, int]]:
    """The server in a process of its own (spawned, so none of this one's state comes along): its port and pid."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_serve, args=(body, send), daemon=True)
    process.start()
    try:
        port: int = receive.recv()
        assert process.pid is not None  # started
        yield port, process.pid
    finally:
        process.terminate()
        process.join()


def openapi_python_client_package(folder: Path) -> Any:
    """Generate the peer client from specs/zapsign.yaml into `folder` and import it."""
    subprocess.run(  # noqa: S603 - our own argument list
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(ROOT / "specs" / "zapsign.yaml"),
            "--output-path",
            str(folder / "zapsign_opc"),
            "--meta",
            "none",
        ],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(folder))
    return importlib.import_module("zapsign_opc")


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a process, from /proc (Linux)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def rate(call: Call, requests: int, concurrency: int, server: int) -> Rate:
    """Requests per second for `requests` calls spread over `concurrency` coroutines."""
    left = requests

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            await call()

    server_begun, cpu_begun, begun = (
        cpu_seconds(server),
        time.process_time(),
        time.perf_counter(),
    )
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - begun
    cpu, server_ended = time.process_time() - cpu_begun, cpu_seconds(server)
    server_cpu = None if server_begun is None or server_ended is None else (server_ended - server_begun) / elapsed
    return Rate(requests / elapsed, cpu / elapsed, server_cpu)


def check(page: object) -> None:
    """Each client must have decoded the whole page: a DrfError or None from the generated client fails here."""
    results = page["results"] if isinstance(page, dict) else getattr(page, "results", None)
    if not isinstance(results, list) or len(results) != PAGE:
        raise RuntimeError(f"expected a page of {PAGE} documents, got {page!r:.300}")


async def measure(
    port: int, server: int, opc: Any, *, requests: int, concurrency: int, rounds: int
) -> dict[str, list[Rate]]:
    base = f"http://127.0.0.1:{port}/api/v1"
    list_docs = importlib.import_module("zapsign_opc.api.docs.list_docs")
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    async with (
        aiohttp.ClientSession() as session,
        zapsign.Client(auth=zapsign.ApiTokenAuth(TOKEN), base_url=base) as fast,
        plain_install(zapsign.Client(auth=zapsign.ApiTokenAuth(TOKEN), base_url=base)) as plain,
        opc.AuthenticatedClient(base_url=base, token=TOKEN, httpx_args={"limits": limits}) as peer,
    ):

        async def raw() -> object:
            async with session.get(f"{base}/docs/", headers={"Authorization": f"Bearer {TOKEN}"}) as answer:
                answer.raise_for_status()
                return await answer.json()

        async def raw_orjson() -> object:
            async with session.get(f"{base}/docs/", headers={"Authorization": f"Bearer {TOKEN}"}) as answer:
                answer.raise_for_status()
                return await answer.json(loads=orjson.loads)

        async def tessera() -> object:
            return await plain.docs.list_docs()

        async def tessera_speedups() -> object:
            return await fast.docs.list_docs()

        async def generated() -> object:
            page: object = await list_docs.asyncio(client=peer)
            return page

        clients: dict[str, Call] = {
            "tessera": tessera,
            "tessera[speedups]": tessera_speedups,
            "raw aiohttp": raw,
            "raw aiohttp, orjson": raw_orjson,
            "openapi-python-client": generated,
        }
        figures: dict[str, list[Rate]] = {name: [] for name in clients}
        for _ in range(rounds):  # interleaved, so that a noisy moment hits every client alike
            for name, call in clients.items():
                check(await call())
                await asyncio.gather(*(call() for _ in range(min(concurrency, CONNECTIONS))))  # open the pool
                figures[name].append(await rate(call, requests, concurrency, server))
    return figures


def run(
    *,
    requests: int,
    rounds: int,
    sweep_requests: int,
    progress: Callable[[str], None] = print,
) -> dict[str, Any]:
    """64 coroutines for `rounds` rounds, then each level of the sweep for as many rounds (medians)."""
    body = zapsign_page(PAGE)
    with serving(body) as (port, server), tempfile.TemporaryDirectory() as folder:
        opc = openapi_python_client_package(Path(folder))
        main = asyncio.run(measure(port, server, opc, requests=requests, concurrency=64, rounds=rounds))
        for name, figures in main.items():
            progress(f"  64 coroutines, {name}: " + "; ".join(describe(figure) for figure in figures))
        sweep: dict[int, dict[str, float]] = {}
        for concurrency in SWEEP:
            level = asyncio.run(
                measure(
                    port,
                    server,
                    opc,
                    requests=sweep_requests,
                    concurrency=concurrency,
                    rounds=rounds,
                )
            )
            sweep[concurrency] = {name: _median(figures, "requests_per_second") for name, figures in level.items()}
            progress(
                f"  {concurrency} coroutines: " + ", ".join(f"{n} {r:,.0f}/s" for n, r in sweep[concurrency].items())
            )
    return {
        "main": {name: _median(figures, "requests_per_second") for name, figures in main.items()},
        "client_cpu": {name: _median(figures, "client_cpu") for name, figures in main.items()},
        "server_cpu": {name: _median(figures, "server_cpu") for name, figures in main.items()},
        "sweep": sweep,
        "body_bytes": len(body),
    }


def _median(figures: list[Rate], field: str) -> float:
    """The median of one field over rounds (NaN for a CPU share /proc could not tell)."""
    values = [getattr(figure, field) for figure in figures]
    return median([float("nan") if value is None else value for value in values])


def describe(figure: Rate) -> str:
    server = "n/a" if figure.server_cpu is None else f"{figure.server_cpu:.0%}"
    return f"{figure.requests_per_second:,.0f}/s (CPU: client {figure.client_cpu:.0%}, server {server})"


def profile(requests: int, top: int) -> None:
    """tessera's loop alone, 64 coroutines, under cProfile: the functions that cost the most of their own time."""

    async def loop(port: int, server: int) -> None:
        base = f"http://127.0.0.1:{port}/api/v1"
        async with zapsign.Client(auth=zapsign.ApiTokenAuth(TOKEN), base_url=base) as zs:

            async def call() -> object:
                return await zs.docs.list_docs()

            check(await call())
            profiler = cProfile.Profile()
            profiler.enable()
            figure = await rate(call, requests, 64, server)
            profiler.disable()
        print(f"tessera under cProfile: {describe(figure)}")
        pstats.Stats(profiler).sort_stats(pstats.SortKey.TIME).print_stats(top)

    with serving(zapsign_page(PAGE)) as (port, server):
        asyncio.run(loop(port, server))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--profile", action="store_true", help="tessera's loop alone under cProfile")
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--top", type=int, default=30)
    options = parser.parse_args()
    if options.profile:
        profile(options.requests, options.top)
        return
    run(requests=options.requests, rounds=3, sweep_requests=2_000)


if __name__ == "__main__":
    main()
