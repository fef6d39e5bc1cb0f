"""ReminderRecipients: one per municipality, well-formed addresses, a change only when changed."""

from __future__ import annotations

import pytest

from domain.errors import InvalidValue, UnknownMunicipality
from domain.reminders import MAX_RECIPIENTS, ReminderRecipients, recipients_id
from domain.values import Actor, Role

ADMIN = Actor(label="Förvaltare", role=Role.ADMIN)


def test_the_first_setting_creates_the_municipalitys_one_aggregate() -> None:
    recipients = ReminderRecipients.first_set(
        municipality_code="1280", addresses=[" Trygghet@Malmo.se", "trygghet@malmo.se"], actor=ADMIN
    )
    assert recipients.id == recipients_id("1280") != recipients_id("1281")
    assert recipients.addresses == ("trygghet@malmo.se",)
    [created] = recipients.collect_events()
    assert isinstance(created, ReminderRecipients.RecipientsSet)
    assert (created.municipality, created.addresses, created.actor) == (
        "1280",
        ["trygghet@malmo.se"],
        ADMIN,
    )


def test_a_change_is_recorded_only_when_the_set_changes() -> None:
    recipients = ReminderRecipients.first_set(
        municipality_code="1280", addresses=["trygghet@malmo.se"], actor=ADMIN
    )
    recipients.collect_events()
    assert not recipients.change(addresses=["TRYGGHET@malmo.se"], actor=ADMIN)
    assert recipients.collect_events() == []
    assert recipients.change(addresses=["b@malmo.se", "a@malmo.se"], actor=ADMIN)
    [changed] = recipients.collect_events()
    assert isinstance(changed, ReminderRecipients.RecipientsChanged)
    assert changed.addresses == ["a@malmo.se", "b@malmo.se"]
    assert recipients.change(addresses=[], actor=ADMIN)
    assert recipients.addresses == ()


@pytest.mark.parametrize(
    "address",
    [
        "",
        "trygghet",
        "@malmo.se",
        "trygghet@malmo",
        "trygg het@malmo.se",
        "a@.se",
        "a@malmo.se.",
        'a@b.se"',
        "<a@malmo.se>",
        "x" * 250 + "@malmo.se",
    ],
)
def test_an_address_that_is_not_one_is_refused_and_nothing_recorded(address: str) -> None:
    recipients = ReminderRecipients.first_set(
        municipality_code="1280", addresses=["trygghet@malmo.se"], actor=ADMIN
    )
    recipients.collect_events()
    with pytest.raises(InvalidValue):
        recipients.change(addresses=["ok@malmo.se", address], actor=ADMIN)
    assert recipients.collect_events() == []
    assert recipients.addresses == ("trygghet@malmo.se",)


def test_too_many_addresses_and_unknown_municipalities_are_refused() -> None:
    many = [f"lag{i}@malmo.se" for i in range(MAX_RECIPIENTS + 1)]
    with pytest.raises(InvalidValue, match="At most"):
        ReminderRecipients.first_set(municipality_code="1280", addresses=many, actor=ADMIN)
    with pytest.raises(UnknownMunicipality):
        ReminderRecipients.first_set(municipality_code="9999", addresses=[], actor=ADMIN)
