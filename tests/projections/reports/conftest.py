"""The report tests read the scenario world over HTTP (fixtures in `tests.support.reports`)."""

from tests.support.reports import fresh_api, world

__all__ = ["fresh_api", "world"]
