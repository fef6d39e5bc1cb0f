"""Promises (medborgarlöften): drafted, signed, issued, followed up, concluded or withdrawn.

One router for the promise resource and its parts (signatures, follow-ups, feedback,
corrections): every route loads the promise once (`_writable`) and answers with the
same ETag and problem handling, written once at the top of this file.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.auth import (
    actor_of,
    reads_everything,
    reads_internal,
    require_internal_reader,
    require_scope,
    require_signing_right,
    require_token,
)
from api.deps import App, CurrentToken, FreshViews, IfMatch, Precondition, Writer
from api.errors import problems
from api.filters import MunicipalityFilter, Timestamp, YearFilter
from api.pagination import DEFAULT_LIMIT, Cursor, Limit
from api.responses import ETAG_HEADER, LOCATION_HEADER, aggregate_response
from api.schemas.common import Page
from api.schemas.corrections import AmendPromise, CorrectFeedback, CorrectFollowUp
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
from api.views import STALE_HEADER_DOC, query_checked
from domain.promise import Promise
from domain.values import Party, PromiseStatus, Role
from infra.tokens import Token
from projections.derivation import promise_derivation
from projections.history import promise_history
from projections.lists import list_promises
from projections.models import Derivation, HistoryItem, PromiseRow
from workflow.application import Loftesboken
from workflow.errors import NotFound

router = APIRouter(prefix="/api/v1/promises", tags=["promises"])

WRITE_PROBLEMS = problems(400, 401, 403, 404, 409, 412, 413, 422)
ADDED = {201: {"headers": ETAG_HEADER}, **WRITE_PROBLEMS}
CHANGED = {200: {"headers": ETAG_HEADER}, **WRITE_PROBLEMS}


def _check_visible(promise: Promise, token: Token) -> None:
    """A promise never issued (a draft, or a draft withdrawn) does not exist (404) for a
    token that may not see drafts."""
    if promise.issued_on is None and not reads_internal(token, promise.municipalities):
        raise NotFound("promise", promise.id)


def _visible(app: Loftesboken, promise_id: UUID, token: Token) -> Promise:
    """The promise, unless the token may not see it (404)."""
    promise = app.get_promise(promise_id)
    _check_visible(promise, token)
    return promise


def _writable(
    token: Token, if_match: IfMatch, signing: tuple[Party, str | None] | None = None
) -> Callable[[Promise], None]:
    """The check of a change on the promise it loads: visible to the token, one of its
    municipalities in scope, the signing right for `signing` (party, municipality), and
    a version the client's If-Match accepts (404, 403, 403, 412 in that order)."""

    def check(promise: Promise) -> None:
        _check_visible(promise, token)
        require_scope(token, promise.municipalities)
        if signing is not None:
            require_signing_right(token, *signing)
        if_match.pin(promise.version)

    return check


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
    with app.checking(_writable(token, if_match)):
        promise, _ = app.plan_activity(
            promise_id,
            body.to_domain(),
            actor=actor_of(token),
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
    with app.checking(_writable(token, if_match, signing=(body.party, body.municipality))):
        promise = app.sign_promise(
            promise_id,
            party=body.party,
            municipality=body.municipality,
            name=body.name,
            title=body.title,
            signed_on=body.signed_on,
            actor=actor_of(token),
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
    with app.checking(_writable(token, if_match)):
        promise = app.issue_promise(
            promise_id,
            issued_on=body.issued_on,
            actor=actor_of(token),
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
    with app.checking(_writable(token, if_match)):
        promise = app.record_follow_up(
            promise_id,
            follow_up_id,
            held_on=body.held_on,
            summary=body.summary,
            activities=[a.to_domain() for a in body.activities],
            actor=actor_of(token),
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
    with app.checking(_writable(token, if_match)):
        promise = app.reschedule_follow_up(
            promise_id,
            follow_up_id,
            due_on=body.due_on,
            reason=body.reason,
            actor=actor_of(token),
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
    with app.checking(_writable(token, if_match)):
        promise, _ = app.publish_feedback(
            promise_id,
            published_on=body.published_on,
            channel=body.channel,
            summary=body.summary,
            actor=actor_of(token),
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
    with app.checking(_writable(token, if_match)):
        promise = app.conclude_promise(
            promise_id,
            outcome=body.outcome,
            summary=body.summary,
            concluded_on=body.concluded_on,
            actor=actor_of(token),
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
    with app.checking(_writable(token, if_match)):
        promise = app.withdraw_promise(
            promise_id,
            reason=body.reason,
            actor=actor_of(token),
        )
    return _answer(promise)


@router.get(
    "/{promise_id}",
    response_model=PromiseOut,
    summary="Read a promise",
    responses={200: {"headers": ETAG_HEADER}, **problems(401, 404)},
)
def get_promise(promise_id: UUID, token: CurrentToken, app: App) -> JSONResponse:
    """Public once issued; a promise never issued (a draft, or one withdrawn as a draft) is
    404 except to its own municipalities, auditors and admins."""
    return _answer(_visible(app, promise_id, token))


@router.get(
    "",
    response_model=Page[PromiseRow],
    summary="List promises",
    responses={200: {"headers": STALE_HEADER_DOC}, **problems(401, 422)},
)
def list_all_promises(
    token: CurrentToken,
    views: FreshViews,
    municipality: MunicipalityFilter = None,
    year: YearFilter = None,
    status: PromiseStatus | None = Query(None, description="Only promises in this status."),
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[PromiseRow]:
    """Public, in the order drafted; `year` matches a period that overlaps it. Promises never
    issued (drafts, and drafts withdrawn) are listed only to their own municipalities'
    tokens, auditors and admins."""
    own = token.municipalities if token.role in (Role.POLICE, Role.MUNICIPALITY) else ()
    with query_checked():
        page = list_promises(
            views.catalogue,
            municipality=municipality,
            year=year,
            status=status,
            include_drafts=reads_everything(token),
            drafts_of=own,
            limit=limit,
            cursor=cursor,
        )
    return Page(items=page.items, next_cursor=page.next_cursor)


@router.get(
    "/{promise_id}/derivation",
    response_model=Derivation,
    summary="How the promise was derived, now or as of a past moment",
    responses=problems(401, 404, 422),
)
def get_derivation(
    promise_id: UUID,
    token: CurrentToken,
    app: App,
    as_of: Timestamp | None = Query(
        None, description="Everything as it stood at this moment (ISO 8601, UTC if no offset)."
    ),
) -> Derivation:
    """Public for issued promises: the issues it addresses with priority and rationale, and
    every piece of evidence resolved to its dialogue and observation (never a note). Read
    from the event store; with `as_of`, each aggregate as it stood then. 404 when the
    promise did not exist yet at `as_of`, or was then a draft the caller may not see."""
    promise = _visible(app, promise_id, token)
    derivation = promise_derivation(app, promise_id, as_of)
    if derivation is None or (
        derivation.promise.status is PromiseStatus.DRAFT
        and not reads_internal(token, promise.municipalities)
    ):
        raise NotFound("promise", promise_id)
    return derivation


@router.get(
    "/{promise_id}/history",
    response_model=Page[HistoryItem],
    summary="The promise's events, oldest first",
    responses=problems(401, 403, 404, 422),
)
def get_history(
    promise_id: UUID,
    token: CurrentToken,
    app: App,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[HistoryItem]:
    """Part of the audit trail, so not public (401): auditors, admins and the tokens of the
    promise's municipalities (403 for others). Read from the event store, paged."""
    require_token(token, "Reading a promise's history needs a bearer token.")
    promise = _visible(app, promise_id, token)
    require_internal_reader(token, promise.municipalities, "the history of promises")
    with query_checked():
        page = promise_history(app, promise_id, limit=limit, cursor=cursor)
    return Page(items=page.items, next_cursor=page.next_cursor)


@router.post(
    "/{promise_id}/amendment",
    response_model=PromiseOut,
    summary="Amend a draft (clears its signatures)",
    responses=CHANGED,
)
def amend_promise(
    promise_id: UUID, body: AmendPromise, token: Writer, app: App, if_match: Precondition
) -> JSONResponse:
    """`PromiseAmended`, draft only (409 after issuance: the signed text is fixed); the
    signatures given so far signed another text, so they are cleared and listed in the
    event."""
    with app.checking(_writable(token, if_match)):
        promise = app.amend_promise(
            promise_id, changes=body.changes(), reason=body.reason, actor=actor_of(token)
        )
    return _answer(promise)


@router.post(
    "/{promise_id}/follow-ups/{follow_up_id}/correction",
    response_model=PromiseOut,
    summary="Correct a recorded follow-up",
    responses=CHANGED,
)
def correct_follow_up(
    promise_id: UUID,
    follow_up_id: UUID,
    body: CorrectFollowUp,
    token: Writer,
    app: App,
    if_match: Precondition,
) -> JSONResponse:
    """`FollowUpCorrected`, once the follow-up is done; each activity's latest status is
    worked out again from every follow-up."""
    with app.checking(_writable(token, if_match)):
        promise = app.correct_follow_up(
            promise_id,
            follow_up_id,
            changes=body.changes(),
            reason=body.reason,
            actor=actor_of(token),
        )
    return _answer(promise)


@router.post(
    "/{promise_id}/feedback/{feedback_id}/correction",
    response_model=PromiseOut,
    summary="Correct feedback given to citizens",
    responses=CHANGED,
)
def correct_feedback(
    promise_id: UUID,
    feedback_id: UUID,
    body: CorrectFeedback,
    token: Writer,
    app: App,
    if_match: Precondition,
) -> JSONResponse:
    """`FeedbackCorrected`."""
    with app.checking(_writable(token, if_match)):
        promise = app.correct_feedback(
            promise_id,
            feedback_id,
            changes=body.changes(),
            reason=body.reason,
            actor=actor_of(token),
        )
    return _answer(promise)
