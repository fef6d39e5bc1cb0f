"""Open data over HTTP: a municipality's public record, or the country's, as a zip file.

Public (no token needed): a Frictionless Data Package under CC0-1.0 with the same rules
of publicity as every public read (`projections.publicity`). Each request first waits
(bounded) until the views hold every earlier write, like the reports.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api.errors import ApiProblem, problems
from api.routers.reports import read_side
from api.views import STALE_HEADER_DOC, fresh_views
from domain.reference import municipalities
from projections.open_data import PackageFile, open_data_package, read_tables

router = APIRouter(prefix="/api/v1/open-data", tags=["open data"])

ZIP_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A zip file: `datapackage.json` and one CSV file per table.",
        "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        "headers": STALE_HEADER_DOC,
    },
}


def _answer(request: Request, municipality: str | None) -> Response:
    views = fresh_views(read_side(request))
    tables = read_tables(views.catalogue, views.pages, municipality)
    package: PackageFile = open_data_package(tables, str(request.base_url))
    return Response(
        package.body,
        media_type=package.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{package.filename}"',
            **views.headers(),
        },
    )


@router.get(
    "/national.zip",
    response_class=Response,
    summary="Open data of every municipality",
    responses={**ZIP_RESPONSES, **problems(503)},
)
def national_open_data(request: Request) -> Response:
    """The whole country's public record as one Data Package."""
    return _answer(request, None)


@router.get(
    "/{code}.zip",
    response_class=Response,
    summary="A municipality's open data",
    responses={**ZIP_RESPONSES, **problems(404, 503)},
)
def municipality_open_data(
    request: Request,
    code: Annotated[str, Path(description="The municipality's four-digit kommunkod.")],
) -> Response:
    """The municipality's public record as a Data Package: its dialogues and what was
    raised, its issued promises with what they address, activities, signatures,
    follow-ups and feedback to citizens."""
    if code not in municipalities():
        raise ApiProblem(404, "not-found", f"No municipality with code {code!r}.")
    return _answer(request, code)
