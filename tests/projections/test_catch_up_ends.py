"""A catch-up and a rebuild end at the head of the log they began with, under a steady
write load: what is written meanwhile is for the running loop or the next call.

Each progress report writes one more dialogue (at most `MOST_WRITES`), so the head
moves on while the views are fed; chasing the head of the moment, each call went on
until the writer stopped (`loften rebuild` beside a serving process ran for as long as
its writes did).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from domain.values import DialogueKind
from projections.readside import Projections
from tests.support.builders import POLICE
from workflow.application import Loftesboken

BEFORE = 30
MOST_WRITES = 200


def hold(app: Loftesboken, n: int) -> None:
    app.hold_dialogue(
        municipality="1280",
        kind=DialogueKind.CITIZEN_DIALOGUE,
        held_on=date(2025, 1, 15),
        title=f"Medborgardialog {n}",
        actor=POLICE,
    )


def steady_writer(app: Loftesboken) -> tuple[Callable[[int, int], None], list[int]]:
    """A progress callback that writes one dialogue a call; the list counts them."""
    written: list[int] = []

    def write(position: int, head: int) -> None:
        if len(written) < MOST_WRITES:
            hold(app, BEFORE + len(written))
            written.append(position)

    return write, written


def test_a_catch_up_ends_at_the_head_it_began_with(app: Loftesboken, projections: Projections):
    for n in range(BEFORE):
        hold(app, n)
    head = projections.head()
    write, written = steady_writer(app)
    reached = projections.catch_up(write)
    assert reached >= head
    assert 0 < len(written) < MOST_WRITES // 4, len(written)
    assert projections.catch_up() == projections.head()  # the next call takes the rest


def test_a_rebuild_ends_at_the_head_it_began_with(app: Loftesboken, fresh: Projections):
    for n in range(BEFORE):
        hold(app, n)
    head = fresh.head()
    write, written = steady_writer(app)
    reached = fresh.rebuild(write)
    assert reached >= head
    assert 0 < len(written) < MOST_WRITES // 4, len(written)
    assert fresh.catch_up() == fresh.head()
