"""The catalogue's rows of promises: their municipalities and addressed issues, activities,
follow-ups (with the dates they passed and what they reported) and feedback; never an
activity's `responsible_name`.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from domain.follow_ups import speaks_for_activity, status_after_rescheduling
from domain.promise import Promise
from domain.values import (
    ActivityStatus,
    FollowUpStatus,
    PromiseStatus,
)
from projections.catalogue_rows import CatalogueRows
from projections.dialect import ViewCursor
from projections.framework import handles


class PromiseRows(CatalogueRows):
    """Promises and what hangs on them, as the catalogue lists, counts and reports them."""

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
