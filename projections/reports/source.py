"""Read the reports' facts from the views: by municipality and by the year's dates, via indexes.

Reports never replay the store. Each query is keyed by the municipality and a date
range (dialogues by `held_on`, issues by `identified_on`), by a promise id, or, for
coverage, by a window of `starts_on` that the three-year limit on a promise's period
bounds. So the rows a report reads do not grow with other municipalities' history or
with the length of the log; an annual report reads its municipality's own promises
(a handful per year) and their follow-ups, which the dating rules need whatever year
they fall in.

A report is read in one snapshot of the views' database, and its audit head is the
municipality's chain as of the catalogue's position in that snapshot, so the facts and
`head_hash` describe the same history. This needs the catalogue and the audit view in
one database, as `readside.Projections` keeps them.

Just over the usual length on purpose: every query here must run in the one snapshot
the `ReportSource` holds, and the indexes they rely on are read together.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from domain.follow_ups import missed_due_dates
from domain.promise import MAX_PERIOD_YEARS
from domain.reference import municipality
from domain.values import (
    ActivityStatus,
    DialogueKind,
    FollowUpStatus,
    IssueStatus,
    Outcome,
    Party,
    PromiseStatus,
    Responsible,
    Theme,
)
from projections.audit import GENESIS, AuditView
from projections.catalogue import CatalogueView
from projections.reports.annual import build_annual_report
from projections.reports.dating import COUNTED_STATUSES, in_force
from projections.reports.facts import (
    ActivityFact,
    AuditFact,
    DialogueFact,
    FeedbackFact,
    FollowUpFact,
    IssueFact,
    ObservationFact,
    PromiseFact,
    PromiseTerm,
    SignatoryFact,
)
from projections.reports.models import AnnualReport, NationalReport
from projections.reports.national import build_national_report

#: The public statuses, in a fixed order for the queries' parameters.
COUNTED = tuple(sorted(status.value for status in COUNTED_STATUSES))

#: How often a read retries when the audit view has not yet reached the catalogue's position
#: (the feeding loop applies a batch to one view, then the next).
SNAPSHOT_ATTEMPTS = 50
SNAPSHOT_PAUSE_SECONDS = 0.01


class Cursor(Protocol):
    """What these reads need of a DB-API cursor whose rows can be read by column name."""

    def execute(self, sql: str, parameters: Sequence[Any], /) -> object: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


# -- the queries (module constants, so a test can EXPLAIN each one) -------------------------

DIALOGUES = (
    "SELECT id, kind, held_on, participants, title FROM dialogues "
    "WHERE municipality = ? AND held_on BETWEEN ? AND ?"
)
OBSERVATIONS = (
    "SELECT d.held_on, o.theme, o.count FROM dialogues d CROSS JOIN observations o "
    "WHERE d.municipality = ? AND d.held_on BETWEEN ? AND ? AND o.dialogue_id = d.id "
    "AND o.retracted = 0"
)
ISSUES = (
    "SELECT identified_on, status FROM issues "
    "WHERE municipality = ? AND identified_on BETWEEN ? AND ?"
)
PROMISES = (
    "SELECT p.* FROM promise_municipalities pm CROSS JOIN promises p "
    "WHERE pm.municipality = ? AND p.id = pm.promise_id AND p.status IN (?, ?)"
)
AUDIT_HEAD = (
    "SELECT position, hash FROM audit_entries WHERE municipality = ? AND notification_id <= ? "
    "ORDER BY position DESC LIMIT 1"
)
#: Promises whose period may overlap a window: `starts_on` bounded on both sides.
TERMS = (
    "SELECT municipalities, status, starts_on, ends_on FROM promises "
    "WHERE starts_on BETWEEN ? AND ? AND ends_on >= ? AND status IN (?, ?)"
)


def _ids(count: int) -> str:
    return ", ".join("?" * count)


def activities_sql(count: int) -> str:
    """The activities of `count` promises."""
    return (
        "SELECT promise_id, id, description, responsible, due_on, status, comment "
        f"FROM activities WHERE promise_id IN ({_ids(count)})"
    )


def follow_ups_sql(count: int) -> str:
    """Follow-ups of `count` promises done during a year, or not done and due during it."""
    return (
        "SELECT id, promise_id, due_on, status, held_on FROM follow_ups "
        f"WHERE promise_id IN ({_ids(count)}) AND "
        "(held_on BETWEEN ? AND ? OR (held_on IS NULL AND due_on BETWEEN ? AND ?))"
    )


def passed_sql(count: int) -> str:
    """Follow-ups of `count` promises with a due date that passed during a year while it
    was theirs, with that date (whether missed is for the day held to say)."""
    return (
        "SELECT f.id, f.promise_id, f.due_on, f.status, f.held_on, m.due_on AS passed_on "
        "FROM follow_up_passed m JOIN follow_ups f ON f.id = m.follow_up_id "
        f"WHERE m.promise_id IN ({_ids(count)}) AND m.due_on BETWEEN ? AND ?"
    )


def texts_sql(count: int) -> str:
    """The signed text of `count` promises (from the pages view)."""
    return f"SELECT id, text FROM page_promises WHERE id IN ({_ids(count)})"


def signatures_sql(count: int) -> str:
    """The signatures of `count` promises (from the pages view), in the order given."""
    return (
        "SELECT promise_id, party, municipality, name, title, signed_on FROM page_signatures "
        f"WHERE promise_id IN ({_ids(count)}) ORDER BY promise_id, seq"
    )


def feedback_sql(count: int) -> str:
    """Feedback on `count` promises published during a year."""
    return (
        "SELECT promise_id, published_on, channel, summary FROM feedback "
        f"WHERE promise_id IN ({_ids(count)}) AND published_on BETWEEN ? AND ?"
    )


# -- reading facts through a cursor ------------------------------------------------------------


def year_bounds(year: int) -> tuple[str, str]:
    """The first and last day of the year, as the views store dates."""
    return date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class AnnualFacts:
    """Everything the annual builder needs of one municipality and year."""

    dialogues: list[DialogueFact]
    observations: list[ObservationFact]
    issues: list[IssueFact]
    promises: list[PromiseFact]
    audit: AuditFact


def read_annual_facts(cursor: Cursor, code: str, year: int, upto: int) -> AnnualFacts:
    """The municipality's facts for the year; its audit head as of catalogue position `upto`."""
    first, last = year_bounds(year)
    cursor.execute(DIALOGUES, (code, first, last))
    dialogues = [
        DialogueFact(
            DialogueKind(row["kind"]),
            date.fromisoformat(row["held_on"]),
            row["participants"],
            id=UUID(row["id"]),
            title=row["title"],
        )
        for row in cursor.fetchall()
    ]
    cursor.execute(OBSERVATIONS, (code, first, last))
    observations = [
        ObservationFact(Theme(row["theme"]), date.fromisoformat(row["held_on"]), row["count"])
        for row in cursor.fetchall()
    ]
    cursor.execute(ISSUES, (code, first, last))
    issues = [
        IssueFact(date.fromisoformat(row["identified_on"]), IssueStatus(row["status"]))
        for row in cursor.fetchall()
    ]
    cursor.execute(AUDIT_HEAD, (code, upto))
    head = cursor.fetchone()
    audit = AuditFact(head["hash"], head["position"]) if head is not None else AuditFact(GENESIS, 0)
    return AnnualFacts(dialogues, observations, issues, _promises(cursor, code, year), audit)


