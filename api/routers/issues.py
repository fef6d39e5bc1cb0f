"""Issues: the problembild, each issue resting on cited evidence, prioritised or rejected."""

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
)
from api.deps import App, CurrentToken, FreshViews, IfMatch, Precondition, Writer
from api.errors import ApiProblem, problems
from api.filters import MunicipalityFilter
from api.pagination import DEFAULT_LIMIT, Cursor, Limit
from api.responses import ETAG_HEADER, LOCATION_HEADER, aggregate_response
from api.schemas.common import Page
from api.schemas.corrections import CorrectIssue
from api.schemas.issues import AddEvidence, IdentifyIssue, IssueOut, PrioritiseIssue, RejectIssue
from api.views import STALE_HEADER_DOC, query_checked
from domain.issue import Issue
from domain.values import IssueStatus, Role, Theme
from infra.tokens import Token
from projections.lists import list_issues
from projections.models import IssueRow
from workflow.application import Loftesboken

router = APIRouter(prefix="/api/v1/issues", tags=["issues"])

WRITE_PROBLEMS = problems(400, 401, 403, 404, 409, 412, 413, 422)


def _writable(token: Token, if_match: IfMatch) -> Callable[[Issue], None]:
    """The check of a change on the issue it loads: in the token's scope (403), at a version
    the client's If-Match accepts (412)."""

    def check(issue: Issue) -> None:
        require_scope(token, [issue.municipality])
        if_match.pin(issue.version)

    return check


def _answer(app: Loftesboken, issue: Issue, status: int = 200) -> JSONResponse:
    out = IssueOut.showing(issue, app.retracted_evidence(issue))
    return aggregate_response(out, issue.version, status=status)


@router.post(
    "",
    status_code=201,
    response_model=IssueOut,
    summary="Identify an issue from evidence",
    responses={
        201: {"headers": {**ETAG_HEADER, **LOCATION_HEADER}},
        **problems(401, 403, 409, 413, 422),
    },
)
def identify_issue(body: IdentifyIssue, token: Writer, app: App) -> JSONResponse:
    """Cited dialogues and observations must exist and be of the same municipality (else 422)."""
    require_scope(token, [body.municipality])
    issue = app.identify_issue(
        municipality=body.municipality,
        title=body.title,
        theme=body.theme,
        description=body.description,
        identified_on=body.identified_on,
        evidence=[e.to_domain() for e in body.evidence],
        actor=actor_of(token),
    )
    return aggregate_response(
        IssueOut.of(issue), issue.version, status=201, location=f"{router.prefix}/{issue.id}"
    )


@router.post(
    "/{issue_id}/evidence",
    status_code=201,
    response_model=IssueOut,
    summary="Cite one more piece of evidence",
    responses={201: {"headers": ETAG_HEADER}, **WRITE_PROBLEMS},
)
def add_evidence(
    issue_id: UUID, body: AddEvidence, token: Writer, app: App, if_match: Precondition
) -> JSONResponse:
    with app.checking(_writable(token, if_match)):
        issue = app.add_evidence(
            issue_id,
            body.to_domain(),
            actor=actor_of(token),
        )
    return _answer(app, issue, 201)


@router.post(
    "/{issue_id}/prioritisation",
    response_model=IssueOut,
    summary="Prioritise the issue (1 is highest)",
    responses={200: {"headers": ETAG_HEADER}, **WRITE_PROBLEMS},
)
def prioritise_issue(
    issue_id: UUID, body: PrioritiseIssue, token: Writer, app: App, if_match: Precondition
) -> JSONResponse:
    with app.checking(_writable(token, if_match)):
        issue = app.prioritise_issue(
            issue_id,
            priority=body.priority,
            rationale=body.rationale,
            actor=actor_of(token),
        )
    return _answer(app, issue)


@router.post(
    "/{issue_id}/rejection",
    response_model=IssueOut,
    summary="Reject the issue",
    responses={200: {"headers": ETAG_HEADER}, **WRITE_PROBLEMS},
)
def reject_issue(
    issue_id: UUID, body: RejectIssue, token: Writer, app: App, if_match: Precondition
) -> JSONResponse:
    """A rejected issue can no longer be addressed by a promise."""
    with app.checking(_writable(token, if_match)):
        issue = app.reject_issue(
            issue_id,
            reason=body.reason,
            actor=actor_of(token),
        )
    return _answer(app, issue)


@router.get(
    "",
    response_model=Page[IssueRow],
    summary="List issues",
    responses={200: {"headers": STALE_HEADER_DOC}, **problems(401, 403, 422)},
)
def list_all_issues(
    token: CurrentToken,
    views: FreshViews,
    municipality: MunicipalityFilter = None,
    status: IssueStatus | None = Query(None, description="Only issues in this status."),
    theme: Theme | None = Query(None, description="Only issues of this theme."),
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[IssueRow]:
    """Like a single issue, not public (401): auditors and admins list every issue; a police
    or municipality token lists those of its own municipalities (403 when `municipality`
    names another). Issues a promise addresses are public in its derivation."""
    within = None
    if not reads_everything(token):
        if municipality is not None:
            require_internal_reader(token, [municipality], "issues")
        else:
            require_internal_reader(token, token.municipalities, "issues")
            within = token.municipalities
    with query_checked():
        page = list_issues(
            views.catalogue,
            municipality=municipality,
            status=status,
            theme=theme,
            within=within,
            limit=limit,
            cursor=cursor,
        )
    return Page(items=page.items, next_cursor=page.next_cursor)


@router.get(
    "/{issue_id}",
    response_model=IssueOut,
    summary="Read an issue",
    responses={200: {"headers": ETAG_HEADER}, **problems(401, 403, 404)},
)
def get_issue(issue_id: UUID, token: CurrentToken, app: App) -> JSONResponse:
    """Issues are not public data (the public sees those a promise addresses in its
    derivation): a token of the issue's municipality, an auditor or an admin reads them."""
    if token.role is Role.PUBLIC:
        raise ApiProblem(
            401,
            "unauthenticated",
            "Reading an issue needs a bearer token.",
            {"WWW-Authenticate": 'Bearer realm="loften"'},
        )
    issue = app.get_issue(issue_id)
    if not reads_internal(token, [issue.municipality]):
        raise ApiProblem(
            403, "forbidden", f"This token does not read issues of {issue.municipality}."
        )
    return _answer(app, issue)


@router.post(
    "/{issue_id}/correction",
    response_model=IssueOut,
    summary="Correct what was recorded of the issue",
    responses={200: {"headers": ETAG_HEADER}, **WRITE_PROBLEMS},
)
def correct_issue(
    issue_id: UUID, body: CorrectIssue, token: Writer, app: App, if_match: Precondition
) -> JSONResponse:
    """`IssueCorrected`; `theme` and `identified_on` not once an issued or concluded
    promise addresses the issue (409)."""
    with app.checking(_writable(token, if_match)):
        issue = app.correct_issue(
            issue_id, changes=body.changes(), reason=body.reason, actor=actor_of(token)
        )
    return _answer(app, issue)
