"""The demo: a believable year of medborgarlöften, loaded through the application's commands.

Five real municipalities tell the story: Malmö (one promise for the city centre);
Stenungsund, Orust and Tjörn (one promise shared through LPO Södra Fyrbodal); and
Kiruna (one promise in force and next year's still a draft). Dialogues in the autumn
before lead to issues, prioritised (one rejected) in the winter, promises signed and
issued in the spring, follow-ups (one done late, one missed) and feedback to
citizens during the year.

Every date is relative to the real clock (`app.today`), so the demo never records a
date in the future: the story's year is this year from November on, else last year.
Follow-ups the story says were held are recorded only if that day has come; those
not held are left scheduled, and missed ones are marked overdue at the end.
Signatories' names are invented; observation summaries hold no personal data and
notes hold internal detail without names.
"""

from __future__ import annotations

from datetime import date

from demo import kiruna, malmo, sodra_fyrbodal
from demo.story import STORY_COMPLETE_FROM_MONTH, Story
from workflow.application import Loftesboken


class DemoAlreadyLoaded(Exception):
    """The store already holds events; the demo loads only into an empty store."""


def demo_year(today: date) -> int:
    """The year the story is told for: this year once its autumn is over, else last year."""
    return today.year if today.month >= STORY_COMPLETE_FROM_MONTH else today.year - 1


def load_demo(app: Loftesboken) -> str:
    """Load the demo year into an empty store and say in one paragraph what it holds."""
    if app.recorder.max_notification_id():
        raise DemoAlreadyLoaded(
            "The store already holds events; the demo loads only into an empty store. "
            "Point LOFTEN_DATABASE_URL at a new database to load it."
        )
    story = Story(app, demo_year(app.today))
    malmo.tell(story)
    sodra_fyrbodal.tell(story)
    kiruna.tell(story)
    story.mark_missed_follow_ups()
    return story.summary()
