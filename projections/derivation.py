"""How a promise was derived: its issues and their evidence, now or as of a past moment.

Answered from the event store, not a view: with `as_of` each aggregate is
replayed to the version it had at that moment, so the answer is what the record
said then. The public form is the only form: observations carry no `note`.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.dialogue import Dialogue
from domain.issue import Issue
from domain.promise import Promise
from domain.values import DialogueEvidence, Evidence
from projections.models import (
    Derivation,
    DerivedDialogue,
    DerivedDialogueEvidence,
    DerivedIssue,
    DerivedObservation,
    DerivedPromise,
    SourceEvidenceOut,
)
from projections.store_reads import AggregateReader


def promise_derivation(
    app: AggregateReader, promise_id: UUID, as_of: datetime | None = None
) -> Derivation | None:
    """The derivation of a promise, or None if it did not exist (yet) at `as_of`.

    An unknown promise id raises the application's own not-found error.
    """
    promise = _promise(app, promise_id, as_of)
    if promise is None:
        return None
    issues: list[DerivedIssue] = []
    for issue_id in promise.addresses:
        issue = _issue(app, issue_id, as_of)
        if issue is not None:
            issues.append(_derived_issue(app, issue, as_of))
    return Derivation(
        promise=DerivedPromise(
            id=promise.id,
            title=promise.title,
            text=promise.text,
            municipalities=list(promise.municipalities),
            police_district=promise.police_district,
            starts_on=promise.starts_on,
            ends_on=promise.ends_on,
            status=promise.status,
            version=promise.version,
        ),
        issues=issues,
    )


def _version(app: AggregateReader, aggregate_id: UUID, as_of: datetime | None) -> int | None:
    """The version to load: the latest (None) now, or the one standing at `as_of` (0: none)."""
    if as_of is None:
        return None
    return app.version_at(aggregate_id, as_of) or 0


def _promise(app: AggregateReader, promise_id: UUID, as_of: datetime | None) -> Promise | None:
    current = app.get_promise(promise_id)  # raises not-found for an unknown id
    version = _version(app, promise_id, as_of)
    if version is None:
        return current
    return app.get_promise(promise_id, version=version) if version else None


def _issue(app: AggregateReader, issue_id: UUID, as_of: datetime | None) -> Issue | None:
    version = _version(app, issue_id, as_of)
    if version == 0:
        return None
    return app.get_issue(issue_id, version=version)


def _dialogue(app: AggregateReader, dialogue_id: UUID, as_of: datetime | None) -> Dialogue | None:
    version = _version(app, dialogue_id, as_of)
    if version == 0:
        return None
    return app.get_dialogue(dialogue_id, version=version)


def _derived_issue(app: AggregateReader, issue: Issue, as_of: datetime | None) -> DerivedIssue:
    evidence = [_evidence(app, item, as_of) for item in issue.evidence]
    return DerivedIssue(
        id=issue.id,
        title=issue.title,
        theme=issue.theme,
        status=issue.status,
        priority=issue.priority,
        rationale=issue.rationale,
        evidence=evidence,
        evidence_retracted=bool(evidence)
        and all(isinstance(e, DerivedDialogueEvidence) and e.retracted for e in evidence),
    )


def _evidence(
    app: AggregateReader, item: Evidence, as_of: datetime | None
) -> DerivedDialogueEvidence | SourceEvidenceOut:
    if not isinstance(item, DialogueEvidence):
        return SourceEvidenceOut(source_type=item.source_type, reference=item.reference)
    dialogue = _dialogue(app, item.dialogue_id, as_of)
    if dialogue is None:  # cannot happen in a sound store: evidence is checked when cited
        raise LookupError(f"dialogue {item.dialogue_id} is cited but not recorded")
    observation = dialogue.observations.get(item.observation_id) if item.observation_id else None
    return DerivedDialogueEvidence(
        dialogue=DerivedDialogue(
            id=dialogue.id, kind=dialogue.kind, held_on=dialogue.held_on, title=dialogue.title
        ),
        observation=None
        if observation is None
        else DerivedObservation(
            id=observation.id,
            theme=observation.theme,
            summary=observation.summary,
            count=observation.count,
        ),
        retracted=observation is not None and observation.retracted,
    )
