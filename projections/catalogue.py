"""The catalogue view: dialogues, issues, promises and follow-ups as rows to list and count.

It feeds the municipality summary, the lists with their filters, the deadlines,
"you said, we did" and the reports (activities and feedback are kept for those).
It never stores an observation's `note` or an activity's `responsible_name`, so
nothing read from it can leak one.

The handlers are grouped by aggregate (`projections.catalogue_dialogues`, `..._issues`,
`..._promises`); this class composes them with the tables they write (bases in reverse so the
handlers, and so the topics read, come in the order they always did).
"""

from __future__ import annotations

from typing import ClassVar

from domain.events import EventClass
from domain.reminders import ReminderRecipients
from projections.catalogue_dialogues import DialogueRows
from projections.catalogue_issues import IssueRows
from projections.catalogue_promises import PromiseRows


class CatalogueView(PromiseRows, IssueRows, DialogueRows):
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
