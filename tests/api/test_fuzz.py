"""Fuzzing every write endpoint with bodies that reach the rules, and checking what it records.

Each example builds its own target state (a dialogue, an issue, a draft, a signed draft,
an issued promise whose follow-ups are due, ...) so that no earlier example closes the
paths of a later one, draws a body from the endpoint's request schema with ids, dates and
codes that fit that state (a small share broken on purpose), and checks properties:

- no answer is a 5xx, and every refusal is `application/problem+json`;
- a 4xx records nothing: the aggregate's version and the store's last notification id
  are what they were;
- a 2xx answers the documented status and records exactly the events its command names,
  all on the one aggregate, whose version moves by their number;
- the same request again with the same `Idempotency-Key` answers the same body and
  records nothing more.

`hypothesis.event` tags each example with its outcome (2xx, 409, 422, other), so
`pytest --hypothesis-show-statistics` shows how far the bodies got.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from api.app import create_app
from domain.values import (
    ActivityInput,
    DialogueKind,
    ObservationInput,
    Party,
    Responsible,
    SourceEvidence,
    SourceType,
    Theme,
)
from tests.api.schema_bodies import BodyStrategies, dates_around, malformed, request_bodies
from tests.support.api import (
    ADMIN_SECRET,
    BUILDER,
    LUND,
    MALMO,
    SUMMARY_LINES,
    TODAY,
    api_settings,
)
from workflow.application import Loftesboken
from workflow.clock import FakeClock

EXAMPLES_PER_ENDPOINT = 20
#: One body in this many is broken on purpose.
MALFORMED_ONE_IN = 10

OPENAPI: dict[str, Any] = create_app(api_settings(Path(tempfile.gettempdir()))).openapi()
BODIES = request_bodies(OPENAPI)
# AddEvidence is one flat object whose either/or (a dialogue, or a source and a reference)
# only its validator knows; an issue's evidence items say it in the schema, so draw those.
BODIES["/api/v1/issues/{issue_id}/evidence"] = OPENAPI["components"]["schemas"]["IdentifyIssue"][
    "properties"
]["evidence"]["items"]
STRATEGIES = BodyStrategies(OPENAPI)
DATE_FIELDS = (
    "held_on", "identified_on", "starts_on", "ends_on", "due_on", "signed_on", "issued_on",
    "published_on", "concluded_on", "expires_on",
)  # fmt: skip


@dataclass
class Target:
    """The state one example writes to: the path's ids, the aggregate, values that fit."""

    path_ids: dict[str, UUID] = field(default_factory=dict)
    aggregate_id: UUID | None = None
    anchors: list[date] = field(default_factory=lambda: [TODAY])
    #: Dates that fit one date field best (else `anchors`).
    dates: dict[str, list[date]] = field(default_factory=dict)
    dialogues: list[UUID] = field(default_factory=list)
    observations: list[UUID] = field(default_factory=list)
    prioritised: list[UUID] = field(default_factory=list)
    other_issues: list[UUID] = field(default_factory=list)
    activities: list[UUID] = field(default_factory=list)
    follow_ups: list[UUID] = field(default_factory=list)

    def pools(self) -> dict[str, st.SearchStrategy[Any]]:
        """Strategies for the fields whose worth depends on what exists."""

        def ids(known: list[UUID]) -> st.SearchStrategy[str]:
            # Mostly an id of the state, now and then one that names nothing.
            if not known:
                return st.uuids().map(str)
            return st.one_of(*[st.sampled_from(known)] * 9, st.uuids()).map(str)

        addresses = st.lists(
            st.sampled_from(self.prioritised) if self.prioritised else st.uuids(),
            min_size=1,
            max_size=2,
            unique=True,
        )
        if self.other_issues:
            unfit = st.lists(st.sampled_from(self.other_issues), min_size=1)
            addresses = st.one_of(*[addresses] * 4, unfit)
        dates = {
            name: dates_around(*self.dates.get(name, self.anchors)).map(date.isoformat)
            for name in DATE_FIELDS
        }
        return {
            **dates,
            "municipality": st.sampled_from([MALMO, MALMO, MALMO, MALMO, LUND]),
            "municipalities": st.sampled_from([[MALMO], [MALMO], [MALMO], [MALMO, LUND]]),
            "dialogue_id": ids(self.dialogues),
            "observation_id": ids(self.observations),
            "activity_id": ids(self.activities),
            "addresses": addresses.map(lambda found: [str(i) for i in found]),
        }


