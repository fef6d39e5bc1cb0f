"""A known year of Malmö (1280), 2025, as fixed facts, with every figure counted by hand.

Facts from 2024 and 2026, drafts and withdrawn promises are mixed in on purpose: the
builder must leave them out. The comments say why each fact counts or not.
"""

from __future__ import annotations

import hashlib
from datetime import date
from uuid import UUID

from domain.values import (
    ActivityStatus,
    DialogueKind,
    FollowUpStatus,
    IssueStatus,
    Outcome,
    PromiseStatus,
    Responsible,
    Theme,
)
from projections.reports import (
    ActivityFact,
    AnnualReport,
    AuditFact,
    DialogueFact,
    FeedbackFact,
    FollowUpFact,
    IssueFact,
    ObservationFact,
    PromiseFact,
    build_annual_report,
)

CODE = "1280"
YEAR = 2025
HEAD_HASH = hashlib.sha256(b"malmo-2025").hexdigest()
POSITION = 137

P_CENTRE = UUID("00000000-0000-4000-8000-000000000001")
P_SCHOOLS = UUID("00000000-0000-4000-8000-000000000002")
P_DRUGS = UUID("00000000-0000-4000-8000-000000000003")
P_WITHDRAWN = UUID("00000000-0000-4000-8000-000000000004")
P_DRAFT = UUID("00000000-0000-4000-8000-000000000005")
P_VANDALISM = UUID("00000000-0000-4000-8000-000000000006")
A_PATROLS = UUID("00000000-0000-4000-8000-0000000000a1")
A_LIGHTS = UUID("00000000-0000-4000-8000-0000000000a2")
A_WALKS = UUID("00000000-0000-4000-8000-0000000000a3")
A_SCHOOL = UUID("00000000-0000-4000-8000-0000000000a4")
A_GRAFFITI = UUID("00000000-0000-4000-8000-0000000000a5")

DIALOGUES = [
    DialogueFact(DialogueKind.CITIZEN_DIALOGUE, date(2025, 3, 12), 40),
    DialogueFact(DialogueKind.SAFETY_WALK, date(2025, 9, 20), 12),
    DialogueFact(DialogueKind.CITIZEN_DIALOGUE, date(2025, 11, 2), None),
    DialogueFact(DialogueKind.SURVEY, date(2024, 12, 31), 500),  # 2024
    DialogueFact(DialogueKind.STAFF_DIALOGUE, date(2026, 1, 1), 8),  # 2026
]

OBSERVATIONS = [
    ObservationFact(Theme.DRUGS, date(2025, 3, 12), 5),
    ObservationFact(Theme.DRUGS, date(2025, 9, 20), 2),
    ObservationFact(Theme.TRAFFIC, date(2025, 3, 12)),
    ObservationFact(Theme.PUBLIC_ENVIRONMENT, date(2025, 9, 20), 7),
    ObservationFact(Theme.VIOLENCE, date(2024, 12, 31), 100),  # 2024
    ObservationFact(Theme.YOUTH_CRIME, date(2026, 1, 1), 3),  # 2026
]

ISSUES = [
    IssueFact(date(2025, 1, 15), IssueStatus.PRIORITISED),
    IssueFact(date(2025, 4, 1), IssueStatus.PRIORITISED),
    IssueFact(date(2025, 6, 30), IssueStatus.REJECTED),
    IssueFact(date(2025, 12, 31), IssueStatus.IDENTIFIED),
    IssueFact(date(2024, 12, 31), IssueStatus.PRIORITISED),  # 2024
]

