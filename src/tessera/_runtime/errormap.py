"""Turns a vendor's error answer into the `tessera.errors` class its spec maps it to."""

from __future__ import annotations

import json
from collections.abc import Mapping

from tessera import errors
from tessera._runtime.profile import ErrorRule, VendorProfile
from tessera._runtime.requestinfo import request_id, shown_url
from tessera._runtime.retries import asked_wait
from tessera._runtime.transport import RawResponse

_STATUS_DEFAULTS: Mapping[int, type[errors.ApiError]] = {
    400: errors.BadRequest,
    401: errors.AuthenticationError,
    403: errors.PermissionDenied,
    404: errors.NotFound,
    409: errors.Conflict,
    422: errors.BadRequest,
    429: errors.RateLimited,
}

_MAX_MESSAGE = 300
"""Vendor messages are cut here: an HTML error page from a proxy is not a message."""


def parse_error_body(raw: bytes) -> object:
    """The body as JSON when it is JSON, else as text (an HTML page from a proxy, say)."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested too deeply for json to read
        return raw.decode("utf-8", errors="replace")


def map_error(profile: VendorProfile, response: RawResponse, *, now: float) -> errors.ApiError:
    """The error to raise for an error answer (`now`: epoch seconds), with its request's method and URL."""
    status, headers = response.status, response.headers
    body = parse_error_body(response.body)
    error_class = _matching_rule_error(profile, status, body) or _default_error(status)
    error = error_class(
        _message(profile, status, body),
        status=status,
        vendor=profile.vendor,
        body=body,
        response_headers=headers,
        code=_code(profile, body),
        method=response.method,
        url=shown_url(response.url, profile.secret_query_names),
        request_id=request_id(headers, profile.request_id_headers),
    )
    if isinstance(error, errors.RateLimited):
        error.retry_after = asked_wait(profile, status, headers, now)
    return error


def _default_error(status: int) -> type[errors.ApiError]:
    if status >= 500:
        return errors.ServerError
    return _STATUS_DEFAULTS.get(status, errors.ApiError)


def _matching_rule_error(profile: VendorProfile, status: int, body: object) -> type[errors.ApiError] | None:
    for rule in profile.errors.rules:
        if status in rule.statuses and _matches(rule, body):
            return rule.error
    return None


def _matches(rule: ErrorRule, body: object) -> bool:
    for path, accepted in rule.when:
        value = _field(body, path)
        if not isinstance(value, str) or not any(_compare(rule, value, want) for want in accepted):
            return False
    return True


def _compare(rule: ErrorRule, value: str, want: str) -> bool:
    if rule.match == "prefix":
        return value.startswith(want)
    if rule.match == "contains":
        return want in value
    return value == want


def _field(body: object, path: tuple[str, ...]) -> object:
    current = body
    for part in path:
        if isinstance(current, Mapping):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


def _code(profile: VendorProfile, body: object) -> str | None:
    """The vendor's error code: the first of the spec's code fields that the body holds as text or a number."""
    if not isinstance(body, Mapping):
        return None
    for name in profile.errors.code_fields:
        value = body.get(name)
        if isinstance(value, str) and value:
            return value[:_MAX_MESSAGE]
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    return None


def _message(profile: VendorProfile, status: int, body: object) -> str:
    if isinstance(body, Mapping):
        for name in profile.errors.message_fields:
            value = body.get(name)
            if isinstance(value, str) and value:
                return value[:_MAX_MESSAGE]
        if body:
            # DRF validation errors are {"field": ["message", ...]}: name the fields.
            return "; ".join(f"{key}: {_short(value)}" for key, value in body.items())[:_MAX_MESSAGE]
    if isinstance(body, str) and body.strip():
        return _text_message(body)
    return f"HTTP {status}"


def _text_message(text: str) -> str:
    """A bare line of text is the vendor's message (ZapSign answers some errors with a lone JSON string or plain
    text: "Background check not found."); markup or several lines is a page (a proxy's), described, not quoted."""
    line = text.strip()
    if "\n" in line or line.startswith("<"):
        return f"non-JSON error body ({len(text)} characters)"
    return line[:_MAX_MESSAGE]


def _short(value: object) -> str:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return " ".join(value)
    return json.dumps(value, default=str)[:80]
