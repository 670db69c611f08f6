"""trust_env=True (proxies and CA files from the environment) and ssl= per client, against a real proxy and a
real TLS server on 127.0.0.1 whose certificate a CA made for the test signs (with the openssl CLI)."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from tessera import errors, zapsign
from tessera.testing import ZapSignEmulator, emulator

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
EMPTY_PAGE: dict[str, object] = {"count": 0, "next": None, "previous": None, "results": []}


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No proxy or CA variable of the machine's: each test sets its own."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return monkeypatch


async def serve(app: web.Application, context: ssl.SSLContext | None = None) -> AsyncIterator[str]:
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context).start()
    try:
        yield f"{'https' if context else 'http'}://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@pytest.fixture
async def proxy() -> AsyncIterator[tuple[str, list[str]]]:
    """A forward HTTP proxy on 127.0.0.1: each request's absolute URL kept, then sent on and answered back."""
    proxied: list[str] = []

    async def forward(request: web.Request) -> web.Response:
        target = f"http://{request.headers['Host']}{request.path_qs}"
        proxied.append(target)
        headers = {name: value for name, value in request.headers.items() if name.lower() in ("authorization",)}
        async with (
            aiohttp.ClientSession() as session,
            session.request(request.method, target, headers=headers, data=await request.read()) as answer,
        ):
            return web.Response(status=answer.status, body=await answer.read(), content_type=answer.content_type)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward)
    async for url in serve(app):
        yield url, proxied


@pytest.fixture
async def emu() -> AsyncIterator[ZapSignEmulator]:
    emu = emulator("zapsign", documents=3)
    async with emu:
        yield emu


async def test_trust_env_sends_through_the_environments_proxy(
    environment: pytest.MonkeyPatch, proxy: tuple[str, list[str]], emu: ZapSignEmulator
) -> None:
    proxy_url, proxied = proxy
    environment.setenv("HTTP_PROXY", proxy_url)
    auth = zapsign.ApiTokenAuth(emu.api_token)
    async with zapsign.Client(auth=auth, base_url=emu.base_url, trust_env=True) as zs:
        pages = [await zs.docs.list_docs(page=1) for _ in range(3)]
    assert [page.count for page in pages] == [3, 3, 3]
    assert proxied == [f"{emu.base_url}/docs/?page=1"] * 3
    assert emu.counts["GET /docs/"] == 3

    async with zapsign.Client(auth=auth, base_url=emu.base_url) as zs:  # trust_env=False: the variable is ignored
        await zs.docs.list_docs()
    environment.setenv("NO_PROXY", "127.0.0.1")
    async with zapsign.Client(auth=auth, base_url=emu.base_url, trust_env=True) as zs:
        await zs.docs.list_docs()
    assert len(proxied) == 3
    assert emu.counts["GET /docs/"] == 5


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A CA (its certificate) and, signed by it, a certificate and key for 127.0.0.1."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl command to make a test CA with")
    folder = tmp_path_factory.mktemp("tls")
    ca, ca_key, cert, key, request = (folder / name for name in ("ca.pem", "ca.key", "cert.pem", "key.pem", "csr"))
    extensions = folder / "server.ext"
    extensions.write_text(
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n"
    )
    ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
    commands = [  # the folder pytest made has no space in its path
        f"req -x509 {ec} -keyout {ca_key} -out {ca} -days 2 -subj /CN=tessera-test-CA"
        " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign",
        f"req {ec} -keyout {key} -out {request} -subj /CN=127.0.0.1",
        f"x509 -req -in {request} -CA {ca} -CAkey {ca_key} -CAcreateserial -out {cert} -days 2 -extfile {extensions}",
    ]
    for command in commands:
        subprocess.run([openssl, *command.split()], check=True, capture_output=True)  # noqa: S603
    return ca, cert, key