PROMISES = [
    PromiseFact(  # in force 2024-07-01..2025-06-30
        id=P_CENTRE,
        title="Tryggare centrum",
        municipalities=("1280",),
        police_district="LPO Malmö Centrum",
        starts_on=date(2024, 7, 1),
        ends_on=date(2025, 6, 30),
        status=PromiseStatus.ISSUED,
        issued_on=date(2024, 6, 20),
        activities=(
            ActivityFact(
                A_LIGHTS,
                "Bättre belysning i gångtunnlar",
                Responsible.MUNICIPALITY,
                date(2025, 3, 1),
                ActivityStatus.DELAYED,
                "Upphandlingen drog ut på tiden",
            ),
            ActivityFact(
                A_PATROLS,
                "Minst 50 fotpatruller kvällstid",
                Responsible.POLICE,
                date(2024, 12, 31),
                ActivityStatus.DONE,
            ),
        ),
        follow_ups=(
            FollowUpFact(date(2024, 9, 30), FollowUpStatus.DONE, date(2024, 9, 28)),  # 2024
            FollowUpFact(  # due 2024: missed in 2024, not in 2025
                date(2024, 12, 31), FollowUpStatus.OVERDUE, missed_due_on=(date(2024, 12, 31),)
            ),
            FollowUpFact(date(2025, 3, 31), FollowUpStatus.DONE, date(2025, 3, 31)),  # on time
            FollowUpFact(  # overdue: missed
                date(2025, 6, 30), FollowUpStatus.OVERDUE, missed_due_on=(date(2025, 6, 30),)
            ),
            FollowUpFact(  # late: missed
                date(2025, 7, 31),
                FollowUpStatus.DONE,
                date(2025, 8, 15),
                missed_due_on=(date(2025, 7, 31),),
            ),
        ),
        feedback=(
            FeedbackFact(date(2025, 4, 10), "malmo.se", "Fotpatrullerna är genomförda."),
            FeedbackFact(date(2024, 11, 1), "Sydsvenskan", "Arbetet har börjat."),  # 2024
        ),
    ),
    PromiseFact(  # ended 2024-12-31: not in force, but its final follow-up and feedback are 2025
        id=P_SCHOOLS,
        title="Trafiksäkra skolvägar",
        municipalities=("1280",),
        police_district="LPO Malmö Öster",
        starts_on=date(2023, 1, 1),
        ends_on=date(2024, 12, 31),
        status=PromiseStatus.CONCLUDED,
        issued_on=date(2022, 12, 15),
        activities=(
            ActivityFact(A_SCHOOL, "Hastighetskontroller", Responsible.POLICE, date(2024, 6, 1)),
        ),
        follow_ups=(
            FollowUpFact(date(2025, 1, 31), FollowUpStatus.DONE, date(2025, 1, 20)),  # on time
        ),
        feedback=(FeedbackFact(date(2025, 2, 1), "Facebook", "Skolvägarna är säkrare."),),
        outcome=Outcome.FULFILLED,
        concluded_on=date(2025, 2, 1),
    ),
    PromiseFact(  # with Vellinge, from 2025-10-01
        id=P_DRUGS,
        title="Narkotikafritt Sydväst",
        municipalities=("1233", "1280"),
        police_district="LPO Söderort",
        starts_on=date(2025, 10, 1),
        ends_on=date(2027, 9, 30),
        status=PromiseStatus.ISSUED,
        issued_on=date(2025, 9, 25),
        activities=(
            ActivityFact(A_WALKS, "Trygghetsvandringar", Responsible.OTHER, date(2026, 5, 1)),
        ),
        follow_ups=(
            FollowUpFact(date(2025, 12, 31), FollowUpStatus.SCHEDULED),  # scheduled
            FollowUpFact(  # moved into 2026 after 30 November had passed: missed in 2025
                date(2026, 1, 15), FollowUpStatus.SCHEDULED, missed_due_on=(date(2025, 11, 30),)
            ),
        ),
    ),
    PromiseFact(  # withdrawn: nothing of it counts
        id=P_WITHDRAWN,
        title="Indraget löfte",
        municipalities=("1280",),
        police_district="LPO Malmö Centrum",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        status=PromiseStatus.WITHDRAWN,
        issued_on=date(2024, 12, 20),
        follow_ups=(FollowUpFact(date(2025, 3, 31), FollowUpStatus.DONE, date(2025, 3, 30)),),
        feedback=(FeedbackFact(date(2025, 2, 2), "malmo.se", "Löftet dras in."),),
    ),
    PromiseFact(  # draft: nothing of it counts
        id=P_DRAFT,
        title="Utkast",
        municipalities=("1280",),
        police_district="LPO Malmö Centrum",
        starts_on=date(2025, 6, 1),
        ends_on=date(2026, 5, 31),
        status=PromiseStatus.DRAFT,
    ),
    PromiseFact(  # concluded during 2025, after its period 2024-01-01..2025-03-31
        id=P_VANDALISM,
        title="Mindre skadegörelse",
        municipalities=("1280",),
        police_district="LPO Malmö Väster",
        starts_on=date(2024, 1, 1),
        ends_on=date(2025, 3, 31),
        status=PromiseStatus.CONCLUDED,
        issued_on=date(2023, 12, 1),
        activities=(
            ActivityFact(
                A_GRAFFITI,
                "Klotter saneras inom 24 timmar",
                Responsible.MUNICIPALITY,
                date(2024, 12, 31),
                ActivityStatus.IN_PROGRESS,
                "Nås i 80 % av fallen",
            ),
        ),
        follow_ups=(
            FollowUpFact(  # late, but the date it missed is in 2024
                date(2024, 12, 31),
                FollowUpStatus.DONE,
                date(2025, 1, 10),
                missed_due_on=(date(2024, 12, 31),),
            ),
            FollowUpFact(  # late: missed
                date(2025, 5, 1),
                FollowUpStatus.DONE,
                date(2025, 5, 5),
                missed_due_on=(date(2025, 5, 1),),
            ),
        ),
        outcome=Outcome.PARTLY_FULFILLED,
        concluded_on=date(2025, 5, 10),
    ),
]


