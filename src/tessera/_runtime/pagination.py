"""Paginated results: await for one page, `async for` for every item of every page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine, Generator, Mapping, Sequence
from typing import Any, Generic, TypeVar

from tessera._runtime.conversion import attribute_for_json_name
from tessera._runtime.profile import PaginationStyle

PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")

FetchPage = Callable[[Mapping[str, object]], Coroutine[Any, Any, PageT]]
"""Sends the operation with these query parameters and returns the decoded page."""


class Pages(Generic[PageT, ItemT]):
    """The result of a paginated operation; nothing is sent until it is awaited or iterated."""

    __slots__ = ("_fetch", "_items_attribute", "_next_attribute", "_query", "_style", "_total_attribute")

    def __init__(
        self,
        fetch: FetchPage[PageT],
        page_type: type[PageT],
        style: PaginationStyle,
        query: Mapping[str, object],
    ) -> None:
        self._fetch = fetch
        self._style = style
        self._query = query
        self._items_attribute = attribute_for_json_name(page_type, style.items)
        self._next_attribute = attribute_for_json_name(page_type, style.next) if style.next else None
        self._total_attribute = attribute_for_json_name(page_type, style.total) if style.total else None

    def __await__(self) -> Generator[Any, None, PageT]:
        return self._fetch(self._query).__await__()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        query = dict(self._query)
        while True:
            page = await self._fetch(query)
            items: Sequence[ItemT] = getattr(page, self._items_attribute)
            for item in items:
                yield item
            if not items or self._is_last(page, query, len(items)):
                return
            query = self._next_query(query, len(items))

    def _is_last(self, page: PageT, query: Mapping[str, object], received: int) -> bool:
        if self._next_attribute is not None:
            return getattr(page, self._next_attribute) is None
        if self._total_attribute is not None and self._style.skip_param is not None:
            total = getattr(page, self._total_attribute)
            return isinstance(total, int) and _int(query.get(self._style.skip_param), 0) + received >= total
        return False

    def _next_query(self, query: Mapping[str, object], received: int) -> dict[str, object]:
        style = self._style
        if style.kind == "page-number":
            assert style.page_param is not None  # the profile requires it for this kind
            return {**query, style.page_param: _int(query.get(style.page_param), 1) + 1}
        assert style.skip_param is not None
        return {**query, style.skip_param: _int(query.get(style.skip_param), 0) + received}


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) else default
