"""Videsk's satisfaction surveys: one for segments and one for services, and the answers sent to them."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Final

import attrs
from aiohttp import web

from .._clock import TimeFunction
from .._feathers import feathers_error
from .._json import JsonObject
from .catalog import object_id
from .fields import Field, checked_answers, json_body

# Videsk's three survey kinds, with the scales its docs show.
QUESTIONS: Final = (
    Field(
        object_id("question", 0),
        "nps",
        "nps",
        "¿Recomendaría nuestra video atención?",
        required=True,
        minimum=0,
        maximum=10,
        hint="0 (Nada probable) y 10 (Muy probable)",
    ),
    Field(object_id("question", 1), "csat", "csat", "¿Qué tan satisfecho estás con la atención?", minimum=1, maximum=5),
    Field(object_id("question", 2), "ces", "ces", "¿Ha sido fácil acceder a la video atención?", minimum=1, maximum=7),
)
_TARGETS: Final = ("segments", "services")
_ENTITY: Final = {"segments": "segment", "services": "service"}


@attrs.frozen
class SurveyAnswer:
    id: str
    call: str | None
    appointment: str | None
    """The appointment answered for (the emulator keeps no calls, so this is always set)."""
    values: list[JsonObject]
    created_at: float


class Surveys:
    """The handlers of /surveys; `answers` holds what was stored, in order."""

    def __init__(
        self, entities: Mapping[str, Collection[str]], appointments: Collection[str], clock: TimeFunction
    ) -> None:
        self._entities = entities
        """The ids of the segments and of the services, by target."""
        self._appointments = appointments
        """The ids of the appointments booked (a live view): the ones a survey can be answered for."""
        self._clock = clock
        self.answers: list[SurveyAnswer] = []

    async def get_survey(self, request: web.Request) -> web.Response:
        """GET /surveys/{id}?type=segments|services."""
        self._target(request.query.get("type"), request.match_info["id"])  # refuses a bad type or id
        # Videsk's docs show a survey as {form: [...]}: its questions are form fields.
        survey: JsonObject = {"form": [question.to_json() for question in QUESTIONS]}
        return web.json_response(survey)

    async def submit_survey(self, request: web.Request) -> web.Response:
        """POST /surveys {call | appointment, values} → 201 {message, success}, once per call or appointment."""
        body = await json_body(request)
        call, appointment = body.get("call"), body.get("appointment")
        if not call and not appointment:
            raise feathers_error(400, "Provide a call or appointment id.")
        answered = {answer.appointment for answer in self.answers}
        # The emulator keeps no calls (the spec has no call API): a call id is one it cannot find.
        if call or appointment not in self._appointments or appointment in answered:
            raise feathers_error(400, "The call or appointment not exist or the survey was answered.")
        answer = SurveyAnswer(
            id=object_id("survey-answer", len(self.answers)),
            call=None,
            appointment=str(appointment),
            values=checked_answers(body.get("values"), QUESTIONS),
            created_at=self._clock(),
        )
        self.answers.append(answer)
        return web.json_response({"message": "The survey was saved successfully.", "success": True}, status=201)

    def report_rows(self) -> list[JsonObject]:
        """The answers as the surveys export lists them: one row each, a column per question."""
        return [
            {
                "id": answer.id,
                # An appointment is booked for a service: its survey is the services' one.
                "surveyId": object_id("survey", _TARGETS.index("services")),
                "createdAt": answer.created_at,
                **{str(value["_id"]): value["value"] for value in answer.values},
            }
            for answer in self.answers
        ]

    def _target(self, target: object, entity: object) -> str:
        """The valid `type`, once `entity` is one of its ids; else Videsk's BadRequest or NotFound."""
        if not isinstance(target, str) or target not in _TARGETS:
            raise feathers_error(400, 'Provide a valid type, allowed are "segments,services".')
        if entity not in self._entities[target]:
            raise feathers_error(404, f"We do not cannot find a survey for the {_ENTITY[target]} id provided.")
        return target
