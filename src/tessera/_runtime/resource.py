"""The base of every generated group of operations (one per spec tag)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tessera._runtime.requester import Requester


class Resource:
    """Operations of one tag, sending through the client's requester."""

    __slots__ = ("_requester",)

    def __init__(self, requester: Requester) -> None:
        self._requester = requester
