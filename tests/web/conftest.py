"""The public pages read the scenario world of the report tests (see tests/reports/conftest)."""

from tests.reports.conftest import fresh_api, world

__all__ = ["fresh_api", "world"]
