"""A municipality's reminder addresses: who hears about its deadlines (admin and its own tokens)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.auth import actor_of, require_reminder_manager
from api.deps import App, CurrentToken
from api.errors import ApiProblem, problems
from api.schemas.reminders import ReminderAddresses, SetReminderAddresses
from domain.reference import municipalities

router = APIRouter(prefix="/api/v1/municipalities", tags=["reminders"])


def _known(code: str) -> None:
    if code not in municipalities():
        raise ApiProblem(404, "not-found", f"No municipality with code {code!r}.")


def _answer(request: Request, code: str, addresses: tuple[str, ...]) -> ReminderAddresses:
    sending = request.app.state.settings.smtp_url is not None
    return ReminderAddresses(municipality=code, addresses=list(addresses), sending=sending)


@router.get(
    "/{code}/reminders",
    response_model=ReminderAddresses,
    summary="Read who receives a municipality's deadline reminders",
    responses=problems(401, 403, 404),
)
def get_reminders(code: str, request: Request, token: CurrentToken, app: App) -> ReminderAddresses:
    """Admin, or a municipality token of `code`. No addresses set: an empty list."""
    _known(code)
    require_reminder_manager(token, code)
    return _answer(request, code, app.reminder_addresses(code))


@router.put(
    "/{code}/reminders",
    response_model=ReminderAddresses,
    summary="Set who receives a municipality's deadline reminders",
    responses=problems(401, 403, 404, 413, 422),
)
def put_reminders(
    code: str, body: SetReminderAddresses, request: Request, token: CurrentToken, app: App
) -> ReminderAddresses:
    """Replaces the addresses (recorded as an event in the municipality's audit chain, with
    who set them; the same addresses again record nothing). Addresses are lower-cased,
    deduplicated and sorted; one that is not an e-mail address is 422."""
    _known(code)
    require_reminder_manager(token, code)
    addresses = app.set_reminder_addresses(code, body.addresses, actor=actor_of(token))
    return _answer(request, code, addresses)
