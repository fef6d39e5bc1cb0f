"""A catch-up and a rebuild end at the head of the log they began with, under a steady
write load: what is written meanwhile is for the running loop or the next call.

Each progress report writes one more dialogue (at most `MOST_WRITES`), so the head
moves on while the views are fed; chasing the head of the moment, each call went on
until the writer stopped (`loften rebuild` beside a serving process ran for as long as
its writes did).
"""

from __future__ import annotations

from infra.bootstrap import open_read_side
from projections.readside import Projections
from tests.support.builders import numbered_dialogue
from workflow.application import Loftesboken
from workflow.settings import Settings

BEFORE = 30
MOST_WRITES = 200


def writes_during(app: Loftesboken, read_side: Projections, call: str) -> int:
    """How many dialogues were written while `read_side.<call>` ran, one per progress
    report; checks it reached the head it began with and the next catch-up the rest."""
    for n in range(BEFORE):
        numbered_dialogue(app, n)
    head = read_side.head()
    written: list[int] = []

    def write(position: int, head: int) -> None:
        if len(written) < MOST_WRITES:
            numbered_dialogue(app, BEFORE + len(written))
            written.append(position)

    assert getattr(read_side, call)(write) >= head
    assert read_side.catch_up() == read_side.head()
    return len(written)


def test_a_catch_up_ends_at_the_head_it_began_with(app: Loftesboken, projections: Projections):
    assert 0 < writes_during(app, projections, "catch_up") < MOST_WRITES // 4


def test_a_rebuild_ends_at_the_head_it_began_with(app: Loftesboken, fresh: Projections):
    assert 0 < writes_during(app, fresh, "rebuild") < MOST_WRITES // 4


def test_a_catch_up_refills_views_another_process_emptied(
    app: Loftesboken, settings: Settings, projections: Projections
):
    """A `loften rebuild` elsewhere may have reset the views since this side last stepped."""
    for n in range(BEFORE):
        numbered_dialogue(app, n)
    head = projections.catch_up()
    elsewhere = open_read_side(app, settings)
    try:
        for view in elsewhere.views:
            view.reset()
    finally:
        elsewhere.close()
    assert projections.catch_up() == head
    assert set(projections.positions().values()) == {head}
