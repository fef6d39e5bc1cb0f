"""`/arbete/logga-in` and `/arbete/logga-ut`: exchanging an access token for a session, and back.

The token is checked exactly as the API checks a bearer token (unknown, revoked and
expired tokens are refused, each with its own message next to the field); a good one
opens a server-held session and the person goes where they were heading.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from api.web.rendering import with_lang
from api.web.workspace.pages import page, translator
from api.web.workspace.session import (
    SIGN_IN_COOKIE,
    SIGN_IN_PATH,
    CheckedForm,
    SignedIn,
    checked_sign_in_form,
    local_next,
    set_cookie,
    sign_in,
    sign_in_csrf,
    sign_out,
)
from infra.tokens import TokenStore
from workflow.clock import today

router = APIRouter()

_REASONS = {
    "signin_reason_none",
    "signin_reason_ended",
    "signin_reason_revoked",
    "signin_reason_expired",
    "signin_reason_signed_out",
}


def _form(
    request: Request, next_path: str, reason: str | None, errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    t = translator(request)
    csrf = sign_in_csrf(request)
    response = page(
        request,
        None,
        "workspace/signin.html",
        t("signin_title"),
        status_code=status,
        csrf_token=csrf,
        next_path=next_path,
        reason=reason if reason in _REASONS else None,
        errors=errors,
        values={},
    )
    set_cookie(request, response, SIGN_IN_COOKIE, csrf, 3600)
    return response


@router.get(SIGN_IN_PATH, response_class=HTMLResponse, summary="The workspace's sign-in page")
def sign_in_page(request: Request, next: str | None = None, reason: str | None = None) -> Response:
    return _form(request, local_next(next), reason, {})


@router.post(SIGN_IN_PATH, response_class=HTMLResponse, summary="Sign in with an access token")
def sign_in_with_token(
    request: Request, form: Annotated[FormData, Depends(checked_sign_in_form)]
) -> Response:
    t = translator(request)
    next_path = local_next(str(form.get("next") or ""))
    secret = str(form.get("token") or "").strip()
    tokens: TokenStore = request.app.state.tokens
    day = today(request.app.state.clock)
    error: str | None = None
    token = tokens.find(secret, day) if secret else None
    if not secret:
        error = t("signin_error_empty")
    elif token is None:
        error = t("signin_error_unknown")
    elif token.revoked_at is not None:
        error = t("signin_error_revoked")
    elif token.expired(day):
        error = t("signin_error_expired", day=t.date(token.expires_on))
    if error is not None:
        return _form(request, next_path, None, {"token": error}, status=400)
    response = RedirectResponse(
        with_lang(next_path, t.lang) if "?" not in next_path else next_path, status_code=303
    )
    sign_in(request, response, secret)
    return response


@router.post("/arbete/logga-ut", response_class=HTMLResponse, summary="Sign out")
def sign_out_now(request: Request, principal: SignedIn, form: CheckedForm) -> Response:
    t = translator(request)
    target = with_lang(SIGN_IN_PATH, t.lang, {"reason": "signin_reason_signed_out"})
    response = RedirectResponse(target, status_code=303)
    sign_out(request, response)
    return response
