"""The asyncio tasks a test can see: its own excluded, and the emulators' told apart from the client's."""

from __future__ import annotations

import asyncio


def pending_tasks() -> list[asyncio.Task[object]]:
    """Every task not done, other than the one asking."""
    current = asyncio.current_task()
    return [task for task in asyncio.all_tasks() if task is not current and not task.done()]


def an_emulators(task: asyncio.Task[object]) -> bool:
    """A task of aiohttp's server: a connection's handler, or a request being answered."""
    return getattr(task.get_coro(), "__qualname__", "").startswith("RequestHandler.")


def client_tasks() -> list[asyncio.Task[object]]:
    """Pending tasks other than the emulators' (one per open server connection) and the one asking."""
    return [task for task in pending_tasks() if not an_emulators(task)]
