"""Counting requests per route template, the way tests name them: "GET /docs/{doc_token}/"."""

from __future__ import annotations

from collections import Counter

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware


def route_key(request: web.Request, base_path: str) -> str:
    """The method and the route template after the base URL; the raw path when no route matched."""
    resource = request.match_info.route.resource
    path = resource.canonical if resource is not None else request.path
    return f"{request.method} {path.removeprefix(base_path)}"


def request_counter(counts: Counter[str], base_path: str) -> Middleware:
    """A middleware that counts every request, refused ones included, before anything can answer it."""

    @web.middleware
    async def count_request(request: web.Request, handler: Handler) -> web.StreamResponse:
        counts[route_key(request, base_path)] += 1
        return await handler(request)

    return count_request
