"""`/arbete/admin/`: access tokens for the workspace and the API, issued, listed, revoked.

Only an admin. A new token's secret is shown once, on the page that answers the
form, and never again (it is stored only as a hash). The same rules as
`POST /api/v1/tokens`: the API's request model, no `expires_on` in the past.
"""

from __future__ import annotations

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
from domain.values import Role
from infra.tokens import TOKEN_ROLES, IssuedToken, TokenStore
from workflow.clock import today

router = APIRouter()

BASE = "/arbete/admin"


def _tokens(request: Request) -> TokenStore:
    store: TokenStore = request.app.state.tokens
    return store


def _admin_page(
    request: Request,
    principal: Principal,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    issued: IssuedToken | None = None,
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
        trail=trail(t, (t("ad_title"), "")),
        **form_context(values, errors),
    )


@router.get(f"{BASE}/", response_class=HTMLResponse)
def admin_start(request: Request, principal: SignedIn) -> HTMLResponse:
    require_admin(principal.token)
    return _admin_page(request, principal)


@router.post(f"{BASE}/nycklar", response_class=HTMLResponse)
def create_token(request: Request, principal: SignedIn, form: CheckedForm) -> Response:
    """Issue a token and show its secret, this once."""
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
    return _admin_page(request, principal, issued=issued, status=201)


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
