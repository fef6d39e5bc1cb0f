"""Generate a realistic, deterministic history of medborgarlöften through the application.

Every event is written by the application's own commands (`Loftesboken.hold_dialogue`,
`record_observations`, `identify_issue`, ... `mark_overdue`), so every rule of the
domain and the workflow holds in the generated store, exactly as if people had typed it.

Time is simulated: each municipality's knowledge work (dialogues, a yearly
trygghetsmätning, issues), each police district's promise cycles and a weekly
deadline watcher are generator *processes* that yield the date they next act on. A
scheduler resumes them in date order and sets a `FakeClock` to that date first, so no
command ever sees a date in its future and the notification log interleaves the
municipalities as a real national store would.

Determinism: one `random.Random(seed)` drives every choice and the processes run in a
fixed order, so the same seed gives the same sequence of events (only the uuid4 ids
and the recording timestamps differ between runs).
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import json
import time
from collections import Counter
from collections.abc import Generator, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random
from uuid import UUID

from bench import texts
from domain.promise import Promise
from domain.reference import municipalities
from domain.values import (
    SYSTEM_ACTOR,
    ActivityInput,
    ActivityReport,
    ActivityStatus,
    Actor,
    Cadence,
    DialogueEvidence,
    DialogueKind,
    Evidence,
    ObservationInput,
    Outcome,
    Party,
    PromiseStatus,
    Role,
    SourceEvidence,
    SourceType,
    Theme,
)
from infra.bootstrap import open_application
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings

MAX_OBSERVATIONS_PER_CALL = 1_000  # the API's limit for one request
AGE_GROUPS = ("16–29 år", "30–64 år", "65 år och äldre")
DEFAULT_DATABASE_URL = "sqlite:///bench/data/national.sqlite3"

Process = Iterator[date]

# The generator is the store's only writer, so the library's aggregate cache may keep
# each aggregate as last saved (no fast-forward query, no deep copy on every read).
# Without it every command re-reads its aggregate: citing a survey as evidence replays
# hundreds of observations. Every command still runs through the application.
SINGLE_WRITER_CACHE = {
    "AGGREGATE_CACHE_MAXSIZE": "20000",
    "AGGREGATE_CACHE_FASTFORWARD": "n",
    "DEEPCOPY_FROM_AGGREGATE_CACHE": "n",
}


@dataclass(frozen=True)
class Cluster:
    """A local police district and the municipalities that make promises together."""

    codes: tuple[str, ...]
    district: str


@dataclass
class Observed:
    """An observation recorded this year, kept so issues can cite it as evidence."""

    dialogue_id: UUID
    observation_id: UUID
    theme: Theme
    place: str | None
    count: int


@dataclass
class GenerationResult:
    """What a run wrote and how long it took."""

    municipalities: int
    years: int
    seed: int
    first_day: date
    last_day: date
    events: int
    commands: int
    seconds: float
    cpu_seconds: float
    commands_by_name: Counter[str] = field(default_factory=Counter)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


class Scheduler:
    """Resumes processes in date order, moving the clock to each date first."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self._queue: list[tuple[date, int, Process]] = []
        self._order = itertools.count()
        self.now: date | None = None

    def start(self, when: date, process: Process) -> None:
        heapq.heappush(self._queue, (when, next(self._order), process))

    def run(self, until: date) -> None:
        while self._queue:
            when, _, process = heapq.heappop(self._queue)
            if when > until:
                continue  # the history ends before this step; drop the process
            self.now = when
            self.clock.set(when)
            try:
                wanted = next(process)
            except StopIteration:
                continue
            # A process may ask for a date already passed (two plans overlapping): act now.
            heapq.heappush(self._queue, (max(wanted, when), next(self._order), process))


