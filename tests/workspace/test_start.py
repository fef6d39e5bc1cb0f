"""The start page names what waits in each of the person's municipalities."""

from __future__ import annotations

from uuid import UUID

from fastapi.testclient import TestClient

from tests.support.api import BUILDER, MALMO, TODAY, Api
from tests.workspace.client import Person


def test_the_start_page_lists_what_waits_and_nothing_of_other_municipalities(api: Api) -> None:
    dialogue = api.dialogue(MALMO, observations=2)
    api.dialogue("0180", observations=1)
    draft = api.promise(MALMO)
    issued = api.promise(MALMO, state="issued")
    someone = Person(TestClient(api.app))
    someone.sign_in(api.secrets["municipality"])
    page = someone.get("/arbete/").text

    drafts = page.index("Utkast som väntar på underskrifter")
    uncited = page.index("Dialoger vars iakttagelser inget problem bygger på än")
    assert f"/arbete/loften/{draft['id']}" in page[drafts:uncited]
    assert f"/arbete/dialoger/{dialogue['id']}" in page[uncited:]
    assert "Stockholm" not in page
    # The issued promise (2025) has its first quarterly follow-up on 31 March, within 60 days.
    upcoming = page.index("Uppföljningar de närmaste 60 dagarna")
    assert f"/arbete/loften/{issued['id']}/uppfoljningar/" in page[upcoming:drafts]


def test_a_follow_up_held_without_feedback_since_is_named(api: Api) -> None:
    issued = api.promise(MALMO, state="final_done")
    someone = Person(TestClient(api.app))
    someone.sign_in(api.secrets["police"])
    page = someone.get("/arbete/").text
    feedback = page.index("Ingen återkoppling sedan senaste uppföljningen")
    assert f"/arbete/loften/{issued['id']}" in page[feedback:]
    api.loftesboken.publish_feedback(
        UUID(issued["id"]),
        published_on=TODAY,
        channel="Kommunens webbplats",
        summary="Så gick det.",
        actor=BUILDER,
    )
    assert "Ingen återkoppling sedan" not in someone.get("/arbete/").text
