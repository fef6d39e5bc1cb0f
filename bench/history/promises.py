"""Promise work, a police district's cycles: drafted, signed, issued, followed up (some
late, some missed), fed back and concluded; and the weekly deadline watcher."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from bench import texts
from bench.history.base import Cluster, HistoryBase
from bench.history.scheduler import Process
from domain.promise import Promise
from domain.values import (
    SYSTEM_ACTOR,
    ActivityInput,
    ActivityReport,
    ActivityStatus,
    Cadence,
    Outcome,
    Party,
    PromiseStatus,
    Theme,
)


class PromiseWork(HistoryBase):
    """Each police district's promises, and the watcher that marks follow-ups overdue."""

    def promise_cycles(self, cluster: Cluster) -> Process:
        """A police district's promises: drafted each autumn the last one runs out."""
        rng = self.rng
        year = self.first_day.year
        while year <= self.last_day.year:
            yield self._day(date(year, 11, 1), date(year, 11, 20))
            addresses: list[tuple[UUID, Theme, str]] = []
            for code in cluster.codes:
                take = rng.randint(1, 2)
                addresses.extend(self.pool[code][-take:])
                del self.pool[code][-take:]
            if not addresses:
                year += 1
                continue
            length = rng.choices((1, 2, 3), weights=(5, 3, 2))[0]
            promise = self._draft(cluster, addresses, year, length)
            self.scheduler.start(
                self.today() + timedelta(days=rng.randint(3, 10)),
                self.promise_life(cluster, promise),
            )
            year += length

    def _draft(
        self,
        cluster: Cluster,
        addresses: list[tuple[UUID, Theme, str]],
        year: int,
        length: int,
    ) -> Promise:
        rng = self.rng
        starts_on = date(year + 1, 1, 1)
        ends_on = date(year + length, 12, 31)
        activities: list[ActivityInput] = []
        for _, theme, place in addresses:
            for _ in range(rng.randint(1, 2)):
                description, responsible = texts.activity_text(rng, theme, place)
                activities.append(
                    ActivityInput(
                        description=description,
                        responsible=responsible,
                        due_on=self._day(starts_on + timedelta(days=60), ends_on),
                    )
                )
        names = " och ".join(self.names[c] for c in cluster.codes)
        periods = f"{year + 1}" if length == 1 else f"{year + 1}–{year + length}"
        promise = self.app.draft_promise(
            municipalities=list(cluster.codes),
            police_district=cluster.district,
            starts_on=starts_on,
            ends_on=ends_on,
            title=f"Medborgarlöfte {names} {periods}",
            text=(
                f"Under {periods} lovar polisen och {names} att arbeta med "
                + ", ".join(texts.ISSUE_TITLES[t].format(place=p).lower() for _, t, p in addresses)
                + "."
            ),
            addresses=[issue_id for issue_id, _, _ in addresses],
            activities=activities,
            actor=self._police(cluster.codes[0]),
            follow_up_cadence=rng.choices(
                (Cadence.QUARTERLY, Cadence.BIANNUAL, Cadence.ANNUAL), weights=(6, 3, 1)
            )[0],
        )
        self._count("draft_promise")
        return promise

    def promise_life(self, cluster: Cluster, promise: Promise) -> Process:
        """Signed, issued, followed up (some late, some missed), fed back and concluded."""
        rng = self.rng
        app = self.app
        police = self._police(cluster.codes[0])
        if rng.random() < 0.03:
            app.withdraw_promise(promise.id, reason="Ersätts av ett nytt utkast.", actor=police)
            self._count("withdraw_promise")
            return
        signers: list[tuple[Party, str | None]] = [(Party.POLICE, None)]
        signers += [(Party.MUNICIPALITY, code) for code in cluster.codes]
        if rng.random() < 0.2:
            signers.append((Party.PARTNER, None))
        day = self.today()
        for party, code in signers:
            day += timedelta(days=rng.randint(0, 4))
            yield day
            if party is Party.POLICE:
                title, actor = "Lokalpolisområdeschef", police
            elif party is Party.MUNICIPALITY:
                assert code is not None
                title, actor = (
                    rng.choice(texts.MUNICIPAL_SIGNATORY_TITLES),
                    self._municipality(code),
                )
            else:
                title, actor = "VD, det kommunala bostadsbolaget", police
            app.sign_promise(
                promise.id,
                party=party,
                municipality=code,
                name=texts.person(rng),
                title=title,
                signed_on=day,
                actor=actor,
            )
            self._count("sign_promise")
        day += timedelta(days=rng.randint(0, 5))
        yield day
        promise = app.issue_promise(promise.id, issued_on=day, actor=police)
        self._count("issue_promise")
        self.open_promises[promise.id] = promise
        try:
            yield from self._follow_ups(cluster, promise)
        finally:
            self.open_promises.pop(promise.id, None)

    def _follow_ups(self, cluster: Cluster, promise: Promise) -> Process:
        rng = self.rng
        app = self.app
        police = self._police(cluster.codes[0])
        coordinator = self._municipality(cluster.codes[0])
        assert promise.issued_on is not None
        plan: list[tuple[date, date, UUID, bool]] = []  # (recorded, held, id, final)
        for follow_up in sorted(promise.follow_ups.values(), key=lambda f: f.due_on):
            fate = rng.random()
            if follow_up.final or fate < 0.75:
                held = max(promise.issued_on, follow_up.due_on - timedelta(rng.randint(0, 10)))
                if follow_up.final and fate > 0.7:
                    held = follow_up.due_on + timedelta(days=rng.randint(10, 60))
                recorded = held + timedelta(days=rng.randint(0, 3))
            elif fate < 0.9:  # late: the watcher marks it overdue first
                held = follow_up.due_on + timedelta(days=rng.randint(10, 75))
                recorded = held + timedelta(days=rng.randint(0, 5))
            else:
                continue  # missed: it stays overdue
            plan.append((recorded, held, follow_up.id, follow_up.final))
        plan.sort(key=lambda item: item[0])
        span = max((promise.ends_on - promise.starts_on).days, 1)
        for recorded, held, follow_up_id, final in plan:
            yield recorded
            if rng.random() < 0.01:
                app.withdraw_promise(
                    promise.id,
                    reason="Samverkansöverenskommelsen sades upp; löftet ersätts.",
                    actor=police,
                )
                self._count("withdraw_promise")
                return
            progress = min(max((held - promise.starts_on).days / span, 0.0), 1.0)
            reports = [self._report(activity_id, progress) for activity_id in promise.activities]
            promise = app.record_follow_up(
                promise.id,
                follow_up_id,
                held_on=held,
                summary=f"Uppföljning av medborgarlöftet, läget {held.isoformat()}.",
                activities=reports,
                actor=rng.choice((police, coordinator)),
            )
            self._count("record_follow_up")
            self.open_promises[promise.id] = promise
            if rng.random() < 0.35 or (final and rng.random() < 0.8):
                promise, _ = app.publish_feedback(
                    promise.id,
                    published_on=recorded,
                    channel=rng.choice(texts.FEEDBACK_CHANNELS),
                    summary="Så här har vi arbetat med det ni tog upp: " + reports_summary(reports),
                    actor=coordinator,
                )
                self._count("publish_feedback")
                self.open_promises[promise.id] = promise
            if final:
                yield recorded + timedelta(days=rng.randint(0, 20))
                done = sum(
                    1 for a in promise.activities.values() if a.status is ActivityStatus.DONE
                )
                share = done / max(len(promise.activities), 1)
                outcome = (
                    Outcome.FULFILLED
                    if share >= 0.8
                    else Outcome.PARTLY_FULFILLED
                    if share >= 0.4
                    else Outcome.NOT_FULFILLED
                )
                app.conclude_promise(
                    promise.id,
                    outcome=outcome,
                    summary=f"{done} av {len(promise.activities)} aktiviteter genomfördes.",
                    concluded_on=self.today(),
                    actor=police,
                )
                self._count("conclude_promise")
                return  # a late follow-up still unrecorded stays overdue on the record

    def _report(self, activity_id: UUID, progress: float) -> ActivityReport:
        rng = self.rng
        roll = rng.random()
        if roll < progress * 0.85:
            status = ActivityStatus.DONE
        elif roll < progress * 0.85 + 0.05:
            status = ActivityStatus.DELAYED
        elif roll < progress * 0.85 + 0.07:
            status = ActivityStatus.CANCELLED
        elif progress > 0.1:
            status = ActivityStatus.IN_PROGRESS
        else:
            status = ActivityStatus.NOT_STARTED
        comment = rng.choice(texts.REPORT_COMMENTS[status]) if rng.random() < 0.7 else None
        return ActivityReport(activity_id=activity_id, status=status, comment=comment)

    def deadline_watcher(self) -> Process:
        """Every Monday, mark the follow-ups that have fallen due unrecorded as overdue."""
        day = self.first_day + timedelta(days=(7 - self.first_day.weekday()) % 7)
        while True:
            yield day
            today = self.app.today
            for promise_id, promise in list(self.open_promises.items()):
                if promise.status is not PromiseStatus.ISSUED:
                    del self.open_promises[promise_id]
                    continue
                if promise.overdue_follow_ups(today):
                    self.app.mark_overdue(promise_id, actor=SYSTEM_ACTOR)
                    self._count("mark_overdue")
                    self.open_promises[promise_id] = self.app.get_promise(promise_id)
            day += timedelta(days=7)


def reports_summary(reports: list[ActivityReport]) -> str:
    done = sum(1 for r in reports if r.status is ActivityStatus.DONE)
    return f"{done} av {len(reports)} aktiviteter är genomförda."
