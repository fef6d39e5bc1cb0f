"""Property: no generated body, however odd, makes any write endpoint answer 5xx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from tests.api.conftest import (
    ADMIN_SECRET,
    TODAY,
    Api,
    activity_body,
    api_settings,
    dialogue_body,
    issue_body,
    observation_body,
    promise_body,
    signature_body,
    sqlite_url,
)
from workflow.clock import FakeClock

FIELDS = [
    "municipality", "municipalities", "kind", "held_on", "title", "place", "participants",
    "organisers", "observations", "theme", "summary", "count", "note", "description",
    "identified_on", "evidence", "dialogue_id", "observation_id", "source_type", "reference",
    "priority", "rationale", "reason", "police_district", "starts_on", "ends_on", "text",
    "addresses", "activities", "responsible", "responsible_name", "due_on",
    "follow_up_cadence", "party", "name", "signed_on", "issued_on", "activity_id", "status",
    "comment", "published_on", "channel", "outcome", "concluded_on", "role", "label",
]  # fmt: skip
ODD_TEXT = [
    "", " ", "\x00", "\ud800", "\udfff a", "\u202e\u200b\ufeff", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚓", "x" * 10_001,
    "y" * 201, "2025-02-10", "2025-02-30", "9999-12-31", "0001-01-01", "1280", "0000",
    "00000000-0000-0000-0000-000000000000", "NaN", "' OR 1=1 --", "<script>", "\\u0000",
]  # fmt: skip

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(ODD_TEXT)
    | st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=30)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=20,
)


def mutated(valid: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A valid body with some fields replaced, dropped or joined by unknown ones."""
    return st.builds(
        lambda replaced, dropped, extra: {
            **{k: v for k, v in valid.items() if k not in dropped},
            **replaced,
            **extra,
        },
        st.dictionaries(st.sampled_from(sorted(valid)), json_values, max_size=3),
        st.sets(st.sampled_from(sorted(valid)), max_size=2),
        st.dictionaries(st.text(max_size=6), json_values, max_size=1),
    )


@pytest.fixture(scope="module")
def targets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, dict[str, Any]]]:
    """One app with one aggregate per state, and a valid body for every write endpoint."""
    directory = tmp_path_factory.mktemp("fuzz")
    with TestClient(create_app(api_settings(sqlite_url(directory)), FakeClock(TODAY))) as client:
        api = Api(client, {"admin": ADMIN_SECRET})
        dialogue = api.dialogue()
        issue = api.issue(prioritised=False)
        draft = api.promise()
        issued = api.promise(state="issued")
        follow_up = issued["follow_ups"][0]["id"]
        p, i, d = issued["id"], issue["id"], dialogue["id"]
        bodies: dict[str, Any] = {
            "/api/v1/dialogues": dialogue_body(),
            f"/api/v1/dialogues/{d}/observations": {"observations": [observation_body()]},
            "/api/v1/issues": issue_body(evidence=[{"dialogue_id": d}]),
            f"/api/v1/issues/{i}/evidence": {"source_type": "report", "reference": "R"},
            f"/api/v1/issues/{i}/prioritisation": {"priority": 1, "rationale": "R"},
            f"/api/v1/issues/{i}/rejection": {"reason": "R"},
            "/api/v1/promises": promise_body(["1280"], [str(api.issue()["id"])]),
            f"/api/v1/promises/{draft['id']}/activities": activity_body(),
            f"/api/v1/promises/{draft['id']}/signatures": signature_body("partner"),
            f"/api/v1/promises/{draft['id']}/issuance": {"issued_on": "2025-02-10"},
            f"/api/v1/promises/{p}/follow-ups/{follow_up}": {
                "held_on": "2025-02-10",
                "summary": "S",
                "activities": [{"activity_id": issued["activities"][0]["id"], "status": "done"}],
            },
            f"/api/v1/promises/{p}/follow-ups/{follow_up}/rescheduling": {
                "due_on": "2025-05-01",
                "reason": "R",
            },
            f"/api/v1/promises/{p}/feedback": {
                "published_on": "2025-02-10",
                "channel": "C",
                "summary": "S",
            },
            f"/api/v1/promises/{p}/conclusion": {
                "outcome": "fulfilled",
                "summary": "S",
                "concluded_on": "2025-02-10",
            },
            f"/api/v1/promises/{draft['id']}/withdrawal": {"reason": "R"},
            "/api/v1/tokens": {"role": "police", "municipalities": ["1280"], "label": "L"},
        }
        yield api, bodies


@st.composite
def requests(draw: st.DrawFn, bodies: dict[str, Any]) -> tuple[str, bytes]:
    path = draw(st.sampled_from(sorted(bodies)))
    body = draw(mutated(bodies[path]) | json_values)
    raw = json.dumps(body).encode("ascii") if draw(st.booleans()) else draw(st.binary(max_size=64))
    return path, raw


def test_no_body_makes_a_write_endpoint_fail(targets: tuple[Api, dict[str, Any]]) -> None:
    api, bodies = targets

    @settings(
        max_examples=100,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(request=requests(bodies))
    def no_server_error(request: tuple[str, bytes]) -> None:
        path, raw = request
        response = api.client.post(
            path,
            content=raw,
            headers={**api.headers("admin"), "Content-Type": "application/json"},
        )
        assert response.status_code < 500, (path, raw, response.text)
        if response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json"

    no_server_error()
