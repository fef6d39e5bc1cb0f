"""Request and response bodies for issuing bearer tokens."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.schemas.common import Input, MunicipalityCode, ShortText

TokenRole = Literal["police", "municipality", "auditor", "admin"]
SCOPED_ROLES = ("police", "municipality")


class CreateToken(Input):
    """A token for one role; police and municipality tokens act for the municipalities named."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "role": "police",
                    "municipalities": ["1280"],
                    "label": "Kommunpolis Malmö",
                }
            ]
        }
    )

    role: TokenRole
    municipalities: Annotated[list[MunicipalityCode], Field(max_length=290)] = Field(
        default_factory=list,
        description="Required (at least one) for police and municipality; empty otherwise.",
    )
    label: ShortText = Field(description="Who uses the token; recorded as the actor of events.")

    @model_validator(mode="after")
    def _scope_fits_role(self) -> CreateToken:
        if self.role in SCOPED_ROLES and not self.municipalities:
            raise ValueError(f"a {self.role} token acts for at least one municipality")
        if self.role not in SCOPED_ROLES and self.municipalities:
            raise ValueError(f"an {self.role} token is not scoped to municipalities")
        if len(set(self.municipalities)) != len(self.municipalities):
            raise ValueError("a municipality is named twice")
        return self


class TokenOut(BaseModel):
    """The new token: `token` is shown this once and stored only as a hash."""

    token: str
    role: TokenRole
    municipalities: list[str]
    label: str
