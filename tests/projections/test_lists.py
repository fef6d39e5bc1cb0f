"""The catalogue's reads: summary, lists with filters and cursors, deadlines, outcomes."""

from __future__ import annotations

from datetime import date

import pytest

from domain.values import (
    DialogueKind,
    FollowUpStatus,
    IssueStatus,
    PromiseStatus,
    Theme,
)
from projections.cursors import InvalidCursor, InvalidLimit
from projections.lists import (
    list_deadlines,
    list_dialogues,
    list_issues,
    list_promises,
    municipality_summary,
)
from projections.outcomes import dialogue_outcomes
from tests.support.scenario import (
    MALMO,
    ORUST,
    SECRET_NOTE,
    STENUNGSUND,
    TJORN,
)
from tests.support.views import dump_views


@pytest.fixture
def ids(world):
    return world.ids


@pytest.fixture
def projections(world):
    return world.projections


def all_pages(fetch, limit):
    items, cursor, pages = [], None, 0
    while True:
        page = fetch(limit=limit, cursor=cursor)
        items.extend(page.items)
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            return items, pages


def test_municipality_summary(ids, projections):
    summary = municipality_summary(projections.catalogue, MALMO, public=False)
    assert summary.dialogues == 2
    assert summary.observations == 3
    assert summary.issues == {"identified": 0, "prioritised": 2, "rejected": 1}
    assert summary.promises == {"draft": 1, "issued": 1, "concluded": 1, "withdrawn": 1}
    assert summary.overdue_follow_ups == 0  # the missed one was moved and then recorded
    assert summary.next_deadline == date(2025, 6, 30)

    public = municipality_summary(projections.catalogue, MALMO)
    assert "draft" not in public.promises
    assert public.promises["issued"] == 1
    assert public.promises["withdrawn"] == 0  # it was withdrawn as a draft: never public

    tjorn = municipality_summary(projections.catalogue, TJORN)
    assert (tjorn.dialogues, tjorn.promises["issued"]) == (0, 1)
    assert tjorn.next_deadline == date(2025, 6, 30)
    empty = municipality_summary(projections.catalogue, "0180")
    assert (empty.dialogues, empty.overdue_follow_ups, empty.next_deadline) == (0, 0, None)


def test_dialogue_list_filters(ids, projections):
    view = projections.catalogue
    malmo = list_dialogues(view, municipality=MALMO).items
    assert [d.id for d in malmo] == [ids.citizen_dialogue, ids.walk]
    assert malmo[0].observations == 3 and malmo[0].mentions == 46
    assert [d.id for d in list_dialogues(view, year=2024).items] == [
        ids.walk,
        ids.fyrbodal_dialogue,
    ]
    assert [d.id for d in list_dialogues(view, kind=DialogueKind.SURVEY).items] == [
        ids.fyrbodal_dialogue
    ]
    assert list_dialogues(view, municipality=MALMO, year=2024, kind=DialogueKind.SURVEY).items == []


def test_dialogue_list_pages_with_cursors(ids, projections):
    items, pages = all_pages(lambda **kw: list_dialogues(projections.catalogue, **kw), limit=2)
    assert [d.id for d in items] == [ids.citizen_dialogue, ids.walk, ids.fyrbodal_dialogue]
    assert pages == 2
    one = list_dialogues(projections.catalogue, limit=3)
    assert one.next_cursor is None


def test_issue_list_filters_and_cursors(ids, projections):
    view = projections.catalogue
    assert [i.id for i in list_issues(view, municipality=MALMO).items] == [
        ids.drugs_issue,
        ids.dark_places_issue,
        ids.rejected_issue,
    ]
    assert [i.id for i in list_issues(view, status=IssueStatus.REJECTED).items] == [
        ids.rejected_issue
    ]
    drugs = list_issues(view, theme=Theme.DRUGS).items
    assert [i.id for i in drugs] == [ids.drugs_issue, ids.stenungsund_issue]
    assert drugs[0].evidence == 2 and drugs[0].priority == 1
    items, pages = all_pages(lambda **kw: list_issues(view, **kw), limit=1)
    assert len(items) == 5 and pages == 5
    assert len({i.id for i in items}) == 5


def test_promise_list_hides_drafts_unless_asked(ids, projections):
    view = projections.catalogue
    public = list_promises(view, municipality=MALMO).items
    # The withdrawn one was withdrawn as a draft: it never became public either.
    assert [p.id for p in public] == [ids.malmo_promise, ids.old_promise]
    internal = list_promises(view, municipality=MALMO, include_drafts=True).items
    assert {ids.draft_promise, ids.withdrawn_promise} <= {p.id for p in internal}
    assert list_promises(view, status=PromiseStatus.DRAFT).items == []
    drafts = list_promises(view, status=PromiseStatus.DRAFT, include_drafts=True).items
    assert [p.id for p in drafts] == [ids.draft_promise]


def test_promise_list_by_year_overlap_and_status(ids, projections):
    view = projections.catalogue
    assert [p.id for p in list_promises(view, year=2024).items] == [ids.old_promise]
    assert [p.id for p in list_promises(view, year=2026).items] == [ids.fyrbodal_promise]
    concluded = list_promises(view, status=PromiseStatus.CONCLUDED).items
    assert [(p.id, p.outcome.value) for p in concluded] == [(ids.old_promise, "partly_fulfilled")]


def test_a_promise_of_three_municipalities_is_listed_under_each(ids, projections):
    for code in (STENUNGSUND, ORUST, TJORN):
        found = list_promises(projections.catalogue, municipality=code).items
        assert [p.id for p in found] == [ids.fyrbodal_promise]
        assert found[0].municipalities == [STENUNGSUND, ORUST, TJORN]


