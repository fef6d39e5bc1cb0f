"""Reference data: the 290 municipalities and the controlled list of themes.

The municipality list ships inside the package (from SCB's codes, with county and
police region) and is read once, on first use.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from domain.errors import UnknownMunicipality
from domain.values import Theme


@dataclass(frozen=True)
class Municipality:
    """A kommun: its four-digit SCB code, name, county and police region."""

    code: str
    name: str
    county_code: str
    county: str
    police_region: str


@cache
def municipalities() -> dict[str, Municipality]:
    """All 290 municipalities by code, in code order."""
    text = resources.files("domain").joinpath("data/municipalities.csv").read_text("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return {row["code"]: Municipality(**row) for row in rows}


def municipality(code: str) -> Municipality:
    """The municipality with this code, or `UnknownMunicipality`."""
    try:
        return municipalities()[code]
    except KeyError:
        raise UnknownMunicipality(
            f"'{code}' is not a Swedish municipality code (kommunkod), e.g. '1280' for Malmö"
        ) from None


def require_municipalities(codes: list[str] | tuple[str, ...]) -> None:
    """Refuse any code that is not one of the 290."""
    for code in codes:
        municipality(code)


THEME_LABELS: dict[Theme, tuple[str, str]] = {
    Theme.DRUGS: ("Narkotika", "Drugs"),
    Theme.VIOLENCE: ("Våld", "Violence"),
    Theme.YOUTH_CRIME: ("Ungdomsbrottslighet", "Youth crime"),
    Theme.BURGLARY: ("Inbrott", "Burglary"),
    Theme.FRAUD: ("Bedrägerier", "Fraud"),
    Theme.TRAFFIC: ("Trafik", "Traffic"),
    Theme.VANDALISM: ("Skadegörelse", "Vandalism"),
    Theme.PUBLIC_DISORDER: ("Ordningsstörningar", "Public disorder"),
    Theme.PUBLIC_ENVIRONMENT: ("Otrygga offentliga miljöer", "Public environment"),
    Theme.DOMESTIC_VIOLENCE: ("Våld i nära relationer", "Domestic violence"),
    Theme.ORGANISED_CRIME: ("Organiserad brottslighet", "Organised crime"),
    Theme.OTHER: ("Övrigt", "Other"),
}
