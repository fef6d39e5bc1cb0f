"""Write the open-data tables as a Frictionless Data Package in a zip file.

`datapackage.json` describes the package (its name, title, licence CC0-1.0, sources)
and each resource: a CSV file (RFC 4180, UTF-8, a header row, an empty cell for a
missing value) with its Table Schema. The zip's entries carry a fixed timestamp, so
the same record always makes the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from domain.reference import municipality as municipality_named
from projections.open_data.schema import TABLES, Table
from projections.open_data.tables import Cell, OpenDataTables

LICENCE = {
    "name": "CC0-1.0",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
    "title": "Creative Commons Zero v1.0 Universal",
}
#: The zip entries' timestamp (the zip format's earliest), so equal records zip alike.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class PackageFile:
    filename: str
    body: bytes
    media_type: str = "application/zip"


def package_name(municipality: str | None) -> str:
    return f"loftesboken-{municipality or 'national'}"


def descriptor(tables: OpenDataTables, site_url: str | None = None) -> dict[str, Any]:
    """The package's `datapackage.json`."""
    code = tables.municipality
    if code is None:
        title = "Löftesboken: medborgarlöften i hela Sverige"
        description = (
            "The public record of Sweden's citizen promises (medborgarlöften): dialogues, "
            "what was raised, the issues promises address, the promises, their activities, "
            "signatures, follow-ups and feedback to citizens, in every municipality."
        )
    else:
        name = municipality_named(code).name
        title = f"Löftesboken: medborgarlöften i {name}"
        description = (
            f"The public record of the citizen promises (medborgarlöften) of {name} "
            f"(kommunkod {code}): dialogues, what was raised, the issues promises address, "
            "the promises, their activities, signatures, follow-ups and feedback to citizens."
        )
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": package_name(code),
        "title": title,
        "description": description,
        "licenses": [LICENCE],
        "keywords": ["medborgarlöften", "citizen promises", "police", "municipality", "Sweden"],
        "resources": [_resource(table) for table in TABLES],
    }
    if site_url:
        page = f"{site_url.rstrip('/')}/kommun/{code}" if code else site_url
        package["sources"] = [{"title": "Löftesboken", "path": page}]
        package["homepage"] = page
    return package


def _resource(table: Table) -> dict[str, Any]:
    return {
        "name": table.name,
        "title": table.title,
        "description": table.description,
        "path": table.path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": table.schema(),
    }


def csv_text(table: Table, rows: list[tuple[Cell, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.column_names)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def open_data_package(tables: OpenDataTables, site_url: str | None = None) -> PackageFile:
    """The zip file: `datapackage.json` and one CSV per table."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, text: str) -> None:
            entry = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, text.encode("utf-8"))

        package = descriptor(tables, site_url)
        add("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2) + "\n")
        for table in TABLES:
            add(table.path, csv_text(table, tables.rows[table.name]))
    return PackageFile(f"{package_name(tables.municipality)}.zip", buffer.getvalue())
