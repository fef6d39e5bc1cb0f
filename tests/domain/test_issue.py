"""The Issue aggregate: given an issue, when a command, then events or the exact refusal."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from domain.errors import DomainError, InvalidValue, UnknownMunicipality
from domain.issue import Issue
from domain.values import (
    DialogueEvidence,
    Evidence,
    IssueStatus,
    SourceEvidence,
    SourceType,
    Theme,
)
from tests.support.builders import MUNICIPALITY, POLICE
from tests.support.refusal import refused

TODAY = date(2025, 3, 3)
STATISTICS = SourceEvidence(SourceType.STATISTICS, "Anmälda brott, Malmö 2024 (Brå)")
WALK = DialogueEvidence(uuid4(), uuid4())


def identify(evidence: list[Evidence] | None = None, **changes: object) -> Issue:
    fields: dict[str, object] = {
        "municipality_code": "1280",
        "title": "Otrygghet kring Möllevångstorget kvällstid",
        "theme": Theme.PUBLIC_ENVIRONMENT,
        "description": "Mörka passager och öppen narkotikahandel gör torget otryggt.",
        "identified_on": date(2025, 3, 1),
        "evidence": [WALK, STATISTICS] if evidence is None else evidence,
        "today": TODAY,
        "actor": POLICE,
    }
    fields.update(changes)
    return Issue.identify(**fields)  # type: ignore[arg-type]


def identified() -> Issue:
    issue = identify()
    issue.collect_events()
    return issue


def rejected() -> Issue:
    issue = identified()
    issue.reject("Hanteras inom skolans eget arbete", MUNICIPALITY)
    issue.collect_events()
    return issue


REJECTED_MESSAGE = (
    "Cannot {verb} the issue 'Otrygghet kring Möllevångstorget kvällstid': it was rejected "
    "(Hanteras inom skolans eget arbete). Identify a new issue if the problem is back."
)


def test_identifying_an_issue_records_issue_identified_with_its_evidence():
    issue = identify()
    [event] = issue.collect_events()
    assert type(event).__name__ == "IssueIdentified"
    assert event.evidence == [WALK, STATISTICS]
    assert event.identified_on == date(2025, 3, 1)
    assert event.theme is Theme.PUBLIC_ENVIRONMENT
    assert event.actor == POLICE
    assert issue.status is IssueStatus.IDENTIFIED
    assert issue.priority is None


def test_an_issue_without_evidence_is_refused():
    with refused(
        DomainError,
        "An issue must rest on evidence: cite at least one dialogue, observation, "
        "statistic, survey or report.",
    ):
        identify(evidence=[])


def test_the_same_evidence_cited_twice_is_refused():
    with refused(InvalidValue, "The same evidence is cited twice."):
        identify(
            evidence=[STATISTICS, SourceEvidence(STATISTICS.source_type, STATISTICS.reference)]
        )


def test_an_issue_identified_in_the_future_is_refused():
    with refused(DomainError, "identified_on 2025-03-04 is in the future (today is 2025-03-03)."):
        identify(identified_on=date(2025, 3, 4))


def test_an_issue_of_an_unknown_municipality_is_refused():
    with refused(
        UnknownMunicipality,
        "'0000' is not a Swedish municipality code (kommunkod), e.g. '1280' for Malmö",
    ):
        identify(municipality_code="0000")


def test_adding_evidence_records_evidence_added():
    issue = identified()
    report = SourceEvidence(SourceType.REPORT, "Malmö stads lägesbild 2024")
    issue.add_evidence(report, MUNICIPALITY)
    [event] = issue.collect_events()
    assert type(event).__name__ == "EvidenceAdded"
    assert event.evidence == report
    assert event.actor == MUNICIPALITY
    assert issue.evidence == [WALK, STATISTICS, report]


def test_adding_evidence_already_cited_is_refused():
    issue = identified()
    with refused(DomainError, "This issue already cites that evidence.", issue):
        issue.add_evidence(DialogueEvidence(WALK.dialogue_id, WALK.observation_id), POLICE)


def test_prioritising_records_priority_and_rationale_and_may_be_repeated():
    issue = identified()
    issue.prioritise(2, "Nämns i tre av fyra dialoger", POLICE)
    issue.prioritise(1, "Ökning i trygghetsmätningen", POLICE)
    events = issue.collect_events()
    assert [type(e).__name__ for e in events] == ["IssuePrioritised", "IssuePrioritised"]
    assert [(e.priority, e.rationale) for e in events] == [
        (2, "Nämns i tre av fyra dialoger"),
        (1, "Ökning i trygghetsmätningen"),
    ]
    assert issue.status is IssueStatus.PRIORITISED
    assert issue.priority == 1


def test_a_priority_outside_one_to_five_is_refused():
    issue = identified()
    for priority in (0, 6):
        with refused(InvalidValue, "priority runs from 1 (highest) to 5 (lowest)", issue):
            issue.prioritise(priority, "?", POLICE)


def test_rejecting_records_issue_rejected_with_the_reason():
    issue = identified()
    issue.prioritise(3, "Tas upp i nästa cykel", POLICE)
    issue.collect_events()
    issue.reject("Hanteras inom skolans eget arbete", MUNICIPALITY)
    [event] = issue.collect_events()
    assert type(event).__name__ == "IssueRejected"
    assert event.reason == "Hanteras inom skolans eget arbete"
    assert issue.status is IssueStatus.REJECTED


def test_prioritising_a_rejected_issue_is_refused():
    issue = rejected()
    with refused(DomainError, REJECTED_MESSAGE.format(verb="prioritise"), issue):
        issue.prioritise(1, "Ändå viktigt", POLICE)


def test_rejecting_twice_and_adding_evidence_to_a_rejected_issue_are_refused():
    issue = rejected()
    with refused(DomainError, REJECTED_MESSAGE.format(verb="reject"), issue):
        issue.reject("Igen", POLICE)
    with refused(DomainError, REJECTED_MESSAGE.format(verb="add evidence to"), issue):
        issue.add_evidence(SourceEvidence(SourceType.OTHER, "Insändare"), POLICE)
