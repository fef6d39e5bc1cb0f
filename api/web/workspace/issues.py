"""`/arbete/problem`: identify an issue from what people said, prioritise it or reject it.

An issue rests on evidence: the observations ticked in the municipality's dialogues
(newest first, filterable by theme without losing what was typed) and/or another
source (statistics, a survey, a report). All through the application's commands.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.schemas.issues import AddEvidence, IdentifyIssue
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
    values_of,
    version_of,
)
from api.web.workspace.pages import page, translator
from api.web.workspace.session import CheckedForm, Principal, SignedIn
from domain.errors import DomainError
from domain.issue import Issue
from domain.values import DialogueEvidence, IssueStatus, SourceEvidence, SourceType, Theme
from projections.lists import list_issues
from projections.worklist import citable_observations

router = APIRouter()

BASE = "/arbete/problem"
ISSUE_FIELDS = ("title", "theme", "description", "identified_on", "evidence", "reference")
SOURCE_KINDS = list(SourceType)


def _issue_path(issue_id: UUID) -> str:
    return f"{BASE}/{issue_id}"


@router.get(BASE, response_class=HTMLResponse)
def issue_list(
    request: Request,
    principal: SignedIn,
    kommun: str | None = None,
    status: str | None = None,
    tema: str | None = None,
    cursor: str | None = None,
) -> HTMLResponse:
    t = translator(request)
    chosen_status = member_of(IssueStatus, status)
    theme = member_of(Theme, tema)
    return list_page(
        request,
        principal,
        kommun,
        template="workspace/issues.html",
        title=t("is_title"),
        what="issues",
        read=lambda view, code: list_issues(
            view, municipality=code, status=chosen_status, theme=theme, limit=500, cursor=cursor
        ),
        statuses=[(s.value, t("is_status_" + s.value)) for s in IssueStatus],
        themes=options(t, list(Theme)),
        values={
            "kommun": chosen_municipality(principal, kommun) or "",
            "status": chosen_status.value if chosen_status else "",
            "tema": theme.value if theme else "",
        },
    )


# -- identifying an issue ------------------------------------------------------------------


def _new_form(
    request: Request,
    principal: Principal,
    code: str,
    values: dict[str, Any],
    errors: dict[str, str],
    ticked: set[str],
    status: int = 200,
) -> HTMLResponse:
    t = translator(request)
    filter_theme = member_of(Theme, values.get("filter_theme"))
    found = views(request)
    observations = citable_observations(found.catalogue, code, filter_theme)
    return page(
        request,
        principal,
        "workspace/issue_new.html",
        t("is_new_title"),
        status_code=status,
        headers=found.headers(),
        code=code,
        observations=observations,
        groups=[list(group) for _, group in groupby(observations, key=lambda o: o.dialogue_id)],
        ticked=ticked,
        themes=options(t, list(Theme)),
        sources=[(s.value, t("source_" + s.value)) for s in SOURCE_KINDS],
        trail=trail(
            t,
            municipality_step(t, code),
            (t("ws_nav_issues"), f"{BASE}?kommun={code}"),
            (t("is_new_title"), ""),
        ),
        **form_context(values, errors),
    )


@router.get(f"{BASE}/nytt", response_class=HTMLResponse)
def new_issue(request: Request, principal: SignedIn, kommun: str | None = None) -> Response:
    code = chosen_municipality(principal, kommun)
    if code is None:
        return RedirectResponse(with_lang(BASE, translator(request).lang), status_code=303)
    may_write(principal, [code])
    return _new_form(request, principal, code, {"municipality": code}, {}, set())


def _cited(form_values: list[str]) -> list[DialogueEvidence]:
    """Ticked observations, sent as `<dialogue id>:<observation id>`."""
    cited: list[DialogueEvidence] = []
    for value in form_values:
        dialogue, _, observation = value.partition(":")
        try:
            cited.append(
                DialogueEvidence(UUID(dialogue), UUID(observation) if observation else None)
            )
        except ValueError:
            continue
    return cited


@router.post(BASE, response_class=HTMLResponse)
def identify_issue(request: Request, principal: SignedIn, form: CheckedForm) -> Response:
    """Identify the issue; the filter button only re-shows the form, keeping every value."""
    t = translator(request)
    values = values_of(form)
    ticked = [str(v) for v in form.getlist("evidence")]
    code = values.get("municipality", "")
    may_write(principal, [code])
    if values.get("action") == "filter":
        return _new_form(request, principal, code, values, {}, set(ticked))
    evidence: list[dict[str, Any]] = [
        {"dialogue_id": str(e.dialogue_id), "observation_id": str(e.observation_id)}
        for e in _cited(ticked)
    ]
    if values.get("source_type") or values.get("reference", "").strip():
        evidence.append(
            {"source_type": values.get("source_type", ""), "reference": values.get("reference", "")}
        )
    data = blank_to_absent(
        {name: values.get(name, "") for name in ("title", "theme", "description", "identified_on")}
    )
    data["municipality"] = code
    data["evidence"] = evidence
    locations: dict[tuple[Any, ...], str] = {("evidence",): "evidence"}
    index = len(evidence) - 1
    locations |= {
        ("evidence", index, "source", "source_type"): "source_type",
        ("evidence", index, "source", "reference"): "reference",
    }
    try:
        body = checked(IdentifyIssue, data, t, field_names=locations)
        issue = application(request).identify_issue(**_arguments(body), actor=principal.actor)
    except FormErrors as refused:
        errors = refused.errors
        if "evidence" in errors:
            errors["evidence"] = t("is_need_evidence")
        return _new_form(request, principal, code, values, errors, set(ticked), 400)
    except DomainError as refused:
        errors = domain_errors(refused.message, ["identified_on", "evidence"], t)
        return _new_form(request, principal, code, values, errors, set(ticked), 409)
    return RedirectResponse(with_lang(_issue_path(issue.id), t.lang), status_code=303)


def _arguments(body: IdentifyIssue) -> dict[str, Any]:
    return {
        "municipality": body.municipality,
        "title": body.title,
        "theme": body.theme,
        "description": body.description,
        "identified_on": body.identified_on,
        "evidence": [item.to_domain() for item in body.evidence],
    }


# -- one issue -------------------------------------------------------------------------------


def _issue_page(
    request: Request,
    principal: Principal,
    issue: Issue,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    t = translator(request)
    app = application(request)
    dialogues = {}
    for item in issue.evidence:
        if isinstance(item, DialogueEvidence) and item.dialogue_id not in dialogues:
            dialogues[item.dialogue_id] = app.get_dialogue(item.dialogue_id)
    return page(
        request,
        principal,
        "workspace/issue.html",
        issue.title,
        status_code=status,
        issue=issue,
        dialogues=dialogues,
        retracted=app.retracted_evidence(issue),
        writes=principal.writes and principal.acts_for(issue.municipality),
        sources=[(s.value, t("source_" + s.value)) for s in SOURCE_KINDS],
        priorities=[(str(n), t(f"is_priority_{n}")) for n in range(1, 6)],
        trail=trail(
            t,
            municipality_step(t, issue.municipality),
            (t("ws_nav_issues"), f"{BASE}?kommun={issue.municipality}"),
            (issue.title, ""),
        ),
        **form_context(values, errors),
    )


def _issue(request: Request, principal: Principal, issue_id: str, *, write: bool) -> Issue:
    issue = application(request).get_issue(parse_uuid(issue_id, "issue"))
    if write:
        may_write(principal, [issue.municipality])
    else:
        may_read(principal, [issue.municipality], "issues")
    return issue


@router.get(f"{BASE}/{{issue_id}}", response_class=HTMLResponse)
def issue_page(request: Request, principal: SignedIn, issue_id: str) -> HTMLResponse:
    return _issue_page(request, principal, _issue(request, principal, issue_id, write=False))


def _command(
    request: Request,
    principal: Principal,
    issue_id: str,
    form: Any,
    run: Any,
    fields: list[str],
) -> Response:
    """Run one command on the issue from its page's form (see `commands.answer`)."""
    issue = _issue(request, principal, issue_id, write=True)
    values = values_of(form)
    return answer(
        request,
        issue,
        lambda: run(issue, values, version_of(values)),
        show=lambda shown, errors, status: _issue_page(
            request, principal, shown, values=values, errors=errors, status=status
        ),
        reload=lambda: application(request).get_issue(issue.id),
        fields=fields,
        done=_issue_path(issue.id),
    )


