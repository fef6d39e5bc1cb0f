"""`/arbete/loften`: draft a promise, plan its activities, sign, issue, follow up, conclude.

The draft form lists prioritised issues to address and rows of activities (rows are
added and removed with buttons, so it works without JavaScript), and warns beside
an activity that names no number or date. Signatures offer only the parties the
person may sign for (`workflow.signing`); issuance first shows the follow-up dates
it will schedule. Every command is the application's, with the version the page
was loaded at.

One module for a promise's life in the workspace, in the order it is lived (draft, plan,
sign, issue, feed back, conclude, withdraw): every command form loads the promise once
(`writable_promise`), checks the signed-in person's municipalities and answers through
`run_command`, the helpers at the middle of this file that the forms below share.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auth import require_signing_right
from api.schemas.promises import (
    ConcludePromise,
    DraftPromise,
    IssuePromise,
    NewActivity,
    PublishFeedback,
    SignPromise,
    WithdrawPromise,
)
from api.web.i18n import Translator
from api.web.rendering import with_lang
from api.web.workspace.commands import answer
from api.web.workspace.common import (
    application,
    chosen_municipality,
    form_context,
    list_page,
    may_read,
    may_write,
    member_of,
    municipality_step,
    options,
    own_municipalities,
    parse_uuid,
    trail,
    views,
)
from api.web.workspace.forms import (
    FORM,
    FormErrors,
    blank_to_absent,
    checked,
    domain_errors,
    refusal,
    values_of,
    version_of,
)
from api.web.workspace.measurable import measurable
from api.web.workspace.pages import page, translator
from api.web.workspace.refusals import need_in_swedish
from api.web.workspace.session import CheckedForm, Principal, SignedIn
from domain.errors import DomainError
from domain.promise import Promise
from domain.reference import municipalities
from domain.schedule import follow_up_dates
from domain.values import (
    Cadence,
    IssueStatus,
    Outcome,
    Party,
    PromiseStatus,
    Responsible,
)
from projections.lists import list_issues, list_promises
from workflow.signing import signing_refusal

router = APIRouter()

BASE = "/arbete/loften"
ACTIVITY_FIELDS = ("description", "responsible", "responsible_name", "due_on")
PROMISE_FIELDS = ("police_district", "starts_on", "ends_on", "title", "text", "addresses")
DEFAULT_ACTIVITY_ROWS = 2
MAX_ACTIVITY_ROWS = 60


def promise_path(promise_id: UUID) -> str:
    return f"{BASE}/{promise_id}"


@router.get(BASE, response_class=HTMLResponse)
def promise_list(
    request: Request,
    principal: SignedIn,
    kommun: str | None = None,
    status: str | None = None,
    cursor: str | None = None,
) -> HTMLResponse:
    t = translator(request)
    chosen = member_of(PromiseStatus, status)
    return list_page(
        request,
        principal,
        kommun,
        template="workspace/promises.html",
        title=t("pr_title"),
        what="promises",
        read=lambda view, code: list_promises(
            view, municipality=code, status=chosen, drafts_of=[code], limit=500, cursor=cursor
        ),
        statuses=options(t, list(PromiseStatus)),
        values={
            "kommun": chosen_municipality(principal, kommun) or "",
            "status": chosen.value if chosen else "",
        },
    )


# -- drafting --------------------------------------------------------------------------------


def activity_rows(values: dict[str, str]) -> list[int]:
    """The indices of the activity rows the form holds (`act-<i>-<field>`)."""
    found = {
        int(key.split("-")[1])
        for key in values
        if key.startswith("act-") and key.count("-") == 2 and key.split("-")[1].isdigit()
    }
    return sorted(found)[:MAX_ACTIVITY_ROWS]


def warnings_of(values: dict[str, str], rows: list[int], t: Translator) -> dict[str, str]:
    """A warning beside each activity that names no number or date (advice, not a refusal)."""
    return {
        f"act-{i}-description": t("pr_not_measurable")
        for i in rows
        if values.get(f"act-{i}-description", "").strip()
        and not measurable(values[f"act-{i}-description"])
    }


def _draft_form(
    request: Request,
    principal: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    rows: list[int],
    status: int = 200,
) -> HTMLResponse:
    t = translator(request)
    own = [code for code, _ in own_municipalities(principal)]
    chosen = [code for code in values.get("_municipalities", []) if code in municipalities()]
    found = views(request)
    issues = list_issues(
        found.catalogue, status=IssueStatus.PRIORITISED, within=chosen or own[:20], limit=500
    ).items
    return page(
        request,
        principal,
        "workspace/promise_new.html",
        t("pr_new_title"),
        status_code=status,
        headers=found.headers(),
        places=own_municipalities(principal),
        chosen=chosen,
        issues=issues,
        ticked=set(values.get("_addresses", [])),
        rows=rows,
        warnings=warnings_of(values, rows, t),
        cadences=[(c.value, t("cadence_" + c.value).capitalize()) for c in Cadence],
        responsibles=options(t, list(Responsible)),
        trail=trail(t, (t("ws_nav_promises"), BASE), (t("pr_new_title"), "")),
        **form_context(values, errors),
    )


@router.get(f"{BASE}/nytt", response_class=HTMLResponse)
def new_promise(request: Request, principal: SignedIn, kommun: str | None = None) -> HTMLResponse:
    code = chosen_municipality(principal, kommun)
    chosen = [code] if code else []
    if chosen:
        may_write(principal, chosen)
    values: dict[str, Any] = {"_municipalities": chosen, "follow_up_cadence": "quarterly"}
    return _draft_form(request, principal, values, {}, list(range(DEFAULT_ACTIVITY_ROWS)))


def activities_of(values: dict[str, str], rows: list[int]) -> list[dict[str, Any]]:
    """The filled-in activity rows as the API's body items (blank rows skipped)."""
    found = []
    for i in rows:
        row = {name: values.get(f"act-{i}-{name}", "") for name in ACTIVITY_FIELDS}
        if any(row[name].strip() for name in ("description", "responsible_name", "due_on")):
            found.append((i, blank_to_absent(row)))
    return [{"_row": i, **row} for i, row in found]


