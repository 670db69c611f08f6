"""Throughput: tessera's generated client vs raw aiohttp vs an openapi-python-client client.

A local aiohttp.web server in its own process serves ZapSign's GET /docs/ (25 documents with signers)
behind bearer auth. Each client sends the same requests with the same concurrency:
- tessera: `zapsign.Client.docs.list_docs()`, decoded into the attrs models;
- raw aiohttp: `session.get(...)` and `response.json()` into dicts (the practical limit in Python);
- openapi-python-client 0.29 (httpx): generated from the same specs/zapsign.yaml into a temporary
  folder at bench time, never committed.
All three hold at most 100 connections (aiohttp's and httpx's default pool size; tessera's own session).
"""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bench.common import TOKEN, median, zapsign_page
from tessera import zapsign

ROOT = Path(__file__).parents[1]
Call = Callable[[], Awaitable[object]]


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


async def rate(call: Call, requests: int, concurrency: int) -> float:
    """Requests per second for `requests` calls spread over `concurrency` coroutines."""
    left = requests

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            await call()

    begun = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return requests / (time.perf_counter() - begun)


async def measure(port: int, opc: Any, *, requests: int, concurrency: int, rounds: int) -> dict[str, float]:
    base = f"http://127.0.0.1:{port}/api/v1"
    list_docs = importlib.import_module("zapsign_opc.api.docs.list_docs")
    async with (
        aiohttp.ClientSession() as session,
        zapsign.Client(auth=zapsign.ApiTokenAuth(TOKEN), base_url=base) as zs,
    ):
        peer = opc.AuthenticatedClient(base_url=base, token=TOKEN)

        async def raw() -> object:
            async with session.get(f"{base}/docs/", headers={"Authorization": f"Bearer {TOKEN}"}) as answer:
                return await answer.json()

        async def tessera() -> object:
            return await zs.docs.list_docs()

        async def generated() -> object:
            page = await list_docs.asyncio(client=peer)
            assert page is not None
            return page

        clients: dict[str, Call] = {"tessera": tessera, "raw aiohttp": raw, "openapi-python-client": generated}
        figures: dict[str, list[float]] = {name: [] for name in clients}
        for _ in range(rounds):  # interleaved, so that a noisy moment hits every client alike
            for name, call in clients.items():
                await call()
                figures[name].append(await rate(call, requests, concurrency))
        await peer.get_async_httpx_client().aclose()
    return {name: median(values) for name, values in figures.items()}


def run(*, requests: int, rounds: int, sweep_requests: int) -> dict[str, Any]:
    body = zapsign_page(25)
    receive, send = multiprocessing.get_context("spawn").Pipe(duplex=False)
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(body, send), daemon=True)
    server.start()
    try:
        port = receive.recv()
        with tempfile.TemporaryDirectory() as folder:
            opc = openapi_python_client_package(Path(folder))
            main = asyncio.run(measure(port, opc, requests=requests, concurrency=64, rounds=rounds))
            sweep = {
                concurrency: asyncio.run(measure(port, opc, requests=sweep_requests, concurrency=concurrency, rounds=1))
                for concurrency in (1, 8, 64, 256)
            }
    finally:
        server.terminate()
    return {"main": main, "sweep": sweep, "body_bytes": len(body)}
