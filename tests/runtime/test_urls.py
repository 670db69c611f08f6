"""Base URLs are checked before any request: clear ConfigurationErrors, plain http only to loopback."""

from __future__ import annotations

import pytest

from tessera._runtime.urls import checked_base_url
from tessera.errors import ConfigurationError


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8081/api/v1/",
        "http://localhost:9",
        "http://[::1]:80",
        "https://api.zapsign.com.br/api/v1",
    ],
)
def test_accepted(url: str) -> None:
    assert checked_base_url(url, allow_insecure_http=False) == url.rstrip("/")


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("api.zapsign.com.br/api/v1", "absolute http(s) URL"),
        ("ftp://example.com", "absolute http(s) URL"),
        ("http://api.videsk.io", "allow_insecure_http=True"),
        ("http://10.0.0.8/api", "allow_insecure_http=True"),
        ("https://user:pw@example.com", "carries credentials"),
        ("https://example.com/api?x=1", "query or fragment"),
    ],
)
def test_refused_with_a_fix(url: str, says: str) -> None:
    with pytest.raises(ConfigurationError, match=says.replace("(", r"\(").replace(")", r"\)")):
        checked_base_url(url, allow_insecure_http=False)


def test_plain_http_to_a_public_host_when_asked_for() -> None:
    assert checked_base_url("http://api.videsk.io", allow_insecure_http=True) == "http://api.videsk.io"
