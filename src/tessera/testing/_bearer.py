"""Bearer credentials as every vendor reads them: `Bearer <token>`, the scheme in any case."""

from __future__ import annotations

from aiohttp import web


def bearer_token(request: web.Request, header: str = "Authorization") -> str | None:
    """The token `header` carries after the Bearer scheme, stripped: empty if there is none after it;
    None when the header is missing or names another scheme (ZapSign then looks for ?api_token=).
    """
    scheme, _, token = request.headers.get(header, "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None
