"""Promises (medborgarlöften): drafted, signed, issued, followed up, concluded or withdrawn."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.auth import actor_of, reads_internal, require_scope, require_signing_right
from api.deps import App, CurrentToken, Precondition, Writer
from api.errors import problems
from api.responses import ETAG_HEADER, LOCATION_HEADER, aggregate_response
from api.schemas.promises import (
    ConcludePromise,
    DraftPromise,
    IssuePromise,
    NewActivity,
    PromiseOut,
    PublishFeedback,
    RecordFollowUp,
    RescheduleFollowUp,
    SignPromise,
    WithdrawPromise,
)
from api.tokens import Token
from domain.promise import Promise
from domain.values import PromiseStatus
from workflow.application import Loftesboken
from workflow.errors import NotFound

router = APIRouter(prefix="/api/v1/promises", tags=["promises"])

WRITE_PROBLEMS = problems(400, 401, 403, 404, 409, 412, 413, 422)
ADDED = {201: {"headers": ETAG_HEADER}, **WRITE_PROBLEMS}
CHANGED = {200: {"headers": ETAG_HEADER}, **WRITE_PROBLEMS}


def _visible(app: Loftesboken, promise_id: UUID, token: Token) -> Promise:
    """The promise, unless it is a draft the token may not see: then it does not exist (404)."""
    promise = app.get_promise(promise_id)
    if promise.status is PromiseStatus.DRAFT and not reads_internal(token, promise.municipalities):
        raise NotFound("promise", promise_id)
    return promise


def _writable(app: Loftesboken, promise_id: UUID, token: Token) -> Promise:
    """A promise the token may change: one of its municipalities must be in scope."""
    promise = _visible(app, promise_id, token)
    require_scope(token, promise.municipalities)
    return promise


def _answer(promise: Promise, status: int = 200) -> JSONResponse:
    return aggregate_response(PromiseOut.of(promise), promise.version, status=status)


@router.post(
    "",
    status_code=201,
    response_model=PromiseOut,
    summary="Draft a promise",
    responses={
        201: {"headers": {**ETAG_HEADER, **LOCATION_HEADER}},
        **problems(401, 403, 409, 413, 422),
    },
)
def draft_promise(body: DraftPromise, token: Writer, app: App) -> JSONResponse:
    """Needs every one of the promise's municipalities in the token's scope. The addressed
    issues must be prioritised issues of those municipalities."""
    require_scope(token, body.municipalities, every=True)
    promise = app.draft_promise(
        municipalities=body.municipalities,
        police_district=body.police_district,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        title=body.title,
        text=body.text,
        addresses=body.addresses,
        activities=[a.to_domain() for a in body.activities],
        follow_up_cadence=body.follow_up_cadence,
        actor=actor_of(token),
    )
    return aggregate_response(
        PromiseOut.of(promise),
        promise.version,
        status=201,
        location=f"{router.prefix}/{promise.id}",
    )


@router.post(
    "/{promise_id}/activities",
    status_code=201,
    response_model=PromiseOut,
    summary="Plan one more activity (draft only)",
    responses=ADDED,
)
def plan_activity(
    promise_id: UUID, body: NewActivity, token: Writer, app: App, if_match: Precondition
) -> JSONResponse:
    promise = _writable(app, promise_id, token)
    promise, _ = app.plan_activity(
        promise_id,
        body.to_domain(),
        actor=actor_of(token),
        expected_version=if_match.pin(promise.version),
    )
    return _answer(promise, 201)


@router.post(
    "/{promise_id}/signatures",
    status_code=201,
    response_model=PromiseOut,
    summary="Sign the promise for one party (draft only)",
    responses=ADDED,
)
def sign_promise(
    promise_id: UUID, body: SignPromise, token: Writer, app: App, if_match: Precondition
) -> JSONResponse:
    """A police token signs for the police, a municipality token for a municipality of its
    own; either may register a partner's signature; an admin may register any."""
    promise = _writable(app, promise_id, token)
    require_signing_right(token, body.party, body.municipality)
    promise = app.sign_promise(
        promise_id,
        party=body.party,
        municipality=body.municipality,
        name=body.name,
        title=body.title,
        signed_on=body.signed_on,
        actor=actor_of(token),
        expected_version=if_match.pin(promise.version),
    )
    return _answer(promise, 201)


