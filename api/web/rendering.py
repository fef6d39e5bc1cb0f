"""Render a page: the one Jinja environment, the language of the request, the page's metadata.

Every page (public or workspace) goes through `render`, which hands the template
what the base layout needs: the language and its translator `t`, links that keep
the language (`href`), the link to the same page in the other language, the page's
canonical address, and its title, description and JSON twin for the `<head>`
(`<title>`, description, Open Graph, `rel=alternate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from api.web import public_phrases  # noqa: F401  (registers the public pages' words)
from api.web.i18n import Lang, Translator, page_lang
from projections.templating import template_environment
from workflow.clock import today

SITE_NAME = "Löftesboken"


@cache
def environment() -> Environment:
    """The templates of the web pages (autoescaped, compiled once)."""
    return template_environment("api.web")


@dataclass(frozen=True)
class PageMeta:
    """What a page says of itself in its `<head>`."""

    title: str
    description: str
    #: The same facts as JSON in the API, when there is such a read.
    json_url: str | None = None
    #: Open Graph type: `website` for lists, `article` for one promise or dialogue.
    kind: str = "website"


def with_lang(path: str, lang: Lang, query: Mapping[str, str] | None = None) -> str:
    """`path` with its query, plus `lang=en` when the page is English (`path` may carry a
    query of its own: `/arbete/dialoger/ny?kommun=1280`)."""
    path, _, own = path.partition("?")
    merged = {**dict(parse_qsl(own, keep_blank_values=True)), **(query or {})}
    params = {key: value for key, value in merged.items() if key != "lang"}
    if lang == "en":
        params["lang"] = "en"
    return f"{path}?{urlencode(params)}" if params else path


def request_lang(request: Request) -> Lang:
    return page_lang(request.query_params.get("lang"))


def base_context(request: Request, meta: PageMeta) -> dict[str, Any]:
    """What `templates/base.html` needs, for this request: every renderer passes these."""
    lang = request_lang(request)
    other: Lang = "sv" if lang == "en" else "en"
    query = dict(request.query_params)
    base = str(request.base_url).rstrip("/")
    day = today(request.app.state.clock)
    return {
        "request": request,
        "lang": lang,
        "other_lang": other,
        "t": Translator(lang),
        "href": lambda path: with_lang(path, lang),
        "other_lang_url": with_lang(request.url.path, other, query),
        "canonical_url": base + with_lang(request.url.path, lang),
        "absolute": lambda path: base + path,
        "meta": meta,
        "site_name": SITE_NAME,
        "today": day,
        "current_year": day.year,
    }


def render(
    request: Request,
    template: str,
    meta: PageMeta,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """The template rendered for this request, as an HTML response in its language."""
    values = base_context(request, meta)
    html = environment().get_template(template).render(**values, **context)
    response_headers = {"Content-Language": values["lang"], **(headers or {})}
    return HTMLResponse(html, status_code=status_code, headers=response_headers)
