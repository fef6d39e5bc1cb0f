"""The bare rate of reading and decoding every notification of a store: the baseline.

Anything that reads the whole log (a rebuild of the views, the audit verification)
pays at least this: pages of `recorder.select_notifications` and
`mapper.to_domain_event` for each. Later benchmarks divide their rate by this one.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict, dataclass
from typing import Any

from bench.common import append_result, print_table, rate, timed
from bench.generate import DEFAULT_DATABASE_URL
from workflow.application import Loftesboken
from workflow.settings import Settings

PAGE_SIZE = 1_000


@dataclass
class DecodeResult:
    events: int
    page_size: int
    seconds: float
    cpu_seconds: float
    read_only_seconds: float

    @property
    def events_per_second(self) -> float:
        return rate(self.events, self.seconds)

    @property
    def read_only_events_per_second(self) -> float:
        return rate(self.events, self.read_only_seconds)

    def record(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "events_per_second": self.events_per_second,
            "read_only_events_per_second": self.read_only_events_per_second,
        }


def read_all(app: Loftesboken, page_size: int = PAGE_SIZE, *, decode: bool = True) -> int:
    """Read (and decode) every notification in pages; how many there were."""
    recorder, mapper = app.recorder, app.mapper
    count = 0
    position: int | None = None
    while True:
        page = recorder.select_notifications(
            start=position, limit=page_size, inclusive_of_start=False
        )
        if not page:
            return count
        if decode:
            for notification in page:
                mapper.to_domain_event(notification)
        count += len(page)
        position = page[-1].id


def run_decode(
    database_url: str = DEFAULT_DATABASE_URL, page_size: int = PAGE_SIZE
) -> DecodeResult:
    """Time reading alone, then reading and decoding, over the whole store."""
    app = Loftesboken(Settings(database_url=database_url))
    try:
        read_only, read_time = timed(lambda: read_all(app, page_size, decode=False))
        events, took = timed(lambda: read_all(app, page_size))
    finally:
        app.close()
    if events != read_only:
        raise RuntimeError("the store changed while it was read")
    return DecodeResult(
        events=events,
        page_size=page_size,
        seconds=took.wall,
        cpu_seconds=took.cpu,
        read_only_seconds=read_time.wall,
    )


def report(result: DecodeResult) -> None:
    print_table(
        f"Reading the notification log: {result.events:,} events "
        f"(pages of {result.page_size:,})",
        ["pass", "wall s", "events/s"],
        [
            ["select_notifications only", result.read_only_seconds,
             result.read_only_events_per_second],
            ["select_notifications + to_domain_event", result.seconds,
             result.events_per_second],
        ],
    )  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--page-size", type=int, default=PAGE_SIZE)
    args = parser.parse_args(argv)
    result = run_decode(args.database_url, args.page_size)
    report(result)
    append_result("decode", result.record())


if __name__ == "__main__":
    main()