def _promises(cursor: Cursor, code: str, year: int) -> list[PromiseFact]:
    """The municipality's public promises: in force with their activities, and any whose
    follow-ups or feedback fall in the year (the dating rules count those too)."""
    first, last = year_bounds(year)
    cursor.execute(PROMISES, (code, *COUNTED))
    rows = {row["id"]: row for row in cursor.fetchall()}
    if not rows:
        return []
    terms = {
        key: PromiseTerm(
            municipalities=tuple(json.loads(row["municipalities"])),
            status=PromiseStatus(row["status"]),
            starts_on=date.fromisoformat(row["starts_on"]),
            ends_on=date.fromisoformat(row["ends_on"]),
        )
        for key, row in rows.items()
    }
    current = [key for key, term in terms.items() if in_force(term, year)]
    activities: dict[str, list[ActivityFact]] = {key: [] for key in rows}
    if current:
        cursor.execute(activities_sql(len(current)), current)
        for row in cursor.fetchall():
            activities[row["promise_id"]].append(
                ActivityFact(
                    id=UUID(row["id"]),
                    description=row["description"],
                    responsible=Responsible(row["responsible"]),
                    due_on=date.fromisoformat(row["due_on"]),
                    status=ActivityStatus(row["status"]),
                    comment=row["comment"],
                )
            )
    keys = list(rows)
    follow_ups: dict[str, list[FollowUpFact]] = {key: [] for key in rows}
    rows_of_year: dict[str, Any] = {}
    passed: dict[str, list[date]] = {}
    cursor.execute(passed_sql(len(keys)), (*keys, first, last))
    for row in cursor.fetchall():
        rows_of_year[row["id"]] = row
        passed.setdefault(row["id"], []).append(date.fromisoformat(row["passed_on"]))
    cursor.execute(follow_ups_sql(len(keys)), (*keys, first, last, first, last))
    for row in cursor.fetchall():
        rows_of_year[row["id"]] = row
    for key, row in rows_of_year.items():
        held_on = _day(row["held_on"])
        follow_ups[row["promise_id"]].append(
            FollowUpFact(
                due_on=date.fromisoformat(row["due_on"]),
                status=FollowUpStatus(row["status"]),
                held_on=held_on,
                missed_due_on=tuple(missed_due_dates(passed.get(key, []), held_on)),
            )
        )
    feedback: dict[str, list[FeedbackFact]] = {key: [] for key in rows}
    cursor.execute(feedback_sql(len(keys)), (*keys, first, last))
    for row in cursor.fetchall():
        feedback[row["promise_id"]].append(
            FeedbackFact(
                published_on=date.fromisoformat(row["published_on"]),
                channel=row["channel"],
                summary=row["summary"],
            )
        )
    texts: dict[str, str] = {}
    signatories: dict[str, list[SignatoryFact]] = {key: [] for key in rows}
    if current:
        cursor.execute(texts_sql(len(current)), current)
        texts = {row["id"]: row["text"] for row in cursor.fetchall()}
        cursor.execute(signatures_sql(len(current)), current)
        for row in cursor.fetchall():
            signatories[row["promise_id"]].append(
                SignatoryFact(
                    party=Party(row["party"]),
                    municipality=row["municipality"],
                    name=row["name"],
                    title=row["title"],
                    signed_on=date.fromisoformat(row["signed_on"]),
                )
            )
    return [
        PromiseFact(
            id=UUID(key),
            title=row["title"],
            municipalities=terms[key].municipalities,
            police_district=row["police_district"],
            starts_on=terms[key].starts_on,
            ends_on=terms[key].ends_on,
            status=terms[key].status,
            issued_on=_day(row["issued_on"]),
            activities=tuple(activities[key]),
            follow_ups=tuple(follow_ups[key]),
            feedback=tuple(feedback[key]),
            outcome=Outcome(row["outcome"]) if row["outcome"] else None,
            concluded_on=_day(row["concluded_on"]),
            text=texts.get(key, ""),
            signatories=tuple(signatories[key]),
        )
        for key, row in rows.items()
        if key in current or follow_ups[key] or feedback[key]
    ]


