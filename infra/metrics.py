"""What `/metrics` shows, in Prometheus's text format (the `prometheus-client` library).

Two kinds of metric, and where to add one:

* Counted in this process as things happen (requests, commands): a `Counter` or
  `Histogram` made here with `registry=None` and listed in `PROCESS_METRICS`. Cheap
  to update on the request path (a lock and an addition).
* Read from the store when scraped (projection lag, overdue follow-ups): a function
  in `STORE_METRICS` that takes the `Runtime` and yields metric families. Use this for
  whatever another process (`loften worker`) does: the API process that answers the
  scrape then reports it from what that process recorded.

Each app gets its own registry (`registry_for`), so tests may make many apps.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from projections.lists import overdue_by_municipality
from workflow.aggregates import RETRY_OBSERVERS

if TYPE_CHECKING:
    from infra.background import Runtime

#: prometheus-client's own variable: the directory the processes of one deployment share.
MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"

#: Requests answered, by route template (`/api/v1/promises/{promise_id}`), not raw path.
REQUESTS = Counter(
    "loften_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
    registry=None,
)
REQUEST_SECONDS = Histogram(
    "loften_http_request_duration_seconds",
    "Time from a request's arrival to the end of its response, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=None,
)
#: Write requests by outcome: recorded, refused (a rule of the process, 409),
#: conflict (If-Match no longer holds, 412, or too much contention, 409 with Retry-After),
#: invalid (4xx before any rule was asked); and, once per lost race the workflow retried
#: (a command may retry and then be recorded), conflict_retried.
COMMANDS = Counter(
    "loften_commands",
    "Write requests (commands) by outcome: recorded, refused, conflict, invalid, failed; "
    "conflict_retried counts each lost race a command retried.",
    ["outcome"],
    registry=None,
)
RETRY_OBSERVERS.append(COMMANDS.labels(outcome="conflict_retried").inc)

#: Deadline reminders by outcome, counted in the process that sends them (the single
#: `loften serve`, or the `loften worker`): sent, recorded (no mail server set), failed.
REMINDERS = Counter(
    "loften_reminders",
    "Deadline reminders by outcome: sent, recorded (no LOFTEN_SMTP_URL), failed (retried).",
    ["outcome"],
    registry=None,
)

PROCESS_METRICS: list[Collector] = [REQUESTS, REQUEST_SECONDS, COMMANDS, REMINDERS]

StoreMetrics = Callable[["Runtime"], Iterable[Metric]]


def projection_lag(runtime: Runtime) -> Iterator[Metric]:
    """Per view: how many events it has still to apply, and how long the oldest has waited."""
    events = GaugeMetricFamily(
        "loften_projection_lag_events",
        "Events in the store a view has not applied yet.",
        labels=["view"],
    )
    seconds = GaugeMetricFamily(
        "loften_projection_lag_seconds",
        "Age of the oldest event a view has not applied yet (0 when it holds every event).",
        labels=["view"],
    )
    projections = runtime.projections
    head = projections.head()
    app = runtime.loftesboken
    now = time.time()
    for name, position in sorted(projections.positions().items()):
        behind = max(0, head - position)
        events.add_metric([name], behind)
        age = 0.0
        if behind:
            oldest = app.recorder.select_notifications(start=position + 1, limit=1)
            if oldest:
                recorded: datetime = getattr(app.mapper.to_domain_event(oldest[0]), "timestamp")  # noqa: B009
                age = max(0.0, now - recorded.timestamp())
        seconds.add_metric([name], age)
    yield events
    yield seconds


def overdue_follow_ups(runtime: Runtime) -> Iterator[Metric]:
    """Overdue follow-ups of issued promises, per municipality, as the views hold them."""
    family = GaugeMetricFamily(
        "loften_overdue_follow_ups",
        "Follow-ups of issued promises past their due date and not done, by municipality.",
        labels=["municipality"],
    )
    for code, count in sorted(overdue_by_municipality(runtime.projections.catalogue).items()):
        family.add_metric([code], count)
    yield family


STORE_METRICS: list[StoreMetrics] = [projection_lag, overdue_follow_ups]


class StoreCollector(Collector):
    """The `STORE_METRICS`, read at each scrape for one runtime."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterator[Metric]:
        for metrics in STORE_METRICS:
            yield from metrics(self.runtime)


def registry_for(runtime: Runtime) -> CollectorRegistry:
    """A registry of the counters and the store's metrics for `runtime`.

    Under `loften serve --workers N` (`PROMETHEUS_MULTIPROC_DIR` set before any process
    imported `prometheus_client`) every process writes its counts to files in that
    directory, and the process answering a scrape reports the sum of all of them, its
    worker's too, so one scrape of the balanced address sees the whole deployment.
    """
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get(MULTIPROCESS_DIRECTORY):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        for collector in PROCESS_METRICS:
            registry.register(collector)
    registry.register(StoreCollector(runtime))
    return registry