def held_dialogue(app: Loftesboken, target: Target) -> UUID:
    dialogue = app.hold_dialogue(
        municipality=MALMO,
        kind=DialogueKind.SAFETY_WALK,
        held_on=date(2025, 2, 4),
        title="Trygghetsvandring i Lindängen",
        participants=23,
        actor=BUILDER,
    )
    observation = ObservationInput(theme=Theme.DRUGS, summary="Langning vid torget.", count=3)
    dialogue, (observation_id,) = app.record_observations(dialogue.id, [observation], actor=BUILDER)
    target.dialogues.append(dialogue.id)
    target.observations.append(observation_id)
    target.anchors.append(date(2025, 2, 4))
    return dialogue.id


def identified_issue(app: Loftesboken, target: Target, *, prioritised: bool) -> UUID:
    issue = app.identify_issue(
        municipality=MALMO,
        title="Otrygg gångtunnel",
        theme=Theme.PUBLIC_ENVIRONMENT,
        description="Många undviker tunneln.",
        evidence=[SourceEvidence(SourceType.STATISTICS, "BRÅ 2024")],
        identified_on=date(2025, 2, 6),
        actor=BUILDER,
    )
    if prioritised:
        app.prioritise_issue(issue.id, priority=1, rationale="Viktigt.", actor=BUILDER)
        target.prioritised.append(issue.id)
    else:
        target.other_issues.append(issue.id)
    target.anchors.append(date(2025, 2, 6))
    return issue.id


def promise(app: Loftesboken, target: Target, *, state: str, past: bool = False) -> UUID:
    """A promise in `state`: draft, signed, issued or final_done; a `past` one ran in 2024,
    so every follow-up of it is due."""
    year = 2024 if past else 2025
    starts_on, ends_on = date(year, 1, 1), date(year, 12, 31)
    signed_on, issued_on = date(year, 1, 10), date(year, 1, 15) if past else TODAY
    issue = identified_issue(app, target, prioritised=True)
    activity = ActivityInput(
        description="Trygghetsvandringar.",
        responsible=Responsible.POLICE,
        responsible_name=None,
        due_on=date(year, 10, 31),
    )
    drafted = app.draft_promise(
        municipalities=[MALMO],
        police_district="LPO Malmö Söder",
        starts_on=starts_on,
        ends_on=ends_on,
        title="Medborgarlöfte",
        text="Polisen och kommunen lovar att ...",
        addresses=[issue],
        activities=[activity],
        actor=BUILDER,
    )
    promise_id = drafted.id
    target.anchors += [starts_on, ends_on, signed_on, date(year, 10, 31)]
    target.dates["starts_on"] = [starts_on, date(year, 3, 1)]
    target.dates["ends_on"] = [ends_on, date(year + 1, 12, 31)]
    target.dates["signed_on"] = [signed_on, date(year, 1, 12)]
    target.dates["issued_on"] = [issued_on, signed_on]
    target.dates["due_on"] = [date(year, 6, 30), date(year, 10, 31)]
    target.dates["published_on"] = target.dates["held_on"] = [issued_on, TODAY]
    if state != "draft":
        for party, code in ((Party.POLICE, None), (Party.MUNICIPALITY, MALMO)):
            app.sign_promise(
                promise_id,
                party=party,
                municipality=code,
                name="Anna",
                title="Chef",
                signed_on=signed_on,
                actor=BUILDER,
            )
    if state in ("issued", "final_done"):
        app.issue_promise(promise_id, issued_on=issued_on, actor=BUILDER)
        target.anchors.append(issued_on)
    current = app.get_promise(promise_id)
    if state == "final_done":
        final = current.final_follow_up
        assert final is not None
        held_on = max(final.due_on, TODAY) if not past else final.due_on
        app.record_follow_up(
            promise_id, final.id, held_on=held_on, summary="Klart.", activities=[], actor=BUILDER
        )
        target.anchors.append(held_on)
        target.dates["concluded_on"] = [held_on, TODAY]
        current = app.get_promise(promise_id)
    target.activities += list(current.activities)
    target.follow_ups += [f.id for f in current.follow_ups.values() if f.status.value != "done"]
    target.anchors += [f.due_on for f in current.follow_ups.values()]
    target.dates["due_on"] += [f.due_on for f in current.follow_ups.values()]
    return promise_id