@pytest.fixture
async def tls_server(certificates: tuple[Path, Path, Path]) -> AsyncIterator[tuple[str, list[str]]]:
    """ZapSign's list of documents (empty) over TLS on 127.0.0.1; the paths it answered."""
    _, cert, key = certificates
    answered: list[str] = []

    async def docs(request: web.Request) -> web.Response:
        answered.append(request.path)
        return web.json_response(EMPTY_PAGE)

    app = web.Application()
    app.router.add_get("/api/v1/docs/", docs)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    async for url in serve(app, context):
        yield url + "/api/v1", answered


async def test_a_private_ca_is_trusted_through_ssl_or_through_ssl_cert_file_with_trust_env(
    environment: pytest.MonkeyPatch, certificates: tuple[Path, Path, Path], tls_server: tuple[str, list[str]]
) -> None:
    ca, _, _ = certificates
    base_url, answered = tls_server
    auth = zapsign.ApiTokenAuth("k")
    async with zapsign.Client(auth=auth, base_url=base_url, max_retries=0) as zs:
        with pytest.raises(errors.TransportError, match="certificate verify failed"):
            await zs.docs.list_docs()
    assert answered == []

    async with zapsign.Client(auth=auth, base_url=base_url, ssl=ssl.create_default_context(cafile=ca)) as zs:
        assert (await zs.docs.list_docs()).count == 0
    environment.setenv("SSL_CERT_FILE", str(ca))
    async with zapsign.Client(auth=auth, base_url=base_url, trust_env=True) as zs:
        assert (await zs.docs.list_docs()).count == 0
    assert answered == ["/api/v1/docs/"] * 2


@pytest.fixture
async def tunnel() -> AsyncIterator[tuple[str, list[str]]]:
    """An HTTPS proxy on 127.0.0.1: each CONNECT's target kept, then bytes piped both ways (TLS end to end)."""
    targets: list[str] = []

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        method, target, _ = head.split(" ", 2)
        assert method == "CONNECT"
        targets.append(target)
        host, port = target.rsplit(":", 1)
        upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    server = await asyncio.start_server(connect, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", targets
    finally:
        server.close()
        await server.wait_closed()


async def test_trust_env_tunnels_https_through_the_environments_proxy(
    environment: pytest.MonkeyPatch,
    certificates: tuple[Path, Path, Path],
    tls_server: tuple[str, list[str]],
    tunnel: tuple[str, list[str]],
) -> None:
    ca, _, _ = certificates
    base_url, answered = tls_server
    proxy_url, targets = tunnel
    environment.setenv("HTTPS_PROXY", proxy_url)
    environment.setenv("SSL_CERT_FILE", str(ca))
    async with zapsign.Client(auth=zapsign.ApiTokenAuth("k"), base_url=base_url, trust_env=True) as zs:
        for _ in range(3):
            assert (await zs.docs.list_docs()).count == 0
    assert answered == ["/api/v1/docs/"] * 3
    assert targets == [base_url.removeprefix("https://").removesuffix("/api/v1")]  # one tunnel, kept alive


async def test_trust_env_and_ssl_are_refused_beside_your_own_session() -> None:
    auth = zapsign.ApiTokenAuth("k")
    async with aiohttp.ClientSession() as session:
        with pytest.raises(errors.ConfigurationError, match="trust_env goes on your own session"):
            zapsign.Client(auth=auth, session=session, trust_env=True)
        with pytest.raises(errors.ConfigurationError, match="ssl goes on your own session"):
            zapsign.Client(auth=auth, session=session, ssl=ssl.create_default_context())
    with pytest.raises(errors.ConfigurationError, match=r"ssl must be an ssl\.SSLContext, not bool"):
        zapsign.Client(auth=auth, ssl=False)  # type: ignore[arg-type]
    with pytest.raises(errors.ConfigurationError, match="trust_env must be True or False, not str"):
        zapsign.Client(auth=auth, trust_env="yes")  # type: ignore[arg-type]