@router.post(f"{BASE}/{{issue_id}}/prioritering", response_class=HTMLResponse)
def prioritise(request: Request, principal: SignedIn, issue_id: str, form: CheckedForm) -> Response:
    t = translator(request)

    def run(issue: Issue, values: dict[str, str], version: int | None) -> None:
        data = blank_to_absent(
            {"priority": values.get("priority", ""), "rationale": values.get("rationale", "")}
        )
        errors = {}
        if not str(data.get("priority", "")).isdigit() or not 1 <= int(data["priority"]) <= 5:
            errors["priority"] = t("is_choose_priority")
        if not data.get("rationale"):
            errors["rationale"] = t("form_required")
        if errors:
            raise FormErrors(errors)
        application(request).prioritise_issue(
            issue.id,
            priority=int(data["priority"]),
            rationale=data["rationale"],
            actor=principal.actor,
            expected_version=version,
        )

    return _command(request, principal, issue_id, form, run, ["priority", "rationale"])


@router.post(f"{BASE}/{{issue_id}}/avfardande", response_class=HTMLResponse)
def reject(request: Request, principal: SignedIn, issue_id: str, form: CheckedForm) -> Response:
    t = translator(request)

    def run(issue: Issue, values: dict[str, str], version: int | None) -> None:
        reason = values.get("reject_reason", "").strip()
        if not reason:
            raise FormErrors({"reject_reason": t("form_required")})
        application(request).reject_issue(
            issue.id, reason=reason, actor=principal.actor, expected_version=version
        )

    return _command(request, principal, issue_id, form, run, ["reject_reason"])


@router.post(f"{BASE}/{{issue_id}}/underlag", response_class=HTMLResponse)
def add_source(request: Request, principal: SignedIn, issue_id: str, form: CheckedForm) -> Response:
    t = translator(request)

    def run(issue: Issue, values: dict[str, str], version: int | None) -> None:
        data = blank_to_absent(
            {"source_type": values.get("source_type", ""), "reference": values.get("reference", "")}
        )
        known = {} if data.get("source_type") else {"source_type": t("is_choose_source")}
        if not data.get("reference"):
            known["reference"] = t("form_required")
        if known:
            raise FormErrors(known)
        body = checked(AddEvidence, data, t)
        assert body.source_type is not None and body.reference is not None
        application(request).add_evidence(
            issue.id,
            SourceEvidence(body.source_type, body.reference),
            actor=principal.actor,
            expected_version=version,
        )

    return _command(request, principal, issue_id, form, run, ["source_type", "reference", FORM])
