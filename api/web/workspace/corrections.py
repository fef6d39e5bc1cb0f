"""Corrections with a reason: a dialogue, an observation, an issue, a draft promise, a follow-up,
a feedback; and retracting an observation that should never have been recorded.

Nothing is edited: each form shows the values as they stand, and what the person
changes (only that) goes into one correction event with the reason, through the same
application command and request model as the API's `.../correction` endpoint. The
first record stays in the history, one click away.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from api.schemas.corrections import (
    AmendPromise,
    CorrectDialogue,
    CorrectFeedback,
    CorrectFollowUp,
    CorrectionInput,
    CorrectIssue,
    CorrectObservation,
    RetractObservation,
)
from api.web.i18n import Translator
from api.web.workspace.commands import answer
from api.web.workspace.common import (
    application,
    form_context,
    may_write,
    options,
    trail,
    views,
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
from domain.values import ActivityStatus, Cadence, DialogueKind, IssueStatus, Theme
from projections.lists import list_issues
from workflow.application import Loftesboken
from workflow.errors import NotFound

router = APIRouter()


@dataclass(frozen=True)
class Field:
    """One correctable field: its name in the request model, its label, how it is typed."""

    name: str
    label: str
    kind: str = "text"  # text, textarea, date, number, select, lines
    options: Callable[[Translator], list[tuple[str, str]]] | None = None
    nullable: bool = False


@dataclass(frozen=True)
class Target:
    """What a correction form corrects, as it stands now."""

    title: str
    version: int
    municipalities: list[str]
    current: dict[str, Any]
    back: str
    #: What the page it came from is called, when not `title` (an observation's dialogue).
    back_label: str | None = None


@dataclass(frozen=True)
class Correction:
    """One kind of correction: its fields, request model, command and where it lives."""

    path: str
    heading: str
    fields: Sequence[Field]
    model: type[BaseModel]
    load: Callable[[Loftesboken, dict[str, UUID]], Target]
    apply: Callable[[Loftesboken, dict[str, UUID], dict[str, Any], str, Any, int | None], Any]
    numbers: tuple[str, ...] = field(default=())


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


# -- the six corrections ------------------------------------------------------------------


def _dialogue(app: Loftesboken, ids: dict[str, UUID]) -> Target:
    d = app.get_dialogue(ids["dialogue_id"])
    return Target(d.title, d.version, [d.municipality], vars(d), f"/arbete/dialoger/{d.id}")


def _observation(app: Loftesboken, ids: dict[str, UUID]) -> Target:
    d = app.get_dialogue(ids["dialogue_id"])
    o = d.observations.get(ids["observation_id"])
    if o is None:
        raise NotFound("observation", ids["observation_id"])
    back = f"/arbete/dialoger/{d.id}"
    return Target(o.summary or "–", d.version, [d.municipality], vars(o), back, d.title)


def _issue(app: Loftesboken, ids: dict[str, UUID]) -> Target:
    i = app.get_issue(ids["issue_id"])
    return Target(i.title, i.version, [i.municipality], vars(i), f"/arbete/problem/{i.id}")


def _promise(app: Loftesboken, ids: dict[str, UUID]) -> Target:
    p = app.get_promise(ids["promise_id"])
    return Target(p.title, p.version, list(p.municipalities), vars(p), f"/arbete/loften/{p.id}")


def _follow_up(app: Loftesboken, ids: dict[str, UUID]) -> Target:
    p = app.get_promise(ids["promise_id"])
    f = p.follow_ups.get(ids["follow_up_id"])
    if f is None:
        raise NotFound("follow-up", ids["follow_up_id"])
    back = f"/arbete/loften/{p.id}/uppfoljningar/{f.id}"
    current = {**vars(f), "activities": f.reports, "_rows": list(p.activities.values())}
    return Target(p.title, p.version, list(p.municipalities), current, back)


def _feedback(app: Loftesboken, ids: dict[str, UUID]) -> Target:
    p = app.get_promise(ids["promise_id"])
    fb = next((item for item in p.feedback if item.id == ids["feedback_id"]), None)
    if fb is None:
        raise NotFound("feedback", ids["feedback_id"])
    return Target(p.title, p.version, list(p.municipalities), vars(fb), f"/arbete/loften/{p.id}")


def _kinds(t: Translator) -> list[tuple[str, str]]:
    return options(t, list(DialogueKind))


def _themes(t: Translator) -> list[tuple[str, str]]:
    return options(t, list(Theme))


def _statuses(t: Translator) -> list[tuple[str, str]]:
    return options(t, list(ActivityStatus))


def _cadences(t: Translator) -> list[tuple[str, str]]:
    return [(c.value, t("cadence_" + c.value).capitalize()) for c in Cadence]


CORRECTIONS = (
    Correction(
        path="/arbete/dialoger/{dialogue_id}/rattelse",
        heading="co_dialogue",
        fields=(
            Field("kind", "dl_kind", "select", _kinds),
            Field("held_on", "dl_held_on", "date"),
            Field("title", "dl_dialogue_title"),
            Field("place", "dl_place", nullable=True),
            Field("participants", "dl_participants", "number", nullable=True),
            Field("organisers", "dl_organisers", "lines"),
        ),
        model=CorrectDialogue,
        load=_dialogue,
        apply=lambda app, ids, changes, reason, actor, version: app.correct_dialogue(
            ids["dialogue_id"],
            changes=changes,
            reason=reason,
            actor=actor,
            expected_version=version,
        ),
        numbers=("participants",),
    ),
    Correction(
        path="/arbete/dialoger/{dialogue_id}/iakttagelser/{observation_id}/rattelse",
        heading="co_observation",
        fields=(
            Field("theme", "dl_theme", "select", _themes),
            Field("summary", "dl_summary", "textarea"),
            Field("place", "dl_place", nullable=True),
            Field("count", "dl_count", "number"),
            Field("note", "dl_note", "textarea", nullable=True),
        ),
        model=CorrectObservation,
        load=_observation,
        apply=lambda app, ids, changes, reason, actor, version: app.correct_observation(
            ids["dialogue_id"],
            ids["observation_id"],
            changes=changes,
            reason=reason,
            actor=actor,
            expected_version=version,
        ),
        numbers=("count",),
    ),
    Correction(
        path="/arbete/problem/{issue_id}/rattelse",
        heading="co_issue",
        fields=(
            Field("title", "is_issue_title"),
            Field("theme", "dl_theme", "select", _themes),
            Field("description", "is_description", "textarea"),
            Field("identified_on", "is_identified_on", "date"),
        ),
        model=CorrectIssue,
        load=_issue,
        apply=lambda app, ids, changes, reason, actor, version: app.correct_issue(
            ids["issue_id"],
            changes=changes,
            reason=reason,
            actor=actor,
            expected_version=version,
        ),
    ),
    Correction(
        path="/arbete/loften/{promise_id}/andring",
        heading="co_promise",
        fields=(
            Field("title", "pr_promise_title"),
            Field("police_district", "pr_police_district"),
            Field("starts_on", "pr_starts_on", "date"),
            Field("ends_on", "pr_ends_on", "date"),
            Field("follow_up_cadence", "pr_cadence", "select", _cadences),
            Field("text", "pr_text", "textarea"),
            Field("addresses", "pr_addresses", "issues"),
        ),
        model=AmendPromise,
        load=_promise,
        apply=lambda app, ids, changes, reason, actor, version: app.amend_promise(
            ids["promise_id"],
            changes=changes,
            reason=reason,
            actor=actor,
            expected_version=version,
        ),
    ),
    Correction(
        path="/arbete/loften/{promise_id}/uppfoljningar/{follow_up_id}/rattelse",
        heading="co_follow_up",
        fields=(
            Field("held_on", "fu_held_on", "date"),
            Field("summary", "fu_summary", "textarea"),
            Field("activities", "pr_activities", "reports", _statuses),
        ),
        model=CorrectFollowUp,
        load=_follow_up,
        apply=lambda app, ids, changes, reason, actor, version: app.correct_follow_up(
            ids["promise_id"],
            ids["follow_up_id"],
            changes=changes,
            reason=reason,
            actor=actor,
            expected_version=version,
        ),
    ),
    Correction(
        path="/arbete/loften/{promise_id}/aterkoppling/{feedback_id}/rattelse",
        heading="co_feedback",
        fields=(
            Field("published_on", "pr_published_on", "date"),
            Field("channel", "pr_channel"),
            Field("summary", "pr_feedback_summary", "textarea"),
        ),
        model=CorrectFeedback,
        load=_feedback,
        apply=lambda app, ids, changes, reason, actor, version: app.correct_feedback(
            ids["promise_id"],
            ids["feedback_id"],
            changes=changes,
            reason=reason,
            actor=actor,
            expected_version=version,
        ),
    ),
)

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
    target = _observation(app, ids)
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
        reload=lambda: _observation(app, ids),
        fields=["retract_reason"],
        done=target.back,
    )