def read_promise_terms(
    cursor: Cursor, first: date, last: date, statuses: Sequence[str] = COUNTED
) -> list[PromiseTerm]:
    """Promises in one of two `statuses` whose period overlaps `first`..`last`.

    A period lasts at most `MAX_PERIOD_YEARS`, so such a promise started no earlier
    than that many years (and a margin of one) before `first`: the bound lets the
    `starts_on` index do the work.
    """
    earliest = date(first.year - MAX_PERIOD_YEARS - 1, 1, 1).isoformat()
    one, other = (statuses[0], statuses[-1])
    cursor.execute(TERMS, (earliest, last.isoformat(), first.isoformat(), one, other))
    return [
        PromiseTerm(
            municipalities=tuple(json.loads(row["municipalities"])),
            status=PromiseStatus(row["status"]),
            starts_on=date.fromisoformat(row["starts_on"]),
            ends_on=date.fromisoformat(row["ends_on"]),
        )
        for row in cursor.fetchall()
    ]


def read_in_force_on(cursor: Cursor, day: date) -> list[str]:
    """Codes of the municipalities with an issued promise whose period covers `day`, sorted."""
    issued = PromiseStatus.ISSUED.value
    codes = {
        code
        for term in read_promise_terms(cursor, day, day, (issued, issued))
        for code in term.municipalities
    }
    return sorted(codes)


