"""The snippets of ../shared/CONTRACT.md run as written against the emulators (placeholders filled in)."""

from __future__ import annotations

import inspect
import re
import textwrap
from pathlib import Path
from typing import Any

from tessera import zapsign
from tessera.stores import RedisStore
from tessera.testing import BiuwerEmulator, OptiweEmulator, VideskEmulator, ZapSignEmulator

CONTRACT = Path(__file__).parents[2] / "shared" / "CONTRACT.md"


def snippets() -> list[str]:
    assert CONTRACT.exists(), f"{CONTRACT} is missing: CI clones main with shared/ beside it"
    return re.findall(r"```python\n(.*?)```", CONTRACT.read_text(encoding="utf-8"), flags=re.DOTALL)


async def run(source: str) -> dict[str, Any]:
    """Execute a snippet's code as the body of a coroutine, and return its namespace."""
    namespace: dict[str, Any] = {}
    body = textwrap.indent(source, "    ")
    exec(f"async def __snippet__():\n{body}\n    return locals()", namespace)  # noqa: S102 - the contract's own code
    result: dict[str, Any] = await namespace["__snippet__"]()
    return result


async def test_one_client_per_vendor() -> None:
    source = snippets()[0].replace("asyncio.run(main())", "")
    zapsign_emu, videsk_emu = ZapSignEmulator(), VideskEmulator()
    optiwe_emu, biuwer_emu = OptiweEmulator(), BiuwerEmulator()
    async with zapsign_emu, videsk_emu, optiwe_emu, biuwer_emu:
        for port, emu in ((8081, zapsign_emu), (8082, videsk_emu), (8083, optiwe_emu), (8084, biuwer_emu)):
            source = source.replace(f"http://127.0.0.1:{port}", emu.base_url.removesuffix(emu.base_path))
        source = (
            source.replace('api_key="..."', f'api_key="{videsk_emu.api_key}"')
            .replace('token="..."', f'token="{optiwe_emu.token}"')
            .replace('api_token="..."', f'api_token="{biuwer_emu.api_token}"')
        )
        assert source.count('"..."') == 1  # ApiTokenAuth("...") to production: built, never sent
        namespace = await run(source + "\nawait main()\n")
    assert "main" in namespace
    assert zapsign_emu.logins == 1
    assert zapsign_emu.counts["POST /docs/"] == 1
    assert zapsign_emu.counts["GET /docs/"] == 1 + 3  # page 1, then every page
    assert videsk_emu.counts["GET /public/video-contact-center/segments"] == 1


async def test_the_emulator_snippet() -> None:
    source = next(s for s in snippets() if "emulator(" in s)
    namespace = await run("from tessera import zapsign\n" + source)  # the snippet leaves its imports to the page
    assert namespace["base_url"].startswith("http://127.0.0.1:")


def test_the_store_snippet_names_what_exists() -> None:
    source = next(s for s in snippets() if "RedisStore" in s)
    assert "from tessera.stores import RedisStore" in source
    assert repr(RedisStore("redis://127.0.0.1:6379/0")) == "RedisStore('127.0.0.1:6379/0')"
    assert "store" in inspect.signature(zapsign.Client).parameters
