"""`/arbete/dialoger`: record a dialogue, then what was raised at it, one by one or many at once.

Observations come in three ways, all through `Loftesboken.record_observations`: one
form, a table of rows to fill in (blank rows are skipped), and a CSV of survey counts
per theme (`theme,summary,count[,place]`) shown first as a preview with each row's
errors. Nothing is recorded while any row is wrong.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from api.schemas.dialogues import MAX_OBSERVATIONS, HoldDialogue, NewObservation
from api.web.rendering import with_lang
from api.web.workspace import survey_csv
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
    year_of,
)
from api.web.workspace.forms import (
    FormErrors,
    blank_to_absent,
    checked,
    domain_errors,
    lines,
    stale,
    values_of,
    version_of,
)
from api.web.workspace.pages import page, translator
from api.web.workspace.session import CheckedForm, Principal, SignedIn
from domain.dialogue import Dialogue
from domain.errors import DomainError
from domain.values import DialogueKind, ObservationInput, Theme
from projections.lists import list_dialogues
from workflow.errors import VersionMismatch

router = APIRouter()

BASE = "/arbete/dialoger"
DIALOGUE_FIELDS = (
    "municipality",
    "kind",
    "held_on",
    "title",
    "place",
    "participants",
    "organisers",
)
OBSERVATION_FIELDS = ("theme", "summary", "place", "count", "note")
DEFAULT_ROWS = 3
MAX_ROWS = 50


def _dialogue_path(dialogue_id: UUID) -> str:
    return f"{BASE}/{dialogue_id}"


# -- list ---------------------------------------------------------------------------------


@router.get(BASE, response_class=HTMLResponse)
def dialogue_list(
    request: Request,
    principal: SignedIn,
    kommun: str | None = None,
    ar: str | None = None,
    typ: str | None = None,
    cursor: str | None = None,
) -> HTMLResponse:
    """The municipality's dialogues, filtered by year held and kind (blank: all)."""
    t = translator(request)
    year = year_of(ar)
    kind = member_of(DialogueKind, typ)
    chosen = chosen_municipality(principal, kommun) or ""
    return list_page(
        request,
        principal,
        kommun,
        template="workspace/dialogues.html",
        title=t("dl_title"),
        what="dialogues",
        read=lambda view, code: list_dialogues(
            view, municipality=code, year=year, kind=kind, limit=500, cursor=cursor
        ),
        year=year,
        kind=kind.value if kind else "",
        values={"kommun": chosen, "ar": str(year or ""), "typ": kind.value if kind else ""},
        kinds=options(t, list(DialogueKind)),
    )


# -- a new dialogue -----------------------------------------------------------------------


