"""Request ids, the JSON request log and `/metrics` (issue #20).

A request's id comes from `X-Request-ID` or is made, goes back in the response, and is
kept in every event the request recorded; each request leaves one JSON line without
any token; `/metrics` is for an admin unless `LOFTEN_METRICS_PUBLIC=true`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import orjson
import pytest

from api.observability import (
    JsonLineFormatter,
    _LineWriter,
    command_outcome,
    request_id_from,
    request_log,
)
from api.schemas.dialogues import NewObservation
from infra.request_context import request_id_of
from tests.support.api import (
    BUILDER,
    MALMO,
    TODAY,
    Api,
    api_settings,
    dialogue_body,
    observation_body,
    promise_body,
    start_api,
)
from tests.support.polling import eventually
from workflow.clock import FakeClock


class Lines(logging.Handler):
    """The request log's records, as the JSON lines the server writes."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[dict[str, object]] = []
        self.text: list[str] = []
        self.formatter = JsonLineFormatter()

    def emit(self, record: logging.LogRecord) -> None:
        text = self.format(record)
        self.text.append(text)
        self.lines.append(orjson.loads(text))


@pytest.fixture
def lines() -> Iterator[Lines]:
    handler = Lines()
    request_log.addHandler(handler)
    yield handler
    request_log.removeHandler(handler)


def events_of(api: Api) -> list[object]:
    app = api.loftesboken
    notifications = app.recorder.select_notifications(start=1, limit=10_000)
    return [app.mapper.to_domain_event(n) for n in notifications]


def test_a_given_request_id_is_returned_and_kept_in_the_events_recorded(
    api: Api, lines: Lines
) -> None:
    before = api.event_count()
    response = api.post(
        "/api/v1/dialogues", dialogue_body(), "police", **{"X-Request-ID": "rende-1"}
    )
    assert response.status_code == 201, response.text
    assert response.headers["x-request-id"] == "rende-1"
    recorded = events_of(api)[before:]
    assert recorded and all(request_id_of(event) == "rende-1" for event in recorded)
    line = next(line for line in lines.lines if line["request_id"] == "rende-1")
    assert line["method"] == "POST"
    assert line["route"] == "/api/v1/dialogues"
    assert line["status"] == 201
    assert line["actor_role"] == "police"
    assert isinstance(line["duration_ms"], float)
    assert not any(api.secrets["police"] in text for text in lines.text)
    assert not any("Bearer" in text or "title" in text for text in lines.text)


def test_the_request_id_stays_out_of_what_the_audit_trail_shows(api: Api) -> None:
    response = api.post("/api/v1/dialogues", dialogue_body(), "police", **{"X-Request-ID": "r-7"})
    assert response.status_code == 201, response.text
    trail = api.get("/api/v1/municipalities/1280/audit", "auditor")
    assert trail.status_code == 200, trail.text
    assert "r-7" not in trail.text and "_request_" not in trail.text


def test_a_request_without_a_usable_id_gets_a_new_one(api: Api) -> None:
    made = api.client.get("/healthz").headers["x-request-id"]
    refused = api.client.get("/healthz", headers={"X-Request-ID": "no spaces allowed"})
    assert len(made) == 32 and made != refused.headers["x-request-id"]
    assert refused.headers["x-request-id"] != "no spaces allowed"


def test_events_recorded_outside_a_request_carry_no_request_id(api: Api) -> None:
    api.dialogue()
    assert request_id_of(events_of(api)[-1]) is None


