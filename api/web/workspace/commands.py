"""How every workspace form answers a command: a redirect when it was recorded, else its page
again with the refusal beside the field, what was typed kept, and nothing recorded.

    FormErrors        400  the values cannot be accepted (the API's request model said so)
    VersionMismatch   412  someone changed it since the page was loaded: the new state shown
    DomainError       409  a rule of the process, beside the field its sentence names
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.rendering import with_lang
from api.web.workspace.forms import FormErrors, domain_errors, stale
from api.web.workspace.pages import translator
from domain.errors import DomainError
from workflow.errors import VersionMismatch

#: The form's page again: (the aggregate as it is to be shown, errors, status).
Show = Callable[[Any, dict[str, str], int], HTMLResponse]


def answer(
    request: Request,
    aggregate: Any,
    command: Callable[[], object],
    *,
    show: Show,
    reload: Callable[[], Any],
    fields: Sequence[str],
    done: str,
) -> Response:
    """Run `command`; on success go to `done`, else show the form's page with the refusal."""
    t = translator(request)
    try:
        command()
    except FormErrors as refused:
        return show(aggregate, refused.errors, 400)
    except VersionMismatch:
        return show(reload(), stale(t), 412)
    except DomainError as refused:
        return show(aggregate, domain_errors(refused.message, fields, t), 409)
    return RedirectResponse(with_lang(done, t.lang), status_code=303)
