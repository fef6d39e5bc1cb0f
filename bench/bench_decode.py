"""The bare rate of reading and decoding every notification of a store: the baseline.

Anything that reads the whole log (a rebuild of the views, the audit verification)
pays at least this: pages of `recorder.select_notifications` and
`mapper.to_domain_event` for each. Later benchmarks divide their rate by this one.

It also decodes the first notifications (200,000 by default) twice more, with the
library's own `JSONTranscoder` (how the application decoded before it used
`OrjsonTranscoder`) and with ours, so the transcoder's gain is a ratio in one run.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict, dataclass
from typing import Any

from bench.common import LibraryJSONLoftesboken, append_result, print_table, rate, ratio, timed
from bench.generate import DEFAULT_DATABASE_URL
from infra.bootstrap import open_application
from workflow.application import Loftesboken
from workflow.settings import Settings

PAGE_SIZE = 1_000
COMPARE_EVENTS = 200_000


@dataclass
class DecodeResult:
    events: int
    page_size: int
    seconds: float
    cpu_seconds: float
    read_only_seconds: float
    compared_events: int  # decoded by both transcoders
    library_seconds: float  # the library's JSONTranscoder over `compared_events`
    orjson_seconds: float  # ours over the same

    @property
    def transcoder_speedup(self) -> float:
        return ratio(self.library_seconds, self.orjson_seconds)

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
            "library_events_per_second": rate(self.compared_events, self.library_seconds),
            "orjson_events_per_second": rate(self.compared_events, self.orjson_seconds),
            "transcoder_speedup": self.transcoder_speedup,
        }


def read_all(
    app: Loftesboken,
    page_size: int = PAGE_SIZE,
    *,
    decode: bool = True,
    limit: int | None = None,
) -> int:
    """Read (and decode) every notification, or the first `limit`, in pages; how many."""
    recorder, mapper = app.recorder, app.mapper
    count = 0
    position = 0
    while limit is None or count < limit:
        size = page_size if limit is None else min(page_size, limit - count)
        page = recorder.select_notifications(start=position, limit=size, inclusive_of_start=False)
        if not page:
            break
        if decode:
            for notification in page:
                mapper.to_domain_event(notification)
        count += len(page)
        position = page[-1].id
    return count


def run_decode(
    database_url: str = DEFAULT_DATABASE_URL,
    page_size: int = PAGE_SIZE,
    compare_events: int = COMPARE_EVENTS,
) -> DecodeResult:
    """Time reading alone, then reading and decoding, over the whole store; then the
    first `compare_events` with the library's transcoder and with ours."""
    settings = Settings(database_url=database_url)
    app = open_application(settings)
    library = LibraryJSONLoftesboken(settings)
    try:
        read_only, read_time = timed(lambda: read_all(app, page_size, decode=False))
        events, took = timed(lambda: read_all(app, page_size))
        compared, library_time = timed(lambda: read_all(library, page_size, limit=compare_events))
        _, orjson_time = timed(lambda: read_all(app, page_size, limit=compare_events))
    finally:
        library.close()
        app.close()
    if events != read_only:
        raise RuntimeError("the store changed while it was read")
    return DecodeResult(
        events=events,
        page_size=page_size,
        seconds=took.wall,
        cpu_seconds=took.cpu,
        read_only_seconds=read_time.wall,
        compared_events=compared,
        library_seconds=library_time.cpu,
        orjson_seconds=orjson_time.cpu,
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
    print_table(
        f"Decoding the first {result.compared_events:,} notifications: transcoder before/after",
        ["transcoder", "cpu s", "events/s (cpu)", "x library"],
        [
            ["eventsourcing JSONTranscoder (json module)", result.library_seconds,
             rate(result.compared_events, result.library_seconds), 1.0],
            ["OrjsonTranscoder (ours)", result.orjson_seconds,
             rate(result.compared_events, result.orjson_seconds), result.transcoder_speedup],
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
