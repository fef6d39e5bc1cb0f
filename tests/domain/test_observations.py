"""A dialogue's observations shared between its copies (`domain.observations`): whatever
copies record or replace, in whatever order, each reads exactly what a dict of its own
would hold, in the order recorded."""

from __future__ import annotations

import pickle
from copy import deepcopy
from dataclasses import replace
from uuid import UUID, uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.dialogue import Dialogue
from domain.observations import Observation, Observations
from domain.values import ObservationInput, Theme
from tests.domain.test_dialogue import held
from tests.support.builders import POLICE


def observation(number: int) -> Observation:
    return Observation(
        id=uuid4(),
        theme=Theme.TRAFFIC,
        summary=f"Svar {number}",
        place=None,
        count=1 + number % 5,
        note=None,
        recorded_in=number + 2,
    )


def assert_same(observations: Observations, model: dict[UUID, Observation]) -> None:
    assert list(observations) == list(model)
    assert list(observations.values()) == list(model.values())
    assert list(observations.items()) == list(model.items())
    assert len(observations) == len(model)
    assert observations == model
    for observation_id, expected in model.items():
        assert observation_id in observations
        assert observations[observation_id] == expected
        assert observations.get(observation_id) == expected


# One step: (which copy, what to do, a number). "record" records a new observation in
# that copy, "replace" gives one of its observations a new count, "copy" adds a copy of
# it, "again" records in it the very observation another copy recorded last.
STEPS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=7),
        st.sampled_from(["record", "record", "replace", "copy", "again"]),
        st.integers(min_value=0, max_value=1_000),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(STEPS)
def test_copies_read_what_a_dict_of_their_own_would_hold(steps) -> None:
    copies: list[tuple[Observations, dict[UUID, Observation]]] = [(Observations(), {})]
    last: Observation | None = None
    for which, action, number in steps:
        index = which % len(copies)
        observations, model = copies[index]
        if action == "record":
            last = observation(number)
            copies[index] = (observations.recorded(last), {**model, last.id: last})
        elif action == "again" and last is not None and last.id not in model:
            copies[index] = (observations.recorded(last), {**model, last.id: last})
        elif action == "replace" and model:
            old = list(model.values())[number % len(model)]
            new = replace(old, count=old.count + 1, retracted=True)
            copies[index] = (observations.replaced(new), {**model, new.id: new})
        elif action == "copy":
            copies.append((deepcopy(observations), dict(model)))
        for each, expected in copies:
            assert_same(each, expected)


def test_an_observation_not_in_this_copy_is_not_found_even_when_another_copy_has_it() -> None:
    first = Observations().recorded(observation(1))
    later = first.recorded(observation(2))
    [newer] = [o for o in later.values() if o not in first.values()]
    assert newer.id not in first
    assert first.get(newer.id) is None
    try:
        first.replaced(newer)
    except KeyError:
        pass
    else:
        raise AssertionError("replacing an observation this copy does not have")


def test_observations_pickle_to_the_same_observations_in_order() -> None:
    observations = Observations().recorded(observation(1)).recorded(observation(2))
    first = next(iter(observations.values()))
    observations = observations.replaced(replace(first, retracted=True))
    again = pickle.loads(pickle.dumps(observations))
    assert list(again.items()) == list(observations.items())


def test_a_copy_of_a_dialogue_shares_its_observations_and_goes_its_own_way() -> None:
    dialogue: Dialogue = held()
    dialogue.record_observations(
        [ObservationInput(theme=Theme.DRUGS, summary="Langning", place=None, count=2)], POLICE
    )
    copy = deepcopy(dialogue)
    assert copy.observations is dialogue.observations
    [first] = dialogue.observations
    copy.retract_observation(observation_id=first, reason="Dubblett", actor=POLICE)
    copy.record_observations(
        [ObservationInput(theme=Theme.TRAFFIC, summary="Fortkörning", place=None, count=1)],
        POLICE,
    )
    assert [o.retracted for o in copy.observations.values()] == [True, False]
    assert [o.retracted for o in dialogue.observations.values()] == [False]
