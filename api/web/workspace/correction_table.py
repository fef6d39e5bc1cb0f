"""The six corrections as data: for each, its form fields, request model, loader and the
application command it runs, so that the forms and routes in `corrections` are written once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from api.schemas.corrections import (
    AmendPromise,
    CorrectDialogue,
    CorrectFeedback,
    CorrectFollowUp,
    CorrectIssue,
    CorrectObservation,
)
from api.web.i18n import Translator
from api.web.workspace.common import options
from domain.values import ActivityStatus, Actor, Cadence, DialogueKind, Theme
from workflow.application import Loftesboken
from workflow.errors import NotFound


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
    #: The application's command and the path ids it takes first, in order: every
    #: correction command is `command(*ids, changes=, reason=, actor=, expected_version=)`.
    command: str
    ids: tuple[str, ...]
    numbers: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        # A misspelt command name fails at import, not on the first correction sent.
        if not callable(getattr(Loftesboken, self.command, None)):
            raise TypeError(f"Loftesboken has no command {self.command!r}")

    def apply(
        self,
        app: Loftesboken,
        ids: dict[str, UUID],
        changes: dict[str, Any],
        reason: str,
        actor: Actor,
        version: int | None,
    ) -> None:
        """Run the correction command on the aggregate the path names."""
        getattr(app, self.command)(
            *(ids[key] for key in self.ids),
            changes=changes,
            reason=reason,
            actor=actor,
            expected_version=version,
        )


# -- the six corrections ------------------------------------------------------------------


def load_dialogue(app: Loftesboken, ids: dict[str, UUID]) -> Target:
    d = app.get_dialogue(ids["dialogue_id"])
    return Target(d.title, d.version, [d.municipality], vars(d), f"/arbete/dialoger/{d.id}")


def load_observation(app: Loftesboken, ids: dict[str, UUID]) -> Target:
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
        load=load_dialogue,
        command="correct_dialogue",
        ids=("dialogue_id",),
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
        load=load_observation,
        command="correct_observation",
        ids=("dialogue_id", "observation_id"),
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
        command="correct_issue",
        ids=("issue_id",),
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
        command="amend_promise",
        ids=("promise_id",),
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
        command="correct_follow_up",
        ids=("promise_id", "follow_up_id"),
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
        command="correct_feedback",
        ids=("promise_id", "feedback_id"),
    ),
)
