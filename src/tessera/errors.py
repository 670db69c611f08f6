"""Every error tessera raises.

```
TesseraError
├── ConfigurationError          bad base_url, missing credentials, http:// to a non-loopback host
├── InvalidArgument             a call's parameter of a type the spec does not allow, or a path segment
│                               that would leave its route ('', '.', '..'); also a ValueError and a TypeError
├── TransportError              connection refused or reset, DNS, TLS
│   ├── RequestTimeout
│   ├── ResponseTooLarge        a body past max_response_bytes (after decompression); .limit
│   └── ClientClosed            the client's aclose() began: nothing more is sent
├── DecodeError                 the body is not JSON or does not fit the model; .path names the field,
│                               .body shows it (cut, secrets redacted)
└── ApiError                    .status, .vendor, .message, .code (the vendor's error code), .body (parsed
    │                           vendor error), .response_headers, .request_id; .method and .url (redacted)
    ├── BadRequest              400 (and 422)
    ├── AuthenticationError     401
    │   ├── InvalidCredentials  the login itself was refused
    │   ├── TokenMissing        no or empty Authorization header
    │   ├── TokenExpired
    │   ├── TokenMalformed
    │   └── TokenSignatureInvalid
    ├── PermissionDenied        403
    │   └── TokenRevoked        the key or integration token was removed
    ├── NotFound                404
    ├── Conflict                409
    ├── RateLimited             429, and a vendor's own flood answer; .retry_after
    └── ServerError             5xx
```

Messages come from the vendor's body, from aiohttp's reason for a failure (any URL in it cut to its
origin) or from tessera itself, never from a request: no token, key, password or refresh token can
reach them, since tessera never puts one in a message or a URL.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "ApiError",
    "AuthenticationError",
    "BadRequest",
    "ClientClosed",
    "ConfigurationError",
    "Conflict",
    "DecodeError",
    "InvalidArgument",
    "InvalidCredentials",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "RequestTimeout",
    "ResponseTooLarge",
    "ServerError",
    "TesseraError",
    "TokenExpired",
    "TokenMalformed",
    "TokenMissing",
    "TokenRevoked",
    "TokenSignatureInvalid",
    "TransportError",
]


class TesseraError(Exception):
    """The root of every error tessera raises."""


class ConfigurationError(TesseraError):
    """The client was configured in a way that cannot work; the message says how to fix it."""


class InvalidArgument(TesseraError, ValueError, TypeError):
    """A call's argument the spec does not allow, refused before anything is sent; `argument` names it.

    Also a ValueError and a TypeError, so code written for the standard library's refusals keeps working.
    """

    def __init__(self, message: str, *, argument: str = "", vendor: str = "", operation: str = "") -> None:
        where = f"{vendor}.{operation}: " if operation else ""
        super().__init__(f"{where}{message}")
        self.argument = argument
        self.vendor = vendor
        self.operation = operation


class TransportError(TesseraError):
    """The request did not get an HTTP answer: connection refused or reset, DNS, TLS."""


class RequestTimeout(TransportError):
    """No complete answer within the timeout."""


class ResponseTooLarge(TransportError):
    """The answer's body, decompressed, is longer than `limit` bytes (`max_response_bytes`); never retried."""

    def __init__(self, message: str, *, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


class ClientClosed(TransportError):
    """The client's `aclose()` began: a call made since, or waiting then, sends nothing more."""


class DecodeError(TesseraError):
    """The body is not JSON, or does not fit the model; `path` names the field (`$.results[3].status`).

    `body` is what came, as text: its first 4,096 characters (then `...`), with the value of every member
    the spec marks secret redacted. None for an auth answer (a login's, a refresh's): those are all secret.
    Not part of str() or repr().
    """

    def __init__(
        self, message: str, *, path: str = "$", vendor: str = "", operation: str = "", body: str | None = None
    ) -> None:
        where = f"{vendor}.{operation}: " if operation else ""
        super().__init__(f"{where}{message} at {path}")
        self.path = path
        self.vendor = vendor
        self.operation = operation
        self.body = body


class ApiError(TesseraError):
    """The vendor answered with an error status; `body` is its parsed error body (or the raw text).

    `code`: the vendor's machine code for the error, read from the fields its spec names (DRF's `code`,
    feathers' `name`), None when the body has none. `method` and `url`: the request's, the URL with every
    query value of a credential redacted (see README.md); `request_id`: the vendor's id of the request,
    from its answer's headers, where it sends one. None of these is part of str() or repr().
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        vendor: str,
        body: object = None,
        response_headers: Mapping[str, str] | None = None,
        code: str | None = None,
        method: str = "",
        url: str = "",
        request_id: str | None = None,
    ) -> None:
        super().__init__(f"{vendor} answered {status}: {message}")
        self.message = message
        self.status = status
        self.vendor = vendor
        self.body = body
        self.response_headers: Mapping[str, str] = response_headers or {}
        self.code = code
        self.method = method
        self.url = url
        self.request_id = request_id


class BadRequest(ApiError):
    """400, and 422: the request was refused as written."""


class AuthenticationError(ApiError):
    """401: the credential was not accepted."""


class InvalidCredentials(AuthenticationError):
    """The login itself was refused (wrong user, password or organization)."""


class TokenMissing(AuthenticationError):
    """The vendor saw no, or an empty, Authorization header."""


class TokenExpired(AuthenticationError):
    """The token is past its expiry, by the vendor's clock or by its own `exp`."""


class TokenMalformed(AuthenticationError):
    """The token could not be decoded."""


class TokenSignatureInvalid(AuthenticationError):
    """The token decoded but its signature was not the vendor's."""


class PermissionDenied(ApiError):
    """403: authenticated, but not allowed."""


class TokenRevoked(PermissionDenied):
    """The key or integration token was removed."""


class NotFound(ApiError):
    """404."""


class Conflict(ApiError):
    """409: e.g. a slot that is already taken."""


class RateLimited(ApiError):
    """429, or a vendor's own flood answer; `retry_after` is seconds to wait when the vendor said so."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        vendor: str,
        body: object = None,
        response_headers: Mapping[str, str] | None = None,
        code: str | None = None,
        method: str = "",
        url: str = "",
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message,
            status=status,
            vendor=vendor,
            body=body,
            response_headers=response_headers,
            code=code,
            method=method,
            url=url,
            request_id=request_id,
        )
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx."""
