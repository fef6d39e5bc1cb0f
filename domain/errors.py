"""The errors the domain raises, each with a message a person can act on.

    DomainError                  a rule of the process was broken (HTTP 409)
    ├── InvalidValue             a value no command could accept (HTTP 422)
    │   ├── UnknownMunicipality
    │   ├── UnknownActivity      an activity id the promise does not have
    │   ├── UnknownEvidence      evidence that names nothing real or fitting
    │   └── UnknownIssue         an addressed issue that does not exist or does not fit
    ├── UnknownFollowUp          a follow-up id the promise does not have (HTTP 404)
    ├── UnknownObservation       an observation id the dialogue does not have (HTTP 404)
    └── UnknownFeedback          a feedback id the promise does not have (HTTP 404)

The workflow adds the errors that need the store (not found, stale version).
"""

from __future__ import annotations


class DomainError(Exception):
    """A command broke a rule of the process; nothing was recorded."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidValue(DomainError):
    """A value in the command is unfit whatever the state of the aggregate."""


class UnknownMunicipality(InvalidValue):
    """A municipality code that is not one of the 290 real ones."""


class UnknownActivity(InvalidValue):
    """A follow-up names an activity the promise does not have."""


class UnknownEvidence(InvalidValue):
    """Evidence names a dialogue or observation that does not exist or does not fit."""


class UnknownFollowUp(DomainError):
    """A follow-up id that the promise does not have."""


class UnknownIssue(InvalidValue):
    """A promise addresses an issue that does not exist or is of another municipality."""


class UnknownObservation(DomainError):
    """An observation id that the dialogue does not have (in a path: 404)."""


class UnknownFeedback(DomainError):
    """A feedback id that the promise does not have (in a path: 404)."""
