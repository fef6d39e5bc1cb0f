"""`/dialog/{id}`: "Ni sa – vi gjorde": what people said at a dialogue and what became of it.

For each observation (its public summary and how many raised it): the issues that
cite it and that an issued promise addresses, those promises with their status and
latest follow-up, and, plainly, what has not (yet) led to any issued promise.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web.i18n import Translator
from api.web.public.common import HTML_RESPONSES, not_found, page_context, parse_id
from api.web.rendering import PageMeta, render, request_lang
from domain.reference import municipality

router = APIRouter()


@router.get(
    "/dialog/{dialogue_id}",
    response_class=HTMLResponse,
    summary='A dialogue\'s public page ("Ni sa – vi gjorde")',
    responses={**HTML_RESPONSES, 404: {"description": "No dialogue has that id."}},
)
def dialogue_page(request: Request, dialogue_id: str) -> HTMLResponse:
    """What was said, what it led to, and what it has not (yet) led to."""
    key = parse_id(dialogue_id)
    context = page_context(request)
    page = context.reads.dialogue(key) if key is not None else None
    if page is None:
        return not_found(request, "unknown_dialogue")
    t = Translator(request_lang(request))
    d = page.dialogue
    place = municipality(d.municipality)
    led = sum(item.led_to_something for item in page.said)
    return render(
        request,
        "public/dialogue.html",
        PageMeta(
            title=t("dialogue_title", title=d.title),
            description=t(
                "dialogue_description",
                kind=t.of(d.kind),
                date=t.date(d.held_on),
                name=place.name,
                total=len(page.said),
                led=led,
            ),
            json_url=f"/api/v1/dialogues/{d.id}/outcomes",
            kind="article",
        ),
        headers=context.headers,
        page=page,
        d=d,
        place=place,
        led=led,
        not_yet=[item for item in page.said if not item.led_to_something],
    )
