"""Checking a base URL before any request is sent to it."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from tessera.errors import ConfigurationError


def checked_base_url(url: str, *, allow_insecure_http: bool) -> str:
    """The base URL without a trailing slash, or ConfigurationError saying what is wrong with it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"base_url {url!r} is not an absolute http(s) URL: write it as https://host/path")
    if parts.query or parts.fragment:
        raise ConfigurationError(f"base_url {url!r} has a query or fragment: give only scheme, host and path")
    if parts.username or parts.password:
        raise ConfigurationError("base_url carries credentials: pass them as the client's auth instead")
    if parts.scheme == "http" and not allow_insecure_http and not is_loopback(parts.hostname):
        raise ConfigurationError(
            f"base_url uses plain http to {parts.hostname}, which would send credentials in clear: "
            "use https, or pass allow_insecure_http=True if you really mean it"
        )
    return url.rstrip("/")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
