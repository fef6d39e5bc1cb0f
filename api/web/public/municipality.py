"""`/kommun/{code}`: one municipality's promises, dialogues, follow-ups, feedback and reports.

`/kommun?q=...` is the start page's search: one match goes straight to that
municipality (303), several are listed, none says so. It needs no JavaScript.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.i18n import Translator
from api.web.public.common import HTML_RESPONSES, not_found, page_context
from api.web.public.start import swedish_order
from api.web.rendering import PageMeta, render, request_lang, with_lang
from domain.reference import Municipality, municipalities

router = APIRouter()


def search(text: str) -> list[Municipality]:
    """Municipalities whose name or code matches `text`; an exact name alone if there is one."""
    needle = " ".join(text.split()).casefold()
    if not needle:
        return []
    every = list(municipalities().values())
    exact = [m for m in every if m.name.casefold() == needle or m.code == needle]
    if exact:
        return exact
    starts = [m for m in every if m.name.casefold().startswith(needle)]
    within = [m for m in every if needle in m.name.casefold() and m not in starts]
    return sorted(starts, key=lambda m: swedish_order(m.name)) + sorted(
        within, key=lambda m: swedish_order(m.name)
    )


@router.get(
    "/kommun",
    response_class=HTMLResponse,
    summary="Find a municipality by name",
    responses={**HTML_RESPONSES, 303: {"description": "The one municipality that matches."}},
)
def find_municipality(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> Response:
    """One match redirects to its page; otherwise the matches (or none) are listed."""
    found = search(q)
    lang = request_lang(request)
    if len(found) == 1:
        return RedirectResponse(with_lang(f"/kommun/{found[0].code}", lang), status_code=303)
    t = Translator(lang)
    return render(
        request,
        "public/search.html",
        PageMeta(title=t("search_results_title"), description=t("search_hint")),
        q=q,
        found=found,
    )


@router.get(
    "/kommun/{code}",
    response_class=HTMLResponse,
    summary="A municipality's public page",
    responses={**HTML_RESPONSES, 404: {"description": "No municipality has that code."}},
)
def municipality_page(request: Request, code: str) -> HTMLResponse:
    """Promises in force and earlier, dialogues held and what was raised, next and missed
    follow-ups, feedback given, annual reports by year, the calendar feed, open data."""
    place = municipalities().get(code)
    if place is None:
        return not_found(request, "unknown_municipality")
    context = page_context(request)
    page = context.reads.municipality(code, context.today)
    t = Translator(request_lang(request))
    in_force = [p for p in page.promises if p.in_force_on(context.today)]
    return render(
        request,
        "public/municipality.html",
        PageMeta(
            title=t("municipality_title", name=place.name),
            description=t(
                "municipality_description",
                name=place.name,
                promises=len(page.promises),
                dialogues=page.dialogues_total,
            ),
            json_url=f"/api/v1/municipalities/{code}",
        ),
        headers=context.headers,
        place=place,
        page=page,
        in_force=in_force,
        earlier=[p for p in page.promises if p not in in_force],
    )
