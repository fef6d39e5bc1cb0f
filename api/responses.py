"""Aggregate responses: the body, `ETag: "<version>"` and, on creation, `Location`."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel


def aggregate_response(
    model: BaseModel,
    version: int,
    *,
    status: int = 200,
    location: str | None = None,
    exclude: Any = None,
) -> JSONResponse:
    headers = {"ETag": f'"{version}"'}
    if location is not None:
        headers["Location"] = location
    return JSONResponse(
        model.model_dump(mode="json", exclude=exclude), status_code=status, headers=headers
    )


ETAG_HEADER = {
    "ETag": {
        "description": 'The aggregate\'s version as a strong entity tag: `"3"`.',
        "schema": {"type": "string"},
    }
}
LOCATION_HEADER = {
    "Location": {"description": "Where the new resource is read.", "schema": {"type": "string"}}
}
