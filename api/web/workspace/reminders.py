"""`/arbete/paminnelser/{code}`: who receives a municipality's deadline reminders.

An admin, or the municipality's own coordinators, set the functional addresses (one
per line) with the same rules as `PUT /api/v1/municipalities/{code}/reminders`; the
page says whether this server sends e-mail at all (`LOFTEN_SMTP_URL`) and lists the
reminders recorded so far.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auth import require_reminder_manager
from api.errors import ApiProblem
from api.web.i18n import register
from api.web.rendering import with_lang
from api.web.workspace.common import form_context, municipality_step, trail
from api.web.workspace.forms import lines, refusal, values_of
from api.web.workspace.pages import page, translator
from api.web.workspace.session import CheckedForm, Principal, SignedIn
from domain.errors import InvalidValue
from domain.reference import municipalities
from domain.reminders import MISSED
from workflow.application import Loftesboken

router = APIRouter()

BASE = "/arbete/paminnelser"

register(
    {
        "rm_title": ("Påminnelser om uppföljningar", "Follow-up reminders"),
        "rm_intro": (
            "Påminnelser skickas 14 dagar före varje uppföljning av ett utfärdat löfte och "
            "dagen efter en missad. Ange kommunens funktionsadresser (t.ex. trygghetsteamets "
            "gemensamma brevlåda), inte enskilda personers.",
            "Reminders go out 14 days before each follow-up of an issued promise and the day "
            "after a missed one. Give the municipality's functional addresses (e.g. the safety "
            "team's shared mailbox), not individual people's.",
        ),
        "rm_addresses": ("E-postadresser, en per rad", "E-mail addresses, one per line"),
        "rm_addresses_hint": ("Tom lista: inga påminnelser.", "An empty list: no reminders."),
        "rm_save": ("Spara adresserna", "Save the addresses"),
        "rm_saved": ("Adresserna är sparade.", "The addresses are saved."),
        "rm_not_sending": (
            "Den här servern har ingen e-postserver inställd (LOFTEN_SMTP_URL): påminnelserna "
            "registreras men skickas inte.",
            "This server has no mail server set (LOFTEN_SMTP_URL): reminders are recorded but "
            "not sent.",
        ),
        "rm_sent_title": ("Registrerade påminnelser", "Reminders recorded"),
        "rm_none_sent": ("Inga påminnelser ännu.", "No reminders yet."),
        "rm_kind_upcoming": ("14 dagar före", "14 days before"),
        "rm_kind_missed": ("Missad", "Missed"),
        "rm_was_sent": ("skickad", "sent"),
        "rm_not_sent": ("inte skickad", "not sent"),
        "rm_due": ("Uppföljningens sista dag", "Follow-up due"),
        "rm_kind": ("Slag", "Kind"),
        "rm_state": ("Skickad", "Sent"),
        "rm_admin_link": ("Påminnelser om uppföljningar", "Follow-up reminders"),
        "rm_choose": ("Kommunkod", "Municipality code"),
        "rm_open": ("Visa", "Show"),
    }
)


def _app(request: Request) -> Loftesboken:
    application: Loftesboken = request.app.state.loftesboken
    return application


def _page(
    request: Request,
    principal: Principal,
    code: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    saved: bool = False,
    status: int = 200,
) -> HTMLResponse:
    t = translator(request)
    app = _app(request)
    recipients = app.reminder_recipients(code)
    addresses = () if recipients is None else recipients.addresses
    recorded = (
        []
        if recipients is None
        else [
            e for e in app.aggregate_events(recipients.id) if type(e).__name__ == "ReminderRecorded"
        ]
    )
    shown = values if values is not None else {"addresses": "\n".join(addresses)}
    return page(
        request,
        principal,
        "workspace/reminders.html",
        t("rm_title"),
        status_code=status,
        code=code,
        sending=request.app.state.settings.smtp_url is not None,
        saved=saved,
        recorded=list(reversed(recorded))[:50],
        missed=MISSED,
        trail=trail(t, municipality_step(t, code), (t("rm_title"), "")),
        **form_context(shown, errors),
    )


@router.get(f"{BASE}/", response_class=HTMLResponse)
def choose(request: Request, principal: SignedIn, kommun: str | None = None) -> Response:
    """Straight to the principal's own municipality, or the one an admin typed."""
    t = translator(request)
    code = kommun or next(iter(sorted(principal.token.municipalities)), "1280")
    return RedirectResponse(with_lang(f"{BASE}/{code}", t.lang), status_code=303)


@router.get(f"{BASE}/{{code}}", response_class=HTMLResponse)
def show(request: Request, principal: SignedIn, code: str) -> HTMLResponse:
    _known(code)
    require_reminder_manager(principal.token, code)
    return _page(request, principal, code)


@router.post(f"{BASE}/{{code}}", response_class=HTMLResponse)
def save(request: Request, principal: SignedIn, code: str, form: CheckedForm) -> HTMLResponse:
    _known(code)
    require_reminder_manager(principal.token, code)
    values = values_of(form)
    try:
        _app(request).set_reminder_addresses(
            code, lines(values.get("addresses")), actor=principal.actor
        )
    except InvalidValue as refused:
        return _page(
            request,
            principal,
            code,
            values=values,
            errors={"addresses": refusal(refused.message, translator(request))},
            status=400,
        )
    return _page(request, principal, code, saved=True)


def _known(code: str) -> None:
    if code not in municipalities():
        raise ApiProblem(404, "not-found", f"No municipality with code {code!r}.")
