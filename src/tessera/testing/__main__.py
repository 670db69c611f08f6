"""`python -m tessera.testing zapsign --port 8081`: serve one vendor emulator until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import signal

from . import EMULATORS, Emulator, emulator


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tessera.testing",
        description="Serve a vendor emulator on 127.0.0.1 until interrupted.",
    )
    parser.add_argument("vendor", choices=sorted(EMULATORS))
    parser.add_argument("--port", type=int, default=0, help="the port to listen on (default: any free one)")
    arguments = parser.parse_args(argv)
    asyncio.run(_serve(emulator(arguments.vendor, port=arguments.port)))


async def _serve(emu: Emulator) -> None:
    async with emu as base_url:
        print(f"{emu.vendor} emulator serving at {base_url}")
        for name, value in emu.credentials().items():
            print(f"  {name}: {value}")
        print("Ctrl-C stops it.", flush=True)
        await _interrupted()


async def _interrupted() -> None:
    """Return on SIGINT or SIGTERM, so either one closes the server cleanly instead of killing the process."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


if __name__ == "__main__":
    main()
