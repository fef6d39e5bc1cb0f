"""The API under test: a running app on a temporary store, tokens of every role, builders.

`Api` wraps a TestClient with the tokens of the table in API.md and builds the
aggregates a test needs (as admin unless told otherwise), each in a given state.

The apps run on SQLite; modules whose tests exercise what the server keeps (tokens,
idempotency records, the lifecycle's writes) say `pytestmark = BOTH_STORES` and run
on PostgreSQL too. The rest test the HTTP layer, which no store changes, and running
them twice would double the suite's time for nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from api.schemas.dialogues import DialogueOut, HoldDialogue, NewObservation
from api.schemas.issues import IssueOut
from api.schemas.promises import DraftPromise, PromiseOut
from domain.values import Actor, Party, Role, SourceEvidence, SourceType, Theme
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings

ADMIN_SECRET = "admin-secret-for-tests"
TODAY = date(2025, 2, 10)
#: The read-your-writes wait of the apps the tests make (2 s in production); a test of
#: a stale answer sets its own, short one.
READ_WAIT_SECONDS = 30.0
MALMO = "1280"
STOCKHOLM = "0180"
LUND = "1281"

# name -> (role, municipalities)
TOKENS: dict[str, tuple[Role, tuple[str, ...]]] = {
    "police": (Role.POLICE, (MALMO,)),
    "municipality": (Role.MUNICIPALITY, (MALMO,)),
    "police_other": (Role.POLICE, (STOCKHOLM,)),
    "municipality_other": (Role.MUNICIPALITY, (STOCKHOLM,)),
    "auditor": (Role.AUDITOR, ()),
}
BUILDER = Actor(label="test builder", role=Role.ADMIN)
CALLERS = ("public", "auditor", "police", "municipality", "police_other", "municipality_other")


#: Lines a test leaves for the end of the run (the fuzz tests' outcome shares).
SUMMARY_LINES = pytest.StashKey[list[str]]()


#: `pytestmark` of a module whose apps run on both stores.
BOTH_STORES = pytest.mark.both_stores


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'loften.sqlite3'}"


def api_settings(store: str | Path, admin: str = ADMIN_SECRET) -> Settings:
    """Settings for an app on `store`: a database URL, or a directory for a SQLite file."""
    database_url = sqlite_url(store) if isinstance(store, Path) else store
    return Settings(
        database_url=database_url,
        admin_token=SecretStr(admin),
        # Generous on a busy shared machine: a read that must not be stale gets its views.
        read_wait_seconds=READ_WAIT_SECONDS,
    )


@dataclass
class Api:
    """A client of the running app, with a token per caller name and builders of aggregates."""

    client: TestClient
    secrets: dict[str, str] = field(default_factory=dict)

    @property
    def app(self) -> FastAPI:
        app: FastAPI = self.client.app  # type: ignore[assignment]
        return app

    @property
    def loftesboken(self) -> Loftesboken:
        application: Loftesboken = self.app.state.loftesboken
        return application

    def headers(self, caller: str = "admin", **extra: str) -> dict[str, str]:
        headers = dict(extra)
        if caller != "public":
            headers["Authorization"] = f"Bearer {self.secrets[caller]}"
        return headers

    def post(self, path: str, body: Any, caller: str = "admin", **headers: str) -> httpx.Response:
        return self.client.post(path, json=body, headers=self.headers(caller, **headers))

    def get(self, path: str, caller: str = "public") -> httpx.Response:
        return self.client.get(path, headers=self.headers(caller))

    def ok(self, path: str, body: Any, caller: str = "admin") -> dict[str, Any]:
        response = self.post(path, body, caller)
        assert response.status_code in (200, 201), response.text
        result: dict[str, Any] = response.json()
        return result

    def event_count(self) -> int:
        return int(self.loftesboken.recorder.max_notification_id() or 0)

    # -- builders: straight through the application (as admin), for speed -------------

    def dialogue(self, municipality: str = MALMO, observations: int = 1) -> dict[str, Any]:
        app = self.loftesboken
        body = HoldDialogue.model_validate(dialogue_body(municipality))
        dialogue = app.hold_dialogue(**body.model_dump(), actor=BUILDER)
        if observations:
            new = NewObservation.model_validate(observation_body()).to_domain()
            dialogue, _ = app.record_observations(dialogue.id, [new] * observations, actor=BUILDER)
        return DialogueOut.of(dialogue).model_dump(mode="json")

    def issue(self, municipality: str = MALMO, prioritised: bool = True) -> dict[str, Any]:
        app = self.loftesboken
        issue = app.identify_issue(
            municipality=municipality,
            title="Otrygg gångtunnel",
            theme=Theme.PUBLIC_ENVIRONMENT,
            description="Många undviker tunneln.",
            evidence=[SourceEvidence(SourceType.STATISTICS, "BRÅ 2024")],
            actor=BUILDER,
        )
        if prioritised:
            issue = app.prioritise_issue(issue.id, priority=1, rationale="Viktigt.", actor=BUILDER)
        return IssueOut.of(issue).model_dump(mode="json")

    def promise(self, *municipalities: str, state: str = "draft") -> dict[str, Any]:
        """A promise in `state`: draft, signed, issued or final_done (final follow-up done)."""
        app = self.loftesboken
        codes = list(municipalities or (MALMO,))
        issues = [UUID(self.issue(code)["id"]) for code in codes]
        body = DraftPromise.model_validate(promise_body(codes, [str(i) for i in issues]))
        promise = app.draft_promise(
            **body.model_dump(exclude={"activities"}),
            activities=[a.to_domain() for a in body.activities],
            actor=BUILDER,
        )
        if state != "draft":
            signed_on = date(2025, 2, 7)
            signer = {"name": "Anna", "title": "Chef", "signed_on": signed_on, "actor": BUILDER}
            app.sign_promise(promise.id, party=Party.POLICE, **signer)
            for code in codes:
                app.sign_promise(promise.id, party=Party.MUNICIPALITY, municipality=code, **signer)
        if state in ("issued", "final_done"):
            app.issue_promise(promise.id, issued_on=TODAY, actor=BUILDER)
        if state == "final_done":
            final = app.get_promise(promise.id).final_follow_up
            assert final is not None
            app.record_follow_up(
                promise.id, final.id, held_on=TODAY, summary="Klart.", activities=[], actor=BUILDER
            )
        return PromiseOut.of(app.get_promise(promise.id)).model_dump(mode="json")


def dialogue_body(municipality: str = MALMO, **overrides: Any) -> dict[str, Any]:
    return {
        "municipality": municipality,
        "kind": "safety_walk",
        "held_on": "2025-02-04",
        "title": "Trygghetsvandring i Lindängen",
        "place": "Lindängens centrum",
        "participants": 23,
        "organisers": ["Kommunpolis Malmö"],
        **overrides,
    }


def observation_body(**overrides: Any) -> dict[str, Any]:
    return {
        "theme": "public_environment",
        "summary": "Mörk gångtunnel vid skolan.",
        "place": "Gångtunneln",
        "count": 3,
        "note": "Intern anteckning om en namngiven boende.",
        **overrides,
    }


def issue_body(
    municipality: str = MALMO, evidence: list[dict[str, Any]] | None = None, **overrides: Any
) -> dict[str, Any]:
    return {
        "municipality": municipality,
        "title": "Otrygg gångtunnel",
        "theme": "public_environment",
        "description": "Många undviker tunneln efter mörkrets inbrott.",
        "identified_on": "2025-02-06",
        "evidence": evidence or [{"source_type": "survey", "reference": "Trygghetsmätning 2024"}],
        **overrides,
    }


def activity_body(**overrides: Any) -> dict[str, Any]:
    return {
        "description": "Minst två trygghetsvandringar.",
        "responsible": "police",
        "responsible_name": "Kommunpolis Malmö",
        "due_on": "2025-12-31",
        **overrides,
    }


def promise_body(
    municipalities: list[str], addresses: list[str], **overrides: Any
) -> dict[str, Any]:
    return {
        "municipalities": municipalities,
        "police_district": "LPO Malmö Söder",
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "title": "Medborgarlöfte 2025",
        "text": "Under 2025 lovar polisen och kommunen att ...",
        "addresses": addresses,
        "activities": [activity_body()],
        **overrides,
    }


def signature_body(party: str, municipality: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "party": party,
        "name": "Anna Andersson",
        "title": "Lokalpolisområdeschef" if party == "police" else "Kommunstyrelsens ordförande",
        "signed_on": "2025-02-07",
    }
    if municipality is not None:
        body["municipality"] = municipality
    return body


def follow_up_body(promise: dict[str, Any], status: str = "done") -> dict[str, Any]:
    return {
        "held_on": TODAY.isoformat(),
        "summary": "Genomgång av aktiviteterna.",
        "activities": [
            {"activity_id": a["id"], "status": status, "comment": "Klart."}
            for a in promise["activities"]
        ],
    }


def start_api(settings: Settings, clock: FakeClock) -> Iterator[Api]:
    with TestClient(create_app(settings, clock)) as client:
        api = Api(client, {"admin": ADMIN_SECRET})
        store = client.app.state.tokens  # type: ignore[attr-defined]
        for name, (role, codes) in TOKENS.items():
            api.secrets[name] = store.issue(role, codes, f"{name} label").secret
        yield api
