"""When a failed attempt is tried again, and after how long."""

from __future__ import annotations

import email.utils
import random
from collections.abc import Mapping

from tessera._runtime.operation import Operation
from tessera._runtime.profile import VendorProfile

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_BACKOFF_BASE = 0.5
_BACKOFF_CAP = 8.0
RETRY_AFTER_CAP = 60.0
"""A vendor asking for a longer wait gets its error raised, not a caller stalled for minutes."""


def backoff(attempt: int) -> float:
    """Exponential backoff with full jitter: many clients failing together do not retry in step."""
    return random.uniform(0, min(_BACKOFF_CAP, _BACKOFF_BASE * 2 ** (attempt - 1)))  # noqa: S311 - not crypto


def retryable_status(operation: Operation, status: int) -> bool:
    return operation.retry_safe and status in RETRY_STATUSES


def retry_delay(
    profile: VendorProfile, status: int, headers: Mapping[str, str], attempt: int, now: float
) -> float | None:
    """Seconds before attempt `attempt + 1`, or None when the vendor asked for more than RETRY_AFTER_CAP."""
    asked = asked_wait(profile, status, headers, now)
    if asked is None:
        return backoff(attempt)
    return asked if asked <= RETRY_AFTER_CAP else None


def asked_wait(profile: VendorProfile, status: int, headers: Mapping[str, str], now: float) -> float | None:
    """The wait the vendor asked for: Retry-After (seconds or an HTTP date), or on a 429 its reset header."""
    value = headers.get("Retry-After")
    if value is None and status == 429 and profile.rate_limit_reset_header:
        # Videsk sends Ratelimit-Reset on every answer; it means "wait" only when we were limited.
        value = headers.get(profile.rate_limit_reset_header)
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)
