"""Dialogues: how knowledge comes in (held dialogues and what was raised at them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from api.auth import actor_of, reads_internal, require_scope
from api.deps import App, CurrentToken, FreshViews, IfMatch, Precondition, Writer
from api.errors import ApiProblem, problems
from api.filters import MunicipalityFilter, YearFilter
from api.pagination import DEFAULT_LIMIT, Cursor, Limit
from api.responses import ETAG_HEADER, LOCATION_HEADER, aggregate_response
from api.schemas.common import Page
from api.schemas.corrections import CorrectDialogue, CorrectObservation, RetractObservation
from api.schemas.dialogues import DialogueOut, EraseFields, HoldDialogue, RecordObservations
from api.views import STALE_HEADER_DOC, query_checked
from domain.dialogue import Dialogue
from domain.values import DialogueKind
from infra.tokens import Token
from projections.lists import list_dialogues
from projections.models import DialogueOutcomes, DialogueRow
from projections.outcomes import dialogue_outcomes

router = APIRouter(prefix="/api/v1/dialogues", tags=["dialogues"])

PUBLIC_FORM: Any = {"observations": {"__all__": {"note"}}}


def location(dialogue_id: UUID) -> str:
    return f"{router.prefix}/{dialogue_id}"


@router.post(
    "",
    status_code=201,
    response_model=DialogueOut,
    summary="Record a dialogue that was held",
    responses={
        201: {"headers": {**ETAG_HEADER, **LOCATION_HEADER}},
        **problems(401, 403, 409, 413, 422),
    },
)
def hold_dialogue(body: HoldDialogue, token: Writer, app: App) -> JSONResponse:
    """A dialogue held in the token's municipality; `held_on` may not be in the future."""
    require_scope(token, [body.municipality])
    dialogue = app.hold_dialogue(
        municipality=body.municipality,
        kind=body.kind,
        held_on=body.held_on,
        title=body.title,
        place=body.place,
        participants=body.participants,
        organisers=body.organisers,
        actor=actor_of(token),
    )
    return aggregate_response(
        DialogueOut.of(dialogue), dialogue.version, status=201, location=location(dialogue.id)
    )


@router.post(
    "/{dialogue_id}/observations",
    status_code=201,
    response_model=DialogueOut,
    summary="Record what was raised at the dialogue",
    responses={201: {"headers": ETAG_HEADER}, **problems(400, 401, 403, 404, 409, 412, 413, 422)},
)
def record_observations(
    dialogue_id: UUID, body: RecordObservations, token: Writer, app: App, if_match: Precondition
) -> JSONResponse:
    """Adds 1 to 1,000 observations; the answer lists them last, each with its new `id`."""

    def check(dialogue: Dialogue) -> None:
        require_scope(token, [dialogue.municipality])
        if_match.pin(dialogue.version)

    with app.checking(check):
        dialogue, _ = app.record_observations(
            dialogue_id, [o.to_domain() for o in body.observations], actor=actor_of(token)
        )
    return aggregate_response(DialogueOut.of(dialogue), dialogue.version, status=201)


@router.post(
    "/{dialogue_id}/erasure",
    response_model=DialogueOut,
    summary="Erase personal data from a dialogue for good",
    responses={200: {"headers": ETAG_HEADER}, **problems(400, 401, 403, 404, 409, 412, 422)},
)
def erase_personal_data(
    dialogue_id: UUID,
    body: EraseFields,
    token: Writer,
    app: App,
    if_match: Precondition,
    request: Request,
) -> JSONResponse:
    """Erases the named free-text fields (a dialogue's `title`, `place`, `organisers`; an
    observation's `summary`, `place`, `note`) from the store, the views and the reports;
    the audit chain keeps their digests and still verifies. The `PersonalDataErased`
    event names the fields and the reason, never the values. Admins, or a token of the
    dialogue's municipality."""

    def check(dialogue: Dialogue) -> None:
        require_scope(token, [dialogue.municipality])
        if_match.pin(dialogue.version)

    with app.checking(check):
        dialogue = app.erase_personal_data(
            dialogue_id,
            [(f.observation_id, f.field) for f in body.fields],
            reason=body.reason,
            actor=actor_of(token),
        )
    # Answers kept for repeats of earlier requests may show the erased values.
    kept = getattr(request.app.state, "idempotency", None)
    if kept is not None:
        kept.forget_answers_about(str(dialogue_id))
    return aggregate_response(DialogueOut.of(dialogue), dialogue.version)


@router.get(
    "/{dialogue_id}",
    response_model=DialogueOut,
    summary="Read a dialogue",
    responses={200: {"headers": ETAG_HEADER}, **problems(401, 404)},
)
def get_dialogue(dialogue_id: UUID, token: CurrentToken, app: App) -> JSONResponse:
    """Public; an observation's internal `note` only for its own municipality, auditors, admins."""
    dialogue = app.get_dialogue(dialogue_id)
    internal = reads_internal(token, [dialogue.municipality])
    return aggregate_response(
        DialogueOut.of(dialogue), dialogue.version, exclude=None if internal else PUBLIC_FORM
    )


