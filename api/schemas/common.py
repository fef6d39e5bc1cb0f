"""Field types that carry the contract's input limits, and the shapes every resource shares.

Limits (API.md): short texts at most 200 characters, long texts at most 10,000, no
control characters (Unicode Cc) but TAB, LF and CR, integers 0..1,000,000,000, dates
strictly `YYYY-MM-DD` (years 1900 to 2999), municipalities only the 290 real codes.
Lone surrogates are refused too: they cannot be stored as UTF-8, so they could only
ever end in a 500.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from domain.reference import municipalities
from projections.models import Page as Page  # one page model, the read side's

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 10_000
INTEGER_MAX = 1_000_000_000
# Dates far outside any promise's life only make date arithmetic overflow (a period of
# three years from 9999-01-01 has no end date), so they are refused at the door.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2999

_FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _clean_text(value: str) -> str:
    if _FORBIDDEN_CHARACTERS.search(value):
        raise ValueError(
            "control characters (other than tab, line feed and carriage return) and lone "
            "surrogates are not allowed"
        )
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    if not EARLIEST_YEAR <= int(value[:4]) <= LATEST_YEAR:
        raise ValueError(f"must be a date in the years {EARLIEST_YEAR} to {LATEST_YEAR}")
    return value


def _known_municipality(code: str) -> str:
    if code not in municipalities():
        raise ValueError(
            f"'{code}' is not a Swedish municipality code (kommunkod), e.g. '1280' for Malmö"
        )
    return code


ShortText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=SHORT_TEXT_MAX),
    AfterValidator(_clean_text),
]
LongText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=LONG_TEXT_MAX),
    AfterValidator(_clean_text),
]
IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    Field(description=f"YYYY-MM-DD, in the years {EARLIEST_YEAR} to {LATEST_YEAR}."),
]
Amount = Annotated[int, Field(strict=True, ge=0, le=INTEGER_MAX)]
Count = Annotated[int, Field(strict=True, ge=1, le=INTEGER_MAX)]
MunicipalityCode = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{4}$"),
    AfterValidator(_known_municipality),
    Field(description="A four-digit SCB kommunkod, e.g. '1280' (Malmö).", examples=["1280"]),
]


class FromDomain(BaseModel):
    """An output model read off a domain object by attribute name, declared, not copied by hand.

    `Model.of(aggregate)` validates the aggregate's attributes (nested models too); a
    field whose attribute is named or shaped otherwise says so with an alias or a
    `mode="before"` validator beside it.
    """

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, obj: object) -> Self:
        return cls.model_validate(obj, from_attributes=True)


def values_of(value: Any) -> Any:
    """A mapping of an aggregate's parts (by id) as the list of its values, in their order
    (a dict's insertion order; a dialogue's `Observations`, the order recorded)."""
    return list(value.values()) if isinstance(value, Mapping) else value


class Input(BaseModel):
    """A request body: unknown fields are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")
