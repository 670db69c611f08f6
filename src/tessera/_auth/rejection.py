"""What a refused token means for the request that carried it."""

from __future__ import annotations

import enum


class Rejection(enum.Enum):
    """What a refused token means for the request that carried it."""

    FINAL = "final"
    """No other token to try: raise the vendor's error."""
    STALE = "stale"
    """The token had already been replaced when the answer came: retry with the current one."""
    RENEWING = "renewing"
    """The current token was refused and is being renewed: retry once with the renewed one."""