@router.get(
    "",
    response_model=Page[DialogueRow],
    summary="List dialogues",
    responses={200: {"headers": STALE_HEADER_DOC}, **problems(401, 422)},
)
def list_all_dialogues(
    views: FreshViews,
    municipality: MunicipalityFilter = None,
    year: YearFilter = None,
    kind: DialogueKind | None = Query(None, description="Only dialogues of this kind."),
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[DialogueRow]:
    """Public, in the order recorded; `year` is the year held. Rows carry counts, never notes."""
    with query_checked():
        page = list_dialogues(
            views.catalogue,
            municipality=municipality,
            year=year,
            kind=kind,
            limit=limit,
            cursor=cursor,
        )
    return Page(items=page.items, next_cursor=page.next_cursor)


@router.get(
    "/{dialogue_id}/outcomes",
    response_model=DialogueOutcomes,
    summary='What became of what people said ("you said, we did")',
    responses={200: {"headers": STALE_HEADER_DOC}, **problems(401, 404, 503)},
)
def get_outcomes(
    dialogue_id: UUID, token: CurrentToken, app: App, views: FreshViews
) -> DialogueOutcomes:
    """Public: for each observation, the issues citing it (or the whole dialogue) and the
    promises addressing them with their status and latest follow-up. No notes; drafts and
    issues no issued promise addresses only for the dialogue's own municipality, auditors
    and admins."""
    dialogue = app.get_dialogue(dialogue_id)
    outcomes = dialogue_outcomes(
        views.catalogue,
        dialogue_id,
        internal=reads_internal(token, [dialogue.municipality]),
    )
    if outcomes is None:  # recorded, but the views have not caught up within the wait
        raise ApiProblem(
            503,
            "not-ready",
            "The dialogue is recorded but not yet in the views; try again shortly.",
            {"Retry-After": "1"},
        )
    return outcomes


def _writable(token: Token, if_match: IfMatch) -> Callable[[Dialogue], None]:
    """The check of a change on the dialogue it loads: in the token's scope (403), at a
    version the client's If-Match accepts (412)."""

    def check(dialogue: Dialogue) -> None:
        require_scope(token, [dialogue.municipality])
        if_match.pin(dialogue.version)

    return check


CORRECTED = {200: {"headers": ETAG_HEADER}, **problems(400, 401, 403, 404, 409, 412, 413, 422)}


@router.post(
    "/{dialogue_id}/correction",
    response_model=DialogueOut,
    summary="Correct what was recorded of the dialogue",
    responses=CORRECTED,
)
def correct_dialogue(
    dialogue_id: UUID, body: CorrectDialogue, token: Writer, app: App, if_match: Precondition
) -> JSONResponse:
    """`DialogueCorrected` with the fields named and the reason; the first record stays in
    the history. The date rules hold for the corrected values (409)."""
    with app.checking(_writable(token, if_match)):
        dialogue = app.correct_dialogue(
            dialogue_id, changes=body.changes(), reason=body.reason, actor=actor_of(token)
        )
    return aggregate_response(DialogueOut.of(dialogue), dialogue.version)


@router.post(
    "/{dialogue_id}/observations/{observation_id}/correction",
    response_model=DialogueOut,
    summary="Correct an observation",
    responses=CORRECTED,
)
def correct_observation(
    dialogue_id: UUID,
    observation_id: UUID,
    body: CorrectObservation,
    token: Writer,
    app: App,
    if_match: Precondition,
) -> JSONResponse:
    """`ObservationCorrected`; a retracted observation cannot be corrected (409)."""
    with app.checking(_writable(token, if_match)):
        dialogue = app.correct_observation(
            dialogue_id,
            observation_id,
            changes=body.changes(),
            reason=body.reason,
            actor=actor_of(token),
        )
    return aggregate_response(DialogueOut.of(dialogue), dialogue.version)


@router.post(
    "/{dialogue_id}/observations/{observation_id}/retraction",
    response_model=DialogueOut,
    summary="Retract an observation that should never have been recorded",
    responses=CORRECTED,
)
def retract_observation(
    dialogue_id: UUID,
    observation_id: UUID,
    body: RetractObservation,
    token: Writer,
    app: App,
    if_match: Precondition,
) -> JSONResponse:
    """`ObservationRetracted`: it stays in the history, stops counting in reports and
    outcomes, and evidence citing it shows `"retracted": true`."""
    with app.checking(_writable(token, if_match)):
        dialogue = app.retract_observation(
            dialogue_id, observation_id, reason=body.reason, actor=actor_of(token)
        )
    return aggregate_response(DialogueOut.of(dialogue), dialogue.version)
