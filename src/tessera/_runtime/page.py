"""The base of every page model (the answer of a paginated operation): navigation to the pages after it.

    page = await zs.docs.list_docs()
    if page.has_next_page():
        page = await page.next_page()
    async for page in page.iter_pages(): ...   # this page, then each one after it

A page remembers, outside its attrs fields (like its unknown fields), the call that fetched it and
with which query (pagination.py): so it takes no part in equality, repr or `attrs.evolve`, and a page
built or copied by hand cannot ask for another one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Final, Protocol, Self, cast

from tessera._runtime.model import Model
from tessera.errors import InvalidArgument


class Navigation(Protocol):
    """Where a page came from: the paginated call that fetched it, and its query."""

    def has_next(self, page: Page) -> bool: ...

    async def next(self, page: Page) -> Page | None: ...


class Page(Model):
    """What the page model of every paginated operation derives from."""

    __slots__ = ("_tessera_navigation",)

    def has_next_page(self) -> bool:
        """Whether a page comes after this one, as this page says (DRF's `next`, or skip and total); sends nothing."""
        return _navigation(self).has_next(self)

    async def next_page(self) -> Self | None:
        """The page after this one, with the same parameters as this page's call; None after the last page."""
        return cast(Self | None, await _navigation(self).next(self))

    async def iter_pages(self) -> AsyncIterator[Self]:
        """This page, then every page after it, each fetched when the previous one was taken."""
        page: Self | None = self
        while page is not None:
            yield page
            page = await page.next_page()


SLOT: Final = "_tessera_navigation"


def navigate(page: object, navigation: Navigation) -> None:
    """Record on a page just fetched by a paginated call how to fetch the next one."""
    if isinstance(page, Page):
        object.__setattr__(page, SLOT, navigation)


def _navigation(page: Page) -> Navigation:
    found: Navigation | None = getattr(page, SLOT, None)
    if found is None:
        raise InvalidArgument(
            f"this {type(page).__name__} was not returned by a paginated call (it was built, decoded or copied by"
            " hand): there is no call to ask for the next page",
            argument="page",
        )
    return found