Builder = Callable[[Loftesboken, Target], None]


def _on(kind: str, build: Callable[[Loftesboken, Target], UUID]) -> Builder:
    def builder(app: Loftesboken, target: Target) -> None:
        target.aggregate_id = target.path_ids[kind] = build(app, target)

    return builder


def _draft(state: str, past: bool = False) -> Builder:
    return _on("promise_id", lambda app, t: promise(app, t, state=state, past=past))


def _nothing(app: Loftesboken, target: Target) -> None:
    return None


def _for_issue(app: Loftesboken, target: Target) -> None:
    held_dialogue(app, target)
    identified_issue(app, target, prioritised=True)
    identified_issue(app, target, prioritised=False)
    target.dates["starts_on"] = [date(2025, 1, 1), date(2025, 3, 1)]
    target.dates["ends_on"] = [date(2025, 12, 31), date(2026, 12, 31)]
    target.dates["due_on"] = [date(2025, 6, 30), date(2025, 10, 31)]


def _issue(prioritised: bool) -> Builder:
    def builder(app: Loftesboken, target: Target) -> None:
        held_dialogue(app, target)
        issue = identified_issue(app, target, prioritised=prioritised)
        target.aggregate_id = target.path_ids["issue_id"] = issue

    return builder


def _observed(app: Loftesboken, target: Target) -> None:
    target.aggregate_id = target.path_ids["dialogue_id"] = held_dialogue(app, target)
    target.path_ids["observation_id"] = target.observations[0]


def _recorded_follow_up(app: Loftesboken, target: Target) -> None:
    """A promise whose final follow-up is recorded: the one a correction may name."""
    promise_id = promise(app, target, state="final_done", past=True)
    target.aggregate_id = target.path_ids["promise_id"] = promise_id
    done = [f for f in app.get_promise(promise_id).follow_ups.values() if f.held_on]
    target.follow_ups = [f.id for f in done]
    target.dates["held_on"] = [f.held_on for f in done if f.held_on is not None]


def _with_feedback(app: Loftesboken, target: Target) -> None:
    promise_id = promise(app, target, state="issued", past=True)
    _, feedback_id = app.publish_feedback(
        promise_id, published_on=TODAY, channel="Webb", summary="S", actor=BUILDER
    )
    target.aggregate_id = target.path_ids["promise_id"] = promise_id
    target.path_ids["feedback_id"] = feedback_id


