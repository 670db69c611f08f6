"""The ZapSign emulator: DRF + SimpleJWT behaviour under /api/v1."""

from __future__ import annotations

import time
from collections.abc import Iterable

from aiohttp import web

from ._clock import Clock
from ._server import Emulator, Route
from ._zapsign_auth import ZapSignAuth
from ._zapsign_docs import ZapSignDocs
from ._zapsign_store import DocumentStore


class ZapSignEmulator(Emulator):
    """ZapSign with password login, refresh rotation, a static api_token, documents and signers.

    `documents` seeded documents (60 make three pages of 25) are there from the start.
    `login_limit_per_minute` answers logins past it with ZapSign's 400 {"message": "Rate limit exceeded"}.
    """

    vendor = "zapsign"
    base_path = "/api/v1"

    def __init__(
        self,
        *,
        clock: Clock = time.time,
        port: int = 0,
        organization_id: str = "123",
        username: str = "dev@ejemplo.com",
        # The example credentials of ZapSign's docs, which CONTRACT.md uses too; they guard nothing real.
        password: str = "StrongPassword123",  # noqa: S107
        access_seconds: float = 3600,
        refresh_seconds: float = 3600,
        rotate_refresh_tokens: bool = True,
        login_limit_per_minute: int | None = None,
        documents: int = 60,
    ) -> None:
        super().__init__(clock=clock, port=port)
        self.organization_id = organization_id
        self.username = username
        self.password = password
        self.auth = ZapSignAuth(
            clock=clock,
            organization_id=organization_id,
            username=username,
            password=password,
            access_seconds=access_seconds,
            refresh_seconds=refresh_seconds,
            rotate_refresh_tokens=rotate_refresh_tokens,
            login_limit_per_minute=login_limit_per_minute,
        )
        self.store = DocumentStore(clock, owner_email=username)
        self.store.seed(documents)
        self._docs = ZapSignDocs(self.store, clock)

    @property
    def api_token(self) -> str:
        """The organization's static token, accepted as a bearer or as ?api_token=."""
        return self.auth.api_token

    @property
    def logins(self) -> int:
        return self.auth.logins

    @property
    def refreshes(self) -> int:
        return self.auth.refreshes

    def credentials(self) -> dict[str, str]:
        return {
            "organization_id": self.organization_id,
            "username": self.username,
            "password": self.password,
            "api_token": self.api_token,
        }

    def authenticate(self, request: web.Request) -> None:
        self.auth.authenticate(request)

    def routes(self) -> Iterable[Route]:
        auth, docs = self.auth, self._docs
        return [
            Route("POST", "/auth/token/{organization_id}/", auth.login, public=True),
            Route("POST", "/auth/token-refresh/", auth.refresh, public=True),
            Route("GET", "/docs/", docs.list_docs),
            Route("POST", "/docs/", docs.create_doc),
            Route("GET", "/docs/{doc_token}/", docs.get_doc),
            Route("DELETE", "/docs/{doc_token}/", docs.delete_doc),
            Route("POST", "/refuse/", docs.refuse_doc),
            Route("POST", "/docs/{doc_token}/add-signer/", docs.add_signer),
            Route("GET", "/signers/{signer_token}/", docs.get_signer),
            Route("POST", "/signers/{signer_token}/", docs.update_signer),
            Route("DELETE", "/signer/{signer_token}/remove/", docs.remove_signer),
        ]
