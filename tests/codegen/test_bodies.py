"""Bodies and responses beyond JSON (tests/codegen/inline_specs.py BODIES), through real calls to a server on
127.0.0.1: form fields, multipart parts with files (bytes, a path, a file object), raw uploads, text and
binary answers, a download streamed to a file, empty answers, a `default`-only success, base64 fields."""

from __future__ import annotations

import asyncio
import io
import json
import os
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import aiohttp
import attrs
import pytest
from aiohttp import web

from tessera._runtime.client import DEFAULT_MAX_RESPONSE_BYTES
from tessera.errors import DecodeError, InvalidArgument, RequestTimeout, ResponseTooLarge
from tessera.testing import ManualClock
from tests.codegen.corpus_calls import Handler, serving
from tests.codegen.generated import assert_mypy_strict, generate, importable
from tests.codegen.inline_specs import BODIES

VENDOR = "bodies"
BIG = 50 * 2**20
"""The uploaded file: larger than anything the call may hold in memory."""
REPORT = bytes(range(256)) * 12_288
"""3 MiB of PDF: more than the download test's max_response_bytes."""


@attrs.frozen
class Generated:
    out: Path
    endpoints: ModuleType
    models: ModuleType
    profile: ModuleType


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    out = generate(tmp_path_factory.mktemp("bodies"), VENDOR, BODIES)
    with importable(out):
        from bodies import _endpoints, _profile, models  # type: ignore[import-not-found]  # noqa: PLC0415

        yield Generated(out, _endpoints, models, _profile)


async def _parts(request: web.Request) -> list[tuple[str, str | None, str, bytes]]:
    """Each part of a multipart body as the server parsed it: (name, filename, Content-Type, content)."""
    reader = await request.multipart()
    parts = []
    async for part in reader:
        assert isinstance(part, aiohttp.BodyPartReader)
        parts.append((str(part.name), part.filename, part.headers["Content-Type"], bytes(await part.read())))
    return parts