#: Each write endpoint's target states (one is drawn per example); an endpoint not named
#: here gets every kind of aggregate, so a new endpoint is fuzzed before it is listed.
STATES: dict[str, list[Builder]] = {
    "/api/v1/dialogues": [_nothing],
    "/api/v1/dialogues/{dialogue_id}/observations": [_on("dialogue_id", held_dialogue)],
    "/api/v1/dialogues/{dialogue_id}/erasure": [_on("dialogue_id", held_dialogue)],
    "/api/v1/issues": [_for_issue],
    "/api/v1/issues/{issue_id}/evidence": [_issue(False), _issue(True)],
    "/api/v1/issues/{issue_id}/prioritisation": [_issue(False), _issue(True)],
    "/api/v1/issues/{issue_id}/rejection": [_issue(False), _issue(True)],
    "/api/v1/promises": [_for_issue],
    "/api/v1/promises/{promise_id}/activities": [_draft("draft"), _draft("signed")],
    "/api/v1/promises/{promise_id}/signatures": [_draft("draft"), _draft("signed")],
    "/api/v1/promises/{promise_id}/issuance": [*[_draft("signed")] * 3, _draft("draft")],
    "/api/v1/promises/{promise_id}/follow-ups/{follow_up_id}": [
        _draft("issued", past=True),
        _draft("issued"),
    ],
    "/api/v1/promises/{promise_id}/follow-ups/{follow_up_id}/rescheduling": [
        _draft("issued"),
        _draft("issued", past=True),
    ],
    "/api/v1/promises/{promise_id}/feedback": [_draft("issued"), _draft("issued", past=True)],
    "/api/v1/promises/{promise_id}/conclusion": [
        _draft("final_done", past=True),
        _draft("final_done", past=True),
        _draft("issued", past=True),
    ],
    "/api/v1/promises/{promise_id}/withdrawal": [_draft("draft"), _draft("issued")],
    "/api/v1/tokens": [_nothing],
    "/api/v1/dialogues/{dialogue_id}/correction": [_on("dialogue_id", held_dialogue)],
    "/api/v1/dialogues/{dialogue_id}/observations/{observation_id}/correction": [_observed],
    "/api/v1/dialogues/{dialogue_id}/observations/{observation_id}/retraction": [_observed],
    "/api/v1/issues/{issue_id}/correction": [_issue(False), _issue(True)],
    "/api/v1/promises/{promise_id}/amendment": [_draft("draft"), _draft("signed")],
    "/api/v1/promises/{promise_id}/follow-ups/{follow_up_id}/correction": [_recorded_follow_up],
    "/api/v1/promises/{promise_id}/feedback/{feedback_id}/correction": [_with_feedback],
}


def _everything(app: Loftesboken, target: Target) -> None:
    """For an endpoint not in STATES: one aggregate of each kind, in a state with parts."""
    target.path_ids["dialogue_id"] = held_dialogue(app, target)
    target.path_ids["observation_id"] = target.observations[0]
    target.path_ids["issue_id"] = identified_issue(app, target, prioritised=False)
    promise_id = promise(app, target, state="issued", past=True)
    feedback = app.publish_feedback(
        promise_id, published_on=TODAY, channel="Webb", summary="S", actor=BUILDER
    )
    target.path_ids["promise_id"] = promise_id
    target.path_ids["feedback_id"] = feedback[1]
    target.path_ids["activity_id"] = target.activities[0]


def _named(events: list[str]) -> Callable[[Any, Any], Counter[str]]:
    return lambda body, answer: Counter(events)


#: The events each command names, from its body and its answer (order aside).
EXPECTED: dict[str, Callable[[Any, Any], Counter[str]]] = {
    "/api/v1/dialogues": _named(["DialogueHeld"]),
    "/api/v1/dialogues/{dialogue_id}/observations": lambda body, answer: Counter(
        {"ObservationRecorded": len(body["observations"])}
    ),
    "/api/v1/dialogues/{dialogue_id}/erasure": _named(["PersonalDataErased"]),
    "/api/v1/issues": _named(["IssueIdentified"]),
    "/api/v1/issues/{issue_id}/evidence": _named(["EvidenceAdded"]),
    "/api/v1/issues/{issue_id}/prioritisation": _named(["IssuePrioritised"]),
    "/api/v1/issues/{issue_id}/rejection": _named(["IssueRejected"]),
    "/api/v1/promises": lambda body, answer: Counter(
        {"PromiseDrafted": 1, "ActivityPlanned": len(body.get("activities", []))}
    ),
    "/api/v1/promises/{promise_id}/activities": _named(["ActivityPlanned"]),
    "/api/v1/promises/{promise_id}/signatures": _named(["PromiseSigned"]),
    "/api/v1/promises/{promise_id}/issuance": lambda body, answer: Counter(
        {"PromiseIssued": 1, "FollowUpScheduled": len(answer["follow_ups"])}
    ),
    "/api/v1/promises/{promise_id}/follow-ups/{follow_up_id}": _named(["FollowUpRecorded"]),
    "/api/v1/promises/{promise_id}/follow-ups/{follow_up_id}/rescheduling": _named(
        ["FollowUpRescheduled"]
    ),
    "/api/v1/promises/{promise_id}/feedback": _named(["FeedbackPublished"]),
    "/api/v1/promises/{promise_id}/withdrawal": _named(["PromiseWithdrawn"]),
    "/api/v1/tokens": _named([]),
    "/api/v1/dialogues/{dialogue_id}/correction": _named(["DialogueCorrected"]),
    "/api/v1/dialogues/{dialogue_id}/observations/{observation_id}/correction": _named(
        ["ObservationCorrected"]
    ),
    "/api/v1/dialogues/{dialogue_id}/observations/{observation_id}/retraction": _named(
        ["ObservationRetracted"]
    ),
    "/api/v1/issues/{issue_id}/correction": _named(["IssueCorrected"]),
    "/api/v1/promises/{promise_id}/amendment": _named(["PromiseAmended"]),
    "/api/v1/promises/{promise_id}/follow-ups/{follow_up_id}/correction": _named(
        ["FollowUpCorrected"]
    ),
    "/api/v1/promises/{promise_id}/feedback/{feedback_id}/correction": _named(
        ["FeedbackCorrected"]
    ),
}


