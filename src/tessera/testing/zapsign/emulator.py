"""The ZapSign emulator: DRF + SimpleJWT behaviour under /api/v1."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable

from aiohttp import web

from .._clock import TimeFunction
from .._secrets import remember
from .._server import Emulator, Route
from .auth import ZapSignAuth
from .docs import ZapSignDocs
from .signing import ZapSignSigning
from .store import DocumentStore
from .templates import Template, ZapSignTemplates, seeded_templates
from .throttle import MinuteThrottle
from .webhooks import Webhook, ZapSignWebhooks


class ZapSignEmulator(Emulator):
    """ZapSign with password login, refresh rotation, a static api_token, documents, signers, templates
    and webhook subscriptions.

    `documents` seeded documents (60 make three pages of 25) and two `templates` are there from the start.
    `login_limit_per_minute` answers logins past it with ZapSign's 400 {"message": "Rate limit exceeded"};
    `requests_per_minute` answers other requests past it, in each minute of the clock, with DRF's 429 and a
    Retry-After (ZapSign allows 500; None, the default, is no limit). `user_token` is the account user's
    token for batch signing, which signs for signers whose email is empty or `username`.
    """

    vendor = "zapsign"
    base_path = "/api/v1"

    def __init__(
        self,
        *,
        clock: TimeFunction = time.time,
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
        requests_per_minute: int | None = None,
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
        self.templates: dict[str, Template] = seeded_templates()
        self.user_token = remember(str(uuid.uuid4()))
        self._docs = ZapSignDocs(self.store, clock)
        self._templates = ZapSignTemplates(self.store, self.templates)
        self._signing = ZapSignSigning(self.store, clock, user_token=self.user_token, user_email=username)
        self._webhooks = ZapSignWebhooks(self.store)
        self._throttle = MinuteThrottle(requests_per_minute, clock) if requests_per_minute is not None else None

    @property
    def api_token(self) -> str:
        """The organization's static token, accepted as a bearer or as ?api_token=."""
        return self.auth.api_token

    @property
    def webhooks(self) -> dict[int, Webhook]:
        """The webhook subscriptions by id, as the API created them."""
        return self._webhooks.subscriptions

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
        # DRF checks throttles right after authentication, so requests without credentials get 401s, not 429s.
        if self._throttle is not None:
            self._throttle.check()

    def routes(self) -> Iterable[Route]:
        auth, docs, templates, signing, webhooks = self.auth, self._docs, self._templates, self._signing, self._webhooks
        return [
            Route("POST", "/auth/token/{organization_id}/", auth.login, public=True),
            Route("POST", "/auth/token-refresh/", auth.refresh, public=True),
            Route("GET", "/docs/", docs.list_docs),
            Route("POST", "/docs/", docs.create_doc),
            Route("POST", "/docs/async/", docs.create_doc_async),
            Route("GET", "/docs/{doc_token}/", docs.get_doc),
            Route("DELETE", "/docs/{doc_token}/", docs.delete_doc),
            Route("POST", "/refuse/", docs.refuse_doc),
            Route("POST", "/docs/{doc_token}/upload-extra-doc/", docs.upload_extra_doc),
            Route("POST", "/docs/{doc_token}/place-signatures/", signing.place_signatures),
            Route("POST", "/models/create-doc/", templates.create_doc_from_template),
            Route("POST", "/models/create-doc/async/", templates.create_doc_from_template_async),
            Route("POST", "/docs/{doc_token}/add-signer/", docs.add_signer),
            Route("GET", "/signers/{signer_token}/", docs.get_signer),
            Route("POST", "/signers/{signer_token}/", docs.update_signer),
            Route("DELETE", "/signer/{signer_token}/remove/", docs.remove_signer),
            Route("POST", "/sign/", signing.sign_batch),
            Route("POST", "/user/company/webhook/", webhooks.create_webhook),
            Route("DELETE", "/user/company/webhook/delete/", webhooks.delete_webhook),
        ]
