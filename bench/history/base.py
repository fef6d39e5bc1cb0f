"""What every chapter of the generated history shares: the random source, the names and
places of the municipalities, the pool of prioritised issues and the promises still open.

One `random.Random(seed)` drives every choice; the chapters (knowledge work, promises)
draw from it in the order the scheduler resumes them, so the same seed gives the same
sequence of events.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from uuid import UUID

from bench import texts
from bench.history.scheduler import Scheduler
from domain.promise import Promise
from domain.reference import municipalities
from domain.values import Actor, Role, Theme
from workflow.application import Loftesboken
from workflow.clock import FakeClock


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


class HistoryBase:
    """The state the chapters share, and the small helpers they all use."""

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

    def today(self) -> date:
        """The simulated date the running process acts on."""
        assert self.scheduler.now is not None
        return self.scheduler.now

    def scheduler_year(self) -> int:
        return self.today().year
