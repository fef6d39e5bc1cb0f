"""Response bodies for reference data: municipalities and themes."""

from __future__ import annotations

from pydantic import BaseModel

from domain.reference import Municipality
from domain.values import Theme
from projections.models import MunicipalitySummary


class MunicipalityOut(BaseModel):
    code: str
    name: str
    county: str
    police_region: str

    @classmethod
    def of(cls, municipality: Municipality) -> MunicipalityOut:
        return cls(
            code=municipality.code,
            name=municipality.name,
            county=municipality.county,
            police_region=municipality.police_region,
        )


class MunicipalityDetail(MunicipalityOut):
    """One municipality with the counts of its record; drafts are counted only for readers
    who may see them (the public form leaves the `draft` key out)."""

    summary: MunicipalitySummary


class ThemeOut(BaseModel):
    """A theme of the controlled list, with its Swedish and English label."""

    theme: Theme
    label_sv: str
    label_en: str


class Health(BaseModel):
    status: str
