"""Corrections with a reason: a dialogue, an observation, an issue, a draft promise, a follow-up,
a feedback; and retracting an observation that should never have been recorded.

Nothing is edited: each form shows the values as they stand, and what the person
changes (only that) goes into one correction event with the reason, through the same
application command and request model as the API's `.../correction` endpoint. The
first record stays in the history, one click away. What each correction is (fields,
model, command) is the table in `correction_table`; this module is its forms and routes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.schemas.corrections import (
    CorrectionInput,
    RetractObservation,
)
from api.web.i18n import Translator
from api.web.workspace.commands import answer
from api.web.workspace.common import (
    application,
    form_context,
    may_write,
    trail,
    views,
)
from api.web.workspace.correction_table import (
    CORRECTIONS,
    Correction,
    Field,
    Target,
    load_observation,
)
from api.web.workspace.forms import (
    FORM,
    FormErrors,
    checked,
    lines,
    values_of,
    version_of,
)
from api.web.workspace.pages import page, translator
from api.web.workspace.session import CheckedForm, Principal, SignedIn
from domain.values import IssueStatus
from projections.lists import list_issues
from workflow.errors import NotFound

router = APIRouter()


def _shown(value: Any) -> str:
    """A current value as the form shows it."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)


def _ids(request: Request) -> dict[str, UUID]:
    try:
        return {key: UUID(value) for key, value in request.path_params.items()}
    except ValueError:
        raise NotFound("aggregate", UUID(int=0)) from None


