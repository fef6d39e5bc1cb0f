"""The pages view: what the public pages show that the catalogue does not keep.

A promise's signed text, its signatures, the conclusion's summary, and each
rescheduling of a follow-up (old date, new date, reason): the rest of a page comes
from the catalogue. Like the catalogue it keeps only what public reads may show, and
only events of promises (whose values are public once the promise is issued; the
reads in `projections.page_reads` never show a promise that was not).
"""

from __future__ import annotations

from typing import ClassVar

from domain.dialogue import Dialogue
from domain.events import EventClass
from domain.issue import Issue
from domain.promise import Promise
from domain.reminders import ReminderRecipients
from projections.dialect import ViewCursor
from projections.framework import TrackedView, handles


class PagesView(TrackedView):
    view_name: ClassVar[str] = "pages"
    tables: ClassVar[tuple[str, ...]] = ("page_promises", "page_signatures", "page_reschedulings")
    ddl: ClassVar[tuple[str, ...]] = (
        "CREATE TABLE IF NOT EXISTS page_promises ("
        "id TEXT PRIMARY KEY, text TEXT NOT NULL, conclusion_summary TEXT, "
        "withdrawal_reason TEXT, signatures INTEGER NOT NULL DEFAULT 0)",
        "CREATE TABLE IF NOT EXISTS page_signatures ("
        "promise_id TEXT NOT NULL, seq INTEGER NOT NULL, party TEXT NOT NULL, "
        "municipality TEXT, name TEXT NOT NULL, title TEXT NOT NULL, signed_on TEXT NOT NULL, "
        "PRIMARY KEY (promise_id, seq))",
        "CREATE TABLE IF NOT EXISTS page_reschedulings ("
        "follow_up_id TEXT NOT NULL, position BIGINT NOT NULL, promise_id TEXT NOT NULL, "
        "previous_due_on TEXT NOT NULL, due_on TEXT NOT NULL, reason TEXT NOT NULL, "
        "rescheduled_on TEXT NOT NULL, PRIMARY KEY (follow_up_id, position))",
        "CREATE INDEX IF NOT EXISTS page_reschedulings_by_promise "
        "ON page_reschedulings (promise_id)",
    )
    #: Dialogues and issues are the catalogue's; these change nothing a page shows.
    ignores: ClassVar[tuple[EventClass, ...]] = (
        Dialogue.DialogueHeld,
        Dialogue.ObservationRecorded,
        Dialogue.PersonalDataErased,
        Dialogue.DialogueCorrected,
        Dialogue.ObservationCorrected,
        Dialogue.ObservationRetracted,
        Issue.IssueIdentified,
        Issue.EvidenceAdded,
        Issue.IssuePrioritised,
        Issue.IssueRejected,
        Issue.IssueCorrected,
        Promise.FollowUpCorrected,
        Promise.FeedbackCorrected,
        Promise.ActivityPlanned,
        Promise.PromiseIssued,
        Promise.FollowUpScheduled,
        Promise.FollowUpRecorded,
        Promise.FollowUpOverdue,
        Promise.FeedbackPublished,
        ReminderRecipients.RecipientsSet,
        ReminderRecipients.RecipientsChanged,
        ReminderRecipients.ReminderRecorded,
    )

    @handles(Promise.PromiseDrafted)
    def on_PromiseDrafted(self, c: ViewCursor, e: Promise.PromiseDrafted, position: int) -> None:
        c.execute(
            "INSERT INTO page_promises (id, text) VALUES (?, ?)", (str(e.originator_id), e.text)
        )

    @handles(Promise.PromiseSigned)
    def on_PromiseSigned(self, c: ViewCursor, e: Promise.PromiseSigned, position: int) -> None:
        promise_id = str(e.originator_id)
        c.execute("SELECT signatures FROM page_promises WHERE id = ?", (promise_id,))
        seq = int(c.fetchone()[0]) + 1
        c.execute(
            "INSERT INTO page_signatures VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                promise_id,
                seq,
                e.party.value,
                e.municipality,
                e.name,
                e.title,
                e.signed_on.isoformat(),
            ),
        )
        c.execute("UPDATE page_promises SET signatures = ? WHERE id = ?", (seq, promise_id))

    @handles(Promise.PromiseConcluded)
    def on_PromiseConcluded(
        self, c: ViewCursor, e: Promise.PromiseConcluded, position: int
    ) -> None:
        c.execute(
            "UPDATE page_promises SET conclusion_summary = ? WHERE id = ?",
            (e.summary, str(e.originator_id)),
        )

    @handles(Promise.PromiseWithdrawn)
    def on_PromiseWithdrawn(
        self, c: ViewCursor, e: Promise.PromiseWithdrawn, position: int
    ) -> None:
        c.execute(
            "UPDATE page_promises SET withdrawal_reason = ? WHERE id = ?",
            (e.reason, str(e.originator_id)),
        )

    @handles(Promise.FollowUpRescheduled)
    def on_FollowUpRescheduled(
        self, c: ViewCursor, e: Promise.FollowUpRescheduled, position: int
    ) -> None:
        c.execute(
            "INSERT INTO page_reschedulings VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                str(e.follow_up_id),
                position,
                str(e.originator_id),
                e.previous_due_on.isoformat(),
                e.due_on.isoformat(),
                e.reason,
                e.rescheduled_on.isoformat(),
            ),
        )

    @handles(Promise.PromiseAmended)
    def on_PromiseAmended(self, c: ViewCursor, e: Promise.PromiseAmended, position: int) -> None:
        """A new text of the draft; the signatures it had signed another one."""
        promise_id = str(e.originator_id)
        changed = e.changed()
        if "text" in changed:
            c.execute(
                "UPDATE page_promises SET text = ? WHERE id = ?", (changed["text"], promise_id)
            )
        c.execute("DELETE FROM page_signatures WHERE promise_id = ?", (promise_id,))
