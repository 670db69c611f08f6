"""What an answer and an error tell of their request: its method, its URL with no credential, the vendor's id.

The URL is the one the answer came from (the last hop of a redirect), with the value of every query
parameter that may be a credential replaced by `<redacted>`: those the spec's apiKey schemes put in the
query, and the usual names of one (`api_key`, `access_token`, `token`, ...; in any case). A user-info part
never reaches here: base URLs with one are refused, and a redirect's is dropped with its origin.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Final
from urllib.parse import unquote_plus

from yarl import URL

CREDENTIAL_QUERY_NAMES: Final = frozenset(
    {
        "access_token",
        "api-key",
        "api_key",
        "api_token",
        "apikey",
        "auth",
        "client_secret",
        "key",
        "password",
        "refresh_token",
        "secret",
        "sig",
        "signature",
        "token",
        # A pre-signed file link's (S3's, Google Cloud Storage's): what signs it, and the temporary credential.
        "x-amz-credential",
        "x-amz-security-token",
        "x-amz-signature",
        "x-goog-credential",
        "x-goog-signature",
    }
)
"""Query names whose value is redacted in every vendor's URLs, besides its spec's own (lower case)."""
REQUEST_ID_HEADERS: Final = ("X-Request-Id", "Request-Id")
"""Where a vendor's answer carries its id of the request, unless its spec names the header."""
REDACTED: Final = "<redacted>"


def shown_url(url: URL, secret_names: Collection[str] = ()) -> str:
    """`url` as text, each query value of a credential's name (`secret_names`, or a usual one) redacted."""
    raw_query = url.raw_query_string
    if not raw_query:
        return str(url)
    secret = CREDENTIAL_QUERY_NAMES.union(name.lower() for name in secret_names)
    pairs = []
    for pair in raw_query.split("&"):
        name, equals, _ = pair.partition("=")
        pairs.append(f"{name}={REDACTED}" if equals and unquote_plus(name).lower() in secret else pair)
    return str(url.with_query(None).with_fragment(None)) + "?" + "&".join(pairs)


def request_id(headers: Mapping[str, str], names: Collection[str]) -> str | None:
    """The first of `names` the answer carries (headers are matched in any case), else None."""
    for name in names:
        value = headers.get(name)
        if value:
            return value
    return None