def _form(
    request: Request,
    principal: Principal,
    spec: Correction,
    target: Target,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    t = translator(request)
    heading = t(spec.heading, title=target.title)
    action = request.url.path.replace("/tillbakadragning", "/rattelse")
    return page(
        request,
        principal,
        "workspace/correction.html",
        heading,
        status_code=status,
        heading=heading,
        target=target,
        fields=[(f, _choices(request, f, target, t)) for f in spec.fields],
        action=action,
        retract_action=action.replace("/rattelse", "/tillbakadragning")
        if "/iakttagelser/" in action
        else None,
        trail=trail(t, (target.back_label or target.title, target.back), (heading, "")),
        **form_context(values, errors),
    )


def _choices(
    request: Request, f: Field, target: Target, t: Translator
) -> list[tuple[str, str]] | None:
    """A field's choices: its options, or for `issues` the prioritised issues of the
    promise's municipalities (and those it addresses now)."""
    if f.kind != "issues":
        return f.options(t) if f.options else None
    found = list_issues(
        views(request).catalogue,
        status=IssueStatus.PRIORITISED,
        within=target.municipalities,
        limit=500,
    ).items
    choices = {str(i.id): f"{i.title} ({i.municipality})" for i in found}
    app = application(request)
    for issue_id in target.current.get(f.name, []):
        choices.setdefault(str(issue_id), app.get_issue(issue_id).title)
    return list(choices.items())


def _reports(target: Target, values: dict[str, Any]) -> list[dict[str, str]] | None:
    """A follow-up's rows (status and comment per activity) if any differs from the record."""
    rows = target.current.get("_rows", [])
    before = {
        r.activity_id: (r.status.value, r.comment or "") for r in target.current["activities"]
    }
    typed = {
        a.id: (
            str(values.get(f"r-{a.id}-status", "")),
            str(values.get(f"r-{a.id}-comment", "")).strip(),
        )
        for a in rows
    }
    if not any(f"r-{a.id}-status" in values for a in rows) or typed == before:
        return None
    return [
        {"activity_id": str(a.id), "status": typed[a.id][0]}
        | ({"comment": typed[a.id][1]} if typed[a.id][1] else {})
        for a in rows
    ]


def _changes(spec: Correction, target: Target, values: dict[str, Any]) -> dict[str, Any]:
    """The fields whose typed value differs from the current one, as the request model
    takes them."""
    changed: dict[str, Any] = {}
    for f in spec.fields:
        if f.kind == "issues":
            ticked = sorted(values.get("_" + f.name, []))
            now = sorted(str(issue_id) for issue_id in target.current.get(f.name, []))
            if f"{f.name}__sent" in values and ticked != now:
                changed[f.name] = ticked
            continue
        if f.kind == "reports":
            reports = _reports(target, values)
            if reports is not None:
                changed[f.name] = reports
            continue
        if f.name not in values:  # not sent: not changed
            continue
        typed = values[f.name]
        if f.kind == "lines":
            if lines(typed) != lines(_shown(target.current.get(f.name))):
                changed[f.name] = lines(typed)
            continue
        if typed.strip() == _shown(target.current.get(f.name)).strip():
            continue
        changed[f.name] = None if not typed.strip() and f.nullable else typed.strip()
    return changed


def _show(spec: Correction) -> Callable[..., HTMLResponse]:
    def show(request: Request, principal: SignedIn) -> HTMLResponse:
        target = spec.load(application(request), _ids(request))
        may_write(principal, target.municipalities)
        values: dict[str, Any] = {f.name: _shown(target.current.get(f.name)) for f in spec.fields}
        for f in spec.fields:
            if f.kind == "issues":
                values["_" + f.name] = [str(i) for i in target.current.get(f.name, [])]
            if f.kind == "reports":
                for report in target.current.get(f.name, []):
                    values[f"r-{report.activity_id}-status"] = report.status.value
                    values[f"r-{report.activity_id}-comment"] = report.comment or ""
        return _form(request, principal, spec, target, values, {})

    return show


def _send(spec: Correction) -> Callable[..., Response]:
    def send(request: Request, principal: SignedIn, form: CheckedForm) -> Response:
        t = translator(request)
        app = application(request)
        ids = _ids(request)
        target = spec.load(app, ids)
        may_write(principal, target.municipalities)
        values: dict[str, Any] = values_of(form)
        for f in spec.fields:
            if f.kind == "issues":
                values["_" + f.name] = [str(v) for v in form.getlist(f.name)]
        changes = _changes(spec, target, values)
        reason = values.get("reason", "")

        def command() -> None:
            if not changes:
                raise FormErrors({FORM: t("co_nothing_changed")})
            rows = target.current.get("_rows", [])
            names = {
                ("activities", n, part): f"r-{a.id}-{part}"
                for n, a in enumerate(rows)
                for part in ("status", "comment")
            }
            body = checked(
                spec.model,
                {**changes, "reason": reason},
                t,
                numbers=spec.numbers,
                field_names=names,
            )
            assert isinstance(body, CorrectionInput)
            spec.apply(app, ids, body.changes(), body.reason, principal.actor, version_of(values))

        return answer(
            request,
            target,
            command,
            show=lambda shown, errors, status: _form(
                request, principal, spec, shown, values, errors, status
            ),
            reload=lambda: spec.load(app, ids),
            fields=[f.name for f in spec.fields],
            done=target.back,
        )

    return send


for _spec in CORRECTIONS:
    router.add_api_route(_spec.path, _show(_spec), methods=["GET"], response_class=HTMLResponse)
    router.add_api_route(_spec.path, _send(_spec), methods=["POST"], response_class=HTMLResponse)


# -- retracting an observation ---------------------------------------------------------------

RETRACT = "/arbete/dialoger/{dialogue_id}/iakttagelser/{observation_id}/tillbakadragning"


@router.post(RETRACT, response_class=HTMLResponse)
def retract(
    request: Request, principal: SignedIn, dialogue_id: str, observation_id: str, form: CheckedForm
) -> Response:
    """The observation stops counting; it stays in the history, and evidence citing it says so."""
    t = translator(request)
    app = application(request)
    spec = CORRECTIONS[1]
    ids = _ids(request)
    target = load_observation(app, ids)
    may_write(principal, target.municipalities)
    values = values_of(form)

    def command() -> None:
        reason = values.get("retract_reason", "")
        if not reason.strip():
            raise FormErrors({"retract_reason": t("form_required")})
        body = checked(RetractObservation, {"reason": reason}, t, prefix="retract_")
        app.retract_observation(
            ids["dialogue_id"],
            ids["observation_id"],
            reason=body.reason,
            actor=principal.actor,
            expected_version=version_of(values),
        )

    return answer(
        request,
        target,
        command,
        show=lambda shown, errors, status: _form(
            request, principal, spec, shown, values, errors, status
        ),
        reload=lambda: load_observation(app, ids),
        fields=["retract_reason"],
        done=target.back,
    )