@router.post(BASE, response_class=HTMLResponse)
def draft_promise(request: Request, principal: SignedIn, form: CheckedForm) -> Response:
    """Draft it; `add_row`, `remove-<i>` and `check` only re-show the form, keeping values."""
    t = translator(request)
    values: dict[str, Any] = values_of(form)
    values["_municipalities"] = [str(v) for v in form.getlist("municipalities")]
    values["_addresses"] = [str(v) for v in form.getlist("addresses")]
    rows = activity_rows(values) or list(range(DEFAULT_ACTIVITY_ROWS))
    action = str(values.get("action", ""))
    if action == "add_row":
        return _draft_form(request, principal, values, {}, [*rows, max(rows) + 1])
    if action.startswith("remove-") and action[7:].isdigit():
        kept = [i for i in rows if i != int(action[7:])] or [max(rows) + 1]
        return _draft_form(request, principal, values, {}, kept)
    if action == "check":
        return _draft_form(request, principal, values, {}, rows)
    items = activities_of(values, rows)
    data = blank_to_absent({name: values.get(name, "") for name in PROMISE_FIELDS})
    data.pop("addresses", None)
    data["municipalities"] = values["_municipalities"]
    data["addresses"] = values["_addresses"]
    data["activities"] = [{k: v for k, v in item.items() if k != "_row"} for item in items]
    data["follow_up_cadence"] = values.get("follow_up_cadence") or "quarterly"
    locations: dict[tuple[Any, ...], str] = {("municipalities",): "municipalities"}
    for n, item in enumerate(items):
        for name in ACTIVITY_FIELDS:
            locations[("activities", n, name)] = f"act-{item['_row']}-{name}"
    locations |= {("addresses", n): "addresses" for n in range(len(data["addresses"]))}
    try:
        body = checked(DraftPromise, data, t, field_names=locations)
        may_write(principal, body.municipalities, every=True)
        promise = application(request).draft_promise(
            **body.model_dump(exclude={"activities"}),
            activities=[a.to_domain() for a in body.activities],
            actor=principal.actor,
        )
    except FormErrors as refused:
        return _draft_form(request, principal, values, _explained(refused.errors, t), rows, 400)
    except DomainError as refused:
        fields = ["ends_on", "starts_on", "addresses"] + [
            f"act-{item['_row']}-due_on" for item in items
        ]
        errors = domain_errors(refused.message, fields, t)
        return _draft_form(request, principal, values, errors, rows, 409)
    return RedirectResponse(with_lang(promise_path(promise.id), t.lang), status_code=303)


def _explained(errors: dict[str, str], t: Translator) -> dict[str, str]:
    """List errors ("at least one") in words about what to tick."""
    if "municipalities" in errors:
        errors["municipalities"] = t("pr_need_municipality")
    if "addresses" in errors:
        errors["addresses"] = t("pr_need_issue")
    return errors


# -- one promise -----------------------------------------------------------------------------