class Server:
    """Handlers that answer per the spec and keep what they parsed."""

    def __init__(self) -> None:
        self.parts: list[list[tuple[str, str | None, str, bytes]]] = []
        self.uploaded: list[tuple[str, int]] = []
        self.streamed: list[int] = []
        self.unavailable = 0
        """Uploads to answer 503 before one is stored."""
        self.released = asyncio.Event()
        """Set to let a stalled download end (else the server's shutdown would wait for it)."""

    def routes(self) -> list[tuple[str, str, Handler]]:
        return [
            ("POST", "/v1/search", self.search),
            ("POST", "/v1/photos", self.photos),
            ("POST", "/v1/big", self.big),
            ("PUT", "/v1/raw", self.raw),
            ("GET", "/v1/readme", self.readme),
            ("GET", "/v1/report", self.report),
            ("GET", "/v1/maybe", self.maybe),
            ("GET", "/v1/fallback", self.fallback),
            ("POST", "/v1/attachments", self.attachments),
            ("PUT", "/v1/moved", self.moved),
            ("GET", "/v1/stalled", self.stalled),
        ]

    async def search(self, request: web.Request) -> web.Response:
        return web.json_response([value for _, value in (await request.post()).items() if isinstance(value, str)])

    async def photos(self, request: web.Request) -> web.Response:
        self.parts.append(await _parts(request))
        return web.Response(status=204)

    async def big(self, request: web.Request) -> web.Response:
        """Counts a multipart upload's file part as it streams in, a chunk at a time."""
        reader = await request.multipart()
        async for part in reader:
            assert isinstance(part, aiohttp.BodyPartReader)
            size = 0
            while chunk := await part.read_chunk(2**16):
                size += len(chunk)
            self.streamed.append(size)
        return web.Response(status=204)

    async def raw(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.uploaded.append((request.content_type, len(body)))
        if self.unavailable:
            self.unavailable -= 1
            return web.json_response({"detail": "busy"}, status=503)
        return web.json_response({"size": len(body)})

    async def moved(self, request: web.Request) -> web.Response:
        await request.read()
        raise web.HTTPTemporaryRedirect("/v1/raw")  # 307: the same body again, to the new place

    async def stalled(self, request: web.Request) -> web.StreamResponse:
        """A download that sends its first MiB, then nothing more."""
        response = web.StreamResponse(headers={"Content-Type": "application/pdf"})
        await response.prepare(request)
        await response.write(REPORT[: 2**20])
        await self.released.wait()
        return response

    async def readme(self, request: web.Request) -> web.Response:
        if request.query.get("charset") == "latin-1":
            return web.Response(body="Olá, señor".encode("latin-1"), content_type="text/plain", charset="latin-1")
        if request.query.get("charset") == "broken":
            return web.Response(body=b"\xff\xfe", content_type="text/plain", charset="utf-8")
        return web.Response(text="Olá, señor ✓")

    async def report(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/pdf"})
        await response.prepare(request)
        for start in range(0, len(REPORT), 2**18):
            await response.write(REPORT[start : start + 2**18])
        await response.write_eof()
        return response

    async def maybe(self, request: web.Request) -> web.Response:
        if request.query.get("empty"):
            return web.Response(status=204)
        return web.json_response({"size": 7})

    async def fallback(self, request: web.Request) -> web.Response:
        return web.json_response({"size": 9}, status=202)

    async def attachments(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body["name"] == "broken":
            return web.json_response({**body, "thumbnail": "not base64!"})
        return web.json_response(body)


@pytest.fixture
async def server() -> Server:
    return Server()


@attrs.define
class Calls:
    client: Any
    models: ModuleType
    server: Server
    seen: list[str]


@pytest.fixture
async def calls(generated: Generated, server: Server) -> AsyncIterator[Calls]:
    seen: list[str] = []
    async with serving(server.routes(), seen) as base_url:
        client = generated.endpoints.Api(
            generated.profile.PROFILE,
            credentials=[],
            base_url=base_url,
            timeout=30.0,
            max_retries=0,
            session=None,
            allow_insecure_http=True,
            max_response_bytes=DEFAULT_MAX_RESPONSE_BYTES,
            clock=ManualClock(),
        )
        async with client:
            yield Calls(client.default, generated.models, server, seen)


def test_the_generated_package_passes_mypy_strict(generated: Generated, tmp_path: Path) -> None:
    assert_mypy_strict([generated.out / VENDOR], cache=tmp_path / "mypy-cache", cwd=tmp_path)


async def test_a_form_body_goes_as_the_fields_the_server_parses_chosen_over_xml_and_multipart(calls: Calls) -> None:
    criteria = calls.models.Criteria(criteria="title:lease", start=0, exact=True, fields=["a", "b"])
    assert await calls.client.search(body=criteria) == ["title:lease", "0", "true", "a", "b"]
    # A mapping is a form too; null is left out.
    assert await calls.client.search(body={"criteria": "*:*", "start": None, "fields": []}) == ["*:*"]
    assert calls.seen == [
        "POST /v1/search form [('criteria', 'title:lease'), ('start', '0'), ('exact', 'true'),"
        " ('fields', 'a'), ('fields', 'b')]",
        "POST /v1/search form [('criteria', '*:*')]",
    ]


async def test_multipart_sends_a_file_from_bytes_a_path_or_a_file_object_beside_text_and_json_parts(
    calls: Calls, tmp_path: Path
) -> None:
    photo = tmp_path / "cat.jpg"
    photo.write_bytes(b"\xff\xd8 from disk")
    place = calls.models.Place(city="Lima")
    body = calls.models.AddPhotoBody
    assert await calls.client.add_photo(body=body(photo=b"\xff\xd8 bytes", caption="Tom", tags=["a", "b"])) is None
    await calls.client.add_photo(body=body(photo=photo, place=place))
    with photo.open("rb") as file:
        file.seek(3)  # sent from where it stands
        await calls.client.add_photo(body=body(photo=file))
    await calls.client.add_photo(body=body(photo=io.BytesIO(b"in memory")))
    octet, text, json_type = "application/octet-stream", "text/plain; charset=utf-8", "application/json"
    assert calls.server.parts == [
        [
            ("photo", "photo", octet, b"\xff\xd8 bytes"),
            ("caption", None, text, b"Tom"),
            ("tags", None, text, b"a"),
            ("tags", None, text, b"b"),
        ],
        [("photo", "cat.jpg", octet, b"\xff\xd8 from disk"), ("place", None, json_type, b'{"city": "Lima"}')],
        [("photo", "cat.jpg", octet, b"from disk")],
        [("photo", "photo", octet, b"in memory")],
    ]
    assert calls.seen[0].startswith("POST /v1/photos multipart/form-data")


async def test_a_50_mb_file_goes_from_its_path_without_being_read_whole(
    calls: Calls, generated: Generated, tmp_path: Path
) -> None:
    big = tmp_path / "big.bin"
    with big.open("wb") as file:
        file.truncate(BIG)  # sparse: 50 MiB of zeros without writing them
    operation = attrs.evolve(generated.endpoints._ADD_PHOTO, path="/big")
    tracemalloc.start()
    try:
        await calls.client._requester.call(operation, type(None), body=calls.models.AddPhotoBody(photo=big))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert calls.server.streamed == [BIG]
    assert peak < BIG // 5, f"{peak:,} bytes allocated at the peak"


async def test_an_octet_stream_body_is_a_files_bytes_as_they_are(calls: Calls, tmp_path: Path) -> None:
    path = tmp_path / "blob"
    path.write_bytes(b"x" * 70_000)
    stored = calls.models.Stored
    assert await calls.client.put_raw(body=b"abc") == stored(size=3)
    assert await calls.client.put_raw(body=path) == stored(size=70_000)
    assert await calls.client.put_raw(body=io.BytesIO(b"12345")) == stored(size=5)
    assert calls.server.uploaded == [("application/octet-stream", n) for n in (3, 70_000, 5)]


def _pipe_holding(data: bytes) -> io.FileIO:
    """The read end of a pipe holding `data`: a binary file that cannot seek."""
    read_end, write_end = os.pipe()
    os.write(write_end, data)
    os.close(write_end)
    return io.FileIO(read_end, "rb")


async def test_a_retried_upload_sends_its_file_again_from_where_it_stood_and_a_pipe_is_not_sent_short(
    calls: Calls, tmp_path: Path
) -> None:
    path = tmp_path / "blob"
    path.write_bytes(b"0123456789")
    calls.server.unavailable = 2
    with path.open("rb") as file:
        file.seek(4)
        assert await calls.client.put_raw(body=file, max_retries=2) == calls.models.Stored(size=6)
    calls.server.unavailable = 2
    assert await calls.client.put_raw(body=path, max_retries=2) == calls.models.Stored(size=10)
    calls.server.unavailable = 1
    with _pipe_holding(b"piped") as pipe:
        with pytest.raises(InvalidArgument, match="cannot seek back") as refused:
            await calls.client.put_raw(body=pipe, max_retries=1)
        assert not pipe.closed  # the caller's file: sent, not closed
    assert refused.value.argument == "body"
    octet = "application/octet-stream"
    assert calls.server.uploaded == [(octet, 6)] * 3 + [(octet, 10)] * 3 + [(octet, 5)]


async def test_a_307_redirect_sends_the_file_again_from_its_start(
    calls: Calls, generated: Generated, tmp_path: Path
) -> None:
    path = tmp_path / "blob"
    path.write_bytes(b"0123456789")
    moved = attrs.evolve(generated.endpoints._PUT_RAW, path="/moved")
    stored = calls.models.Stored
    with path.open("rb") as file:
        for body in (path, file, b"0123456789"):
            assert await calls.client._requester.call(moved, stored, body=body) == stored(size=10)
    assert calls.server.uploaded == [("application/octet-stream", 10)] * 3
    assert (
        calls.seen
        == ["PUT /v1/moved application/octet-stream 10 bytes", "PUT /v1/raw application/octet-stream 10 bytes"] * 3
    )


async def test_a_download_to_a_file_still_ends_with_the_calls_timeout(
    calls: Calls, generated: Generated, tmp_path: Path
) -> None:
    stalled = attrs.evolve(generated.endpoints._GET_REPORT, path="/stalled")
    with pytest.raises(RequestTimeout):
        await calls.client._requester.download(stalled, tmp_path / "report.pdf", timeout=0.5)
    calls.server.released.set()
    assert (tmp_path / "report.pdf").stat().st_size == 2**20


async def test_a_body_of_the_wrong_kind_is_refused_naming_it_before_anything_is_sent(
    calls: Calls, tmp_path: Path
) -> None:
    with pytest.raises(InvalidArgument, match=r"body: expected bytes, a pathlib\.Path or a binary file") as raw:
        await calls.client.put_raw(body="text")
    with pytest.raises(InvalidArgument, match=r"body\.photo: expected bytes") as part:
        await calls.client.add_photo(body=calls.models.AddPhotoBody(photo="cat.jpg"))
    with pytest.raises(InvalidArgument, match="body: 'missing' is not a file") as missing:
        await calls.client.put_raw(body=tmp_path / "missing")
    with tmp_path.joinpath("text").open("w") as text_file, pytest.raises(InvalidArgument) as text:
        await calls.client.put_raw(body=text_file)
    with pytest.raises(InvalidArgument, match="expected a model or a mapping of form fields, got list") as form:
        await calls.client.search(body=["criteria"])
    with pytest.raises(InvalidArgument, match=r"destination: expected a str or a pathlib\.Path") as destination:
        await calls.client.get_report_to_file(destination=3)
    arguments = [error.value.argument for error in (raw, part, missing, text, form, destination)]
    assert arguments == ["body", "body.photo", "body", "body", "body", "destination"]
    assert calls.seen == []


async def test_a_text_answer_is_a_str_decoded_by_its_charset(calls: Calls) -> None:
    assert await calls.client.get_readme() == "Olá, señor ✓"
    assert await calls.client.get_readme(charset="latin-1") == "Olá, señor"
    with pytest.raises(DecodeError, match="the answer is not utf-8 text"):
        await calls.client.get_readme(charset="broken")


async def test_a_binary_answer_is_bytes_and_streams_to_a_file_beyond_max_response_bytes(
    calls: Calls, tmp_path: Path
) -> None:
    assert await calls.client.get_report() == REPORT
    limit = len(REPORT) // 3
    with pytest.raises(ResponseTooLarge):
        await calls.client.get_report(max_response_bytes=limit)
    destination = tmp_path / "report.pdf"
    destination.write_bytes(b"an older, longer file" * 10**6)
    assert await calls.client.get_report_to_file(destination=destination) == len(REPORT)
    assert destination.read_bytes() == REPORT


async def test_an_empty_answer_is_none_where_the_spec_lists_one_and_default_is_a_success(calls: Calls) -> None:
    assert await calls.client.get_maybe() == calls.models.Stored(size=7)
    assert await calls.client.get_maybe(empty=True) is None
    assert await calls.client.get_fallback() == calls.models.Stored(size=9)


async def test_base64_fields_are_bytes_in_the_model_and_text_on_the_wire(calls: Calls) -> None:
    attachment = calls.models.Attachment(name="a.bin", content=b"\x00\xff", thumbnail=b"png", raw=b"")
    assert await calls.client.add_attachment(body=attachment) == attachment
    assert json.loads(calls.seen[0].partition(" {")[1] + calls.seen[0].partition(" {")[2]) == {
        "name": "a.bin",
        "content": "AP8=",
        "thumbnail": "cG5n",
        "raw": "",
    }
    with pytest.raises(DecodeError, match="not valid base64") as refused:
        await calls.client.add_attachment(body=calls.models.Attachment(name="broken"))
    assert refused.value.path == "$.thumbnail"
