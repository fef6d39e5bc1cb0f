"""Request and response bodies for issuing bearer tokens."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.schemas.common import Input, MunicipalityCode, ShortText
from domain.values import Actor
from infra.tokens import TokenRecord

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
                    "expires_on": "2026-06-30",
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
    expires_on: date | None = Field(
        default=None,
        description="The token's last day (Europe/Stockholm); from the day after it is 401. "
        "Not in the past. None: it works until revoked.",
    )

    @model_validator(mode="after")
    def _scope_fits_role(self) -> CreateToken:
        if self.role in SCOPED_ROLES and not self.municipalities:
            raise ValueError(f"a {self.role} token acts for at least one municipality")
        if self.role not in SCOPED_ROLES and self.municipalities:
            raise ValueError(f"an {self.role} token is not scoped to municipalities")
        if len(set(self.municipalities)) != len(self.municipalities):
            raise ValueError("a municipality is named twice")
        return self


class ActorOut(BaseModel):
    """Who did something: the label and role of the token that did it."""

    label: str
    role: str

    @classmethod
    def of(cls, actor: Actor | None) -> ActorOut | None:
        return None if actor is None else cls(label=actor.label, role=actor.role.value)


class TokenInfo(BaseModel):
    """A token as an admin sees it: never its secret (which is not stored anywhere)."""

    id: str
    role: TokenRole
    municipalities: list[str]
    label: str
    created_at: datetime
    expires_on: date | None
    last_used_on: date | None = Field(description="The last day (Europe/Stockholm) it was used.")
    revoked_at: datetime | None
    created_by: ActorOut | None = Field(description="Who issued it (None: before this was kept).")
    revoked_by: ActorOut | None = Field(description="Who revoked it.")

    @classmethod
    def of(cls, record: TokenRecord) -> TokenInfo:
        return cls(
            id=record.id,
            role=record.role.value,
            municipalities=record.municipalities,
            label=record.label,
            created_at=record.created_at,
            expires_on=record.expires_on,
            last_used_on=record.last_used_on,
            revoked_at=record.revoked_at,
            created_by=ActorOut.of(record.created_by),
            revoked_by=ActorOut.of(record.revoked_by),
        )


class TokenOut(BaseModel):
    """The new token: `token` is shown this once and stored only as a hash."""

    id: str
    token: str
    role: TokenRole
    municipalities: list[str]
    label: str
    created_at: datetime
    expires_on: date | None
