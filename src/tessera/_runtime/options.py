"""Per-call options and the sentinel that tells "not passed" from None."""

from __future__ import annotations

import enum
from typing import Final, Literal, TypeAlias


class _NotGivenType(enum.Enum):
    NOT_GIVEN = enum.auto()

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> Literal[False]:
        return False


NotGiven: TypeAlias = Literal[_NotGivenType.NOT_GIVEN]
NOT_GIVEN: Final = _NotGivenType.NOT_GIVEN
"""A keyword left out: the client's own setting applies (None would be a value of its own)."""