# -- the views' side: one snapshot per report ----------------------------------------------------


class ReportSource:
    """Reports from the catalogue and audit views, each read in one snapshot."""

    def __init__(self, catalogue: CatalogueView, audit: AuditView) -> None:
        if catalogue.datastore is not audit.datastore:
            raise ValueError("reports read the catalogue and the audit view in one database")
        self.catalogue = catalogue
        self.audit = audit

    def annual(self, code: str, year: int) -> AnnualReport:
        """The municipality's annual report (`UnknownMunicipality` for an unknown code)."""
        municipality(code)
        facts = self._consistent_read(
            lambda cursor, upto: read_annual_facts(cursor, code, year, upto)
        )
        return build_annual_report(
            code,
            year,
            dialogues=facts.dialogues,
            observations=facts.observations,
            issues=facts.issues,
            promises=facts.promises,
            audit=facts.audit,
        )

    def national(self, year: int) -> NationalReport:
        """National coverage in the year."""
        with self.catalogue.datastore.transaction(commit=False) as cursor:
            terms = read_promise_terms(cursor, date(year, 1, 1), date(year, 12, 31))
        return build_national_report(year, terms)

    def in_force_on(self, day: date) -> list[str]:
        """Codes of the municipalities with an issued promise in force on `day`."""
        with self.catalogue.datastore.transaction(commit=False) as cursor:
            return read_in_force_on(cursor, day)

    def _consistent_read(self, read: Callable[[Cursor, int], AnnualFacts]) -> AnnualFacts:
        """`read(cursor, catalogue position)` in a snapshot where the audit view has reached
        the catalogue's position, so the head hash covers every fact read.

        The feeding loop applies each batch to the catalogue and then to the audit view,
        so a snapshot between the two is retried; should the audit view lag for longer
        (a failing batch), the report is made anyway with the head it has.
        """
        for attempt in range(SNAPSHOT_ATTEMPTS):
            with self.catalogue.datastore.transaction(commit=False) as cursor:
                upto = self._position(cursor, self.catalogue)
                if self._position(cursor, self.audit) >= upto or attempt == SNAPSHOT_ATTEMPTS - 1:
                    return read(cursor, upto)
            time.sleep(SNAPSHOT_PAUSE_SECONDS)
        raise AssertionError("unreachable: the last attempt always reads")

    @staticmethod
    def _position(cursor: Cursor, view: CatalogueView | AuditView) -> int:
        cursor.execute(f"SELECT MAX(notification_id) FROM {view.tracking_table}", ())
        row = cursor.fetchone()
        return int(row[0] or 0)
