"""Every error as RFC 9457 `application/problem+json`: ours, the domain's and FastAPI's own.

status  type (urn:loften:problem:...)  raised by
400     bad-request                    malformed headers (If-Match, Idempotency-Key)
401     unauthenticated                no or unknown bearer token
403     forbidden                      wrong role or municipality
404     not-found                      unknown id in the path (malformed ids too), no route
405     method-not-allowed             (about:blank) Starlette's routing
409     rule-violated                  `domain.errors.DomainError`, `TooMuchContention`
409     in-progress                    the same Idempotency-Key is still being answered
412     version-mismatch               a stale If-Match (`VersionMismatch`)
413     body-too-large                 a request body over 1 MiB
422     validation                     request validation (a body that is not JSON too),
                                       `InvalidValue`, reused keys
500     internal                       anything unexpected (never for any input)
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import (
    DomainError,
    InvalidValue,
    UnknownFeedback,
    UnknownFollowUp,
    UnknownObservation,
)
from workflow.errors import NotFound, TooMuchContention, VersionMismatch

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:loften:problem:"


class ProblemError(BaseModel):
    """One validation error: where in the request, and what is wrong."""

    loc: list[str | int]
    msg: str


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:loften:problem:rule-violated",
                    "title": "Conflict",
                    "status": 409,
                    "detail": "The promise cannot be issued yet: it needs the police signature.",
                }
            ]
        }
    )

    type: str = Field(description="A URI naming the kind of problem.")
    title: str = Field(description="The HTTP status phrase.")
    status: int
    detail: str = Field(description="What went wrong, in words a person can act on.")
    errors: list[ProblemError] | None = Field(
        default=None, description="Only on 422: each invalid part of the request."
    )


class ProblemResponse(JSONResponse):
    """A problem document; odd input echoed in it (lone surrogates) is escaped, never a 500."""

    media_type = PROBLEM_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(content, separators=(",", ":")).encode("ascii")


class ApiProblem(Exception):
    """An error the API itself raises (auth, headers); turned into a problem response."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str,
        headers: dict[str, str] | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.headers = headers
        self.errors = errors


def problem_response(
    status: int,
    slug: str | None,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> ProblemResponse:
    """A problem response; `slug` None means the generic `about:blank` type."""
    content: dict[str, Any] = {
        "type": f"{TYPE_PREFIX}{slug}" if slug else "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        content["errors"] = errors
    return ProblemResponse(content, status_code=status, headers=headers)


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` entries for the problems a route can answer with."""
    return {
        status: {
            "model": Problem,
            "content": {PROBLEM_MEDIA_TYPE: {}},
            "description": HTTPStatus(status).phrase,
        }
        for status in statuses
    }


def _validation_errors(errors: Any) -> list[dict[str, Any]]:
    return [
        {
            "loc": [part if isinstance(part, int) else str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "invalid")),
        }
        for error in errors
    ]


def _on_validation(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if errors and all(tuple(e.get("loc", ()))[:1] == ("path",) for e in errors):
        # A malformed id in the path names nothing: that is "not found", not a bad body.
        return problem_response(404, "not-found", f"Nothing at {request.url.path}.")
    return problem_response(
        422,
        "validation",
        "The request is invalid; see `errors` for each part to fix.",
        errors=_validation_errors(errors),
    )


def _unreadable_body(exc: StarletteHTTPException) -> bool:
    """FastAPI's 400 for a body its JSON parser gave up on (bad UTF-8, nesting too deep,
    a number too long): the same kind of fault as a syntax error, which it answers 422."""
    return exc.status_code == 400 and isinstance(exc.__cause__, ValueError | RecursionError)


def _on_http(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, StarletteHTTPException)
    if _unreadable_body(exc):
        message = "The body is not JSON this API can read (UTF-8, nested and sized sensibly)."
        return problem_response(
            422, "validation", message, errors=[{"loc": ["body"], "msg": message}]
        )
    slug = "not-found" if exc.status_code == 404 else None
    detail = str(exc.detail) if exc.detail else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404:
        detail = f"Nothing at {request.url.path}."
    headers = dict(exc.headers) if exc.headers else None
    return problem_response(exc.status_code, slug, detail, headers=headers)


def _on_api_problem(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, ApiProblem)
    return problem_response(
        exc.status, exc.slug, exc.detail, errors=exc.errors, headers=exc.headers
    )


def _on_domain(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, DomainError)
    if isinstance(exc, UnknownFollowUp | UnknownObservation | UnknownFeedback):
        return problem_response(404, "not-found", exc.message)
    if isinstance(exc, InvalidValue):
        return problem_response(
            422, "validation", exc.message, errors=[{"loc": ["body"], "msg": exc.message}]
        )
    return problem_response(409, "rule-violated", exc.message)


def _on_not_found(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, NotFound)
    return problem_response(404, "not-found", exc.message)


def _on_version_mismatch(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, VersionMismatch)
    return problem_response(
        412, "version-mismatch", exc.message, headers={"ETag": f'"{exc.actual}"'}
    )


def _on_contention(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, TooMuchContention)
    return problem_response(409, "rule-violated", exc.message, headers={"Retry-After": "1"})


def _on_unexpected(request: Request, exc: Exception) -> ProblemResponse:
    log.exception("unexpected error answering %s %s", request.method, request.url.path)
    return problem_response(500, "internal", "Something went wrong on our side; it is logged.")


def _document_problems(app: FastAPI) -> None:
    """Error responses in the OpenAPI document as they are sent: `application/problem+json`
    with the `Problem` schema, never FastAPI's default `HTTPValidationError` shape (which
    it adds to every route with parameters, and which this API never answers with)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(problem.pop("$defs", {}))
            schemas.setdefault("Problem", problem)
            for item in schema.get("paths", {}).values():
                for operation in item.values():
                    for status, response in operation.get("responses", {}).items():
                        if status.startswith(("4", "5")):
                            content = {"schema": {"$ref": "#/components/schemas/Problem"}}
                            response["content"] = {PROBLEM_MEDIA_TYPE: content}
            for unused in ("HTTPValidationError", "ValidationError"):
                if f"#/components/schemas/{unused}" not in json.dumps(schema):
                    schemas.pop(unused, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    """Route every error the app can raise to its problem response, and document them so."""
    _document_problems(app)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(ApiProblem, _on_api_problem)
    app.add_exception_handler(DomainError, _on_domain)
    app.add_exception_handler(NotFound, _on_not_found)
    app.add_exception_handler(VersionMismatch, _on_version_mismatch)
    app.add_exception_handler(TooMuchContention, _on_contention)
    app.add_exception_handler(Exception, _on_unexpected)