def test_deadlines_soonest_first_with_filters(ids, projections):
    view = projections.catalogue
    malmo = list_deadlines(view, municipality=MALMO, limit=500).items
    assert [d.due_on for d in malmo] == sorted(d.due_on for d in malmo)
    assert {d.promise_id for d in malmo} == {ids.malmo_promise, ids.old_promise}
    # The moved and late first follow-up of 2025.
    moved = [d for d in malmo if d.due_on == date(2025, 4, 15)]
    assert [(d.status, d.late, d.held_on) for d in moved] == [
        (FollowUpStatus.DONE, True, date(2025, 4, 18))
    ]
    old_final = [d for d in malmo if d.promise_id == ids.old_promise and d.final]
    assert old_final[0].late and old_final[0].status is FollowUpStatus.DONE

    before = list_deadlines(view, municipality=MALMO, due_before=date(2025, 4, 15)).items
    assert all(d.due_on < date(2025, 4, 15) for d in before)
    assert {d.promise_id for d in before} == {ids.old_promise}

    scheduled = list_deadlines(view, status=FollowUpStatus.SCHEDULED, limit=500).items
    assert scheduled[0].due_on == date(2025, 6, 30)
    assert all(d.status is FollowUpStatus.SCHEDULED for d in scheduled)
    # Drafts and withdrawn promises have no deadlines.
    shown = {d.promise_id for d in list_deadlines(view, limit=500).items}
    assert ids.draft_promise not in shown and ids.withdrawn_promise not in shown

    for code in (STENUNGSUND, ORUST, TJORN):
        theirs = list_deadlines(view, municipality=code).items
        assert [d.due_on for d in theirs] == [
            date(2025, 6, 30),
            date(2025, 12, 31),
            date(2026, 6, 30),
            date(2026, 12, 31),
            date(2027, 1, 31),
        ]
        assert theirs[0].municipalities == [STENUNGSUND, ORUST, TJORN]


def test_deadline_cursor_walks_the_whole_list_once(ids, projections):
    view = projections.catalogue
    everything = list_deadlines(view, limit=500).items
    items, pages = all_pages(lambda **kw: list_deadlines(view, **kw), limit=3)
    assert [d.follow_up_id for d in items] == [d.follow_up_id for d in everything]
    assert pages == -(-len(everything) // 3)


def test_bad_cursors_and_limits_are_refused(ids, projections):
    view = projections.catalogue
    page = list_dialogues(view, limit=1)
    with pytest.raises(InvalidCursor):
        list_issues(view, cursor=page.next_cursor)  # a dialogue cursor
    with pytest.raises(InvalidCursor):
        list_dialogues(view, cursor="not a cursor!")
    with pytest.raises(InvalidCursor):
        list_deadlines(view, cursor=page.next_cursor)
    with pytest.raises(InvalidLimit):
        list_dialogues(view, limit=0)
    with pytest.raises(InvalidLimit):
        list_dialogues(view, limit=501)


def test_you_said_we_did(ids, projections):
    outcomes = dialogue_outcomes(projections.catalogue, ids.citizen_dialogue)
    assert outcomes is not None
    drugs, tunnels, mopeds = outcomes.observations
    assert [o.id for o in outcomes.observations] == ids.observations

    # Drugs: cited by the drugs issue, and the dark-places issue cites the whole dialogue.
    assert [(i.id, i.cites) for i in drugs.issues] == [
        (ids.drugs_issue, "observation"),
        (ids.dark_places_issue, "dialogue"),
    ]
    drug_promises = drugs.issues[0].promises
    # The promise withdrawn as a draft was never issued, so the public does not see it.
    assert [p.id for p in drug_promises] == [ids.malmo_promise, ids.old_promise]
    current = drug_promises[0]
    assert current.status is PromiseStatus.ISSUED
    assert current.latest_follow_up is not None
    assert current.latest_follow_up.held_on == date(2025, 4, 18)
    assert current.latest_follow_up.late
    assert drug_promises[1].latest_follow_up.held_on == date(2024, 8, 20)
    # The draft that addresses the dark-places issue is not shown to the public.
    assert [p.id for p in tunnels.issues[0].promises] == [ids.malmo_promise]
    internal = dialogue_outcomes(projections.catalogue, ids.citizen_dialogue, internal=True)
    assert ids.draft_promise in [p.id for p in internal.observations[1].issues[0].promises]
    withdrawn = internal.observations[0].issues[0].promises[2]
    assert (withdrawn.id, withdrawn.status) == (ids.withdrawn_promise, PromiseStatus.WITHDRAWN)
    # The rejected moped issue is addressed by no issued promise: the public does not see
    # it (the mopeds led only to the dark-places issue, which cites the whole dialogue);
    # the dialogue's own municipality sees it with its status.
    assert [i.id for i in mopeds.issues] == [ids.dark_places_issue]
    internal_mopeds = internal.observations[2].issues
    assert [(i.id, i.status, i.promises) for i in internal_mopeds if i.cites == "observation"] == [
        (ids.rejected_issue, IssueStatus.REJECTED, [])
    ]
    assert SECRET_NOTE not in outcomes.model_dump_json()
    assert "note" not in outcomes.model_dump_json()


def test_outcomes_of_an_unknown_dialogue_is_none(ids, projections):
    assert dialogue_outcomes(projections.catalogue, ids.malmo_promise) is None


def test_no_public_view_stores_an_observation_note(ids, projections):
    rows = dump_views(projections)
    # The audit view holds digests' hashes only: the values are read from the event store.
    assert SECRET_NOTE not in repr(rows)