class History:
    """The simulated national history: processes that act through the application."""

    def __init__(
        self,
        app: Loftesboken,
        clock: FakeClock,
        *,
        codes: Sequence[str],
        first_day: date,
        last_day: date,
        seed: int,
    ) -> None:
        self.app = app
        self.rng = Random(seed)
        self.codes = list(codes)
        self.first_day = first_day
        self.last_day = last_day
        self.scheduler = Scheduler(clock)
        self.commands: Counter[str] = Counter()
        self.names = {code: municipalities()[code].name for code in self.codes}
        self.places = {code: self._places_of(code) for code in self.codes}
        # Prioritised issues not yet addressed by a promise, newest last, per municipality.
        self.pool: dict[str, list[tuple[UUID, Theme, str]]] = {code: [] for code in self.codes}
        self.open_promises: dict[UUID, Promise] = {}

    # -- running ------------------------------------------------------------------

    def run(self) -> None:
        for code in self.codes:
            self.scheduler.start(self.first_day, self.knowledge(code))
        for cluster in self.clusters():
            self.scheduler.start(self.first_day, self.promise_cycles(cluster))
        self.scheduler.start(self.first_day, self.deadline_watcher())
        self.scheduler.run(self.last_day)

    def clusters(self) -> list[Cluster]:
        """Municipalities of one county grouped by one, two or three into police districts."""
        by_county: dict[str, list[str]] = {}
        for code in self.codes:
            by_county.setdefault(municipalities()[code].county_code, []).append(code)
        clusters: list[Cluster] = []
        for codes in by_county.values():
            codes = list(codes)
            self.rng.shuffle(codes)
            while codes:
                size = min(len(codes), self.rng.choices((1, 2, 3), weights=(6, 3, 1))[0])
                group, codes = tuple(codes[:size]), codes[size:]
                clusters.append(Cluster(group, f"LPO {self.names[group[0]]}"))
        return clusters

    def _places_of(self, code: str) -> list[str]:
        return self.rng.sample(texts.PLACES, self.rng.randint(8, len(texts.PLACES)))

    def _day(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def _police(self, code: str) -> Actor:
        return Actor(label=f"Kommunpolis {self.names[code]}", role=Role.POLICE)

    def _municipality(self, code: str) -> Actor:
        return Actor(label=f"Trygghetssamordnare {self.names[code]}", role=Role.MUNICIPALITY)

    def _count(self, command: str) -> None:
        self.commands[command] += 1

    # -- knowledge: dialogues, surveys, issues ------------------------------------

    def knowledge(self, code: str) -> Process:
        """A municipality's year: dialogues and a survey, then issues identified and ranked."""
        for year in range(self.first_day.year, self.last_day.year + 1):
            plan = self._dialogue_plan(year)
            observed: list[Observed] = []
            for held_on, kind in plan:
                yield held_on
                observed.extend((yield from self._dialogue(code, kind, held_on)))
            if not observed:
                continue
            yield self._day(date(year, 9, 1), date(year, 9, 25))
            issues = self._identify_issues(code, observed)
            yield self._day(date(year, 10, 1), date(year, 10, 20))
            self._rank_issues(code, issues)

    def _dialogue_plan(self, year: int) -> list[tuple[date, DialogueKind]]:
        rng = self.rng
        plan: list[tuple[date, DialogueKind]] = []
        if rng.random() < 0.9:
            plan.append((self._day(date(year, 2, 1), date(year, 4, 30)), DialogueKind.SURVEY))
        for _ in range(rng.randint(2, 4)):
            held = self._day(date(year, 1, 15), date(year, 8, 31))
            plan.append((held, DialogueKind.CITIZEN_DIALOGUE))
        for _ in range(rng.randint(1, 3)):
            spring = rng.random() < 0.5
            held = (
                self._day(date(year, 2, 1), date(year, 3, 31))
                if spring
                else self._day(date(year, 10, 1), date(year, 11, 30))
            )
            plan.append((held, DialogueKind.SAFETY_WALK))
        for _ in range(rng.randint(1, 2)):
            plan.append(
                (self._day(date(year, 1, 15), date(year, 8, 31)), DialogueKind.STAFF_DIALOGUE)
            )
        if rng.random() < 0.2:
            plan.append((self._day(date(year, 3, 1), date(year, 6, 15)), DialogueKind.OTHER))
        plan.sort(key=lambda item: item[0])
        return plan

    def _dialogue(
        self, code: str, kind: DialogueKind, held_on: date
    ) -> Generator[date, None, list[Observed]]:
        rng = self.rng
        places = self.places[code]
        place = rng.choice(places)
        name = self.names[code]
        title = texts.DIALOGUE_TITLES[kind].format(name=name, year=held_on.year, place=place)
        inputs = (
            self._survey_answers(places)
            if kind is DialogueKind.SURVEY
            else self._sayings(kind, places, place)
        )
        actor = self._police(code) if rng.random() < 0.5 else self._municipality(code)
        # Most dialogues are written up the same day, some within the week.
        delay = rng.choice((0, 0, 0, 1, 2, 5))
        if delay:
            yield held_on + timedelta(days=delay)
        # No observation is raised by more people than took part (a rule of the record).
        participants = (
            sum(i.count for i in inputs)
            if kind is DialogueKind.SURVEY
            else max(rng.randint(6, 120), *(i.count for i in inputs))
        )
        dialogue = self.app.hold_dialogue(
            municipality=code,
            kind=kind,
            held_on=held_on,
            title=title,
            actor=actor,
            place=None if kind is DialogueKind.SURVEY else place,
            participants=participants,
            organisers=[f"Kommunpolisen i {name}", f"{name} kommun"],
        )
        self._count("hold_dialogue")
        observed: list[Observed] = []
        for start in range(0, len(inputs), MAX_OBSERVATIONS_PER_CALL):
            chunk = inputs[start : start + MAX_OBSERVATIONS_PER_CALL]
            _, ids = self.app.record_observations(dialogue.id, chunk, actor=actor)
            self._count("record_observations")
            observed.extend(
                Observed(dialogue.id, oid, i.theme, i.place, i.count)
                for oid, i in zip(ids, chunk, strict=True)
            )
        return observed

    def _survey_answers(self, places: list[str]) -> list[ObservationInput]:
        """A trygghetsmätning: per place, age group and theme, how many answered yes."""
        rng = self.rng
        size = rng.randint(200, 680)
        cells = [(p, g, t) for p in places for g in AGE_GROUPS for t in Theme]
        chosen = rng.sample(cells, min(size, len(cells)))
        answers: list[ObservationInput] = []
        for place, group, theme in chosen:
            share = rng.randint(2, 60)
            answers.append(
                ObservationInput(
                    theme=theme,
                    summary=f"{group}: {texts.survey_summary(theme, place, share)}",
                    place=place,
                    count=rng.randint(1, 400),
                )
            )
        return answers

    def _sayings(self, kind: DialogueKind, places: list[str], place: str) -> list[ObservationInput]:
        """What people raised at a meeting or a walk: a few themes, some said by many."""
        rng = self.rng
        size = rng.randint(4, 14) if kind is DialogueKind.SAFETY_WALK else rng.randint(8, 30)
        favourites = rng.sample(list(Theme), 4)
        said: list[ObservationInput] = []
        for _ in range(size):
            theme = rng.choice(favourites) if rng.random() < 0.7 else rng.choice(list(Theme))
            where = place if kind is DialogueKind.SAFETY_WALK else rng.choice(places)
            said.append(
                ObservationInput(
                    theme=theme,
                    summary=texts.saying(rng, theme, where),
                    place=where,
                    count=rng.choice((1, 1, 1, 2, 3, 5, 8, 12)),
                    note=rng.choice(texts.NOTES) if rng.random() < 0.1 else None,
                )
            )
        return said

    def _identify_issues(
        self, code: str, observed: list[Observed]
    ) -> list[tuple[UUID, Theme, str]]:
        """The problembild: the themes raised most this year become issues, citing the evidence."""
        rng = self.rng
        weight: Counter[Theme] = Counter()
        for o in observed:
            weight[o.theme] += o.count
        themes = [t for t, _ in weight.most_common(rng.randint(2, 5))]
        police = self._police(code)
        issues: list[tuple[UUID, Theme, str]] = []
        for theme in themes:
            cited = sorted(
                (o for o in observed if o.theme is theme), key=lambda o: o.count, reverse=True
            )
            evidence: list[Evidence] = []
            seen: set[UUID] = set()
            for o in cited:
                if o.dialogue_id not in seen:
                    seen.add(o.dialogue_id)
                    evidence.append(DialogueEvidence(o.dialogue_id, o.observation_id))
                if len(evidence) == 2:
                    break
            if rng.random() < 0.4:
                evidence.append(
                    SourceEvidence(
                        SourceType.STATISTICS,
                        f"Anmälda brott {self.scheduler_year() - 1}, Brås statistikdatabas",
                    )
                )
            place = cited[0].place or rng.choice(self.places[code])
            title = texts.ISSUE_TITLES[theme].format(place=place)
            issue = self.app.identify_issue(
                municipality=code,
                title=title,
                theme=theme,
                description=(
                    f"Medborgardialoger och trygghetsmätningen {self.scheduler_year()} pekar "
                    f"på {title[0].lower()}{title[1:]}: {sum(o.count for o in cited)} "
                    "svarande och deltagare tog upp det."
                ),
                evidence=evidence,
                actor=police,
            )
            self._count("identify_issue")
            issues.append((issue.id, theme, place))
        return issues

    def _rank_issues(self, code: str, issues: list[tuple[UUID, Theme, str]]) -> None:
        """The collaboration's decision: most issues prioritised, some rejected."""
        rng = self.rng
        actor = self._municipality(code)
        year = self.scheduler_year()
        for rank, (issue_id, theme, place) in enumerate(issues, start=1):
            if rng.random() < 0.15:
                self.app.add_evidence(
                    issue_id,
                    SourceEvidence(SourceType.REPORT, f"Lägesbild {self.names[code]} {year}"),
                    actor=actor,
                )
                self._count("add_evidence")
            if rank > 1 and rng.random() < 0.15:
                self.app.reject_issue(
                    issue_id,
                    reason="Hanteras inom ordinarie verksamhet; inte prioriterat i år.",
                    actor=actor,
                )
                self._count("reject_issue")
                continue
            self.app.prioritise_issue(
                issue_id,
                priority=min(rank, 5),
                rationale=f"Rangordnat {rank} i den gemensamma problembilden {year}.",
                actor=actor,
            )
            self._count("prioritise_issue")
            self.pool[code].append((issue_id, theme, place))

    def today(self) -> date:
        """The simulated date the running process acts on."""
        assert self.scheduler.now is not None
        return self.scheduler.now

    def scheduler_year(self) -> int:
        return self.today().year

    # -- promises -----------------------------------------------------------------

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


def default_last_day(today: date | None = None) -> date:
    """The history ends on the last day of the previous year, so the data set is stable."""
    return date((today or date.today()).year - 1, 12, 31)


def generate(
    app: Loftesboken,
    clock: FakeClock,
    *,
    municipalities_count: int = 290,
    years: int = 10,
    seed: int = 1,
    last_day: date | None = None,
) -> GenerationResult:
    """Write `years` of history for the first `municipalities_count` municipalities."""
    all_codes = list(municipalities())
    if not 1 <= municipalities_count <= len(all_codes):
        raise ValueError(f"municipalities must be between 1 and {len(all_codes)}")
    if years < 1:
        raise ValueError("years must be at least 1")
    last_day = last_day or default_last_day()
    first_day = date(last_day.year - years + 1, 1, 1)
    before = app.recorder.max_notification_id() or 0
    history = History(
        app,
        clock,
        codes=all_codes[:municipalities_count],
        first_day=first_day,
        last_day=last_day,
        seed=seed,
    )
    wall, cpu = time.perf_counter(), time.process_time()
    history.run()
    seconds, cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
    events = (app.recorder.max_notification_id() or 0) - before
    return GenerationResult(
        municipalities=municipalities_count,
        years=years,
        seed=seed,
        first_day=first_day,
        last_day=last_day,
        events=events,
        commands=sum(history.commands.values()),
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        commands_by_name=history.commands,
    )


def open_writer(settings: Settings, clock: FakeClock) -> Loftesboken:
    """The application as the store's only writer: aggregate cache, relaxed SQLite sync."""
    env = dict(SINGLE_WRITER_CACHE)
    if settings.is_sqlite:
        env["PERSISTENCE_MODULE"] = "bench.fast_sqlite"
    return open_application(settings, clock, env=env)


def generate_store(
    database_url: str,
    *,
    municipalities_count: int = 290,
    years: int = 10,
    seed: int = 1,
    last_day: date | None = None,
) -> GenerationResult:
    """Open the store at `database_url`, generate into it and close it again."""
    clock = FakeClock(date(2000, 1, 1))
    app = open_writer(Settings(database_url=database_url), clock)
    try:
        return generate(
            app,
            clock,
            municipalities_count=municipalities_count,
            years=years,
            seed=seed,
            last_day=last_day,
        )
    finally:
        app.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--municipalities", type=int, default=290)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--last-day",
        type=date.fromisoformat,
        default=None,
        help="the last day of the history (default: 31 December of last year)",
    )
    args = parser.parse_args(argv)
    result = generate_store(
        args.database_url,
        municipalities_count=args.municipalities,
        years=args.years,
        seed=args.seed,
        last_day=args.last_day,
    )
    print(describe(result))
    settings = Settings(database_url=args.database_url)
    if settings.is_sqlite:
        write_marker(settings.sqlite_path, result)


def marker_path(store: Path) -> Path:
    """The file beside a generated store that says it is finished, and with what."""
    return store.with_suffix(".json")


def write_marker(store: Path, result: GenerationResult) -> None:
    record = asdict(result)
    record["commands_by_name"] = dict(result.commands_by_name)
    record["at"] = datetime.now(UTC).isoformat(timespec="seconds")
    marker_path(store).write_text(json.dumps(record, default=str, indent=1))


def describe(result: GenerationResult) -> str:
    return (
        f"{result.events:,} events from {result.commands:,} commands for "
        f"{result.municipalities} municipalities x {result.years} years "
        f"({result.first_day} to {result.last_day}) in {result.seconds:.1f} s "
        f"({result.cpu_seconds:.1f} s CPU): "
        f"{result.events_per_second:,.0f} events/s"
    )


if __name__ == "__main__":
    main()