def _new_form(
    request: Request,
    principal: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    t = translator(request)
    return page(
        request,
        principal,
        "workspace/dialogue_new.html",
        t("dl_new_title"),
        status_code=status,
        places=own_municipalities(principal),
        kinds=options(t, list(DialogueKind)),
        trail=trail(t, (t("ws_nav_dialogues"), BASE), (t("dl_new_title"), "")),
        **form_context(values, errors),
    )


@router.get(f"{BASE}/ny", response_class=HTMLResponse)
def new_dialogue(request: Request, principal: SignedIn, kommun: str | None = None) -> HTMLResponse:
    code = chosen_municipality(principal, kommun) or ""
    if code:
        may_write(principal, [code])
    return _new_form(request, principal, {"municipality": code}, {})


@router.post(BASE, response_class=HTMLResponse)
def hold_dialogue(request: Request, principal: SignedIn, form: CheckedForm) -> Response:
    """Record a held dialogue; refusals come back on the form, beside their fields."""
    t = translator(request)
    values = values_of(form)
    data: dict[str, Any] = blank_to_absent(
        {name: values.get(name, "") for name in DIALOGUE_FIELDS if name != "organisers"}
    )
    data["organisers"] = lines(values.get("organisers"))
    try:
        body = checked(
            HoldDialogue, data, t, numbers=["participants"], field_names=_organiser_locs(data)
        )
        may_write(principal, [body.municipality])
        dialogue = application(request).hold_dialogue(**body.model_dump(), actor=principal.actor)
    except FormErrors as refused:
        return _new_form(request, principal, values, refused.errors, status=400)
    except DomainError as refused:
        return _new_form(
            request, principal, values, domain_errors(refused.message, DIALOGUE_FIELDS, t), 409
        )
    return RedirectResponse(with_lang(_dialogue_path(dialogue.id), t.lang), status_code=303)


def _organiser_locs(data: dict[str, Any]) -> dict[tuple[Any, ...], str]:
    return {("organisers", i): "organisers" for i in range(len(data["organisers"]))}


# -- one dialogue and its observations -----------------------------------------------------


def _dialogue_page(
    request: Request,
    principal: Principal,
    dialogue: Dialogue,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    rows: int = DEFAULT_ROWS,
    status: int = 200,
    preview: survey_csv.Preview | None = None,
) -> HTMLResponse:
    t = translator(request)
    return page(
        request,
        principal,
        "workspace/dialogue.html",
        dialogue.title,
        status_code=status,
        dialogue=dialogue,
        themes=options(t, list(Theme)),
        rows=range(rows),
        more_rows=min(MAX_ROWS, rows + 5),
        writes=principal.writes and principal.acts_for(dialogue.municipality),
        preview=preview,
        trail=trail(
            t,
            municipality_step(t, dialogue.municipality),
            (t("ws_nav_dialogues"), f"{BASE}?kommun={dialogue.municipality}"),
            (dialogue.title, ""),
        ),
        **form_context(values, errors),
    )


def _readable(request: Request, principal: Principal, dialogue_id: str) -> Dialogue:
    dialogue = application(request).get_dialogue(parse_uuid(dialogue_id, "dialogue"))
    may_read(principal, [dialogue.municipality], "dialogues")
    return dialogue


def _writable(request: Request, principal: Principal, dialogue_id: str) -> Dialogue:
    dialogue = application(request).get_dialogue(parse_uuid(dialogue_id, "dialogue"))
    may_write(principal, [dialogue.municipality])
    return dialogue


@router.get(f"{BASE}/{{dialogue_id}}", response_class=HTMLResponse)
def dialogue_page(
    request: Request, principal: SignedIn, dialogue_id: str, rader: int = DEFAULT_ROWS
) -> HTMLResponse:
    dialogue = _readable(request, principal, dialogue_id)
    return _dialogue_page(request, principal, dialogue, rows=max(1, min(MAX_ROWS, rader)))


def _rows_of(values: dict[str, str], t: Any) -> tuple[list[ObservationInput], dict[str, str]]:
    """The filled-in rows of the table (`obs-<i>-<field>`), each checked; blank rows skipped."""
    found: list[ObservationInput] = []
    errors: dict[str, str] = {}
    indices = sorted(
        {
            int(key.split("-")[1])
            for key in values
            if key.startswith("obs-") and key.count("-") == 2 and key.split("-")[1].isdigit()
        }
    )
    for i in indices[:MAX_OBSERVATIONS]:
        prefix = f"obs-{i}-"
        row = {name: values.get(prefix + name, "") for name in OBSERVATION_FIELDS}
        if not any(row[name].strip() for name in ("summary", "place", "count", "note")):
            continue
        try:
            observation = checked(
                NewObservation, blank_to_absent(row), t, numbers=["count"], prefix=prefix
            )
        except FormErrors as refused:
            errors.update(refused.errors)
        else:
            found.append(observation.to_domain())
    return found, errors


@router.post(f"{BASE}/{{dialogue_id}}/iakttagelser", response_class=HTMLResponse)
def record_observations(
    request: Request, principal: SignedIn, dialogue_id: str, form: CheckedForm
) -> Response:
    """One row or a whole table of them; nothing is recorded while any row is wrong."""
    t = translator(request)
    dialogue = _writable(request, principal, dialogue_id)
    values = values_of(form)
    rows = max(DEFAULT_ROWS, len({k.split("-")[1] for k in values if k.startswith("obs-")}))
    observations, errors = _rows_of(values, t)
    if not observations and not errors:
        errors = {"obs-0-summary": t("dl_no_rows")}
    if errors:
        return _dialogue_page(
            request, principal, dialogue, values=values, errors=errors, rows=rows, status=400
        )
    return _record(request, principal, dialogue, observations, version_of(values), values, rows)


def _record(
    request: Request,
    principal: Principal,
    dialogue: Dialogue,
    observations: list[ObservationInput],
    version: int | None,
    values: dict[str, str],
    rows: int = DEFAULT_ROWS,
) -> Response:
    t = translator(request)
    try:
        application(request).record_observations(
            dialogue.id, observations, actor=principal.actor, expected_version=version
        )
    except VersionMismatch:
        current = application(request).get_dialogue(dialogue.id)
        return _dialogue_page(
            request, principal, current, values=values, errors=stale(t), rows=rows, status=412
        )
    except DomainError as refused:
        fields = [f"obs-0-{name}" for name in OBSERVATION_FIELDS]
        return _dialogue_page(
            request,
            principal,
            dialogue,
            values=values,
            errors=domain_errors(refused.message, fields, t),
            rows=rows,
            status=409,
        )
    target = with_lang(
        _dialogue_path(dialogue.id), t.lang, {"registrerade": str(len(observations))}
    )
    return RedirectResponse(target + "#iakttagelser", status_code=303)


@router.post(f"{BASE}/{{dialogue_id}}/csv", response_class=HTMLResponse)
def preview_csv(
    request: Request, principal: SignedIn, dialogue_id: str, form: CheckedForm
) -> Response:
    """Read the uploaded CSV and show every row with its errors; record nothing yet."""
    t = translator(request)
    dialogue = _writable(request, principal, dialogue_id)
    upload = form.get("file")
    text = ""
    if isinstance(upload, UploadFile):
        text = survey_csv.decode(upload.file.read(survey_csv.MAX_BYTES + 1))
    preview = survey_csv.read(text, t)
    status = 200 if preview.ok else 400
    values = {"version": str(version_of(values_of(form)) or dialogue.version)}
    return _dialogue_page(
        request, principal, dialogue, preview=preview, values=values, status=status
    )


@router.post(f"{BASE}/{{dialogue_id}}/csv/bekrafta", response_class=HTMLResponse)
def record_csv(
    request: Request, principal: SignedIn, dialogue_id: str, form: CheckedForm
) -> Response:
    """Record the rows of a previewed CSV (read again: what is recorded is what was shown)."""
    t = translator(request)
    dialogue = _writable(request, principal, dialogue_id)
    values = values_of(form)
    preview = survey_csv.read(values.get("csv", ""), t)
    if not preview.ok:
        return _dialogue_page(request, principal, dialogue, preview=preview, status=400)
    return _record(
        request, principal, dialogue, preview.observations, version_of(values), {}, DEFAULT_ROWS
    )
