"""The dependencies every route shares, declared once as `Annotated` aliases."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import Depends, Header, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.auth import authenticate, require_admin, require_writer
from api.errors import ApiProblem
from api.views import Views, fresh_views
from infra.tokens import Token, TokenStore
from projections.readside import Projections
from workflow.application import Loftesboken
from workflow.clock import today
from workflow.deadlines import DeadlineWatcher
from workflow.errors import VersionMismatch

_bearer = HTTPBearer(
    auto_error=False,
    description="A token issued by `POST /api/v1/tokens` or `loften token create`.",
)
_ENTITY_TAG = re.compile(r'\s*(W/)?"([0-9]{1,18})"\s*')


# The accessors below are `async def` because they only read the app's state: FastAPI
# runs a plain `def` dependency in its thread pool, one round trip per dependency per
# request, which under load cost more than the work they do (docs/benchmarks.md).


async def _loftesboken(request: Request) -> Loftesboken:
    app: Loftesboken = request.app.state.loftesboken
    return app


async def _tokens(request: Request) -> TokenStore:
    store: TokenStore = request.app.state.tokens
    return store


async def _current_token(
    request: Request,
    tokens: Annotated[TokenStore, Depends(_tokens)],
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Token:
    """The token `presented_token` found (async: no trip to the thread pool for it);
    looked up here, in the pool, only where the app's global check did not run."""
    token: Token | None = getattr(request.state, "loften_token", None)
    if token is None:
        token = await run_in_threadpool(
            authenticate,
            request.headers.get("authorization"),
            tokens,
            today(request.app.state.clock),
        )
    request.state.actor_role = token.role.value  # for the request's log line
    return token


def presented_token(request: Request) -> None:
    """Every request that presents a token has it checked, public reads included: a revoked,
    expired or unknown token is 401 wherever it is sent (the app's global dependency).

    The token found is kept on the request, so a route that needs it does not look it
    up (a query and a hash) a second time."""
    if request.headers.get("authorization") is not None:
        token = authenticate(
            request.headers.get("authorization"),
            request.app.state.tokens,
            today(request.app.state.clock),
        )
        request.state.loften_token = token
        request.state.actor_role = token.role.value  # for the request's log line


async def _today(request: Request) -> date:
    """Today in Europe/Stockholm, by the app's clock."""
    return today(request.app.state.clock)


async def _projections(request: Request) -> Projections:
    projections: Projections = request.app.state.projections
    return projections


async def _deadline_watcher(request: Request) -> DeadlineWatcher:
    watcher: DeadlineWatcher = request.app.state.deadline_watcher
    return watcher


App = Annotated[Loftesboken, Depends(_loftesboken)]
ReadSide = Annotated[Projections, Depends(_projections)]
Watcher = Annotated[DeadlineWatcher, Depends(_deadline_watcher)]
Tokens = Annotated[TokenStore, Depends(_tokens)]
CurrentToken = Annotated[Token, Depends(_current_token)]
Today = Annotated[date, Depends(_today)]


async def _writer(token: CurrentToken) -> Token:
    return require_writer(token)


async def _admin(token: CurrentToken) -> Token:
    return require_admin(token)


Writer = Annotated[Token, Depends(_writer)]
Admin = Annotated[Token, Depends(_admin)]


def _fresh_views(projections: ReadSide, response: Response) -> Views:
    """The views once they reflect every earlier write; a late answer is marked stale."""
    views = fresh_views(projections)
    response.headers.update(views.headers())
    return views


FreshViews = Annotated[Views, Depends(_fresh_views)]


class IfMatch:
    """The versions an `If-Match` header accepts (None: any, for `*` or no header)."""

    def __init__(self, versions: frozenset[int] | None) -> None:
        self.versions = versions

    def pin(self, current: int) -> int | None:
        """The version to pass as `expected_version`, or 412 if `current` is not acceptable."""
        if self.versions is None:
            return None
        if current not in self.versions:
            raise VersionMismatch(min(self.versions), current)
        return current


def _if_match(
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description='`"<version>"` (or a list of them, or `*`): write only if the resource '
            "is still at that version, else 412. A malformed value is 400.",
        ),
    ] = None,
) -> IfMatch:
    if if_match is None or if_match.strip() == "*":
        return IfMatch(None)
    versions: set[int] = set()
    for part in if_match.split(","):
        match = _ENTITY_TAG.fullmatch(part)
        if match is None:
            raise ApiProblem(
                400,
                "bad-request",
                'If-Match must be a strong entity tag like "3" (the quoted version), '
                "a comma-separated list of them, or *.",
            )
        if match.group(1) is None:  # a weak tag never matches: If-Match compares strongly
            versions.add(int(match.group(2)))
    if not versions:
        raise ApiProblem(
            412, "version-mismatch", "A weak entity tag (W/...) never matches If-Match."
        )
    return IfMatch(frozenset(versions))


Precondition = Annotated[IfMatch, Depends(_if_match)]