def sample(text: str, name: str) -> float:
    """The value of the sample `name{labels}` in a metrics page (0 if absent).

    Counters are the process's, shared by every app a test run makes: tests compare
    a value before and after what they do."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


CREATED = 'loften_http_requests_total{method="POST",route="/api/v1/dialogues",status="201"}'


def test_metrics_need_an_admin_token(api: Api) -> None:
    assert api.get("/metrics").status_code == 401
    assert api.get("/metrics", "auditor").status_code == 403
    before = api.get("/metrics", "admin").text
    api.post("/api/v1/dialogues", dialogue_body(), "police")
    api.post("/api/v1/dialogues", {"title": ""}, "police")
    response = api.get("/metrics", "admin")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert sample(text, CREATED) == sample(before, CREATED) + 1
    recorded = 'loften_commands_total{outcome="recorded"}'
    assert sample(text, recorded) == sample(before, recorded) + 1
    assert 'loften_http_request_duration_seconds_bucket{le="0.005",method="POST"' in text
    assert 'loften_commands_total{outcome="recorded"}' in text
    assert 'loften_commands_total{outcome="invalid"}' in text
    assert 'loften_projection_lag_events{view="catalogue"}' in text
    assert 'loften_projection_lag_seconds{view="catalogue"}' in text


def test_metrics_show_overdue_follow_ups_per_municipality(api: Api) -> None:
    promise = api.promise(state="issued")
    api.app.state.clock.advance(timedelta(days=400))
    api.app.state.deadline_watcher.check()
    api.app.state.projections.read_your_writes()
    text = api.get("/metrics", "admin").text
    overdue = [line for line in text.splitlines() if line.startswith("loften_overdue_follow_ups{")]
    assert overdue, (promise, text)
    assert overdue[0].startswith('loften_overdue_follow_ups{municipality="1280"}')
    assert float(overdue[0].split()[-1]) >= 1


def test_metrics_are_public_when_the_settings_say_so(tmp_path: Path) -> None:
    settings = api_settings(tmp_path).model_copy(update={"metrics_public": True})
    for api in start_api(settings, FakeClock(TODAY)):
        assert api.get("/metrics").status_code == 200


@pytest.mark.parametrize(
    ("status", "replayed", "contention", "outcome"),
    [
        (201, False, False, "recorded"),
        (201, True, False, "replayed"),
        (409, False, False, "refused"),
        (409, False, True, "conflict"),
        (412, False, False, "conflict"),
        (422, False, False, "invalid"),
        (500, False, False, "failed"),
    ],
)
def test_command_outcomes(status: int, replayed: bool, contention: bool, outcome: str) -> None:
    assert command_outcome(status, replayed, contention) == outcome


def test_a_promise_history_shows_the_request_that_recorded_each_event(api: Api) -> None:
    issue = api.issue()
    response = api.post(
        "/api/v1/promises",
        promise_body([MALMO], [issue["id"]]),
        "police",
        **{"X-Request-ID": "draft-42"},
    )
    assert response.status_code == 201, response.text
    history = api.get(f"/api/v1/promises/{response.json()['id']}/history", "auditor").json()
    assert {item["request_id"] for item in history["items"]} == {"draft-42"}
    assert "draft-42" not in str(history["items"][0]["data"])


def test_an_id_past_the_contract_limits_is_replaced() -> None:
    assert request_id_from({"headers": [(b"x-request-id", b"a" * 64)]}) == "a" * 64
    assert request_id_from({"headers": [(b"x-request-id", b"a" * 65)]}) != "a" * 65
    assert request_id_from({"headers": [(b"x-request-id", b"a:b")]}) != "a:b"


def _commands(api: Api) -> dict[str, float]:
    scrape = api.client.get("/metrics", headers=api.headers("admin")).text
    counts: dict[str, float] = {}
    for line in scrape.splitlines():
        if line.startswith("loften_commands_total{"):
            outcome = line.split('outcome="', 1)[1].split('"', 1)[0]
            counts[outcome] = float(line.rsplit(" ", 1)[1])
    return counts


def test_a_lost_race_the_workflow_retried_is_counted_as_conflict_retried(
    api: Api, store: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infra.bootstrap import open_application
    from workflow.turns import WriteTurns

    dialogue = api.dialogue(observations=0)
    app = api.loftesboken
    # A rival that takes no turns: only then can it write between our load and our save.
    rival = open_application(api_settings(store), clock)
    rival.turns = WriteTurns(recorder=None)
    save = app.save

    def save_after_rival(*aggregates: object, **kwargs: object) -> object:
        new = NewObservation.model_validate(observation_body()).to_domain()
        rival.record_observations(UUID(dialogue["id"]), [new], actor=BUILDER)
        monkeypatch.setattr(app, "save", save)  # the retry saves for real
        return save(*aggregates, **kwargs)

    before = _commands(api)
    monkeypatch.setattr(app, "save", save_after_rival)
    try:
        response = api.post(
            f"/api/v1/dialogues/{dialogue['id']}/observations",
            {"observations": [observation_body()]},
        )
    finally:
        rival.close()
    assert response.status_code == 201, response.text
    after = _commands(api)
    assert after.get("conflict_retried", 0) - before.get("conflict_retried", 0) == 1
    assert after["recorded"] - before.get("recorded", 0) == 1
    assert len(api.loftesboken.get_dialogue(UUID(dialogue["id"])).observations) == 2


class Written:
    """A stream that keeps what was written to it, and how many writes it took."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_the_line_writer_writes_what_the_formatter_would_one_line_each() -> None:
    stream = Written()
    writer = _LineWriter(stream)
    fields: dict[str, object] = {"method": "POST", "route": "/api/v1/dialogues", "status": 201}
    for n in range(50):
        writer.put({**fields, "request_id": str(n)})
    eventually(lambda: "".join(stream.writes).count("\n") == 50, "50 lines written")
    lines = [orjson.loads(text) for text in "".join(stream.writes).splitlines()]
    assert [line["request_id"] for line in lines] == [str(n) for n in range(50)]
    record = logging.LogRecord("loften.requests", logging.INFO, "", 0, "request", None, None)
    record.request = {**fields, "request_id": "0"}
    formatted = orjson.loads(JsonLineFormatter().format(record))
    assert lines[0].keys() == formatted.keys()
    assert {k: v for k, v in lines[0].items() if k != "time"} == {
        k: v for k, v in formatted.items() if k != "time"
    }
    assert lines[0]["time"].endswith("Z") and len(lines[0]["time"]) == len(formatted["time"])
