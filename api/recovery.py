"""The answer of a command that was recorded but never answered (its process died first).

Every write answers with the whole aggregate as it then stood (API.md, Conventions),
so that answer follows from the recorded key alone: the aggregate at the version its
events reached, the route's own success status, its `ETag`, and a `Location` when
the command created the aggregate. A client never saw the lost answer (answers are
stored before they are sent), so this is the first answer it gets.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from fastapi import FastAPI
from starlette.types import Scope

from api.responses import aggregate_response
from api.schemas.dialogues import DialogueOut
from api.schemas.issues import IssueOut
from api.schemas.promises import PromiseOut
from domain.dialogue import Dialogue
from domain.issue import Issue
from domain.promise import Promise
from infra.idempotency import StoredResponse
from workflow.application import Loftesboken
from workflow.keys import RecordedKey


def _model(aggregate: Any) -> Any:
    if isinstance(aggregate, Dialogue):
        return DialogueOut.of(aggregate)
    if isinstance(aggregate, Issue):
        return IssueOut.of(aggregate)
    if isinstance(aggregate, Promise):
        return PromiseOut.of(aggregate)
    raise TypeError(f"no answer is known for a {type(aggregate).__name__}")


def success_status(scope: Scope) -> int:
    """The status the route of this POST answers on success (201 or 200), as the app's
    own OpenAPI schema documents it."""
    for pattern, status in _post_statuses(scope["app"]):
        if pattern.fullmatch(scope["path"]):
            return status
    return 200


@cache
def _post_statuses(app: FastAPI) -> list[tuple[re.Pattern[str], int]]:
    statuses = []
    for path, item in app.openapi()["paths"].items():
        post = item.get("post")
        if post is None:
            continue
        success = sorted(int(code) for code in post.get("responses", {}) if code.startswith("2"))
        pattern = re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)))
        statuses.append((pattern, success[0] if success else 200))
    return statuses


def recovered_answer(scope: Scope, app: Loftesboken, recorded: RecordedKey) -> StoredResponse:
    """The answer the recorded command would have given (headers lower-cased)."""
    aggregate: Any = app.repository.get(recorded.aggregate_id, version=recorded.version)
    location = f"{scope['path'].rstrip('/')}/{aggregate.id}" if recorded.created else None
    status = success_status(scope)
    response = aggregate_response(
        _model(aggregate), recorded.version, status=status, location=location
    )
    headers = [
        (name.decode("latin-1").lower(), value.decode("latin-1"))
        for name, value in response.raw_headers
        if name.lower() != b"content-length"
    ]
    return StoredResponse(status, headers, bytes(response.body))