def signing_choices(principal: Principal, promise: Promise, t: Translator) -> list[tuple[str, str]]:
    """The parties this person may sign for on this promise, not yet signed for."""
    token = principal.token
    signed = {(s.party, s.municipality) for s in promise.signatures}
    choices: list[tuple[str, str]] = []
    if (Party.POLICE, None) not in signed and signing_refusal(
        token.role, token.municipalities, Party.POLICE, None
    ) is None:
        choices.append(("police", t("pr_party_police")))
    for code in promise.municipalities:
        if (Party.MUNICIPALITY, code) not in signed and signing_refusal(
            token.role, token.municipalities, Party.MUNICIPALITY, code
        ) is None:
            choices.append(
                (
                    f"municipality:{code}",
                    t("pr_party_municipality", name=municipalities()[code].name),
                )
            )
    if signing_refusal(token.role, token.municipalities, Party.PARTNER, None) is None:
        choices.append(("partner", t("pr_party_partner")))
    return choices


def promise_page(
    request: Request,
    principal: Principal,
    promise: Promise,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    t = translator(request)
    app = application(request)
    addressed = [app.get_issue(issue_id) for issue_id in promise.addresses]
    activities = list(promise.activities.values())
    return page(
        request,
        principal,
        "workspace/promise.html",
        promise.title,
        status_code=status,
        promise=promise,
        addressed=addressed,
        activities=activities,
        vague={a.id for a in activities if not measurable(a.description)},
        follow_ups=sorted(promise.follow_ups.values(), key=lambda f: (f.due_on, f.final)),
        writes=principal.writes and any(principal.acts_for(c) for c in promise.municipalities),
        parties=signing_choices(principal, promise, t),
        missing=[refusal(m, t, need_in_swedish) for m in promise.missing_for_issuance()],
        responsibles=options(t, list(Responsible)),
        outcomes=options(t, list(Outcome)),
        trail=trail(
            t,
            municipality_step(t, promise.municipalities[0]),
            (t("ws_nav_promises"), f"{BASE}?kommun={promise.municipalities[0]}"),
            (promise.title, ""),
        ),
        **form_context(values, errors),
    )


def readable_promise(request: Request, principal: Principal, promise_id: str) -> Promise:
    promise = application(request).get_promise(parse_uuid(promise_id, "promise"))
    may_read(principal, promise.municipalities, "promises")
    return promise


def writable_promise(request: Request, principal: Principal, promise_id: str) -> Promise:
    promise = application(request).get_promise(parse_uuid(promise_id, "promise"))
    may_write(principal, promise.municipalities)
    return promise


@router.get(f"{BASE}/{{promise_id}}", response_class=HTMLResponse)
def show_promise(request: Request, principal: SignedIn, promise_id: str) -> HTMLResponse:
    return promise_page(request, principal, readable_promise(request, principal, promise_id))


Command = Callable[[Promise, dict[str, str], int | None], None]


def run_command(
    request: Request,
    principal: Principal,
    promise_id: str,
    form: Any,
    command: Command,
    fields: list[str],
    *,
    done: Callable[[Promise], str] | None = None,
    again: Callable[..., HTMLResponse] | None = None,
) -> Response:
    """One command on the promise from a form (see `commands.answer`); success goes back to
    the promise, or to `done`."""
    promise = writable_promise(request, principal, promise_id)
    values = values_of(form)
    show = again or promise_page
    return answer(
        request,
        promise,
        lambda: command(promise, values, version_of(values)),
        show=lambda shown, errors, status: show(
            request, principal, shown, values=values, errors=errors, status=status
        ),
        reload=lambda: application(request).get_promise(promise.id),
        fields=fields,
        done=done(promise) if done else promise_path(promise.id),
    )


def _prefixed(values: dict[str, str], prefix: str, names: tuple[str, ...]) -> dict[str, Any]:
    return blank_to_absent({name: values.get(prefix + name, "") for name in names})


@router.post(f"{BASE}/{{promise_id}}/aktiviteter", response_class=HTMLResponse)
def plan_activity(
    request: Request, principal: SignedIn, promise_id: str, form: CheckedForm
) -> Response:
    t = translator(request)

    def command(promise: Promise, values: dict[str, str], version: int | None) -> None:
        body = checked(NewActivity, _prefixed(values, "new-", ACTIVITY_FIELDS), t, prefix="new-")
        application(request).plan_activity(
            promise.id, body.to_domain(), actor=principal.actor, expected_version=version
        )

    return run_command(
        request, principal, promise_id, form, command, ["new-due_on", "new-description"]
    )


@router.post(f"{BASE}/{{promise_id}}/underskrifter", response_class=HTMLResponse)
def sign(request: Request, principal: SignedIn, promise_id: str, form: CheckedForm) -> Response:
    """Record a signature; a party the person may not sign for is refused (403)."""
    t = translator(request)

    def command(promise: Promise, values: dict[str, str], version: int | None) -> None:
        party, _, code = values.get("party", "").partition(":")
        data = _prefixed(values, "", ("name", "title", "signed_on"))
        data["party"] = party
        if code:
            data["municipality"] = code
        known = {} if party else {"party": t("pr_choose_party")}
        body = checked(SignPromise, data, t, known=known, stand_ins={"party": "partner"})
        require_signing_right(principal.token, body.party, body.municipality)
        application(request).sign_promise(
            promise.id,
            party=body.party,
            municipality=body.municipality,
            name=body.name,
            title=body.title,
            signed_on=body.signed_on,
            actor=principal.actor,
            expected_version=version,
        )

    return run_command(request, principal, promise_id, form, command, ["signed_on", "party"])


# -- issuance: the follow-up dates first, then the command -------------------------------------


def _issuance_page(
    request: Request,
    principal: Principal,
    promise: Promise,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    t = translator(request)
    values = dict(values or {})
    errors = dict(errors or {})
    issued_on: date | None = None
    text = str(values.get("issued_on") or "")
    if text:
        try:
            issued_on = checked(IssuePromise, {"issued_on": text}, t).issued_on
        except FormErrors as refused:
            errors.update(refused.errors)
    dates: tuple[list[date], date] | None = None
    if issued_on is not None:
        dates = follow_up_dates(
            promise.follow_up_cadence, promise.starts_on, promise.ends_on, issued_on
        )
    return page(
        request,
        principal,
        "workspace/issuance.html",
        t("pr_issue_title"),
        status_code=status,
        promise=promise,
        missing=[refusal(m, t, need_in_swedish) for m in promise.missing_for_issuance()],
        dates=dates,
        trail=trail(
            t,
            municipality_step(t, promise.municipalities[0]),
            (promise.title, promise_path(promise.id)),
            (t("pr_issue_title"), ""),
        ),
        **form_context(values, errors),
    )


@router.get(f"{BASE}/{{promise_id}}/utfarda", response_class=HTMLResponse)
def issuance_preview(
    request: Request, principal: SignedIn, promise_id: str, issued_on: str | None = None
) -> HTMLResponse:
    """What issuing on that day will schedule, before anything is recorded."""
    promise = writable_promise(request, principal, promise_id)
    day = issued_on if issued_on is not None else application(request).today.isoformat()
    return _issuance_page(request, principal, promise, values={"issued_on": day})


@router.post(f"{BASE}/{{promise_id}}/utfardande", response_class=HTMLResponse)
def issue(request: Request, principal: SignedIn, promise_id: str, form: CheckedForm) -> Response:
    t = translator(request)

    def command(promise: Promise, values: dict[str, str], version: int | None) -> None:
        body = checked(IssuePromise, {"issued_on": values.get("issued_on", "")}, t)
        application(request).issue_promise(
            promise.id, issued_on=body.issued_on, actor=principal.actor, expected_version=version
        )

    return run_command(
        request, principal, promise_id, form, command, ["issued_on"], again=_issuance_page
    )


# -- after issuance: feedback, conclusion; and withdrawal ----------------------------------------


@router.post(f"{BASE}/{{promise_id}}/aterkoppling", response_class=HTMLResponse)
def publish_feedback(
    request: Request, principal: SignedIn, promise_id: str, form: CheckedForm
) -> Response:
    t = translator(request)

    def command(promise: Promise, values: dict[str, str], version: int | None) -> None:
        names = ("published_on", "channel", "summary")
        body = checked(PublishFeedback, _prefixed(values, "fb-", names), t, prefix="fb-")
        application(request).publish_feedback(
            promise.id, **body.model_dump(), actor=principal.actor, expected_version=version
        )

    return run_command(request, principal, promise_id, form, command, ["fb-published_on"])


@router.post(f"{BASE}/{{promise_id}}/avslut", response_class=HTMLResponse)
def conclude(request: Request, principal: SignedIn, promise_id: str, form: CheckedForm) -> Response:
    t = translator(request)

    def command(promise: Promise, values: dict[str, str], version: int | None) -> None:
        names = ("outcome", "summary", "concluded_on")
        body = checked(ConcludePromise, _prefixed(values, "end-", names), t, prefix="end-")
        application(request).conclude_promise(
            promise.id, **body.model_dump(), actor=principal.actor, expected_version=version
        )

    return run_command(request, principal, promise_id, form, command, ["end-concluded_on", FORM])


@router.post(f"{BASE}/{{promise_id}}/aterkallelse", response_class=HTMLResponse)
def withdraw(request: Request, principal: SignedIn, promise_id: str, form: CheckedForm) -> Response:
    t = translator(request)

    def command(promise: Promise, values: dict[str, str], version: int | None) -> None:
        body = checked(WithdrawPromise, _prefixed(values, "wd-", ("reason",)), t, prefix="wd-")
        application(request).withdraw_promise(
            promise.id, reason=body.reason, actor=principal.actor, expected_version=version
        )

    return run_command(request, principal, promise_id, form, command, ["wd-reason"])
