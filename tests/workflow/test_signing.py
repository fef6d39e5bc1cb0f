"""Who signs for which party: one rule for the JSON API and the workspace."""

from __future__ import annotations

import pytest

from domain.values import Party, Role
from workflow.signing import signing_refusal

MALMO = ("1280",)


@pytest.mark.parametrize(
    ("role", "party", "municipality", "refusal"),
    [
        (Role.ADMIN, Party.POLICE, None, None),
        (Role.ADMIN, Party.MUNICIPALITY, "0180", None),
        (Role.POLICE, Party.POLICE, None, None),
        (Role.POLICE, Party.PARTNER, None, None),
        (Role.MUNICIPALITY, Party.PARTNER, None, None),
        (Role.MUNICIPALITY, Party.POLICE, None, "Only a police token signs for the police."),
        (
            Role.POLICE,
            Party.MUNICIPALITY,
            "1280",
            "Only a municipality token signs for a municipality.",
        ),
        (Role.MUNICIPALITY, Party.MUNICIPALITY, "1280", None),
        (
            Role.MUNICIPALITY,
            Party.MUNICIPALITY,
            "0180",
            "This token does not sign for municipality 0180.",
        ),
    ],
)
def test_each_party_is_signed_for_by_its_own(role, party, municipality, refusal):
    assert signing_refusal(role, MALMO, party, municipality) == refusal
