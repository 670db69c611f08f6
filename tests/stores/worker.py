"""One worker process of the shared-store tests: coroutines calling ZapSign for a while, one JSON line out.

python -m tests.stores.worker BASE_URL [--redis URL] [--coroutines N] [--seconds S] [--lock-seconds L]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

from tessera import errors, zapsign
from tessera.stores import RedisStore

AUTH = zapsign.PasswordAuth("123", "dev@ejemplo.com", "StrongPassword123")


async def work(
    base_url: str, redis_url: str | None, coroutines: int, seconds: float, lock_seconds: float
) -> dict[str, object]:
    store = RedisStore(redis_url, lock_seconds=lock_seconds) if redis_url else None
    done: list[int] = []
    failures: list[str] = []
    deadline = time.monotonic() + seconds

    async def calls(zs: zapsign.Client) -> None:
        while time.monotonic() < deadline:
            try:
                await zs.docs.list_docs()
            except errors.TesseraError as error:
                failures.append(f"{type(error).__name__}: {error}")
            else:
                done.append(1)

    async with zapsign.Client(auth=AUTH, base_url=base_url, store=store, timeout=30) as zs:
        await asyncio.gather(*(calls(zs) for _ in range(coroutines)))
    if store is not None:
        await store.aclose()
    return {"ok": len(done), "errors": len(failures), "first_error": failures[0] if failures else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("--redis")
    parser.add_argument("--coroutines", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--lock-seconds", type=float, default=30.0)
    args = parser.parse_args()
    result = asyncio.run(work(args.base_url, args.redis, args.coroutines, args.seconds, args.lock_seconds))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
