"""Request and response bodies for a municipality's reminder addresses."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.schemas.common import Input
from domain.reminders import MAX_ADDRESS_LENGTH, MAX_RECIPIENTS

Address = Annotated[str, StringConstraints(min_length=3, max_length=MAX_ADDRESS_LENGTH)]


class SetReminderAddresses(Input):
    """The functional addresses (team mailboxes, not people) that receive the reminders;
    an empty list stops them. Replaces whatever was set before."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"addresses": ["trygghet@malmo.se"]}]},
    )

    addresses: list[Address] = Field(max_length=MAX_RECIPIENTS)


class ReminderAddresses(BaseModel):
    """Who receives a municipality's deadline reminders, and whether this server sends."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"municipality": "1280", "addresses": ["trygghet@malmo.se"], "sending": True}
            ]
        }
    )

    municipality: str
    addresses: list[str]
    sending: bool = Field(
        description="False when no SMTP server is configured (LOFTEN_SMTP_URL): reminders "
        "are then recorded as due but not sent."
    )
