"""Checking a base URL, or a file link to download, before any request is sent to it."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from yarl import URL

from tessera.errors import ConfigurationError, InvalidArgument

_UNSENDABLE = re.compile(r"[\x00-\x20\x7f]")
"""Whitespace and control characters: no server can be reached at such a URL, and a newline would
split the request line if it ever got that far."""
_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)?[^/?#]*@")
"""A user:password@ part, with or without a scheme before it."""


def _shown(url: str) -> str:
    """The URL for a message: a user:password part is masked, whatever else is wrong with the URL."""
    return repr(_USERINFO.sub(r"\g<scheme>***@", url, count=1))


def checked_base_url(url: object, *, allow_insecure_http: object) -> str:
    """The base URL without a trailing slash, or ConfigurationError saying what is wrong with it."""
    if not isinstance(allow_insecure_http, bool):
        raise ConfigurationError(f"allow_insecure_http must be True or False, not {allow_insecure_http!r}")
    if not isinstance(url, str):
        raise ConfigurationError(f"base_url must be a string such as https://host/path, not {type(url).__name__}")
    if not url.strip():
        raise ConfigurationError("base_url is empty: leave it out for the vendor's production URL")
    if _UNSENDABLE.search(url):
        raise ConfigurationError(f"base_url {_shown(url)} contains whitespace or control characters: remove them")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsed on access: a port out of range or not a number raises here
    except ValueError as error:
        raise ConfigurationError(
            f"base_url {_shown(url)} cannot be parsed ({error}): write it as https://host/path"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"base_url {_shown(url)} is not an absolute http(s) URL: write it as https://host/path"
        )
    if parts.query or parts.fragment:
        raise ConfigurationError(f"base_url {_shown(url)} has a query or fragment: give only scheme, host and path")
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


def checked_link(url: object, *, allow_insecure_http: bool, vendor: str) -> URL:
    """A file link a vendor answered with (a pre-signed S3 URL, say), checked as the client's base URL is.

    InvalidArgument (`url`) for anything but an absolute https URL, or plain http to a loopback host (any
    host with `allow_insecure_http`); a user:password part is refused too. No message shows the link's path
    or query: a pre-signed link's query is its credential.
    """

    def refused(problem: str) -> InvalidArgument:
        return InvalidArgument(f"url: {problem}", argument="url", vendor=vendor, operation="download")

    if not isinstance(url, str):
        raise refused(f"expected the link as a str, got {type(url).__name__}")
    if _UNSENDABLE.search(url):
        raise refused("the link contains whitespace or control characters")
    try:
        link = URL(url, encoded=True)  # as the vendor wrote it: a signature's %2B must stay as it is
        host = link.host
    except ValueError:
        raise refused("the link cannot be parsed as a URL") from None
    if link.scheme not in ("http", "https") or not host or not link.is_absolute():
        raise refused("expected an absolute https:// link")
    if link.user is not None or link.password is not None:
        raise refused("the link carries a user name or password; tessera sends none")
    if link.scheme == "http" and not allow_insecure_http and not is_loopback(host):
        raise refused(
            f"the link uses plain http to {host}; use https, or build the client with allow_insecure_http=True"
        )
    return link
