"""Knowledge work, a municipality's year: dialogues and a trygghetsmätning, then the
issues identified from what was observed and ranked by the collaboration."""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator
from datetime import date, timedelta
from uuid import UUID

from bench import texts
from bench.history.base import HistoryBase, Observed
from bench.history.scheduler import Process
from domain.values import (
    DialogueEvidence,
    DialogueKind,
    Evidence,
    ObservationInput,
    SourceEvidence,
    SourceType,
    Theme,
)

MAX_OBSERVATIONS_PER_CALL = 1_000  # the API's limit for one request
AGE_GROUPS = ("16–29 år", "30–64 år", "65 år och äldre")


class KnowledgeWork(HistoryBase):
    """Dialogues, surveys and issues, as each municipality's coordinators record them."""

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
