"""Random sequences of commands against one municipality keep the read side honest.

A Hypothesis state machine drives the HTTP API the way a year of work would: dialogues
held, observations recorded, issues identified, prioritised or rejected, promises
drafted, signed, issued, followed up, rescheduled, given feedback, concluded or
withdrawn, the clock moving on and the deadline watcher marking what was missed.
After every step, the views kept up incrementally must equal the same views rebuilt
from the events alone, and the municipality's audit chain must verify.

Each command's body is valid in shape, so its answer is a success or a refusal under a
rule of the process (409): never a 422 and never a 5xx.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from api.app import create_app
from infra.viewstores import SQLiteViewStore
from projections.readside import Projections
from tests.support.api import ADMIN_SECRET, MALMO, TODAY, api_settings
from tests.support.views import dump_views
from workflow.clock import FakeClock

HEADERS = {"Authorization": f"Bearer {ADMIN_SECRET}"}
KINDS = ["citizen_dialogue", "staff_dialogue", "safety_walk", "survey", "other"]
THEMES = ["drugs", "violence", "youth_crime", "burglary", "traffic", "public_environment"]


class OneMunicipalitysYear(RuleBasedStateMachine):
    """Malmö's work, command by command, with the views checked against a rebuild."""

    dialogues = Bundle("dialogues")
    observations = Bundle("observations")
    issues = Bundle("issues")
    promises = Bundle("promises")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="loften-stateful-"))
        self.clock = FakeClock(TODAY)
        app = create_app(api_settings(self.folder), self.clock, services=())
        self.client = TestClient(app)
        self.client.__enter__()
        self.live: Projections = app.state.projections
        self.rebuilt = Projections(
            app.state.loftesboken, SQLiteViewStore(self.folder / "rebuilt.views.sqlite3")
        )

    def teardown(self) -> None:
        self.rebuilt.close()
        self.client.__exit__(None, None, None)

    # -- helpers ----------------------------------------------------------------------

    @property
    def today(self) -> date:
        return self.clock.now().date()

    def command(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """Send one command; its answer if it took effect, None if a rule refused it."""
        response = self.client.post(path, json=body, headers=HEADERS)
        assert response.status_code in (200, 201, 409), (path, body, response.text)
        if response.status_code == 409:
            assert response.json()["detail"], response.text
            return None
        answer: dict[str, Any] = response.json()
        return answer

    def promise(self, promise_id: str) -> dict[str, Any]:
        response = self.client.get(f"/api/v1/promises/{promise_id}", headers=HEADERS)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    # -- rules ------------------------------------------------------------------------

    @initialize(target=dialogues)
    def a_first_dialogue(self) -> str:
        answer = self.command(
            "/api/v1/dialogues",
            {
                "municipality": MALMO,
                "kind": "citizen_dialogue",
                "held_on": self.today.isoformat(),
                "title": "Medborgardialog i Rosengård",
                "participants": 40,
            },
        )
        assert answer is not None
        return str(answer["id"])

    @initialize(target=promises)
    def a_first_issued_promise(self) -> str:
        """So that the promise rules have a promise to work on from the first step."""
        dialogue = self.a_first_dialogue()
        issue = self.identify_an_issue(dialogue, "drugs")
        promise = self.draft_a_promise(issue, 1)
        self.sign_for_both_and_issue(promise)
        assert self.promise(promise)["status"] == "issued"
        return promise

    @rule(target=dialogues, kind=st.sampled_from(KINDS), days_ago=st.integers(0, 60))
    def hold_a_dialogue(self, kind: str, days_ago: int) -> str:
        held_on = self.today - timedelta(days=days_ago)
        body = {"municipality": MALMO, "kind": kind, "held_on": held_on.isoformat()}
        answer = self.command("/api/v1/dialogues", {**body, "title": "Trygghetsvandring"})
        assert answer is not None
        return str(answer["id"])

    @rule(
        target=observations,
        dialogue=dialogues,
        theme=st.sampled_from(THEMES),
        count=st.integers(1, 50),
    )
    def record_an_observation(self, dialogue: str, theme: str, count: int) -> tuple[str, str]:
        observation = {"theme": theme, "summary": "Mörkt vid busshållplatsen.", "count": count}
        answer = self.command(
            f"/api/v1/dialogues/{dialogue}/observations", {"observations": [observation]}
        )
        if answer is None:  # more mentions than the dialogue had participants
            return (dialogue, "")
        return (dialogue, str(answer["observations"][-1]["id"]))

    @rule(target=issues, cited=observations | dialogues, theme=st.sampled_from(THEMES))
    def identify_an_issue(self, cited: tuple[str, str] | str, theme: str) -> str:
        dialogue, observation = cited if isinstance(cited, tuple) else (cited, "")
        evidence: dict[str, str] = {"dialogue_id": dialogue}
        if observation:
            evidence["observation_id"] = observation
        body = {"municipality": MALMO, "title": "Otrygg miljö", "theme": theme}
        answer = self.command(
            "/api/v1/issues",
            {**body, "description": "Många känner sig otrygga.", "evidence": [evidence]},
        )
        assert answer is not None  # identified today, after every dialogue it cites
        return str(answer["id"])

    @rule(issue=issues, priority=st.integers(1, 5))
    def prioritise(self, issue: str, priority: int) -> None:
        self.command(
            f"/api/v1/issues/{issue}/prioritisation",
            {"priority": priority, "rationale": "Vi ser det."},
        )

    @rule(issue=issues)
    def reject(self, issue: str) -> None:
        self.command(f"/api/v1/issues/{issue}/rejection", {"reason": "Ligger utanför uppdraget."})

    @rule(target=promises, issue=issues, years=st.integers(1, 3))
    def draft_a_promise(self, issue: str, years: int) -> str:
        """Prioritises the issue first (refused if it was rejected), then drafts."""
        self.prioritise(issue, 2)
        starts_on = self.today.replace(day=1)
        ends_on = starts_on.replace(year=starts_on.year + years) - timedelta(days=1)
        body = {
            "municipalities": [MALMO],
            "police_district": "LPO Malmö Öster",
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "title": "Medborgarlöfte Rosengård",
            "text": "Polisen och Malmö stad lovar att ...",
            "addresses": [issue],
            "activities": [
                {
                    "description": "Trygghetsvandringar varje kvartal.",
                    "responsible": "municipality",
                    "due_on": ends_on.isoformat(),
                }
            ],
            "follow_up_cadence": "biannual",
        }
        answer = self.command("/api/v1/promises", body)
        return "" if answer is None else str(answer["id"])  # the issue was rejected

    @rule(promise=promises)
    def sign_for_both_and_issue(self, promise: str) -> None:
        if not promise:
            return
        signed_on = self.today.isoformat()
        signer = {"name": "Anna Berg", "title": "Chef", "signed_on": signed_on}
        self.command(f"/api/v1/promises/{promise}/signatures", {"party": "police", **signer})
        self.command(
            f"/api/v1/promises/{promise}/signatures",
            {"party": "municipality", "municipality": MALMO, **signer},
        )
        self.command(f"/api/v1/promises/{promise}/issuance", {"issued_on": signed_on})

    @rule(promise=promises, which=st.integers(0, 10), status=st.sampled_from(["done", "delayed"]))
    def record_a_follow_up(self, promise: str, which: int, status: str) -> None:
        if not promise or not (follow_ups := self.promise(promise)["follow_ups"]):
            return
        current = self.promise(promise)
        follow_up = follow_ups[which % len(follow_ups)]
        reports = [{"activity_id": a["id"], "status": status} for a in current["activities"]]
        self.command(
            f"/api/v1/promises/{promise}/follow-ups/{follow_up['id']}",
            {"held_on": self.today.isoformat(), "summary": "Genomgång.", "activities": reports},
        )

    @rule(promise=promises, which=st.integers(0, 10), days=st.integers(1, 90))
    def reschedule_a_follow_up(self, promise: str, which: int, days: int) -> None:
        if not promise or not (follow_ups := self.promise(promise)["follow_ups"]):
            return
        follow_up = follow_ups[which % len(follow_ups)]
        due_on = date.fromisoformat(follow_up["due_on"]) + timedelta(days=days)
        self.command(
            f"/api/v1/promises/{promise}/follow-ups/{follow_up['id']}/rescheduling",
            {"due_on": due_on.isoformat(), "reason": "Nämnden sammanträder senare."},
        )

    @rule(promise=promises)
    def give_feedback(self, promise: str) -> None:
        if promise:
            body = {"published_on": self.today.isoformat(), "channel": "Webben"}
            self.command(
                f"/api/v1/promises/{promise}/feedback", {**body, "summary": "Så här gick det."}
            )

    @rule(promise=promises, outcome=st.sampled_from(["fulfilled", "partly_fulfilled"]))
    def conclude(self, promise: str, outcome: str) -> None:
        if promise:
            body = {
                "outcome": outcome,
                "summary": "Löftet hölls.",
                "concluded_on": self.today.isoformat(),
            }
            self.command(f"/api/v1/promises/{promise}/conclusion", body)

    @rule(promise=promises)
    def withdraw(self, promise: str) -> None:
        if promise:
            self.command(f"/api/v1/promises/{promise}/withdrawal", {"reason": "Omorganisation."})

    @rule(days=st.integers(1, 200))
    def time_passes_and_deadlines_are_checked(self, days: int) -> None:
        self.clock.advance(timedelta(days=days))
        response = self.client.post("/api/v1/admin/deadline-checks", headers=HEADERS)
        assert response.status_code == 200, response.text

    # -- what must hold after every step ----------------------------------------------

    @invariant()
    def the_views_equal_a_rebuild_and_the_chain_verifies(self) -> None:
        self.live.catch_up()
        self.rebuilt.rebuild()
        assert dump_views(self.live) == dump_views(self.rebuilt)
        response = self.client.get(
            f"/api/v1/municipalities/{MALMO}/audit/verification", headers=HEADERS
        )
        assert response.status_code == 200, response.text
        verification = response.json()
        assert verification["ok"] is True, verification
        assert response.headers.get("X-Loften-Stale") is None


OneMunicipalitysYear.TestCase.settings = settings(
    max_examples=10,
    stateful_step_count=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_one_municipalitys_year = OneMunicipalitysYear.TestCase
