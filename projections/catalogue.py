"""The catalogue view: dialogues, issues, promises and follow-ups as rows to list and count.

It feeds the municipality summary, the lists with their filters, the deadlines,
"you said, we did" and the reports (activities and feedback are kept for those).
It never stores an observation's `note` or an activity's `responsible_name`, so
nothing read from it can leak one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar

from domain.dialogue import Dialogue
from domain.events import EventClass
from domain.follow_ups import speaks_for_activity, status_after_rescheduling
from domain.issue import Issue
from domain.promise import Promise
from domain.reminders import ReminderRecipients
from domain.values import (
    ActivityStatus,
    DialogueEvidence,
    FollowUpStatus,
    IssueStatus,
    PromiseStatus,
)
from projections.dialect import ViewCursor
from projections.framework import Item, TrackedView, handles


class CatalogueView(TrackedView):
    view_name: ClassVar[str] = "catalogue"
    tables: ClassVar[tuple[str, ...]] = (
        "dialogues",
        "observations",
        "issues",
        "issue_evidence",
        "promises",
        "promise_municipalities",
        "promise_addresses",
        "follow_ups",
        "follow_up_passed",
        "follow_up_reports",
        "activities",
        "feedback",
    )
    #: Who receives reminders is read from its aggregate, never listed or counted.
    ignores: ClassVar[tuple[EventClass, ...]] = (
        ReminderRecipients.RecipientsSet,
        ReminderRecipients.RecipientsChanged,
        ReminderRecipients.ReminderRecorded,
    )
    ddl: ClassVar[tuple[str, ...]] = (
        "CREATE TABLE IF NOT EXISTS dialogues ("
        "id TEXT PRIMARY KEY, seq BIGINT NOT NULL, municipality TEXT NOT NULL, "
        "kind TEXT NOT NULL, held_on TEXT NOT NULL, year INTEGER NOT NULL, title TEXT, "
        "place TEXT, participants INTEGER, observations INTEGER NOT NULL DEFAULT 0, "
        "mentions INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS dialogues_by_municipality ON dialogues (municipality, seq)",
        "CREATE INDEX IF NOT EXISTS dialogues_by_held_on ON dialogues (municipality, held_on)",
        "CREATE TABLE IF NOT EXISTS observations ("
        "id TEXT PRIMARY KEY, dialogue_id TEXT NOT NULL, seq BIGINT NOT NULL, "
        "theme TEXT NOT NULL, summary TEXT, place TEXT, count INTEGER NOT NULL, "
        "retracted INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX IF NOT EXISTS observations_by_dialogue ON observations (dialogue_id, seq)",
        "CREATE TABLE IF NOT EXISTS issues ("
        "id TEXT PRIMARY KEY, seq BIGINT NOT NULL, municipality TEXT NOT NULL, "
        "title TEXT NOT NULL, theme TEXT NOT NULL, status TEXT NOT NULL, priority INTEGER, "
        "rationale TEXT, identified_on TEXT NOT NULL, evidence INTEGER NOT NULL, "
        "version INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS issues_by_municipality ON issues (municipality, seq)",
        "CREATE INDEX IF NOT EXISTS issues_by_identified_on "
        "ON issues (municipality, identified_on)",
        "CREATE TABLE IF NOT EXISTS issue_evidence ("
        "issue_id TEXT NOT NULL, seq BIGINT NOT NULL, dialogue_id TEXT, observation_id TEXT, "
        "source_type TEXT, reference TEXT, PRIMARY KEY (issue_id, seq))",
        "CREATE INDEX IF NOT EXISTS evidence_by_dialogue ON issue_evidence (dialogue_id)",
        "CREATE TABLE IF NOT EXISTS promises ("
        "id TEXT PRIMARY KEY, seq BIGINT NOT NULL, title TEXT NOT NULL, "
        "police_district TEXT NOT NULL, starts_on TEXT NOT NULL, ends_on TEXT NOT NULL, "
        "status TEXT NOT NULL, issued_on TEXT, concluded_on TEXT, outcome TEXT, "
        "municipalities TEXT NOT NULL, version INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS promises_by_starts_on ON promises (starts_on)",
        "CREATE TABLE IF NOT EXISTS promise_municipalities ("
        "municipality TEXT NOT NULL, promise_id TEXT NOT NULL, seq BIGINT NOT NULL, "
        "PRIMARY KEY (municipality, promise_id))",
        "CREATE INDEX IF NOT EXISTS promise_municipalities_by_seq "
        "ON promise_municipalities (municipality, seq)",
        "CREATE TABLE IF NOT EXISTS promise_addresses ("
        "issue_id TEXT NOT NULL, promise_id TEXT NOT NULL, PRIMARY KEY (issue_id, promise_id))",
        "CREATE INDEX IF NOT EXISTS promise_addresses_by_promise ON promise_addresses (promise_id)",
        "CREATE TABLE IF NOT EXISTS follow_ups ("
        "id TEXT PRIMARY KEY, promise_id TEXT NOT NULL, due_on TEXT NOT NULL, "
        "status TEXT NOT NULL, final INTEGER NOT NULL, held_on TEXT, late INTEGER NOT NULL, "
        "summary TEXT, overdue_marked_for TEXT NOT NULL DEFAULT '[]', recorded_seq BIGINT)",
        "CREATE INDEX IF NOT EXISTS follow_ups_by_promise ON follow_ups (promise_id)",
        "CREATE INDEX IF NOT EXISTS follow_ups_by_due_on ON follow_ups (due_on, id)",
        # The dates that passed while they were a follow-up's due date (marked overdue,
        # moved after they passed, or the date it had when recorded); the ones it missed
        # are those it was not held by (`domain.follow_ups.missed_due_dates`).
        "CREATE TABLE IF NOT EXISTS follow_up_passed ("
        "follow_up_id TEXT NOT NULL, promise_id TEXT NOT NULL, due_on TEXT NOT NULL, "
        "PRIMARY KEY (follow_up_id, due_on))",
        "CREATE INDEX IF NOT EXISTS follow_up_passed_by_promise "
        "ON follow_up_passed (promise_id, due_on)",
        # What each follow-up said of each activity, so that a corrected follow-up can
        # work the activities' latest statuses out again (`Promise.restate_activities`).
        "CREATE TABLE IF NOT EXISTS follow_up_reports ("
        "follow_up_id TEXT NOT NULL, activity_id TEXT NOT NULL, promise_id TEXT NOT NULL, "
        "status TEXT NOT NULL, comment TEXT, PRIMARY KEY (follow_up_id, activity_id))",
        "CREATE INDEX IF NOT EXISTS follow_up_reports_by_promise ON follow_up_reports (promise_id)",
        # Activities and feedback for the reports; never `responsible_name` (not public).
        "CREATE TABLE IF NOT EXISTS activities ("
        "id TEXT PRIMARY KEY, promise_id TEXT NOT NULL, description TEXT NOT NULL, "
        "responsible TEXT NOT NULL, due_on TEXT NOT NULL, status TEXT NOT NULL, comment TEXT, "
        "reported_on TEXT)",
        "CREATE INDEX IF NOT EXISTS activities_by_promise ON activities (promise_id)",
        "CREATE TABLE IF NOT EXISTS feedback ("
        "id TEXT PRIMARY KEY, promise_id TEXT NOT NULL, published_on TEXT NOT NULL, "
        "channel TEXT NOT NULL, summary TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS feedback_by_promise ON feedback (promise_id, published_on)",
    )

    # -- dialogues ----------------------------------------------------------------

    @handles(Dialogue.DialogueHeld)
    def on_DialogueHeld(self, c: ViewCursor, e: Dialogue.DialogueHeld, position: int) -> None:
        c.execute(
            "INSERT INTO dialogues (id, seq, municipality, kind, held_on, year, title, place, "
            "participants, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                str(e.originator_id),
                position,
                e.municipality,
                e.kind.value,
                e.held_on.isoformat(),
                e.held_on.year,
                e.title,
                e.place,
                e.participants,
                e.originator_version,
            ),
        )

    @handles(Dialogue.ObservationRecorded)
    def on_ObservationRecorded(
        self, c: ViewCursor, e: Dialogue.ObservationRecorded, position: int
    ) -> None:
        c.execute(
            "INSERT INTO observations (id, dialogue_id, seq, theme, summary, place, count) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                str(e.observation_id),
                str(e.originator_id),
                position,
                e.theme.value,
                e.summary,
                e.place,
                e.count,
            ),
        )
        c.execute(
            "UPDATE dialogues SET observations = observations + 1, mentions = mentions + ?, "
            "version = ? WHERE id = ?",
            (e.count, e.originator_version, str(e.originator_id)),
        )

    def process_batch(self, items: Sequence[Item]) -> int:
        """As every view; after a batch that erased values, the freed bytes leave the file."""
        applied = super().process_batch(items)
        if applied and any(isinstance(event, Dialogue.PersonalDataErased) for event, _ in items):
            forget = getattr(self.datastore, "forget_freed", None)
            if forget is not None:
                forget()
        return applied

    @handles(Dialogue.PersonalDataErased)
    def on_PersonalDataErased(
        self, c: ViewCursor, e: Dialogue.PersonalDataErased, position: int
    ) -> None:
        """Erased values go from the view too (title and place; the view keeps no note)."""
        for item in e.fields:
            name = item["field"]
            if item["observation_id"] is None and name in ("title", "place"):
                c.execute(
                    f"UPDATE dialogues SET {name} = NULL WHERE id = ?", (str(e.originator_id),)
                )
            elif item["observation_id"] is not None and name in ("summary", "place"):
                c.execute(
                    f"UPDATE observations SET {name} = NULL WHERE id = ?", (item["observation_id"],)
                )
        c.execute(
            "UPDATE dialogues SET version = ? WHERE id = ?",
            (e.originator_version, str(e.originator_id)),
        )

    @handles(Dialogue.DialogueCorrected)
    def on_DialogueCorrected(
        self, c: ViewCursor, e: Dialogue.DialogueCorrected, position: int
    ) -> None:
        changed = e.changed()
        columns: dict[str, Any] = {}
        if "kind" in changed:
            columns["kind"] = changed["kind"].value
        if "held_on" in changed:
            columns["held_on"] = changed["held_on"].isoformat()
            columns["year"] = changed["held_on"].year
        for name in ("title", "place", "participants"):
            if name in changed:
                columns[name] = changed[name]
        self._update(c, "dialogues", str(e.originator_id), columns, e.originator_version)

    @handles(Dialogue.ObservationCorrected)
    def on_ObservationCorrected(
        self, c: ViewCursor, e: Dialogue.ObservationCorrected, position: int
    ) -> None:
        changed = e.changed()
        observation_id = str(e.observation_id)
        if "count" in changed:
            c.execute("SELECT count FROM observations WHERE id = ?", (observation_id,))
            change = changed["count"] - int(c.fetchone()[0])
            c.execute(
                "UPDATE dialogues SET mentions = mentions + ? WHERE id = ?",
                (change, str(e.originator_id)),
            )
        columns = {
            name: value.value if name == "theme" else value
            for name, value in changed.items()
            if name in ("theme", "summary", "place", "count")
        }
        if columns:
            assignments = ", ".join(f"{name} = ?" for name in columns)
            c.execute(
                f"UPDATE observations SET {assignments} WHERE id = ?",
                (*columns.values(), observation_id),
            )
        self._update(c, "dialogues", str(e.originator_id), {}, e.originator_version)

    @handles(Dialogue.ObservationRetracted)
    def on_ObservationRetracted(
        self, c: ViewCursor, e: Dialogue.ObservationRetracted, position: int
    ) -> None:
        observation_id = str(e.observation_id)
        c.execute("SELECT count FROM observations WHERE id = ?", (observation_id,))
        count = int(c.fetchone()[0])
        c.execute("UPDATE observations SET retracted = 1 WHERE id = ?", (observation_id,))
        c.execute(
            "UPDATE dialogues SET observations = observations - 1, mentions = mentions - ?, "
            "version = ? WHERE id = ?",
            (count, e.originator_version, str(e.originator_id)),
        )

    def _update(
        self, c: ViewCursor, table: str, key: str, columns: dict[str, Any], version: int
    ) -> None:
        """Set `columns` (names from our own code, never from input) and the version."""
        assignments = "".join(f"{name} = ?, " for name in columns)
        c.execute(
            f"UPDATE {table} SET {assignments}version = ? WHERE id = ?",
            (*columns.values(), version, key),
        )

    # -- issues ---------------------------------------------------------------------

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

    # -- promises -------------------------------------------------------------------

    @handles(Promise.PromiseDrafted)
    def on_PromiseDrafted(self, c: ViewCursor, e: Promise.PromiseDrafted, position: int) -> None:
        promise_id = str(e.originator_id)
        c.execute(
            "INSERT INTO promises (id, seq, title, police_district, starts_on, ends_on, status, "
            "municipalities, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                promise_id,
                position,
                e.title,
                e.police_district,
                e.starts_on.isoformat(),
                e.ends_on.isoformat(),
                PromiseStatus.DRAFT.value,
                json.dumps(list(e.municipalities)),
                e.originator_version,
            ),
        )
        c.executemany(
            "INSERT INTO promise_municipalities VALUES (?, ?, ?)",
            [(code, promise_id, position) for code in e.municipalities],
        )
        c.executemany(
            "INSERT INTO promise_addresses VALUES (?, ?)",
            [(str(issue_id), promise_id) for issue_id in e.addresses],
        )

    @handles(Promise.PromiseAmended)
    def on_PromiseAmended(self, c: ViewCursor, e: Promise.PromiseAmended, position: int) -> None:
        promise_id = str(e.originator_id)
        changed = e.changed()
        columns: dict[str, Any] = {
            name: changed[name].isoformat() if name in ("starts_on", "ends_on") else changed[name]
            for name in ("title", "police_district", "starts_on", "ends_on")
            if name in changed
        }
        self._update(c, "promises", promise_id, columns, e.originator_version)
        if "addresses" in changed:
            c.execute("DELETE FROM promise_addresses WHERE promise_id = ?", (promise_id,))
            c.executemany(
                "INSERT INTO promise_addresses VALUES (?, ?)",
                [(str(issue_id), promise_id) for issue_id in changed["addresses"]],
            )

    @handles(Promise.FeedbackCorrected)
    def on_FeedbackCorrected(
        self, c: ViewCursor, e: Promise.FeedbackCorrected, position: int
    ) -> None:
        changed = e.changed()
        columns: dict[str, Any] = {
            name: changed[name].isoformat() if name == "published_on" else changed[name]
            for name in ("published_on", "channel", "summary")
            if name in changed
        }
        assignments = ", ".join(f"{name} = ?" for name in columns)
        c.execute(
            f"UPDATE feedback SET {assignments} WHERE id = ?",
            (*columns.values(), str(e.feedback_id)),
        )
        self._promise_version(c, e)

    @handles(Promise.FollowUpCorrected)
    def on_FollowUpCorrected(
        self, c: ViewCursor, e: Promise.FollowUpCorrected, position: int
    ) -> None:
        follow_up_id, promise_id = str(e.follow_up_id), str(e.originator_id)
        changed = e.changed()
        if "held_on" in changed:
            held_on = changed["held_on"].isoformat()
            c.execute(
                "UPDATE follow_ups SET held_on = ?, "
                "late = CASE WHEN ? > due_on THEN 1 ELSE 0 END WHERE id = ?",
                (held_on, held_on, follow_up_id),
            )
        if "summary" in changed:
            c.execute(
                "UPDATE follow_ups SET summary = ? WHERE id = ?", (changed["summary"], follow_up_id)
            )
        if "activities" in changed:
            c.execute("DELETE FROM follow_up_reports WHERE follow_up_id = ?", (follow_up_id,))
            self._reports(c, follow_up_id, promise_id, changed["activities"])
        self._restate_activities(c, promise_id)
        self._promise_version(c, e)

    def _reports(self, c: ViewCursor, follow_up_id: str, promise_id: str, reports: Any) -> None:
        c.executemany(
            "INSERT INTO follow_up_reports VALUES (?, ?, ?, ?, ?)",
            [
                (follow_up_id, str(r.activity_id), promise_id, r.status.value, r.comment)
                for r in reports
            ],
        )

    def _restate_activities(self, c: ViewCursor, promise_id: str) -> None:
        """Each activity's latest status from every follow-up as it stands, as
        `Promise.restate_activities` works it out: the latest by day held, ties to the
        later record."""
        c.execute(
            "SELECT r.activity_id, r.status, r.comment, f.held_on FROM follow_up_reports r "
            "JOIN follow_ups f ON f.id = r.follow_up_id WHERE r.promise_id = ? "
            "ORDER BY f.recorded_seq",
            (promise_id,),
        )
        latest: dict[str, tuple[str, str | None, str]] = {}
        for activity_id, status, comment, held_on in c.fetchall():
            spoken = latest.get(activity_id)
            if speaks_for_activity(
                date.fromisoformat(spoken[2]) if spoken else None, date.fromisoformat(held_on)
            ):
                latest[activity_id] = (status, comment, held_on)
        c.execute(
            "UPDATE activities SET status = ?, comment = NULL, reported_on = NULL "
            "WHERE promise_id = ?",
            (ActivityStatus.NOT_STARTED.value, promise_id),
        )
        c.executemany(
            "UPDATE activities SET status = ?, comment = ?, reported_on = ? WHERE id = ?",
            [(status, comment, held_on, key) for key, (status, comment, held_on) in latest.items()],
        )

    @handles(Promise.ActivityPlanned)
    def on_ActivityPlanned(self, c: ViewCursor, e: Promise.ActivityPlanned, position: int) -> None:
        c.execute(
            "INSERT INTO activities (id, promise_id, description, responsible, due_on, status) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                str(e.activity_id),
                str(e.originator_id),
                e.description,
                e.responsible.value,
                e.due_on.isoformat(),
                ActivityStatus.NOT_STARTED.value,
            ),
        )
        self._promise_version(c, e)

    @handles(Promise.PromiseSigned)
    def on_PromiseSigned(self, c: ViewCursor, e: Promise.PromiseSigned, position: int) -> None:
        self._promise_version(c, e)

    @handles(Promise.FeedbackPublished)
    def on_FeedbackPublished(
        self, c: ViewCursor, e: Promise.FeedbackPublished, position: int
    ) -> None:
        c.execute(
            "INSERT INTO feedback (id, promise_id, published_on, channel, summary) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                str(e.feedback_id),
                str(e.originator_id),
                e.published_on.isoformat(),
                e.channel,
                e.summary,
            ),
        )
        self._promise_version(c, e)

    @handles(Promise.PromiseIssued)
    def on_PromiseIssued(self, c: ViewCursor, e: Promise.PromiseIssued, position: int) -> None:
        self._promise_status(c, e, PromiseStatus.ISSUED, issued_on=e.issued_on.isoformat())

    @handles(Promise.PromiseConcluded)
    def on_PromiseConcluded(
        self, c: ViewCursor, e: Promise.PromiseConcluded, position: int
    ) -> None:
        self._promise_status(
            c,
            e,
            PromiseStatus.CONCLUDED,
            concluded_on=e.concluded_on.isoformat(),
            outcome=e.outcome.value,
        )

    @handles(Promise.PromiseWithdrawn)
    def on_PromiseWithdrawn(
        self, c: ViewCursor, e: Promise.PromiseWithdrawn, position: int
    ) -> None:
        self._promise_status(c, e, PromiseStatus.WITHDRAWN)

    @handles(Promise.FollowUpScheduled)
    def on_FollowUpScheduled(
        self, c: ViewCursor, e: Promise.FollowUpScheduled, position: int
    ) -> None:
        c.execute(
            "INSERT INTO follow_ups (id, promise_id, due_on, status, final, late) "
            "VALUES (?, ?, ?, ?, ?, 0)",
            (
                str(e.follow_up_id),
                str(e.originator_id),
                e.due_on.isoformat(),
                FollowUpStatus.SCHEDULED.value,
                int(e.final),
            ),
        )
        self._promise_version(c, e)

    @handles(Promise.FollowUpRecorded)
    def on_FollowUpRecorded(
        self, c: ViewCursor, e: Promise.FollowUpRecorded, position: int
    ) -> None:
        held_on = e.held_on.isoformat()
        c.execute(
            "INSERT INTO follow_up_passed (follow_up_id, promise_id, due_on) "
            "SELECT id, promise_id, due_on FROM follow_ups WHERE id = ? ON CONFLICT DO NOTHING",
            (str(e.follow_up_id),),
        )
        c.execute(
            "UPDATE follow_ups SET status = ?, held_on = ?, summary = ?, recorded_seq = ?, "
            "late = CASE WHEN ? > due_on THEN 1 ELSE 0 END WHERE id = ?",
            (
                FollowUpStatus.DONE.value,
                held_on,
                e.summary,
                position,
                held_on,
                str(e.follow_up_id),
            ),
        )
        self._reports(c, str(e.follow_up_id), str(e.originator_id), e.activities)
        if e.activities:
            c.execute(
                "SELECT id, reported_on FROM activities WHERE promise_id = ?",
                (str(e.originator_id),),
            )
            reported = {row[0]: _day(row[1]) for row in c.fetchall()}
            c.executemany(
                "UPDATE activities SET status = ?, comment = ?, reported_on = ? WHERE id = ?",
                [
                    (report.status.value, report.comment, held_on, str(report.activity_id))
                    for report in e.activities
                    if speaks_for_activity(reported.get(str(report.activity_id)), e.held_on)
                ],
            )
        self._promise_version(c, e)

    @handles(Promise.FollowUpRescheduled)
    def on_FollowUpRescheduled(
        self, c: ViewCursor, e: Promise.FollowUpRescheduled, position: int
    ) -> None:
        follow_up_id = str(e.follow_up_id)
        c.execute("SELECT status, overdue_marked_for FROM follow_ups WHERE id = ?", (follow_up_id,))
        status, marked = c.fetchone()
        status = status_after_rescheduling(
            FollowUpStatus(status),
            e.due_on,
            e.rescheduled_on,
            [date.fromisoformat(day) for day in json.loads(marked)],
        )
        c.execute(
            "UPDATE follow_ups SET due_on = ?, status = ? WHERE id = ?",
            (e.due_on.isoformat(), status.value, follow_up_id),
        )
        if e.rescheduled_on > e.previous_due_on:
            self._passed(c, e, e.previous_due_on.isoformat())
        self._promise_version(c, e)

    @handles(Promise.FollowUpOverdue)
    def on_FollowUpOverdue(self, c: ViewCursor, e: Promise.FollowUpOverdue, position: int) -> None:
        follow_up_id = str(e.follow_up_id)
        c.execute("SELECT overdue_marked_for FROM follow_ups WHERE id = ?", (follow_up_id,))
        marked = [*json.loads(c.fetchone()[0]), e.due_on.isoformat()]
        c.execute(
            "UPDATE follow_ups SET status = ?, overdue_marked_for = ? WHERE id = ?",
            (FollowUpStatus.OVERDUE.value, json.dumps(marked), follow_up_id),
        )
        self._passed(c, e, e.due_on.isoformat())
        self._promise_version(c, e)

    def _passed(self, c: ViewCursor, e: Any, due_on: str) -> None:
        c.execute(
            "INSERT INTO follow_up_passed (follow_up_id, promise_id, due_on) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (str(e.follow_up_id), str(e.originator_id), due_on),
        )

    def _promise_status(self, c: ViewCursor, e: Any, status: PromiseStatus, **columns: str) -> None:
        assignments = "".join(f", {name} = ?" for name in columns)
        c.execute(
            f"UPDATE promises SET status = ?{assignments}, version = ? WHERE id = ?",
            (status.value, *columns.values(), e.originator_version, str(e.originator_id)),
        )

    def _promise_version(self, c: ViewCursor, e: Any) -> None:
        c.execute(
            "UPDATE promises SET version = ? WHERE id = ?",
            (e.originator_version, str(e.originator_id)),
        )


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)
