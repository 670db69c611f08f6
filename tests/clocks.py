"""A manual clock that also keeps what the client asked it to wait: retry and backoff waits, asserted exactly."""

from __future__ import annotations

from tessera.testing import ManualClock


class RecordingClock(ManualClock):
    """`ManualClock` whose `sleep` records the seconds asked, in order, before moving time forward."""

    def __init__(self) -> None:
        super().__init__()
        self.slept: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        await super().sleep(seconds)
