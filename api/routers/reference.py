"""Reference data: the 290 municipalities and the controlled list of themes."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import reads_internal
from api.deps import CurrentToken, FreshViews
from api.errors import ApiProblem, problems
from api.pagination import DEFAULT_LIMIT, Cursor, Limit, page_of
from api.schemas.common import Page
from api.schemas.reference import MunicipalityDetail, MunicipalityOut, ThemeOut
from api.views import STALE_HEADER_DOC
from domain.reference import THEME_LABELS, municipalities
from projections.lists import municipality_summary

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
    response_model=MunicipalityDetail,
    summary="Read a municipality, with a summary of its record",
    responses={200: {"headers": STALE_HEADER_DOC}, **problems(401, 404)},
)
def get_municipality(code: str, token: CurrentToken, views: FreshViews) -> MunicipalityDetail:
    """Public. `summary`: dialogues, observations, issues by status, promises by status,
    overdue follow-ups and the next deadline of an issued promise. An unknown code is 404."""
    found = municipalities().get(code)
    if found is None:
        raise ApiProblem(404, "not-found", f"No municipality with code {code!r}.")
    summary = municipality_summary(views.catalogue, code, public=not reads_internal(token, [code]))
    return MunicipalityDetail(**MunicipalityOut.of(found).model_dump(), summary=summary)


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
