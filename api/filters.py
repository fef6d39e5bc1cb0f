"""Query parameters the read endpoints share: municipality, year, dates, timestamps.

Each refuses what it cannot mean with a 422 naming the parameter (an unknown
municipality code, a year outside 1900-2999, a date that is not `YYYY-MM-DD`), so
no filter reaches a view unchecked.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator, Field

from api.schemas.common import EARLIEST_YEAR, LATEST_YEAR, IsoDate, MunicipalityCode


def _utc(moment: datetime) -> datetime:
    """A timestamp without an offset is read as UTC, as the contract writes them."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ValueError(f"must be a moment in the years {EARLIEST_YEAR} to {LATEST_YEAR}")
    return moment


MunicipalityFilter = Annotated[
    MunicipalityCode | None,
    Query(description="Only those of this municipality (four-digit kommunkod, e.g. 1280)."),
]
YearFilter = Annotated[
    int | None,
    Query(ge=EARLIEST_YEAR, le=LATEST_YEAR, description="Only those of this year."),
]
DueBefore = Annotated[
    IsoDate | None,
    Query(description="Only follow-ups due before this date (exclusive), YYYY-MM-DD."),
]
Timestamp = Annotated[
    datetime,
    AfterValidator(_utc),
    Field(description="An ISO 8601 timestamp; without an offset it is read as UTC."),
]
