"""Reference data: the 290 municipalities and the controlled list of themes."""

from __future__ import annotations

from fastapi import APIRouter

from api.errors import ApiProblem, problems
from api.pagination import DEFAULT_LIMIT, Cursor, Limit, page_of
from api.schemas.common import Page
from api.schemas.reference import MunicipalityOut, ThemeOut
from domain.reference import THEME_LABELS, municipalities

router = APIRouter(prefix="/api/v1", tags=["reference data"])


@router.get(
    "/municipalities",
    response_model=Page[MunicipalityOut],
    summary="List the municipalities",
    responses=problems(422),
)
def list_municipalities(
    limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Page[MunicipalityOut]:
    """All 290 in code order; `limit=500` gets them at once."""
    items, next_cursor = page_of(
        list(municipalities().values()), lambda m: m.code, "municipality", limit, cursor
    )
    return Page(items=[MunicipalityOut.of(m) for m in items], next_cursor=next_cursor)


@router.get(
    "/municipalities/{code}",
    response_model=MunicipalityOut,
    summary="Read a municipality",
    responses=problems(404),
)
def get_municipality(code: str) -> MunicipalityOut:
    found = municipalities().get(code)
    if found is None:
        raise ApiProblem(404, "not-found", f"No municipality with code {code!r}.")
    return MunicipalityOut.of(found)


@router.get(
    "/themes",
    response_model=Page[ThemeOut],
    summary="List the themes",
    responses=problems(422),
)
def list_themes(limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[ThemeOut]:
    """The controlled list, each theme with its Swedish and English label."""
    themes = [
        ThemeOut(theme=theme, label_sv=sv, label_en=en) for theme, (sv, en) in THEME_LABELS.items()
    ]
    items, next_cursor = page_of(themes, lambda t: t.theme.value, "theme", limit, cursor)
    return Page(items=items, next_cursor=next_cursor)
