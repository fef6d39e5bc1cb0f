"""`loften rebuild` on a running server: reads meanwhile are stale, never a 5xx (#20).

The rebuild empties each view in one transaction instead of dropping its tables, so
a read never meets a missing table (before: `relation ... does not exist`, 500).
"""

from __future__ import annotations

import threading

from infra.bootstrap import open_read_side
from tests.support.api import BOTH_STORES, TODAY, Api, api_settings, start_api
from workflow.clock import FakeClock

pytestmark = BOTH_STORES


def test_reads_during_a_rebuild_answer_without_errors(store: str) -> None:
    settings = api_settings(store).model_copy(update={"read_wait_seconds": 0.05})
    statuses: list[int] = []
    stop = threading.Event()
    for api in start_api(settings, FakeClock(TODAY)):
        for _ in range(20):
            api.dialogue()

        def read(api: Api = api) -> None:
            while not stop.is_set():
                for path in ("/api/v1/dialogues", "/api/v1/municipalities/1280"):
                    statuses.append(api.client.get(path).status_code)

        reader = threading.Thread(target=read)
        reader.start()
        rebuilder = open_read_side(api.loftesboken, settings)  # what `loften rebuild` opens
        try:
            for _ in range(5):
                rebuilder.rebuild()
        finally:
            stop.set()
            reader.join()
            rebuilder.close()
    assert statuses and set(statuses) == {200}, sorted(set(statuses))
