"""A CSV of survey counts per theme, read for the workspace: `theme,summary,count[,place]`.

A survey's answers come in only as counts per theme, never as individual answers.
The file is read whole and every row checked by the API's own observation model, so
the preview shows each row's errors at once and nothing is recorded while one is
wrong. A theme may be written as its code (`drugs`) or its Swedish or English label
(`Narkotika`); a file saved by a Swedish spreadsheet (semicolons, Windows-1252) reads
as well as a UTF-8 one with commas.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from api.schemas.dialogues import MAX_OBSERVATIONS, NewObservation
from api.web.i18n import Translator
from api.web.workspace.forms import FormErrors, checked
from domain.values import ObservationInput, Theme
from projections.reports.labels import Labels

REQUIRED = ("theme", "summary", "count")
COLUMNS = (*REQUIRED, "place")
#: Far above 1,000 rows of survey counts; anything larger is not such a file.
MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]
    errors: dict[str, str]


@dataclass
class Preview:
    """The file as read: each row with its errors, errors about the file as a whole, the text."""

    text: str
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    observations: list[ObservationInput] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(not row.errors for row in self.rows)

    @property
    def bad_rows(self) -> int:
        return sum(bool(row.errors) for row in self.rows)


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _themes() -> dict[str, Theme]:
    names: dict[str, Theme] = {}
    for lang in ("sv", "en"):
        labels = Labels(lang)
        for theme in Theme:
            names[labels.of(theme).casefold()] = theme
    for theme in Theme:
        names[theme.value] = theme
    return names


def read(text: str, t: Translator) -> Preview:
    preview = Preview(text=text)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        preview.problems.append(t("csv_too_big", size=MAX_BYTES // 1024))
        return preview
    if not text.strip():
        preview.problems.append(t("csv_empty"))
        return preview
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().casefold() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        preview.problems.append(
            t("csv_columns", missing=", ".join(missing) or "–", unknown=", ".join(unknown) or "–")
        )
        return preview
    themes = _themes()
    for number, raw in enumerate(reader, start=2):
        if None in raw:
            values = {k.strip().casefold(): (v or "").strip() for k, v in raw.items() if k}
            preview.rows.append(Row(number, values, {"_row": t("csv_extra_cells")}))
            continue
        values = {k.strip().casefold(): (v or "").strip() for k, v in raw.items() if k}
        if not any(values.values()):
            continue
        preview.rows.append(_row(number, values, themes, t, preview))
    if not preview.rows:
        preview.problems.append(t("csv_empty"))
    elif len(preview.rows) > MAX_OBSERVATIONS:
        preview.problems.append(t("csv_too_many", most=MAX_OBSERVATIONS))
    return preview


def _row(
    number: int, values: dict[str, str], themes: dict[str, Theme], t: Translator, preview: Preview
) -> Row:
    data: dict[str, object] = {k: v for k, v in values.items() if v}
    errors: dict[str, str] = {}
    theme = themes.get(values.get("theme", "").casefold())
    if values.get("theme") and theme is None:
        errors["theme"] = t("csv_unknown_theme", theme=values["theme"])
    elif theme is not None:
        data["theme"] = theme.value
    try:
        observation = checked(
            NewObservation,
            data,
            t,
            numbers=["count"],
            known=errors,
            stand_ins={"theme": Theme.OTHER.value},
        )
    except FormErrors as refused:
        errors = refused.errors
    else:
        preview.observations.append(observation.to_domain())
    return Row(number, values, errors)
