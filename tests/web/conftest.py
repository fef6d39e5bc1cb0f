"""The public pages read the scenario world of the report tests (`tests.support.reports`)."""

from tests.support.reports import fresh_api, world

__all__ = ["fresh_api", "world"]
