"""The ZapSign emulator: DRF + SimpleJWT behaviour under /api/v1."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from types import TracebackType

from aiohttp import web

from .._clock import TimeFunction
from .._secrets import remember
from .._server import Emulator, Route
from .account import AccountUser, ZapSignAccount
from .auth import ZapSignAuth
from .checks import Check, ZapSignChecks
from .doc_changes import ZapSignDocChanges
from .docs import ZapSignDocs
from .files import FILES_PATH, ZapSignFiles
from .history import ZapSignHistory
from .notifications import ZapSignNotifications
from .partners import PartnerAccount, ZapSignPartners
from .records import FILES_URL
from .signature_groups import ZapSignSignatureGroups
from .signing import ZapSignSigning
from .store import DocumentStore
from .template_library import ZapSignTemplateLibrary
from .templates import Template, ZapSignTemplates, seeded_templates
from .throttle import MinuteThrottle
from .timestamp import ZapSignTimestamp
from .user_refusal import ZapSignUserRefusal
from .validations import ZapSignValidations
from .webhooks import Webhook, ZapSignWebhooks


class ZapSignEmulator(Emulator):
    """ZapSign with password login, refresh rotation, a static api_token, documents, signers, templates
    and webhook subscriptions.

    `documents` seeded documents (60 make three pages of 25) and two `templates` are there from the start.
    `login_limit_per_minute` answers logins past it with ZapSign's 400 {"message": "Rate limit exceeded"};
    `requests_per_minute` answers other requests past it, in each minute of the clock, with DRF's 429 and a
    Retry-After (ZapSign allows 500; None, the default, is no limit). `user_token` is the account user's
    token for batch signing, which signs for signers whose email is empty or `username`.

    The account has `username` as its owner, `credits` on an annual plan and room for `user_limit` users (None:
    no limit). Background checks complete `check_seconds` after they are created. `partners` and `timestamps`
    are the plan features those operations need (the documented 403 and 402 without them).

    A document's `base64_pdf` or `base64_docx` is decoded and kept (`store.document(token).source`, an annex's
    `store.find_extra_doc(token).source`); its `original_file` and `signed_file` links point at this emulator
    while it serves, public as pre-signed links are (files.py).
    """

    vendor = "zapsign"
    base_path = "/api/v1"
    # Documents arrive in base64 inside JSON; ZapSign documents no limit, so this one is tessera's own bound
    # (localfiles.MAX_LOCAL_FILE_BYTES) grown by base64's third.
    max_request_bytes = 96 * 1024 * 1024

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
        credits: int = 100,
        user_limit: int | None = None,
        check_seconds: float = 60,
        partners: bool = True,
        timestamps: bool = True,
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
        self._account = ZapSignAccount(clock, owner_email=username, credits=credits, user_limit=user_limit)
        self._history = ZapSignHistory(self.store)
        self._groups = ZapSignSignatureGroups(self.store, clock)
        self._refusal = ZapSignUserRefusal(self.store, clock, user_token=self.user_token, user_email=username)
        self._library = ZapSignTemplateLibrary(self.store, self.templates, clock)
        self._checks = ZapSignChecks(clock, completion_seconds=check_seconds)
        self._partners = ZapSignPartners(clock, enabled=partners, own_api_token=self.auth.api_token)
        self._timestamp = ZapSignTimestamp(enabled=timestamps)
        self._changes = ZapSignDocChanges(self.store, clock)
        self._notifications = ZapSignNotifications(self.store, clock)
        self._validations = ZapSignValidations(self.store, clock)
        self._files = ZapSignFiles(self.store)

    async def __aenter__(self) -> str:
        base_url = await super().__aenter__()
        # The documents' file links point here while the emulator serves (files.py), at S3 otherwise.
        self.store.links.base = base_url + FILES_PATH
        return base_url

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.store.links.base = FILES_URL
        await super().__aexit__(exc_type, exc, traceback)

    @property
    def api_token(self) -> str:
        """The organization's static token, accepted as a bearer or as ?api_token=."""
        return self.auth.api_token

    @property
    def webhooks(self) -> dict[int, Webhook]:
        """The webhook subscriptions by id, as the API created them."""
        return self._webhooks.subscriptions

    @property
    def users(self) -> dict[str, AccountUser]:
        """The organization's users by email, its owner first."""
        return self._account.users

    @property
    def checks(self) -> dict[str, Check]:
        """The background checks by id."""
        return self._checks.checks

    @property
    def partner_accounts(self) -> dict[str, PartnerAccount]:
        """The associated accounts by their api_token."""
        return self._partners.accounts

    @property
    def stamped(self) -> list[str]:
        """The url field of each timestamp request, in order."""
        return self._timestamp.stamped

    @property
    def reprocessed(self) -> list[tuple[str, bool, bool]]:
        """Each reprocessing asked for: (document token, send_webhook, resign_doc)."""
        return self._changes.reprocessed

    @property
    def notified(self) -> list[str]:
        """The signer tokens each bulk notification reached, in order."""
        return self._notifications.sent

    def fail_validation(self, signer_token: str, reason: str = "Document not recognized") -> None:
        """Record a failed identity validation of a signer; the third blocks it until its attempts are reset."""
        self._validations.fail(signer_token, reason)

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
            # A pre-signed link: no credentials (and none is kept: emu.received shows what came).
            Route("GET", FILES_PATH + "{doc_token}/{file}", self._files.get_file, public=True),
            Route("POST", "/user/company/webhook/", webhooks.create_webhook),
            Route("DELETE", "/user/company/webhook/delete/", webhooks.delete_webhook),
            *self._reference_routes(),
        ]

    def _reference_routes(self) -> list[Route]:
        """The operations of ZapSign's reference beyond documents, signers and webhooks."""
        account, library, checks, partners, stamp = (
            self._account,
            self._library,
            self._checks,
            self._partners,
            self._timestamp,
        )
        return [
            Route("GET", "/info-plan/", account.get_plan_info),
            Route("GET", "/users/", account.list_users),
            Route("POST", "/users/create-user", account.create_user),
            Route("DELETE", "/users/{user_email}/", account.delete_user),
            Route("GET", "/docs/signer-log/{doc_token}", self._history.get_activity_history),
            Route("POST", "/models/{doc_token}/upload-extra-doc/", library.upload_extra_doc_from_template),
            Route("DELETE", "/signature-group/{doc_token}/", self._groups.delete_signature_groups),
            Route("POST", "/refuse/by-user/", self._refusal.refuse_doc_by_user),
            Route("GET", "/templates/", library.list_templates),
            Route("POST", "/templates/create/", library.create_template),
            Route("POST", "/templates/update-form/", library.update_template_form),
            Route("GET", "/templates/{template_token}/", library.get_template),
            Route("PUT", "/templates/{template_token}/", library.update_template),
            Route("DELETE", "/templates/{template_token}/", library.delete_template),
            Route("POST", "/checks/", checks.create_check),
            Route("GET", "/checks/{check_id}/", checks.get_check),
            Route("GET", "/checks/{check_id}/details/", checks.get_check_details),
            Route("POST", "/partner/company/", partners.create_partner_account),
            Route("POST", "/partner/update-payment-status/", partners.update_payment_status),
            Route("POST", "/timestamp/", stamp.add_timestamp),
            Route("POST", "/timestamp/no-signature", stamp.add_timestamp_keeping_signatures),
            Route("PUT", "/docs/{doc_token}/", self._changes.update_doc),
            Route("PUT", "/docs/{doc_token}/document-display-order/", self._changes.reorder_envelope),
            Route("POST", "/docs/{doc_token}/resend-notifications-bulk/", self._notifications.resend_notifications),
            Route("POST", "/docs/{doc_token}/reprocess-doc/", self._changes.reprocess_doc),
            Route("PUT", "/reset-auth-attempts/{signer_token}/", self._validations.reset_signer_attempts),
            Route("GET", "/signer-verification-details/{signer_token}/", self._validations.get_signer_validations),
            Route("POST", "/user/company/webhook/header/", self._webhooks.add_webhook_headers),
        ]