def annual_report() -> AnnualReport:
    return build_annual_report(
        CODE,
        YEAR,
        dialogues=DIALOGUES,
        observations=OBSERVATIONS,
        issues=ISSUES,
        promises=PROMISES,
        audit=AuditFact(HEAD_HASH, POSITION),
    )


# The JSON form of `annual_report()`, written out by hand from the facts above.
EXPECTED_JSON = {
    "municipality": {
        "code": "1280",
        "name": "Malmö",
        "county": "Skåne län",
        "police_region": "Polisregion Syd",
    },
    "year": 2025,
    "dialogues": {
        "total": 3,
        "participants": 52,
        "by_kind": {"citizen_dialogue": 2, "safety_walk": 1},
        "held": [],  # facts without ids are counted but not listed
    },
    "observations_by_theme": {
        "drugs": {"observations": 2, "mentions": 7},
        "traffic": {"observations": 1, "mentions": 1},
        "public_environment": {"observations": 1, "mentions": 7},
    },
    "issues": {"identified": 4, "prioritised": 2, "rejected": 1},
    "promises": [
        {
            "id": str(P_VANDALISM),
            "title": "Mindre skadegörelse",
            "text": "",
            "signatories": [],
            "municipalities": ["1280"],
            "police_district": "LPO Malmö Väster",
            "period": {"starts_on": "2024-01-01", "ends_on": "2025-03-31"},
            "status": "concluded",
            "issued_on": "2023-12-01",
            "activities": [
                {
                    "id": str(A_GRAFFITI),
                    "description": "Klotter saneras inom 24 timmar",
                    "responsible": "municipality",
                    "due_on": "2024-12-31",
                    "status": "in_progress",
                    "comment": "Nås i 80 % av fallen",
                }
            ],
            "outcome": "partly_fulfilled",
            "concluded_on": "2025-05-10",
        },
        {
            "id": str(P_CENTRE),
            "title": "Tryggare centrum",
            "text": "",
            "signatories": [],
            "municipalities": ["1280"],
            "police_district": "LPO Malmö Centrum",
            "period": {"starts_on": "2024-07-01", "ends_on": "2025-06-30"},
            "status": "issued",
            "issued_on": "2024-06-20",
            "activities": [
                {
                    "id": str(A_PATROLS),
                    "description": "Minst 50 fotpatruller kvällstid",
                    "responsible": "police",
                    "due_on": "2024-12-31",
                    "status": "done",
                    "comment": None,
                },
                {
                    "id": str(A_LIGHTS),
                    "description": "Bättre belysning i gångtunnlar",
                    "responsible": "municipality",
                    "due_on": "2025-03-01",
                    "status": "delayed",
                    "comment": "Upphandlingen drog ut på tiden",
                },
            ],
            "outcome": None,
            "concluded_on": None,
        },
        {
            "id": str(P_DRUGS),
            "title": "Narkotikafritt Sydväst",
            "text": "",
            "signatories": [],
            "municipalities": ["1233", "1280"],
            "police_district": "LPO Söderort",
            "period": {"starts_on": "2025-10-01", "ends_on": "2027-09-30"},
            "status": "issued",
            "issued_on": "2025-09-25",
            "activities": [
                {
                    "id": str(A_WALKS),
                    "description": "Trygghetsvandringar",
                    "responsible": "other",
                    "due_on": "2026-05-01",
                    "status": "not_started",
                    "comment": None,
                }
            ],
            "outcome": None,
            "concluded_on": None,
        },
    ],
    "follow_ups": {"on_time": 2, "late": 3, "overdue": 1, "scheduled": 1, "missed": 4},
    "feedback": [
        {
            "promise_id": str(P_SCHOOLS),
            "promise_title": "Trafiksäkra skolvägar",
            "published_on": "2025-02-01",
            "channel": "Facebook",
            "summary": "Skolvägarna är säkrare.",
        },
        {
            "promise_id": str(P_CENTRE),
            "promise_title": "Tryggare centrum",
            "published_on": "2025-04-10",
            "channel": "malmo.se",
            "summary": "Fotpatrullerna är genomförda.",
        },
    ],
    "audit": {"head_hash": HEAD_HASH, "position": POSITION},
}
