"""What the workspace's pages share: the application, the views, choices, the trail."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, TypeVar
from uuid import UUID

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.auth import require_internal_reader, require_scope, require_writer
from api.routers.reports import read_side
from api.schemas.common import EARLIEST_YEAR, LATEST_YEAR
from api.views import Views, fresh_views, query_checked
from api.web.i18n import Translator
from api.web.rendering import with_lang
from api.web.workspace.pages import page, translator
from api.web.workspace.session import Principal
from domain.reference import municipalities
from projections.catalogue import CatalogueView
from workflow.application import Loftesboken
from workflow.errors import NotFound

Trail = list[tuple[str, str]]


def application(request: Request) -> Loftesboken:
    app: Loftesboken = request.app.state.loftesboken
    return app


def views(request: Request) -> Views:
    """The views once they hold every write made before this request."""
    return fresh_views(read_side(request))


def parse_uuid(value: str, kind: str) -> UUID:
    """The id in a workspace path; a malformed one names nothing (404)."""
    try:
        return UUID(value)
    except ValueError:
        raise NotFound(kind, UUID(int=0)) from None


def may_read(principal: Principal, codes: Sequence[str], what: str) -> None:
    """Internal reads (notes, drafts): the municipality's own people, auditors, admins."""
    require_internal_reader(principal.token, codes, what)


def may_write(principal: Principal, codes: Sequence[str], *, every: bool = False) -> None:
    """The API's rule for writes: a writing role, acting for (each of) the municipalities."""
    require_writer(principal.token)
    require_scope(principal.token, codes, every=every)


def own_municipalities(principal: Principal) -> list[tuple[str, str]]:
    """The municipalities the person acts for, as (code, name), by name (admins: all 290)."""
    everyone = municipalities()
    codes = everyone if principal.role.value == "admin" else principal.token.municipalities
    return sorted(((code, everyone[code].name) for code in codes), key=lambda pair: pair[1])


def chosen_municipality(principal: Principal, asked: str | None) -> str | None:
    """The municipality a list shows: the one asked for, else the person's first."""
    if asked and asked in municipalities():
        return asked
    own = own_municipalities(principal)
    return own[0][0] if own and not principal.acts_for_all else None


E = TypeVar("E", bound=Enum)


def member_of(kind: type[E], value: str | None) -> E | None:
    """The vocabulary member a filter names; blank or unknown: no filter."""
    try:
        return kind(value) if value else None
    except ValueError:
        return None


def year_of(value: str | None) -> int | None:
    """The year a filter names; blank or not a year: no filter."""
    if value and value.isdigit() and EARLIEST_YEAR <= int(value) <= LATEST_YEAR:
        return int(value)
    return None


def options(t: Translator, members: Sequence[Enum]) -> list[tuple[str, str]]:
    return [(member.value, t.of(member)) for member in members]


def trail(t: Translator, *steps: tuple[str, str]) -> Trail:
    """Start > ... : each step (label, path), the paths made to keep the language."""
    return [(t("ws_nav_start"), with_lang("/arbete/", t.lang))] + [
        (label, with_lang(path, t.lang)) for label, path in steps
    ]


def municipality_step(t: Translator, code: str) -> tuple[str, str]:
    return municipalities()[code].name, f"/arbete/?kommun={code}"


def form_context(
    values: dict[str, Any] | None = None, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    return {"values": values or {}, "errors": errors or {}}


def list_page(
    request: Request,
    principal: Principal,
    kommun: str | None,
    *,
    template: str,
    title: str,
    what: str,
    read: Callable[[CatalogueView, str], Any],
    **context: Any,
) -> HTMLResponse:
    """A list of one municipality's dialogues, issues or promises, as `read` finds them in
    the views (a malformed cursor is a 422 page); the person must read that municipality."""
    t = translator(request)
    code = chosen_municipality(principal, kommun)
    found = views(request)
    listed = None
    if code is not None:
        may_read(principal, [code], what)
        with query_checked():
            listed = read(found.catalogue, code)
    return page(
        request,
        principal,
        template,
        title,
        headers=found.headers(),
        code=code,
        listed=listed,
        places=own_municipalities(principal),
        trail=trail(t, (title, "")),
        **context,
    )
