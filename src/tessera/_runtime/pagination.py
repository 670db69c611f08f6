"""Paginated results: await (or run as a task) for one page, `async for` for every item of every page.

    pages = zs.docs.list_docs()              # a Pages: nothing is sent yet
    page = await pages                       # or asyncio.create_task(pages), TaskGroup().create_task(pages)
    async for doc in zs.docs.list_docs(): ...            # every item, page after page
    async for page in zs.docs.list_docs().iter_pages(): ...

A Pages is a real coroutine (collections.abc.Coroutine) for asyncio and type checkers: its first page's
request is a coroutine made when first awaited, sent to or thrown into; one never awaited is never made,
so it leaves no "never awaited" warning. Each page remembers how it was fetched (page.py's navigation).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Coroutine, Generator, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from tessera._runtime.conversion import attribute_for_json_name
from tessera._runtime.page import Page, navigate
from tessera._runtime.profile import PaginationStyle

PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")

FetchPage = Callable[[Mapping[str, object]], Coroutine[Any, Any, PageT]]
"""Sends the operation with these query parameters and returns the decoded page."""


class Pager(Generic[PageT]):
    """How one paginated call asks for its pages and reads where they end; one per call, shared by its pages."""

    __slots__ = ("_fetch", "_items_attribute", "_next_attribute", "_style", "_total_attribute")

    def __init__(self, fetch: FetchPage[PageT], page_type: type[PageT], style: PaginationStyle) -> None:
        self._fetch = fetch
        self._style = style
        self._items_attribute = attribute_for_json_name(page_type, style.items)
        self._next_attribute = attribute_for_json_name(page_type, style.next) if style.next else None
        self._total_attribute = attribute_for_json_name(page_type, style.total) if style.total else None

    async def page(self, query: Mapping[str, object]) -> PageT:
        page = await self._fetch(query)
        navigate(page, _Navigation(self, query))
        return page

    def items(self, page: PageT) -> Sequence[Any]:
        items: Sequence[Any] = getattr(page, self._items_attribute)
        return items

    def has_next(self, page: PageT, query: Mapping[str, object]) -> bool:
        received = len(self.items(page))
        if not received:
            return False
        if self._next_attribute is not None:
            return getattr(page, self._next_attribute) is not None
        if self._total_attribute is not None and self._style.skip_param is not None:
            total = getattr(page, self._total_attribute)
            return not isinstance(total, int) or _int(query.get(self._style.skip_param), 0) + received < total
        return True  # no total to compare with: the first empty page is the end

    def next_query(self, page: PageT, query: Mapping[str, object]) -> dict[str, object]:
        style = self._style
        if style.kind == "page-number":
            assert style.page_param is not None  # the profile requires it for this kind
            return {**query, style.page_param: _int(query.get(style.page_param), 1) + 1}
        assert style.skip_param is not None
        return {**query, style.skip_param: _int(query.get(style.skip_param), 0) + len(self.items(page))}


@attrs.frozen
class _Navigation:
    """A fetched page's way to the next one: its call's pager and the query it was fetched with."""

    pager: Pager[Any]
    query: Mapping[str, object]

    def has_next(self, page: Page) -> bool:
        return self.pager.has_next(page, self.query)

    async def next(self, page: Page) -> Page | None:
        if not self.has_next(page):
            return None
        following: Page = await self.pager.page(self.pager.next_query(page, self.query))
        return following


class Pages(Coroutine[Any, Any, PageT], Generic[PageT, ItemT]):
    """The result of a paginated operation; nothing is sent until it is awaited, run as a task or iterated."""

    __slots__ = ("_first", "_pager", "_query")

    def __init__(
        self,
        fetch: FetchPage[PageT],
        page_type: type[PageT],
        style: PaginationStyle,
        query: Mapping[str, object],
    ) -> None:
        self._pager = Pager(fetch, page_type, style)
        self._query = query
        self._first: Coroutine[Any, Any, PageT] | None = None

    def _coroutine(self) -> Coroutine[Any, Any, PageT]:
        if self._first is None:
            self._first = self._pager.page(self._query)
        return self._first

    def __await__(self) -> Generator[Any, None, PageT]:
        return self._coroutine().__await__()

    def send(self, value: Any) -> Any:
        return self._coroutine().send(value)

    def throw(self, typ: Any, val: Any = None, tb: Any = None, /) -> Any:
        if val is None and tb is None:
            return self._coroutine().throw(typ)  # the one-argument form: the others are deprecated since 3.12
        return self._coroutine().throw(typ, val, tb)

    def close(self) -> None:
        if self._first is not None:
            self._first.close()

    async def iter_pages(self) -> AsyncGenerator[PageT, None]:
        """Every page in turn, from this call's own, each fetched when the previous one was taken."""
        query = self._query
        while True:
            page = await self._pager.page(query)
            yield page
            if not self._pager.has_next(page, query):
                return
            query = self._pager.next_query(page, query)

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async with contextlib.aclosing(self.iter_pages()) as pages:
            async for page in pages:
                for item in self._pager.items(page):
                    yield item


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) else default
