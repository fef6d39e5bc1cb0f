"""`/arbete/admin/`: access tokens for the workspace and the API, issued, listed, revoked.

Only an admin. A new token's secret is shown once and never again (it is stored
only as a hash): the form answers with a redirect to a page that takes the secret
from a one-time hand-over (`shown_once`), so a reload shows "already shown" and
issues nothing. The same rules as
`POST /api/v1/tokens`: the API's request model, no `expires_on` in the past.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auth import require_admin
from api.schemas.tokens import CreateToken
from api.web.rendering import with_lang
from api.web.workspace.common import form_context, trail
from api.web.workspace.forms import FormErrors, blank_to_absent, checked, values_of
from api.web.workspace.pages import page, translator
from api.web.workspace.session import CheckedForm, Principal, SignedIn
from api.web.workspace.shown_once import ShownOnce
from domain.values import Role
from infra.tokens import TOKEN_ROLES, IssuedToken, TokenStore
from workflow.clock import today

router = APIRouter()

BASE = "/arbete/admin"


def _tokens(request: Request) -> TokenStore:
    store: TokenStore = request.app.state.tokens
    return store


_CREATING = threading.Lock()


def _shown_once(request: Request) -> ShownOnce[IssuedToken]:
    """The app's one-time hand-over of new secrets, made on first use."""
    with _CREATING:
        held: ShownOnce[IssuedToken] | None = getattr(request.app.state, "shown_once", None)
        if held is None:
            held = ShownOnce()
            request.app.state.shown_once = held
    return held


def _admin_page(
    request: Request,
    principal: Principal,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    issued: IssuedToken | None = None,
    already_shown: bool = False,
    status: int = 200,
) -> HTMLResponse:
    t = translator(request)
    return page(
        request,
        principal,
        "workspace/admin.html",
        t("ad_title"),
        status_code=status,
        records=list(reversed(_tokens(request).tokens())),
        roles=[(role.value, t("ws_role_" + role.value)) for role in TOKEN_ROLES],
        issued=issued,
        already_shown=already_shown,
        trail=trail(t, (t("ad_title"), "")),
        **form_context(values, errors),
    )


@router.get(f"{BASE}/", response_class=HTMLResponse)
def admin_start(request: Request, principal: SignedIn) -> HTMLResponse:
    require_admin(principal.token)
    return _admin_page(request, principal)


@router.post(f"{BASE}/nycklar", response_class=HTMLResponse)
def create_token(request: Request, principal: SignedIn, form: CheckedForm) -> Response:
    """Issue a token and send the browser to the page that shows its secret, this once."""
    require_admin(principal.token)
    t = translator(request)
    values = values_of(form)
    codes = [code.strip() for code in values.get("municipalities", "").replace(";", ",").split(",")]
    data: dict[str, Any] = blank_to_absent(
        {name: values.get(name, "") for name in ("role", "label", "expires_on")}
    )
    data["municipalities"] = [code for code in codes if code]
    names = {("municipalities", n): "municipalities" for n in range(len(data["municipalities"]))}
    try:
        body = checked(CreateToken, data, t, field_names=names | {(): "municipalities"})
        day = today(request.app.state.clock)
        if body.expires_on is not None and body.expires_on < day:
            raise FormErrors({"expires_on": t("ad_expires_past", day=t.date(day))})
    except FormErrors as refused:
        return _admin_page(request, principal, values=values, errors=refused.errors, status=400)
    issued = _tokens(request).issue(
        Role(body.role),
        body.municipalities,
        body.label,
        expires_on=body.expires_on,
        actor=principal.actor,
    )
    ticket = _shown_once(request).put(principal.session.id, issued, request.app.state.clock.now())
    return RedirectResponse(with_lang(f"{BASE}/nycklar/ny/{ticket}", t.lang), status_code=303)


@router.get(f"{BASE}/nycklar/ny/{{ticket}}", response_class=HTMLResponse)
def show_new_token(request: Request, principal: SignedIn, ticket: str) -> HTMLResponse:
    """The new secret, for the session that issued it and only on its first view."""
    require_admin(principal.token)
    issued = _shown_once(request).take(principal.session.id, ticket, request.app.state.clock.now())
    if issued is None:
        return _admin_page(request, principal, already_shown=True, status=410)
    return _admin_page(request, principal, issued=issued)


@router.post(f"{BASE}/nycklar/{{token_id}}/sparr", response_class=HTMLResponse)
def revoke_token(
    request: Request, principal: SignedIn, token_id: str, form: CheckedForm
) -> Response:
    require_admin(principal.token)
    t = translator(request)
    store = _tokens(request)
    if store.get(token_id) is not None:
        store.revoke(token_id, principal.actor)
    return RedirectResponse(with_lang(f"{BASE}/", t.lang), status_code=303)


@router.get(BASE, include_in_schema=False)
def admin_slash() -> RedirectResponse:
    return RedirectResponse(f"{BASE}/", status_code=308)