def _signature(body: dict[str, Any]) -> dict[str, Any]:
    """A municipality signature names its municipality and no other signature does: a
    rule between two fields that the schema cannot say."""
    fitting = {key: value for key, value in body.items() if key != "municipality"}
    if body["party"] == "municipality":
        fitting["municipality"] = body.get("municipality", MALMO)
    return fitting


def _token(body: dict[str, Any]) -> dict[str, Any]:
    """Police and municipality tokens act for municipalities; admin and auditor ones not."""
    fitting = {key: value for key, value in body.items() if key != "municipalities"}
    if body["role"] in ("police", "municipality"):
        fitting["municipalities"] = body.get("municipalities") or [MALMO]
    return fitting


def _dated_correction(body: dict[str, Any]) -> dict[str, Any]:
    """A correction names a field besides its reason, and a date people give is not in the
    future: rules the schema cannot say."""
    fitting = {
        key: value
        for key, value in body.items()
        if not (key.endswith("_on") and isinstance(value, str) and value > TODAY.isoformat())
    }
    if set(fitting) <= {"reason"}:
        fitting["summary"] = "Rättad sammanfattning."
    return fitting


#: Bodies made to keep the rules between fields that the schemas do not express
#: (applied to most bodies; the rest go as drawn).
FITTED: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "/api/v1/promises/{promise_id}/signatures": _signature,
    "/api/v1/tokens": _token,
    "/api/v1/promises/{promise_id}/follow-ups/{follow_up_id}/correction": _dated_correction,
    "/api/v1/promises/{promise_id}/feedback/{feedback_id}/correction": _dated_correction,
}


def documented_success(path: str) -> int:
    responses = OPENAPI["paths"][path]["post"]["responses"]
    return min(int(code) for code in responses if code.startswith("2"))


def outcome(status: int) -> str:
    if 200 <= status < 300:
        return "2xx"
    return str(status) if status in (409, 422) else "other"


