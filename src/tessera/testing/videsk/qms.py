"""Videsk's queue management (QMS): branches, their queues (segments, in QMS words), and tickets joining them."""

from __future__ import annotations

import json
from typing import Final

import attrs
from aiohttp import web

from .._clock import TimeFunction
from .._feathers import feathers_error
from .._json import JsonObject
from .catalog import object_id
from .errors import precondition_required
from .fields import checked_answers, json_body
from .forms import BASE_FORM

MAX_INTEGRATION_DATA_BYTES: Final = 50 * 1024
MAX_TICKET_ID: Final = 50
_BRANCHES: Final = (
    ("branch-centro-101", "Sucursal Centro", "Av. Libertador 101, Santiago", (-33.44, -70.65)),
    ("branch-norte-220", "Sucursal Norte", "Av. Independencia 220, Santiago", (-33.41, -70.66)),
)


@attrs.frozen
class Queue:
    segment: JsonObject
    agents: int
    """Agents available right now; with none, joining is NotAcceptable."""
    avg_waiting_time: float
    form_required: bool = False
    """Whether joining needs the customer's form (Videsk's PreconditionRequired otherwise)."""

    def to_json(self) -> JsonObject:
        return {
            "name": self.segment["name"],
            "id": self.segment["id"],
            "users": self.agents,
            "avgWaitingTime": self.avg_waiting_time,
        }


@attrs.frozen
class Ticket:
    id: str
    branch: str
    queue: str
    ticket_id: str | None
    integration_data: object
    form: list[JsonObject]
    created_at: float


@attrs.frozen
class Branch:
    id: str
    name: str
    label: str
    address: str
    location: tuple[float, float]
    queues: dict[str, Queue]

    def to_json(self) -> JsonObject:
        return {
            "location": list(self.location),
            "label": self.label,
            "address": self.address,
            "name": self.name,
            "id": self.id,
        }


def seeded_branches(segments: list[JsonObject]) -> dict[str, Branch]:
    """Two branches sharing out the first segments as queues: one queue without agents, one needing a form."""
    queues = [
        Queue(segment, agents=(n + 1) % 3, avg_waiting_time=round(1.1 + n * 0.35, 3), form_required=n == 3)
        for n, segment in enumerate(segments[:5])
    ]
    halves = (queues[:3], queues[3:])
    branches = (
        Branch(
            id=object_id("branch", n),
            name=name,
            label=label,
            address=address,
            location=location,
            queues={str(queue.segment["id"]): queue for queue in half},
        )
        for n, ((name, label, address, location), half) in enumerate(zip(_BRANCHES, halves, strict=True))
    )
    return {branch.id: branch for branch in branches}


class Qms:
    """The handlers of /branches; `tickets` holds every ticket that joined a queue, in order."""

    def __init__(self, branches: dict[str, Branch], clock: TimeFunction) -> None:
        self.branches = branches
        self._clock = clock
        self.tickets: list[Ticket] = []

    async def list_branches(self, request: web.Request) -> web.Response:
        return web.json_response([branch.to_json() for branch in self.branches.values()])

    async def list_queues(self, request: web.Request) -> web.Response:
        branch = self.branches.get(request.match_info["branchId"])
        if branch is None:
            raise feathers_error(404, "The branch was not found")
        return web.json_response([queue.to_json() for queue in branch.queues.values()])

    async def get_queue(self, request: web.Request) -> web.Response:
        queue = self._queue(request)
        if queue is None:
            raise feathers_error(404, "The branch or segment was not found")
        return web.json_response(queue.to_json())

    async def join_queue(self, request: web.Request) -> web.Response:
        """POST {integrationData?, form?, ticketId?} → 201 {id, segment}: the ticket and the segment's name."""
        queue = self._queue(request)
        branch_id = request.match_info["branchId"]
        if queue is None:
            message = f'The segment for the branch "{branch_id}" is not assigned or the branch id is incorrect'
            raise feathers_error(404, message)
        body = await json_body(request)
        data = body.get("integrationData")
        if len(json.dumps(data, separators=(",", ":")).encode()) > MAX_INTEGRATION_DATA_BYTES:
            raise feathers_error(400, f"The integrationData is larger than {MAX_INTEGRATION_DATA_BYTES // 1024} Kb.")
        ticket_id = body.get("ticketId")
        if ticket_id is not None and not (isinstance(ticket_id, str) and 1 <= len(ticket_id) <= MAX_TICKET_ID):
            raise feathers_error(400, f'The "ticketId" must be a string of 1 to {MAX_TICKET_ID} characters.')
        form = checked_answers(body["form"], BASE_FORM) if "form" in body else []
        if queue.form_required and not form:
            raise precondition_required("Is mandatory to provide a forms submission id.")
        if queue.agents == 0:
            message = f'Not agent available in the segment "{queue.segment["id"]}", please try later.'
            raise feathers_error(406, message)
        ticket = Ticket(
            id=object_id("ticket", len(self.tickets)),
            branch=branch_id,
            queue=str(queue.segment["id"]),
            ticket_id=ticket_id,
            integration_data=data,
            form=form,
            created_at=self._clock(),
        )
        self.tickets.append(ticket)
        return web.json_response({"id": ticket.id, "segment": queue.segment["name"]}, status=201)

    def report_rows(self) -> list[JsonObject]:
        """The tickets as the queues export lists them."""
        return [
            {
                "id": ticket.id,
                "segment": self.branches[ticket.branch].queues[ticket.queue].segment["name"],
                "ticketId": ticket.ticket_id,
                "extraData": ticket.integration_data,
                "createdAt": ticket.created_at,
            }
            for ticket in self.tickets
        ]

    def _queue(self, request: web.Request) -> Queue | None:
        branch = self.branches.get(request.match_info["branchId"])
        return None if branch is None else branch.queues.get(request.match_info["queueId"])
