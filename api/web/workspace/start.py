"""`/arbete/`: the signed-in person's municipalities, each with what needs doing."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.routers.reports import read_side
from api.views import fresh_views
from api.web.workspace.pages import page, translator
from api.web.workspace.session import SignedIn, scope_names
from projections.worklist import active_municipalities, work_list
from workflow.clock import today

router = APIRouter()


@router.get("/arbete/", response_class=HTMLResponse, summary="The workspace's start page")
def start(request: Request, principal: SignedIn) -> HTMLResponse:
    views = fresh_views(read_side(request))
    day = today(request.app.state.clock)
    everyone = active_municipalities(views.catalogue) if principal.acts_for_all else []
    lists = [work_list(views.catalogue, code, day) for code in scope_names(principal, everyone)]
    t = translator(request)
    return page(
        request,
        principal,
        "workspace/start.html",
        t("start_ws_title"),
        headers=views.headers(),
        lists=lists,
        trail=[],
    )
