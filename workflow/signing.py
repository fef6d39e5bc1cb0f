"""Who may sign a promise for which party: the one rule, for the API and the workspace alike."""

from __future__ import annotations

from collections.abc import Collection

from domain.values import Party, Role


def signing_refusal(
    role: Role, municipalities: Collection[str], party: Party, municipality: str | None
) -> str | None:
    """Why a caller of `role` acting for `municipalities` may not sign for `party`; None if it may.

    The police sign for the police, a municipality for itself; anyone who may write
    signs for a partner, and an administrator for any party.
    """
    if role is Role.ADMIN or party is Party.PARTNER:
        return None
    if party is Party.POLICE and role is not Role.POLICE:
        return "Only a police token signs for the police."
    if party is Party.MUNICIPALITY:
        if role is not Role.MUNICIPALITY:
            return "Only a municipality token signs for a municipality."
        if municipality is not None and municipality not in municipalities:
            return f"This token does not sign for municipality {municipality}."
    return None
