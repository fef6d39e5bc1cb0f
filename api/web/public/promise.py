"""`/lofte/{id}`: one issued promise, what it says, who signed, what was done, how it was derived.

Shown for every promise that was issued, also once concluded or withdrawn (with its
status); a draft, or a promise never issued, is `404` like an unknown id.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web.public.common import HTML_RESPONSES, not_found, page_context, parse_id
from api.web.rendering import PageMeta, render

router = APIRouter()

#: How much of the promise's text a description (and a link preview) carries.
DESCRIPTION_CHARS = 200


def excerpt(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """The start of `text` on one line, cut at a word with an ellipsis when too long."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    return line[:limit].rsplit(" ", 1)[0] + " …"


@router.get(
    "/lofte/{promise_id}",
    response_class=HTMLResponse,
    summary="An issued promise's public page",
    responses={**HTML_RESPONSES, 404: {"description": "No issued promise has that id."}},
)
def promise_page(request: Request, promise_id: str) -> HTMLResponse:
    """Text, period, police district and municipalities, signatories, activities with their
    latest status, the follow-up timeline, feedback, outcome, and the derivation: each
    issue it addresses with its priority and rationale and the evidence behind it."""
    key = parse_id(promise_id)
    context = page_context(request)
    page = context.reads.promise(key) if key is not None else None
    if page is None:
        return not_found(request, "unknown_promise")
    return render(
        request,
        "public/promise.html",
        PageMeta(
            title=page.promise.title,
            description=excerpt(page.text) or page.promise.title,
            json_url=f"/api/v1/promises/{page.promise.id}/derivation",
            kind="article",
        ),
        headers=context.headers,
        page=page,
        p=page.promise,
        json_promise=f"/api/v1/promises/{page.promise.id}",
    )
