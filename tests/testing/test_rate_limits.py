"""The emulators' one rate limit, in the three window shapes its vendors count in (see tessera.testing._ratelimit)."""

from __future__ import annotations

from tessera.testing import ManualClock
from tessera.testing._ratelimit import RateLimit, Window


def test_a_sliding_window_frees_a_place_when_its_oldest_request_is_a_window_old() -> None:
    clock = ManualClock(start=1000.0)
    limit = RateLimit(2, 60, clock, window=Window.SLIDING)
    assert limit.hit().admitted
    clock.advance(30)
    assert limit.hit().admitted
    clock.advance(29)
    refused = limit.hit()
    assert (refused.admitted, refused.counted, refused.reset_in) == (False, 2, 1)  # refusals do not count
    clock.advance(1)  # the first request is now 60 s old
    assert limit.hit().admitted
    assert not limit.hit().admitted


def test_a_clock_window_resets_on_the_minute_whenever_the_first_request_came() -> None:
    clock = ManualClock(start=170.0)  # 10 s before the minute at 180
    limit = RateLimit(1, 60, clock, window=Window.CLOCK)
    assert limit.hit().admitted
    refused = limit.hit()
    assert (refused.admitted, refused.counted, refused.reset_in) == (False, 1, 10)
    clock.advance(10)
    assert limit.hit().admitted


def test_a_window_from_the_first_request_counts_refusals_when_told_to() -> None:
    clock = ManualClock(start=170.5)
    limit = RateLimit(1, 1, clock, window=Window.FROM_FIRST, count_refused=True)
    assert limit.hit().admitted
    clock.advance(0.5)
    refused = limit.hit()
    assert (refused.admitted, refused.counted, refused.reset_in) == (False, 2, 0.5)
    clock.advance(0.5)  # a second after the first request, not on a clock second
    admitted = limit.hit()
    assert (admitted.admitted, admitted.counted, admitted.reset_in) == (True, 1, 1)


def test_without_a_limit_every_request_is_admitted_and_counted() -> None:
    limit = RateLimit(None, 1, ManualClock(), window=Window.FROM_FIRST, count_refused=True)
    assert [limit.hit().counted for _ in range(3)] == [1, 2, 3]
