"""The reports as CSV: one row per figure, so every value of the JSON form is carried.

Layout (RFC 4180, UTF-8, header `section,key,value`):

- `section` is the report's top-level JSON key (`dialogues`, `promises`, `audit`...);
- `key` is the dotted path below it, list items by their position from 0 in the JSON
  order (`by_kind.citizen_dialogue`, `0.activities.1.status`); empty for a top-level
  value such as `year`;
- `value` is the JSON value as text (empty for null; dates ISO 8601; shares as decimals).

An empty list still gets a row (`feedback,,` with an empty key) so no section vanishes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from projections.reports.models import AnnualReport, NationalReport

HEADER = ("section", "key", "value")


def render_csv(report: AnnualReport | NationalReport) -> str:
    """The report as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for section, value in report.model_dump(mode="json").items():
        for key, leaf in _leaves(value, ""):
            writer.writerow((section, key, _text(leaf)))
    return buffer.getvalue()


def _leaves(value: object, path: str) -> Iterator[tuple[str, object]]:
    """Every scalar below `value`, with its dotted path; an empty container is one leaf."""
    if isinstance(value, dict) and value:
        for key, child in value.items():
            yield from _leaves(child, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list) and value:
        for index, child in enumerate(value):
            yield from _leaves(child, f"{path}.{index}" if path else str(index))
    elif isinstance(value, dict | list):
        yield path, None
    else:
        yield path, value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
