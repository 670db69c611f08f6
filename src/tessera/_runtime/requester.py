"""The one request path every operation goes through: URL, auth, send, retry, map, decode.

What a 401 means is the business of the call's `Authorization` (_auth/flow.py: its credential's flow):
it gives each attempt's headers and, given the mapped AuthenticationError, the authorization to send
again with, or None; the loop here only follows.

The calls of a client's methods, and the auth lifecycles' own requests (login, refresh, mint: `exchange`),
which go without the client's credentials and take no connection slot (a renewal must not wait for the
slots its waiters hold).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
import types
import typing
from collections.abc import Mapping
from types import NoneType
from typing import Any, TypeVar

from yarl import URL

from tessera._auth.flow import AuthFlow, Authorization
from tessera._auth.secrets import Secret
from tessera._runtime.arguments import cookie_header, header_values, path_segments, query_params
from tessera._runtime.conversion import Codec, json_name
from tessera._runtime.downloads import FileSink
from tessera._runtime.errormap import map_error
from tessera._runtime.extras import extra_headers as checked_extra_headers
from tessera._runtime.extras import extra_query as checked_extra_query
from tessera._runtime.extras import merged_headers, with_extra_body, with_extra_query
from tessera._runtime.localfiles import with_files_read
from tessera._runtime.operation import Operation
from tessera._runtime.options import NOT_GIVEN, NotGiven
from tessera._runtime.pagination import Pages
from tessera._runtime.profile import VendorProfile
from tessera._runtime.requestbody import check_enums
from tessera._runtime.responses import note
from tessera._runtime.retries import backoff, retry_delay, retryable_status
from tessera._runtime.settings import checked_max_response_bytes, checked_max_retries, checked_timeout
from tessera._runtime.textbody import decode_text
from tessera._runtime.transport import RawResponse, Sink, Transport
from tessera._runtime.uploads import Payload, binary_payload, form_payload, multipart_payload
from tessera.clock import Clock
from tessera.errors import (
    AuthenticationError,
    ClientClosed,
    ConfigurationError,
    DecodeError,
    InvalidArgument,
    RequestTimeout,
    ResponseTooLarge,
    TransportError,
)

T = TypeVar("T")
PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")

logger = logging.getLogger("tessera")

_NO_SLOT = contextlib.nullcontext()


def _unnoted(response: RawResponse, profile: VendorProfile) -> None:
    """An auth lifecycle's answer: not the caller's to see in with_response()."""


class Requester:
    """Sends operations for one client: its base URL, credentials, headers, timeout and retry budget."""

    __slots__ = (
        "_base_url",
        "_clock",
        "_codec",
        "_default_headers",
        "_flows",
        "_max_retries",
        "_profile",
        "_timeout",
        "_transport",
    )

    def __init__(
        self,
        *,
        profile: VendorProfile,
        base_url: str,
        transport: Transport,
        codec: Codec,
        flows: Mapping[str, AuthFlow],
        timeout: float,
        max_retries: int,
        clock: Clock,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        """`default_headers`: sent with every request, the lowest of its headers (see extras.py)."""
        self._profile = profile
        self._default_headers: Mapping[str, str] = default_headers or {}
        self._clock = clock
        self._base_url = base_url
        self._transport = transport
        self._codec = codec
        self._flows = flows
        self._timeout = timeout
        self._max_retries = max_retries

    async def call(
        self,
        operation: Operation,
        response_type: type[T],
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: object = NOT_GIVEN,
        send_unknown_fields: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        max_response_bytes: int | NotGiven = NOT_GIVEN,
    ) -> T:
        """`send_unknown_fields`: the body's decoded models carry back the members they had no field for.

        `headers` and `cookies`: the header and cookie parameters' values, by their names in the spec.
        `body`: given (None included) by the operations that take one. `extra_*`: what the call adds to
        the spec's request (extras.py).
        """
        response = await self._request(
            operation,
            path=path,
            query=query,
            headers=headers,
            cookies=cookies,
            body=body,
            send_unknown_fields=send_unknown_fields,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
            max_retries=max_retries,
            max_response_bytes=max_response_bytes,
        )
        vendor, operation_id = self._profile.vendor, operation.operation_id
        if response_type is NoneType or (not response.body and _admits_none(response_type)):
            # No content (a 204 beside a 200 in the spec, say): the type says None may come.
            return None  # type: ignore[return-value]  # T admits None here
        if operation.response == "text":
            return decode_text(response.body, response.headers, vendor=vendor, operation=operation_id)  # type: ignore[return-value]  # T is str
        if operation.response == "binary":
            return response.body  # type: ignore[return-value]  # T is bytes
        return self._codec.decode(response.body, response_type, vendor=vendor, operation=operation_id)

    async def download(
        self,
        operation: Operation,
        destination: str | os.PathLike[str],
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: object = NOT_GIVEN,
        send_unknown_fields: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> int:
        """A binary answer written to `destination` as it comes, however large; the number of bytes written."""
        sink = FileSink(destination, vendor=self._profile.vendor, operation=operation.operation_id)
        await self._request(
            operation,
            path=path,
            query=query,
            headers=headers,
            cookies=cookies,
            body=body,
            send_unknown_fields=send_unknown_fields,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
            max_retries=max_retries,
            max_response_bytes=NOT_GIVEN,
            sink=sink,
        )
        return sink.written

    async def fetch_link(
        self,
        link: URL,
        *,
        sink: Sink | None,
        timeout: float | NotGiven,
        max_retries: int | NotGiven,
        max_response_bytes: int | NotGiven,
    ) -> RawResponse:
        """A GET of a file link (urls.checked_link) as another party's URL: sent without the client's credentials,
        default headers or cookies, retried and bounded as a call is; errors name the link's origin only."""
        origin = str(link.origin())
        # Not an operation of the spec: the link's origin stands for its path in logs and errors.
        operation = Operation("download", "GET", origin, security=(), retry_safe=True, response="binary")
        with self._transport.carrying(f"{self._profile.vendor} GET {origin}"):
            return await self._send(
                operation,
                link,
                [],
                None,
                sink=sink,
                auth=None,
                call_headers={},
                send_cookies=False,
                timeout=self._timeout if timeout is NOT_GIVEN else checked_timeout(timeout),
                max_retries=self._max_retries if max_retries is NOT_GIVEN else checked_max_retries(max_retries),
                max_response_bytes=None
                if max_response_bytes is NOT_GIVEN
                else checked_max_response_bytes(max_response_bytes),
            )

    async def _request(
        self,
        operation: Operation,
        *,
        path: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        headers: Mapping[str, object] | None,
        cookies: Mapping[str, object] | None,
        body: object,
        send_unknown_fields: bool,
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, object] | None,
        extra_body: Mapping[str, object] | None,
        timeout: float | NotGiven,
        max_retries: int | NotGiven,
        max_response_bytes: int | NotGiven,
        sink: Sink | None = None,
    ) -> RawResponse:
        """A call's arguments checked and encoded, then sent: its final success answer.

        `body`: given (None included) by the operations that take one. `extra_*`: what the call adds to
        the spec's request (extras.py).
        """
        vendor, operation_id = self._profile.vendor, operation.operation_id
        url = self._url(operation, path)
        params = query_params(operation, query, vendor) if query else []
        if extra_query is not None:
            params = with_extra_query(params, checked_extra_query(extra_query, vendor=vendor, operation=operation_id))
        parameter_headers = header_values(operation, headers, vendor) if headers else {}
        cookie = cookie_header(operation, cookies, vendor) if cookies else None
        if cookie is not None:
            parameter_headers["Cookie"] = cookie
        call_headers = merged_headers(
            self._default_headers,
            parameter_headers,
            checked_extra_headers(extra_headers, vendor=vendor, operation=operation_id)
            if extra_headers is not None
            else None,
        )
        given = body is not None and body is not NOT_GIVEN
        if given and operation.body == "json":
            # A bytes field may hold a file's path: read now, once for every attempt (localfiles.py).
            body = await with_files_read(body, json_name=json_name, vendor=vendor, operation=operation_id)
        json_body, payload = self._encoded_body(operation, body, send_unknown_fields) if given else (None, None)
        if extra_body is not None:
            takes_json = body is not NOT_GIVEN and operation.body == "json"
            json_body = with_extra_body(
                json_body, extra_body, takes_body=takes_json, vendor=vendor, operation=operation_id
            )
        # Carried: once the client closes, this call sends nothing more and ends with ClientClosed.
        with self._transport.carrying(f"{self._profile.vendor} {operation.method} {operation.path}"):
            return await self._send(
                operation,
                url,
                params,
                json_body,
                payload=payload,
                sink=sink,
                auth=self._flow_for(operation),
                call_headers=call_headers,
                timeout=self._timeout if timeout is NOT_GIVEN else checked_timeout(timeout),
                max_retries=self._max_retries if max_retries is NOT_GIVEN else checked_max_retries(max_retries),
                max_response_bytes=None  # the client's, which the transport holds
                if max_response_bytes is NOT_GIVEN
                else checked_max_response_bytes(max_response_bytes),
            )

    def _encoded_body(
        self, operation: Operation, body: object, send_unknown_fields: bool
    ) -> tuple[object, Payload | None]:
        """(JSON data, None) for a JSON body, (None, the payload) for any other; checked before anything is sent."""
        vendor, operation_id = self._profile.vendor, operation.operation_id
        if operation.body == "binary":
            return None, binary_payload(body, operation.body_media_type, vendor=vendor, operation=operation_id)
        check_enums(body, json_name=json_name, vendor=vendor, operation=operation_id)
        if operation.body == "json":
            return self._codec.unstructure(body, unknown_fields=send_unknown_fields), None
        encode = form_payload if operation.body == "form" else multipart_payload
        return None, encode(body, unstructure=self._codec.unstructure, vendor=vendor, operation=operation_id)

    async def exchange(
        self,
        operation: Operation,
        *,
        path: Mapping[str, object],
        body: Mapping[str, object],
        headers: Mapping[str, str],
    ) -> Mapping[str, object]:
        """An auth lifecycle's request (login, refresh, mint): its JSON object answer, or the mapped error.

        Sent with `headers` over the client's default headers (no token of this client's: it is what the
        request obtains), outside any connection slot, and not carried: a renewal in flight when the client
        closes is awaited (`aclose()`), and sends nothing more once closing began (the transport refuses it).
        """
        response = await self._send(
            operation,
            self._url(operation, path),
            [],
            body,
            auth=None,
            headers=merged_headers(self._default_headers, headers),
            timeout=self._timeout,
            max_retries=self._max_retries,
            max_response_bytes=None,  # the client's
        )
        return self._json_object(response, operation)

    async def exchange_form(
        self, operation: Operation, url: str, *, form: Mapping[str, str], headers: Mapping[str, str]
    ) -> Mapping[str, object]:
        """An OAuth 2 token request: `form` POSTed to `url` (the spec's tokenUrl), sent as `exchange` sends.

        `operation` names the request in logs and errors (its path: the token URL's, without a query).
        """
        response = await self._send(
            operation,
            url,
            [],
            None,
            payload=form_payload(
                form, unstructure=self._codec.unstructure, vendor=self._profile.vendor, operation=operation.operation_id
            ),
            auth=None,
            headers=headers,
            timeout=self._timeout,
            max_retries=self._max_retries,
            max_response_bytes=None,  # the client's
        )
        return self._json_object(response, operation)

    def _json_object(self, response: RawResponse, operation: Operation) -> Mapping[str, object]:
        try:
            answer = json.loads(response.body)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise DecodeError(
                "the answer is not a JSON object", vendor=self._profile.vendor, operation=operation.operation_id
            )
        return answer

    def paginate(
        self,
        operation: Operation,
        page_type: type[PageT],
        item_type: type[ItemT],
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        max_response_bytes: int | NotGiven = NOT_GIVEN,
    ) -> Pages[PageT, ItemT]:
        if operation.pagination is None or operation.pagination not in self._profile.pagination:
            raise ConfigurationError(f"{operation.operation_id} names no pagination style of the spec")
        style = self._profile.pagination[operation.pagination]
        given = extra_query if isinstance(extra_query, Mapping) else ()  # anything else: refused by call()
        driven = {style.page_param, style.limit_param, style.skip_param}.intersection(given)
        if driven:
            # Each page's value would be replaced by the same one: the same page, fetched for ever.
            raise InvalidArgument(
                f"extra_query names {', '.join(sorted(map(str, driven)))}, which the pagination sets for each page",
                argument="extra_query",
                vendor=self._profile.vendor,
                operation=operation.operation_id,
            )

        async def fetch(page_query: Mapping[str, object]) -> PageT:
            return await self.call(
                operation,
                page_type,
                path=path,
                query=page_query,
                headers=headers,
                cookies=cookies,
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
                max_response_bytes=max_response_bytes,
            )

        return Pages(fetch, page_type, style, query or {})

    def _url(self, operation: Operation, path: Mapping[str, object] | None) -> str:
        if not path:
            return self._base_url + operation.path
        return self._base_url + operation.path.format_map(path_segments(operation, path, self._profile.vendor))

    async def _send(
        self,
        operation: Operation,
        url: str | URL,
        params: list[tuple[str, str]],
        json_body: object,
        *,
        payload: Payload | None = None,
        sink: Sink | None = None,
        auth: Authorization | None,
        timeout: float,
        max_retries: int,
        max_response_bytes: int | None,
        call_headers: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        send_cookies: bool = True,
    ) -> RawResponse:
        """`headers` given: an auth lifecycle's request, sent with them as they are and outside the slots.

        `call_headers`: a call's own (default, parameter and extra headers); the credential's win over them.
        """
        # A call's answer is noted for with_response(); a login's or a refresh's never is.
        noted = note if headers is None else _unnoted
        retries = attempt = 0
        token = None
        while True:
            attempt += 1
            begun = time.perf_counter()
            if auth is not None and self._transport.busy():
                # Queueing for a slot: a renewal due now is awaited first, so that its failure reaches
                # every queued caller at once, not one wave of callers per `limit` slots, each wave
                # starting (and waiting out) a renewal of its own.
                await self._token(auth, operation, timeout)
            async with self._transport.slot() if headers is None else _NO_SLOT:
                sent_params, credential_query = params, []
                if auth is None:
                    sent = headers if headers is not None else call_headers or {}
                else:
                    token = await self._token(auth, operation, timeout)
                    # The credential wins: a header parameter the spec declares with its name (an `X-API-Key`
                    # of its own), or an extra or default header of that name in any case, is dropped, and so
                    # is a query parameter of an apiKey's name: the credential is what authenticates the call.
                    sent = _credential_over(call_headers, auth.headers(token))
                    credential_query = auth.query(token)
                    sent_params = _without_credential_names(params, credential_query)
                try:
                    response = await self._transport.send(
                        operation.method,
                        url,
                        params=sent_params,
                        credential_query=credential_query,
                        json_body=json_body,
                        payload=payload,
                        sink=sink,
                        headers=sent,
                        timeout=timeout,
                        describe=f"{self._profile.vendor} {operation.method} {operation.path}",
                        max_response_bytes=max_response_bytes,
                        send_cookies=send_cookies,
                    )
                except TransportError as failure:
                    self._log(operation, type(failure).__name__, begun, attempt)
                    # A body too large now is as large on the next attempt: final.
                    if isinstance(failure, ResponseTooLarge) or not operation.retry_safe or retries >= max_retries:
                        raise
                    retries += 1
                    await self._clock.sleep(backoff(retries))
                    continue
            self._log(operation, response.status, begun, attempt)
            if response.status < 400:
                noted(response, self._profile)
                return response
            now = self._clock.now()
            error = map_error(self._profile, response, now=now)
            if isinstance(error, AuthenticationError) and auth is not None and token is not None:
                again = await auth.refused(token, error)
                if again is not None:
                    auth = again
                    continue
            if retryable_status(operation, response.status) and retries < max_retries:
                delay = retry_delay(self._profile, response.status, response.headers, retries + 1, now)
                if delay is not None:
                    retries += 1
                    await self._clock.sleep(delay)
                    continue
            noted(response, self._profile)
            raise error

    async def _token(self, auth: Authorization, operation: Operation, timeout: float) -> Secret:
        """The token to send; a wait for a renewal (perhaps another client's) ends with the call's timeout."""
        try:
            return await auth.token(within=timeout)
        except TimeoutError:
            raise RequestTimeout(
                f"{self._profile.vendor} {operation.method} {operation.path}: no token within {timeout:g} s"
            ) from None
        except ClientClosed:
            if self._transport.closed:
                raise
            # The renewal this call joined was sending through another client of the same credential,
            # closed meanwhile: renew through this one.
            return await self._token(auth, operation, timeout)

    def _log(self, operation: Operation, outcome: int | str, begun: float, attempt: int) -> None:
        """`attempt`: 1 for the first."""
        if logger.isEnabledFor(logging.DEBUG):  # checked first: the line costs more than the check
            logger.debug(
                "%s %s %s -> %s in %.1f ms (attempt %d)",
                self._profile.vendor,
                operation.method,
                operation.path,  # the template: parameter values, tokens and bodies are never logged
                outcome,
                (time.perf_counter() - begun) * 1000,
                attempt,
            )

    def _flow_for(self, operation: Operation) -> AuthFlow | None:
        if not operation.security:
            return None
        for name in operation.security:
            flow = self._flows.get(name)
            if flow is not None:
                return flow
        raise ConfigurationError(
            f"{operation.operation_id} needs one of the credentials {', '.join(operation.security)}, "
            "and this client was built with none of them"
        )


def _admits_none(annotation: Any) -> bool:
    """`X | None`: a type a call's empty answer may stand for."""
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and NoneType in typing.get_args(annotation)


def _credential_over(headers: Mapping[str, str] | None, credential: Mapping[str, str]) -> Mapping[str, str]:
    """The call's headers with the credential's over them (extras.merged_headers). An apiKey cookie joins the
    cookie parameters' Cookie header instead, replacing only a pair of its own name."""
    cookie = credential.get("Cookie")
    given = next((value for name, value in (headers or {}).items() if name.lower() == "cookie"), None)
    if cookie is None or given is None:
        return merged_headers(headers, credential)
    own = cookie.partition("=")[0]
    kept = [pair for pair in given.split("; ") if pair.partition("=")[0] != own]
    return merged_headers(headers, credential, {"Cookie": "; ".join([*kept, cookie])})


def _without_credential_names(
    params: list[tuple[str, str]], credential: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The query parameters but those of the credential's name: the credential authenticates the call."""
    if not credential:
        return params
    names = {name for name, _ in credential}
    return [pair for pair in params if pair[0] not in names]