@pytest.fixture(scope="module")
def totals(request: pytest.FixtureRequest) -> Iterator[Counter[str]]:
    """Every endpoint's outcomes, added up and printed once the module is done."""
    counted: Counter[str] = Counter()
    yield counted
    total = sum(counted.values())
    if total:
        shares = ", ".join(
            f"{name} {counted[name]} ({100 * counted[name] / total:.0f}%)"
            for name in ("2xx", "409", "422", "other")
        )
        request.config.stash.setdefault(SUMMARY_LINES, []).append(
            f"fuzzed writes: {total} requests: {shares}"
        )


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app, with no background work: nothing but the requests writes events."""
    settings = api_settings(tmp_path_factory.mktemp("fuzz"))
    with TestClient(create_app(settings, FakeClock(TODAY), services=())) as test_client:
        yield test_client


def last_notification(app: Loftesboken) -> int:
    return int(app.recorder.max_notification_id() or 0)


def recorded_since(app: Loftesboken, position: int) -> list[tuple[UUID, int, str]]:
    """(aggregate, version, event name) of every event stored after `position`."""
    notifications = app.recorder.select_notifications(start=position + 1, limit=10_000)
    return [
        (UUID(str(n.originator_id)), n.originator_version, n.topic.rsplit(".", 1)[-1])
        for n in notifications
    ]


def version_of(app: Loftesboken, aggregate_id: UUID | None) -> int | None:
    if aggregate_id is None:
        return None
    return int(app.repository.get(aggregate_id).version)


@pytest.mark.parametrize("path", sorted(BODIES))
def test_a_write_records_what_its_answer_says(
    client: TestClient, totals: Counter[str], path: str
) -> None:
    app: Loftesboken = client.app.state.loftesboken  # type: ignore[attr-defined]
    headers = {"Authorization": f"Bearer {ADMIN_SECRET}", "Content-Type": "application/json"}
    outcomes: Counter[str] = Counter()
    refusals: Counter[str] = Counter()

    @settings(
        max_examples=EXAMPLES_PER_ENDPOINT,
        deadline=None,
        database=None,
        # In CI the same examples every run, so a red build can be reproduced and is never
        # luck of the draw; on a developer's machine new ones each run, to find more.
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def writes_as_answered(data: st.DataObject) -> None:
        target = Target()
        build = data.draw(st.sampled_from(STATES.get(path, [_everything])), "state")
        build(app, target)
        concrete = path
        for name, value in target.path_ids.items():
            concrete = concrete.replace("{" + name + "}", str(value))
        if "{follow_up_id}" in concrete:
            chosen = data.draw(st.sampled_from(target.follow_ups), "follow-up")
            concrete = concrete.replace("{follow_up_id}", str(chosen))
        assert "{" not in concrete, f"no target state names the ids of {path}"
        body = data.draw(STRATEGIES.valid(BODIES[path], target.pools()), "body")
        if path in FITTED and data.draw(st.integers(1, 10), "fitted?") != 5:
            body = FITTED[path](body)
        # Not an end of the range: Hypothesis draws those far more often than the rest.
        broken = data.draw(st.integers(1, MALFORMED_ONE_IN), "broken?") == MALFORMED_ONE_IN // 2
        raw = data.draw(malformed(body), "raw") if broken else json.dumps(body).encode()
        before, version = last_notification(app), version_of(app, target.aggregate_id)
        key = str(uuid4())

        response = client.post(concrete, content=raw, headers={**headers, "Idempotency-Key": key})

        outcomes[outcome(response.status_code)] += 1
        if response.status_code >= 400:
            problem = response.json()
            refusals[f"{response.status_code} {problem.get('errors') or problem['detail']}"] += 1
        event(f"{outcome(response.status_code)}{' (malformed)' if broken else ''}")
        assert response.status_code < 500, response.text
        recorded = recorded_since(app, before)
        if response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json"
            assert recorded == [], f"a {response.status_code} recorded {recorded}"
            assert version_of(app, target.aggregate_id) == version
            return
        assert response.status_code == documented_success(path)
        answer = response.json()
        if path == "/api/v1/tokens":
            assert recorded == []
        else:
            assert len({aggregate for aggregate, _, _ in recorded}) == 1, recorded
            aggregate_id = recorded[0][0]
            assert target.aggregate_id in (None, aggregate_id)
            assert answer["id"] == str(aggregate_id)
            assert (
                answer["version"] == version_of(app, aggregate_id) == (version or 0) + len(recorded)
            )
            names = Counter(name for _, _, name in recorded)
            if path in EXPECTED:
                assert names == EXPECTED[path](body, answer), (names, body)
            elif path.endswith("/conclusion"):
                assert names["PromiseConcluded"] == 1
                assert set(names) <= {"PromiseConcluded", "FollowUpOverdue"}
        if path == "/api/v1/tokens":
            return  # a token's secret is never stored, so its creation is never replayed
        replay = client.post(concrete, content=raw, headers={**headers, "Idempotency-Key": key})
        assert replay.status_code == response.status_code
        assert replay.json() == answer
        assert replay.headers.get("Idempotent-Replayed") == "true"
        assert last_notification(app) == before + len(recorded)

    writes_as_answered()
    totals.update(outcomes)
    # The bodies reach past validation: most take effect, and refusals are the exception.
    assert outcomes["2xx"] >= EXAMPLES_PER_ENDPOINT // 10, (outcomes, refusals.most_common(8))
