"""tessera's pytest plugin as a user's suite meets it: installed by its entry point, under every loop owner.

Each test writes a test module, runs pytest on it in a subprocess (tests/testing/installed.py) and reads the
outcome; the module's own asserts check each emulator's server-side counts, and a session-finish hook of the
module's conftest checks that every emulator stopped serving after its test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.testing.installed import run_pytest

CALLS = '''
import asyncio
import socket

import pytest
from tessera import biuwer, optiwe, videsk, zapsign

SERVED = []


async def call_each_vendor(zapsign_emulator, videsk_emulator, optiwe_emulator, biuwer_emulator, tessera_clock):
    emulators = [zapsign_emulator, videsk_emulator, optiwe_emulator, biuwer_emulator]
    SERVED.extend(emu.base_url for emu in emulators)
    zs = zapsign.Client(auth=zapsign.ApiTokenAuth(zapsign_emulator.api_token), base_url=zapsign_emulator.base_url)
    vd = videsk.Client(api_key=videsk_emulator.api_key, base_url=videsk_emulator.base_url, clock=tessera_clock)
    ow = optiwe.Client(token=optiwe_emulator.token, base_url=optiwe_emulator.base_url, clock=tessera_clock)
    bw = biuwer.Client(api_token=biuwer_emulator.api_token, base_url=biuwer_emulator.base_url, clock=tessera_clock)
    async with zs, vd, ow, bw:
        await asyncio.gather(*(zs.docs.list_docs() for _ in range(20)))
        await vd.segments.list_segments()
        await ow.templates.list_whatsapp_templates()
        await bw.users.list_users()
    assert zapsign_emulator.counts["GET /docs/"] == 20
    assert videsk_emulator.counts["GET /public/video-contact-center/segments"] == 1
    assert optiwe_emulator.counts["GET /whatsapp-templates/"] == 1
    assert biuwer_emulator.counts["GET /users"] == 1
    assert zapsign_emulator.clock is tessera_clock and biuwer_emulator.clock is tessera_clock


def pytest_sessionfinish(session):
    """After the tests: two of them ran, and nothing answers at their emulators' addresses any more."""
    assert len(SERVED) == 8, SERVED
    for base_url in SERVED:
        port = int(base_url.split(":")[2].split("/")[0])
        with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
'''

RUNNERS = {
    "pytest-asyncio strict": (
        """
@pytest.mark.asyncio
async def test_first(zapsign_emulator, videsk_emulator, optiwe_emulator, biuwer_emulator, tessera_clock):
    await call_each_vendor(zapsign_emulator, videsk_emulator, optiwe_emulator, biuwer_emulator, tessera_clock)
""",
        ["-o", "asyncio_mode=strict", "-o", "asyncio_default_fixture_loop_scope=function"],
    ),
    "pytest-asyncio auto, one loop for the session": (
        """
async def test_first(zapsign_emulator, videsk_emulator, optiwe_emulator, biuwer_emulator, tessera_clock):
    await call_each_vendor(zapsign_emulator, videsk_emulator, optiwe_emulator, biuwer_emulator, tessera_clock)
""",
        [
            "-o",
            "asyncio_mode=auto",
            "-o",
            "asyncio_default_fixture_loop_scope=session",
            "-o",
            "asyncio_default_test_loop_scope=session",
        ],
    ),
    "anyio's plugin": (
        """
@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.anyio
async def test_first(zapsign_emulator, videsk_emulator, optiwe_emulator, biuwer_emulator, tessera_clock):
    await call_each_vendor(zapsign_emulator, videsk_emulator, optiwe_emulator, biuwer_emulator, tessera_clock)
""",
        ["-p", "no:asyncio"],
    ),
    "no async plugin": (
        """
def test_first(zapsign_emulator, videsk_emulator, optiwe_emulator, biuwer_emulator, tessera_clock):
    asyncio.run(
        call_each_vendor(zapsign_emulator, videsk_emulator, optiwe_emulator, biuwer_emulator, tessera_clock)
    )
""",
        ["-p", "no:asyncio", "-p", "no:anyio"],
    ),
}


@pytest.mark.parametrize("runner", RUNNERS)
def test_each_vendor_fixture_serves_its_emulator_and_stops_after_the_test(tmp_path: Path, runner: str) -> None:
    test, options = RUNNERS[runner]
    second = test.replace("test_first", "test_second")  # a fresh emulator per test: the counts start at 0 again
    (tmp_path / "conftest.py").write_text(CALLS, encoding="utf-8")
    module = tmp_path / "test_user.py"
    module.write_text(f"import asyncio\n\nimport pytest\nfrom conftest import call_each_vendor\n{test}\n{second}")
    finished = run_pytest(module, *options)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "2 passed" in finished.stdout


def test_the_plugins_fixture_names_are_its_own(tmp_path: Path) -> None:
    """Listed by `pytest --fixtures`, from the installed plugin, with their docstrings."""
    module = tmp_path / "test_nothing.py"
    module.write_text("def test_nothing():\n    pass\n", encoding="utf-8")
    finished = run_pytest(module, "--fixtures", "-p", "no:asyncio")
    assert finished.returncode == 0, finished.stdout + finished.stderr
    listed = finished.stdout.split("fixtures defined from tessera.testing.pytest_plugin", 1)[1]
    for fixture in ["tessera_clock", "zapsign_emulator", "videsk_emulator", "optiwe_emulator", "biuwer_emulator"]:
        assert f"\n{fixture}\n" in listed or f"\n{fixture} -- " in listed, listed
