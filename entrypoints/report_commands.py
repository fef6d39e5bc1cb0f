"""`loften report annual|national` and `loften export open-data`: the public record to a file."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from projections.reports import AnnualReport, NationalReport
    from projections.reports.source import ReportSource

from entrypoints.cli import cli
from entrypoints.cli_support import (
    Command,
    command_group,
    existing_store,
    fail,
    settings_from_environment,
)

# -- reports: a municipality's annual report and national coverage, to a file or stdout ---------

report_cli = command_group("Write a report (JSON, CSV, HTML or PDF), read from the views.")
cli.add_typer(report_cli, name="report")

FormatOption = Annotated[
    str,
    typer.Option(
        "--format", "-f", metavar="FORMAT", help="pdf, html, csv or json.", case_sensitive=False
    ),
]
LangOption = Annotated[
    str, typer.Option("--lang", metavar="LANG", help="Language of HTML and PDF: sv or en.")
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="The file to write (without it, JSON, CSV and HTML go to stdout).",
    ),
]
CodeArgument = Annotated[
    str, typer.Argument(metavar="CODE", help="The municipality's kommunkod, e.g. 1280.")
]
YearArgument = Annotated[int, typer.Argument(metavar="YEAR", help="The calendar year.")]


@report_cli.command("annual", cls=Command)
def report_annual(
    code: CodeArgument,
    year: YearArgument,
    format: FormatOption = "json",
    lang: LangOption = "sv",
    output: OutputOption = None,
) -> None:
    """A municipality's annual accountability report for one year."""
    from domain.errors import UnknownMunicipality
    from domain.reference import municipality

    try:
        municipality(code)
    except UnknownMunicipality as exc:
        fail(f"{exc.message}.", 2)
    _write_report(lambda source: source.annual(code, year), year, format, lang, output)


@report_cli.command(
    "national", cls=Command, short_help="National coverage of promises in force in one year."
)
def report_national(
    year: YearArgument,
    format: FormatOption = "json",
    lang: LangOption = "sv",
    output: OutputOption = None,
) -> None:
    """National coverage: which of the 290 municipalities had a promise in force."""
    _write_report(lambda source: source.national(year), year, format, lang, output)


def check_output(output: Path) -> None:
    """Refuse a file that cannot be written before any work is done."""
    folder = output.parent
    if output.is_dir():
        fail(f"Cannot write {output}: it is a directory; give a file name.", 2)
    if not folder.is_dir():
        fail(f"Cannot write {output}: the directory {folder} does not exist.", 2)
    if not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        fail(f"Cannot write {output}: permission denied.", 2)


def _write_report(
    build: Callable[[ReportSource], AnnualReport | NationalReport],
    year: int,
    format: str,
    lang: str,
    output: Path | None,
) -> None:
    """Catch the views up with the store, build the report, render it, and write it.

    The arguments and the store are checked before the reports' libraries are imported
    (seconds on a busy machine), so a mistake is answered at once.
    """
    if not 1900 <= year <= 2999:
        fail(f"The year must be a calendar year from 1900 to 2999, not {year}.", 2)
    if output is not None:
        check_output(output)
    settings = settings_from_environment()
    existing_store(settings)

    from infra.bootstrap import open_application, open_read_side
    from projections.reports import (
        ReportFormat,
        UnknownFormat,
        UnsupportedLanguage,
        choose_format,
        parse_lang,
        render,
    )
    from projections.reports.source import ReportSource

    try:
        form = choose_format(format=format)
        language = parse_lang(lang)
    except (UnknownFormat, UnsupportedLanguage) as exc:
        message = str(exc)
        fail(message[0].upper() + message[1:], 2)
    if form is ReportFormat.PDF and output is None:
        fail("A PDF is written to a file: give --output FILE.", 2)
    app = open_application(settings)
    read_side = open_read_side(app, app.settings)
    try:
        read_side.catch_up()
        report = build(ReportSource(read_side.catalogue, read_side.audit))
    finally:
        read_side.close()
        app.close()
    rendered = render(report, form, language)
    if output is None:
        sys.stdout.write(rendered.body.decode("utf-8"))
        sys.stdout.flush()
        return
    try:
        output.write_bytes(rendered.body)
    except OSError as exc:
        fail(f"Cannot write {output}: {exc.strerror or exc}.")
    typer.echo(f"Wrote {output} ({len(rendered.body)} bytes).", err=True)


# -- open data: the public record as a Frictionless Data Package -----------------------------

export_cli = command_group("Export the public record, read from the views.")
cli.add_typer(export_cli, name="export")


@export_cli.command(
    "open-data", cls=Command, short_help="The open data as a zip file (a Data Package, CC0-1.0)."
)
def export_open_data(
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="The zip file to write.")
    ],
    municipality_code: Annotated[
        str | None,
        typer.Option(
            "--municipality",
            metavar="CODE",
            help="One municipality's kommunkod, e.g. 1280 (without it, the whole country).",
        ),
    ] = None,
) -> None:
    """The public record (a municipality's, or the whole country's) as the Frictionless Data
    Package that /api/v1/open-data/ serves: datapackage.json and one CSV per table."""
    from domain.errors import UnknownMunicipality
    from domain.reference import municipality

    if municipality_code is not None:
        try:
            municipality(municipality_code)
        except UnknownMunicipality as exc:
            fail(f"{exc.message}.", 2)
    check_output(output)
    settings = settings_from_environment()
    existing_store(settings)

    from infra.bootstrap import open_application, open_read_side
    from projections.open_data import open_data_package, read_tables

    app = open_application(settings)
    read_side = open_read_side(app, app.settings)
    try:
        read_side.catch_up()
        package = open_data_package(
            read_tables(read_side.catalogue, read_side.pages, municipality_code)
        )
    finally:
        read_side.close()
        app.close()
    try:
        output.write_bytes(package.body)
    except OSError as exc:
        fail(f"Cannot write {output}: {exc.strerror or exc}.")
    typer.echo(f"Wrote {output} ({len(package.body)} bytes).", err=True)
