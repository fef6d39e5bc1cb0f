"""The commands on issues: identifying one from evidence, prioritising, rejecting, correcting."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from domain.issue import CitedDialogue, Issue
from domain.values import (
    Actor,
    Evidence,
    Theme,
)
from workflow.cross_checks import CrossChecks


class IssueCommands(CrossChecks):
    """Issues (problembilder) from identification to priority or rejection."""

    def identify_issue(
        self,
        *,
        municipality: str,
        title: str,
        theme: Theme,
        description: str,
        evidence: Sequence[Evidence],
        actor: Actor,
        identified_on: date | None = None,
    ) -> Issue:
        cited: list[CitedDialogue] = []
        for item in evidence:
            dialogue = self._check_evidence(item, municipality)
            if dialogue is not None:
                cited.append(CitedDialogue(title=dialogue.title, held_on=dialogue.held_on))
        issue = Issue.identify(
            municipality_code=municipality,
            title=title,
            theme=theme,
            description=description,
            identified_on=identified_on or self.today,
            evidence=list(evidence),
            today=self.today,
            actor=actor,
            cited_dialogues=cited,
        )
        self.save(issue)
        return issue

    def add_evidence(
        self,
        issue_id: UUID,
        evidence: Evidence,
        *,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Issue:
        municipality = self.get_issue(issue_id).municipality
        self._check_evidence(evidence, municipality)
        issue, _ = self._change(
            Issue, issue_id, lambda i: i.add_evidence(evidence, actor), expected_version
        )
        return issue

    def prioritise_issue(
        self,
        issue_id: UUID,
        *,
        priority: int,
        rationale: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Issue:
        issue, _ = self._change(
            Issue, issue_id, lambda i: i.prioritise(priority, rationale, actor), expected_version
        )
        return issue

    def reject_issue(
        self, issue_id: UUID, *, reason: str, actor: Actor, expected_version: int | None = None
    ) -> Issue:
        def reject(issue: Issue) -> None:
            issue.reject(reason, actor, self._binding_promises(issue.id))

        issue, _ = self._change(Issue, issue_id, reject, expected_version)
        return issue

    def correct_issue(
        self,
        issue_id: UUID,
        *,
        changes: Mapping[str, Any],
        reason: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Issue:
        def correct(issue: Issue) -> None:
            issue.correct(
                changes=changes,
                reason=reason,
                today=self.today,
                actor=actor,
                cited_dialogues=self._cited_dialogues(issue),
                addressed_by=self._binding_promises(issue.id),
            )

        issue, _ = self._change(Issue, issue_id, correct, expected_version)
        return issue