@router.post(
    "/{promise_id}/issuance",
    response_model=PromiseOut,
    summary="Issue (publish) the signed promise",
    responses=CHANGED,
)
def issue_promise(
    promise_id: UUID, body: IssuePromise, token: Writer, app: App, if_match: Precondition
) -> JSONResponse:
    """Needs the police signature, one per municipality and an activity (409 names what is
    missing); schedules the follow-ups."""
    promise = _writable(app, promise_id, token)
    promise = app.issue_promise(
        promise_id,
        issued_on=body.issued_on,
        actor=actor_of(token),
        expected_version=if_match.pin(promise.version),
    )
    return _answer(promise)


@router.post(
    "/{promise_id}/follow-ups/{follow_up_id}",
    response_model=PromiseOut,
    summary="Record a follow-up",
    responses=CHANGED,
)
def record_follow_up(
    promise_id: UUID,
    follow_up_id: UUID,
    body: RecordFollowUp,
    token: Writer,
    app: App,
    if_match: Precondition,
) -> JSONResponse:
    """The follow-up becomes `done` (late if held after its due date); once only (409)."""
    promise = _writable(app, promise_id, token)
    promise = app.record_follow_up(
        promise_id,
        follow_up_id,
        held_on=body.held_on,
        summary=body.summary,
        activities=[a.to_domain() for a in body.activities],
        actor=actor_of(token),
        expected_version=if_match.pin(promise.version),
    )
    return _answer(promise)


@router.post(
    "/{promise_id}/follow-ups/{follow_up_id}/rescheduling",
    response_model=PromiseOut,
    summary="Move a follow-up that is not done yet",
    responses=CHANGED,
)
def reschedule_follow_up(
    promise_id: UUID,
    follow_up_id: UUID,
    body: RescheduleFollowUp,
    token: Writer,
    app: App,
    if_match: Precondition,
) -> JSONResponse:
    promise = _writable(app, promise_id, token)
    promise = app.reschedule_follow_up(
        promise_id,
        follow_up_id,
        due_on=body.due_on,
        reason=body.reason,
        actor=actor_of(token),
        expected_version=if_match.pin(promise.version),
    )
    return _answer(promise)


@router.post(
    "/{promise_id}/feedback",
    status_code=201,
    response_model=PromiseOut,
    summary="Publish feedback to citizens (återkoppling)",
    responses=ADDED,
)
def publish_feedback(
    promise_id: UUID, body: PublishFeedback, token: Writer, app: App, if_match: Precondition
) -> JSONResponse:
    promise = _writable(app, promise_id, token)
    promise, _ = app.publish_feedback(
        promise_id,
        published_on=body.published_on,
        channel=body.channel,
        summary=body.summary,
        actor=actor_of(token),
        expected_version=if_match.pin(promise.version),
    )
    return _answer(promise, 201)


@router.post(
    "/{promise_id}/conclusion",
    response_model=PromiseOut,
    summary="Conclude the promise with its outcome",
    responses=CHANGED,
)
def conclude_promise(
    promise_id: UUID, body: ConcludePromise, token: Writer, app: App, if_match: Precondition
) -> JSONResponse:
    """Only once the final follow-up is done."""
    promise = _writable(app, promise_id, token)
    promise = app.conclude_promise(
        promise_id,
        outcome=body.outcome,
        summary=body.summary,
        concluded_on=body.concluded_on,
        actor=actor_of(token),
        expected_version=if_match.pin(promise.version),
    )
    return _answer(promise)


@router.post(
    "/{promise_id}/withdrawal",
    response_model=PromiseOut,
    summary="Withdraw the promise",
    responses=CHANGED,
)
def withdraw_promise(
    promise_id: UUID, body: WithdrawPromise, token: Writer, app: App, if_match: Precondition
) -> JSONResponse:
    promise = _writable(app, promise_id, token)
    promise = app.withdraw_promise(
        promise_id,
        reason=body.reason,
        actor=actor_of(token),
        expected_version=if_match.pin(promise.version),
    )
    return _answer(promise)


@router.get(
    "/{promise_id}",
    response_model=PromiseOut,
    summary="Read a promise",
    responses={200: {"headers": ETAG_HEADER}, **problems(401, 404)},
)
def get_promise(promise_id: UUID, token: CurrentToken, app: App) -> JSONResponse:
    """Public once issued; a draft is 404 except to its own municipalities, auditors, admins."""
    return _answer(_visible(app, promise_id, token))
