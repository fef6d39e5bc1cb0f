"""The catalogue's rows of issues and the evidence each cites."""

from __future__ import annotations

from typing import Any

from domain.issue import Issue
from domain.values import (
    DialogueEvidence,
    IssueStatus,
)
from projections.catalogue_rows import CatalogueRows
from projections.dialect import ViewCursor
from projections.framework import handles


class IssueRows(CatalogueRows):
    """Issues and their evidence, as the catalogue lists and counts them."""

    @handles(Issue.IssueIdentified)
    def on_IssueIdentified(self, c: ViewCursor, e: Issue.IssueIdentified, position: int) -> None:
        issue_id = str(e.originator_id)
        c.execute(
            "INSERT INTO issues (id, seq, municipality, title, theme, status, identified_on, "
            "evidence, version) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
            (
                issue_id,
                position,
                e.municipality,
                e.title,
                e.theme.value,
                IssueStatus.IDENTIFIED.value,
                e.identified_on.isoformat(),
                e.originator_version,
            ),
        )
        for item in e.evidence:
            self._add_evidence(c, issue_id, item)

    @handles(Issue.EvidenceAdded)
    def on_EvidenceAdded(self, c: ViewCursor, e: Issue.EvidenceAdded, position: int) -> None:
        self._add_evidence(c, str(e.originator_id), e.evidence)
        self._issue_version(c, e)

    def _add_evidence(self, c: ViewCursor, issue_id: str, item: Any) -> None:
        c.execute("SELECT evidence FROM issues WHERE id = ?", (issue_id,))
        seq = int(c.fetchone()[0]) + 1
        if isinstance(item, DialogueEvidence):
            row: tuple[Any, ...] = (
                issue_id,
                seq,
                str(item.dialogue_id),
                str(item.observation_id) if item.observation_id else None,
                None,
                None,
            )
        else:
            row = (issue_id, seq, None, None, item.source_type.value, item.reference)
        c.execute("INSERT INTO issue_evidence VALUES (?, ?, ?, ?, ?, ?)", row)
        c.execute("UPDATE issues SET evidence = ? WHERE id = ?", (seq, issue_id))

    @handles(Issue.IssuePrioritised)
    def on_IssuePrioritised(self, c: ViewCursor, e: Issue.IssuePrioritised, position: int) -> None:
        c.execute(
            "UPDATE issues SET status = ?, priority = ?, rationale = ?, version = ? WHERE id = ?",
            (
                IssueStatus.PRIORITISED.value,
                e.priority,
                e.rationale,
                e.originator_version,
                str(e.originator_id),
            ),
        )

    @handles(Issue.IssueRejected)
    def on_IssueRejected(self, c: ViewCursor, e: Issue.IssueRejected, position: int) -> None:
        c.execute(
            "UPDATE issues SET status = ?, version = ? WHERE id = ?",
            (IssueStatus.REJECTED.value, e.originator_version, str(e.originator_id)),
        )

    @handles(Issue.IssueCorrected)
    def on_IssueCorrected(self, c: ViewCursor, e: Issue.IssueCorrected, position: int) -> None:
        changed = e.changed()
        columns: dict[str, Any] = {}
        if "title" in changed:
            columns["title"] = changed["title"]
        if "theme" in changed:
            columns["theme"] = changed["theme"].value
        if "identified_on" in changed:
            columns["identified_on"] = changed["identified_on"].isoformat()
        self._update(c, "issues", str(e.originator_id), columns, e.originator_version)

    def _issue_version(self, c: ViewCursor, e: Any) -> None:
        c.execute(
            "UPDATE issues SET version = ? WHERE id = ?",
            (e.originator_version, str(e.originator_id)),
        )
