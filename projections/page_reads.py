"""Reads of the views for the public pages: a municipality, a promise, a dialogue, the start.

The records they return are in `page_models`, the row builders and shared queries in
`page_rows`.

Each read is a handful of indexed queries in one snapshot of the views' database
(the catalogue and the pages view), never a replay of the event store. They show
only what public reads show:

- promises that were issued (also when concluded or withdrawn since), never a draft
  or a draft that was withdrawn;
- issues only when an issued promise addresses them; what people said that led to no
  such issue is shown as that, without naming the issues it did lead to;
- observations by their public summary (the views hold no `note`), activities without
  the responsible person's name, and no actor (token label) at all.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from uuid import UUID

from domain.values import (
    ActivityStatus,
    FollowUpStatus,
    Party,
    PromiseStatus,
    Responsible,
)
from projections.catalogue import CatalogueView
from projections.page_models import (
    ActivityLine,
    AddressedIssue,
    DialoguePage,
    FeedbackLine,
    MunicipalityPage,
    PromisePage,
    SaidAndDone,
    Signatory,
)
from projections.page_rows import (
    addressed_issues,
    day_of,
    dialogue_summary,
    feedback_line,
    follow_ups_of,
    latest_follow_ups,
    observation_line,
    placeholders,
    promise_summary,
    themes_of,
    unique_issues,
)
from projections.pages import PagesView
from projections.publicity import PUBLIC_PROMISE

# -- the reads --------------------------------------------------------------------------


class PageReads:
    """The public pages' reads over the catalogue and the pages view (one database)."""

    def __init__(self, catalogue: CatalogueView, pages: PagesView) -> None:
        if catalogue.datastore is not pages.datastore:
            raise ValueError("the pages read the catalogue and the pages view in one database")
        self.catalogue = catalogue
        self.pages = pages

    # -- the start page ------------------------------------------------------------

    def latest_feedback(self, limit: int = 8) -> list[FeedbackLine]:
        """The newest feedback to citizens anywhere, on issued promises."""
        with self.catalogue.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT f.promise_id, f.published_on, f.channel, f.summary, p.title, "
                "p.municipalities FROM feedback f JOIN promises p ON p.id = f.promise_id "
                f"WHERE {PUBLIC_PROMISE} ORDER BY f.published_on DESC, f.id LIMIT ?",
                (limit,),
            )
            return [feedback_line(row) for row in c.fetchall()]

    # -- a municipality ------------------------------------------------------------

    def municipality(
        self, code: str, today: date, *, dialogue_limit: int = 25, feedback_limit: int = 20
    ) -> MunicipalityPage:
        with self.catalogue.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT p.* FROM promise_municipalities pm JOIN promises p ON p.id = pm.promise_id "
                f"WHERE pm.municipality = ? AND {PUBLIC_PROMISE} "
                "ORDER BY p.starts_on DESC, p.seq DESC",
                (code,),
            )
            promises = [promise_summary(row) for row in c.fetchall()]
            c.execute("SELECT COUNT(*) FROM dialogues WHERE municipality = ?", (code,))
            dialogues_total = int(c.fetchone()[0])
            c.execute(
                "SELECT * FROM dialogues WHERE municipality = ? ORDER BY held_on DESC, seq DESC "
                "LIMIT ?",
                (code, dialogue_limit),
            )
            dialogue_rows = c.fetchall()
            themes = themes_of(c, [row["id"] for row in dialogue_rows])
            dialogues = [dialogue_summary(row, themes.get(row["id"], ())) for row in dialogue_rows]
            c.execute(
                "SELECT MIN(held_on), MAX(held_on) FROM dialogues WHERE municipality = ?", (code,)
            )
            first_held, last_held = c.fetchone()
            keys = [str(p.id) for p in promises]
            follow_ups = follow_ups_of(c, keys, {str(p.id): p.title for p in promises})
            feedback: list[FeedbackLine] = []
            if keys:
                c.execute(
                    "SELECT f.promise_id, f.published_on, f.channel, f.summary, p.title, "
                    "p.municipalities FROM feedback f JOIN promises p ON p.id = f.promise_id "
                    f"WHERE f.promise_id IN ({placeholders(len(keys))}) "
                    "ORDER BY f.published_on DESC, f.id LIMIT ?",
                    (*keys, feedback_limit),
                )
                feedback = [feedback_line(row) for row in c.fetchall()]
        open_statuses = {PromiseStatus.ISSUED}
        live = {p.id for p in promises if p.status in open_statuses}
        upcoming = sorted(
            (
                f
                for f in follow_ups
                if f.promise_id in live and f.status is FollowUpStatus.SCHEDULED
            ),
            key=lambda f: f.due_on,
        )
        missed = sorted((f for f in follow_ups if f.missed), key=lambda f: f.due_on, reverse=True)
        years: set[int] = set()
        for held in (first_held, last_held):
            if held:
                years.add(int(held[:4]))
        if years:
            years.update(range(min(years), max(years) + 1))
        for p in promises:
            years.update(range(p.starts_on.year, p.ends_on.year + 1))
        years = {y for y in years if y <= today.year}
        return MunicipalityPage(
            code=code,
            promises=promises,
            dialogues=dialogues,
            dialogues_total=dialogues_total,
            upcoming=upcoming[:10],
            missed=missed,
            feedback=feedback,
            years=sorted(years, reverse=True),
        )

    # -- a promise ----------------------------------------------------------------

    def promise(self, promise_id: UUID) -> PromisePage | None:
        """The promise's page, or None for a promise never issued (or unknown)."""
        key = str(promise_id)
        with self.catalogue.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT * FROM promises p WHERE p.id = ? AND {PUBLIC_PROMISE}", (key,))
            row = c.fetchone()
            if row is None:
                return None
            promise = promise_summary(row)
            c.execute("SELECT * FROM page_promises WHERE id = ?", (key,))
            extra = c.fetchone()
            c.execute("SELECT * FROM page_signatures WHERE promise_id = ? ORDER BY seq", (key,))
            signatories = [
                Signatory(
                    party=Party(s["party"]),
                    municipality=s["municipality"],
                    name=s["name"],
                    title=s["title"],
                    signed_on=date.fromisoformat(s["signed_on"]),
                )
                for s in c.fetchall()
            ]
            c.execute(
                "SELECT * FROM activities WHERE promise_id = ? ORDER BY due_on, description",
                (key,),
            )
            activities = [
                ActivityLine(
                    id=UUID(a["id"]),
                    description=a["description"],
                    responsible=Responsible(a["responsible"]),
                    due_on=date.fromisoformat(a["due_on"]),
                    status=ActivityStatus(a["status"]),
                    comment=a["comment"],
                    reported_on=day_of(a["reported_on"]),
                )
                for a in c.fetchall()
            ]
            follow_ups = follow_ups_of(c, [key], {key: promise.title})
            c.execute(
                "SELECT f.promise_id, f.published_on, f.channel, f.summary, p.title, "
                "p.municipalities FROM feedback f JOIN promises p ON p.id = f.promise_id "
                "WHERE f.promise_id = ? ORDER BY f.published_on, f.id",
                (key,),
            )
            feedback = [feedback_line(f) for f in c.fetchall()]
            c.execute("SELECT issue_id FROM promise_addresses WHERE promise_id = ?", (key,))
            issue_ids = [r["issue_id"] for r in c.fetchall()]
            issues = addressed_issues(c, issue_ids, with_evidence=True)
        return PromisePage(
            promise=promise,
            text=extra["text"] if extra is not None else "",
            conclusion_summary=extra["conclusion_summary"] if extra is not None else None,
            withdrawal_reason=extra["withdrawal_reason"] if extra is not None else None,
            signatories=signatories,
            activities=activities,
            follow_ups=sorted(follow_ups, key=lambda f: (f.final, f.due_on)),
            feedback=feedback,
            issues=sorted(issues, key=lambda i: (i.priority or 99, i.title)),
        )

    # -- a dialogue ("Ni sa – vi gjorde") ---------------------------------------------

    def dialogue(self, dialogue_id: UUID) -> DialoguePage | None:
        key = str(dialogue_id)
        with self.catalogue.datastore.transaction(commit=False) as c:
            c.execute("SELECT * FROM dialogues WHERE id = ?", (key,))
            row = c.fetchone()
            if row is None:
                return None
            themes = themes_of(c, [key])
            dialogue = dialogue_summary(row, themes.get(key, ()))
            c.execute(
                "SELECT * FROM observations WHERE dialogue_id = ? AND retracted = 0 ORDER BY seq",
                (key,),
            )
            observations = [observation_line(o) for o in c.fetchall()]
            c.execute(
                "SELECT DISTINCT issue_id, observation_id FROM issue_evidence "
                "WHERE dialogue_id = ?",
                (key,),
            )
            citations = [(r["issue_id"], r["observation_id"]) for r in c.fetchall()]
            issues = {
                str(i.id): i
                for i in addressed_issues(
                    c, sorted({issue for issue, _ in citations}), with_evidence=False
                )
            }
            promise_keys = sorted({str(p.id) for i in issues.values() for p in i.promises})
            latest = latest_follow_ups(c, promise_keys)
        by_observation: dict[str | None, list[AddressedIssue]] = defaultdict(list)
        for issue_id, observation_id in citations:
            issue = issues.get(issue_id)
            if issue is not None and issue.promises:  # only what an issued promise addresses
                by_observation[observation_id].append(issue)
        said = [
            SaidAndDone(observation=o, issues=unique_issues(by_observation.get(str(o.id), [])))
            for o in observations
        ]
        return DialoguePage(
            dialogue=dialogue,
            said=said,
            whole_dialogue=unique_issues(by_observation.get(None, [])),
            latest_follow_ups=latest,
        )
