"""`python -m tessera demo`: the main job (see tessera._demo)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from tessera._demo import run_demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tessera", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run a high-concurrency batch against the built-in emulators")
    demo.add_argument("--concurrency", type=int, default=2000, help="worker coroutines (default 2000)")
    demo.add_argument("--seconds", type=float, default=10.0, help="how long the batch runs (default 10)")
    args = parser.parse_args(argv)
    if args.concurrency < 1 or args.seconds <= 0:
        parser.error("--concurrency must be at least 1 and --seconds positive")
    return asyncio.run(run_demo(concurrency=args.concurrency, seconds=args.seconds))


if __name__ == "__main__":
    sys.exit(main())
