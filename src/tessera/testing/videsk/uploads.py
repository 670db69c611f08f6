"""Videsk's file upload grants: a short-lived token and the URL to send one file to."""

from __future__ import annotations

import secrets
from typing import Final

from aiohttp import web

from .._clock import TimeFunction
from .._feathers import feathers_error
from .._secrets import remember
from .fields import json_body

GRANT_SECONDS: Final = 300
"""A grant expires five minutes after it is given (documented)."""
UPLOAD_URL: Final = "https://files.videsk.io/upload"
PURPOSES: Final = frozenset({"cip"})
"""The purposes the docs name: cip, a file of an AI project (projectId required)."""
_OPTIONAL_TEXT: Final = ("projectId", "filename", "mime")


class Uploads:
    """The handler of POST /file-uploads/grants; `projects` are the account's AI projects, `granted` the
    requests granted, in order. The refusals' codes are documented; their feathers bodies are inferred.
    """

    def __init__(self, clock: TimeFunction, projects: frozenset[str]) -> None:
        self._clock = clock
        self.projects = projects
        self.granted: list[dict[str, object]] = []

    async def create_upload_grant(self, request: web.Request) -> web.Response:
        body = await json_body(request)
        purpose = body.get("purpose")
        if purpose not in PURPOSES:
            raise feathers_error(400, "unknown purpose", data="purpose")
        for name in _OPTIONAL_TEXT:
            if name in body and not isinstance(body[name], str):
                raise feathers_error(400, f'A valid "{name}" is required', data=name)
        project = body.get("projectId")
        if not project:
            raise feathers_error(400, "cip grants require projectId", data="projectId")
        if project not in self.projects:
            raise feathers_error(404, "project not found")
        self.granted.append(body)
        return web.json_response(
            {
                "token": remember("upload." + secrets.token_urlsafe(32)),
                "exp": int(self._clock()) + GRANT_SECONDS,
                "uploadUrl": UPLOAD_URL,
                "credentialId": "b2-default",
            }
        )
