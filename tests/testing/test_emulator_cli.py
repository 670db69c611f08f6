"""`python -m tessera.testing`: serve an emulator from the shell, stop it with a signal."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys

import aiohttp
import pytest

STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def read_banner(stdout: asyncio.StreamReader) -> dict[str, str]:
    """The printed lines up to the Ctrl-C hint, as {"url": ..., credential name: value}."""
    banner: dict[str, str] = {}
    while True:
        line = (await asyncio.wait_for(stdout.readline(), STARTUP_SECONDS)).decode()
        assert line, "the emulator exited before it printed its base URL"
        if line.startswith("Ctrl-C"):
            return banner
        if " serving at " in line:
            banner["url"] = line.rsplit(" ", 1)[1].strip()
        else:
            name, _, value = line.strip().partition(": ")
            banner[name] = value


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_zapsign_from_the_shell(session: aiohttp.ClientSession, signum: signal.Signals) -> None:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tessera.testing",
        "zapsign",
        "--port",
        str(port),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        banner = await read_banner(process.stdout)
        assert banner["url"] == f"http://127.0.0.1:{port}/api/v1"
        assert banner["organization_id"] == "123"

        login = {"username": banner["username"], "password": banner["password"]}
        async with session.post(f"{banner['url']}/auth/token/{banner['organization_id']}/", json=login) as response:
            assert response.status == 200
        headers = {"Authorization": f"Bearer {banner['api_token']}"}
        async with session.get(f"{banner['url']}/docs/", headers=headers) as response:
            assert response.status == 200
    finally:
        if process.returncode is None:
            process.send_signal(signum)
        _, stderr = await asyncio.wait_for(process.communicate(), STARTUP_SECONDS)

    assert process.returncode == 0, stderr.decode()


async def test_unknown_vendor_is_a_usage_error() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tessera.testing", "nope", stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(process.communicate(), STARTUP_SECONDS)
    assert process.returncode == 2
    assert b"invalid choice: 'nope'" in stderr
