"""`loften rebuild` beside a process that feeds the views, under a write load (#20).

A rebuild in another process empties the views and projects the log again while the
serving process (here a running read side in the test's process) keeps feeding them
and writers keep writing. Afterwards the views must equal a fresh rebuild row for row
and hold every acknowledged write. Both stores; SQLite writers take the lock first
(`infra.sqlite_store`), PostgreSQL's transactions interleave.

Bounded by counts: `BEFORE` writes, then one write after another until the rebuild
process ends (the number is printed).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from infra.bootstrap import open_read_side
from tests.support.builders import numbered_dialogue
from tests.support.views import dump_views
from workflow.application import Loftesboken
from workflow.settings import Settings

LOFTEN = str(Path(sys.executable).with_name("loften"))
BEFORE = 300


def test_a_rebuild_beside_a_feeding_process_ends_equal_to_a_fresh_one(
    app: Loftesboken, settings: Settings
) -> None:
    acknowledged = [numbered_dialogue(app, n) for n in range(BEFORE)]
    feeder = open_read_side(app, settings, batch_size=7)
    feeder.catch_up()
    feeder.start()
    try:
        env = {**os.environ, "LOFTEN_DATABASE_URL": settings.database_url}
        rebuild = subprocess.Popen(
            [LOFTEN, "rebuild"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        during = 0
        while rebuild.poll() is None:  # writes for as long as the rebuild runs
            acknowledged.append(numbered_dialogue(app, len(acknowledged)))
            during += 1
        output = rebuild.communicate()[0]
        assert rebuild.returncode == 0, output
        assert feeder.wait_until(feeder.head(), 120)
    finally:
        feeder.stop()
    feeder.catch_up()
    fed = dump_views(feeder)
    listed = {str(row[0]) for row in fed["dialogues"]}
    assert {str(i) for i in acknowledged} <= listed
    assert set(feeder.positions().values()) == {feeder.head()}

    fresh = open_read_side(app, settings)
    try:
        fresh.rebuild()
        assert dump_views(fresh) == fed
    finally:
        fresh.close()
        feeder.close()
    assert during > 0
    print(f"\nrebuild beside a feeder: {len(acknowledged)} writes, {during} during the rebuild")
