"""The one way Löftesboken makes a Jinja2 environment: for the reports and the web pages alike.

Autoescaped HTML, undefined names an error rather than an empty string, blocks that do
not leave blank lines, a null value (an erased title or summary) written as nothing
rather than as "None", and the `municipality_name` filter every template may use.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from domain.reference import municipalities


def template_environment(package: str) -> Environment:
    """An environment over the `templates/` folder of `package` (compile it once: cache it)."""
    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_nothing_for_none,
    )
    env.filters["municipality_name"] = lambda code: municipalities()[code].name
    return env


def _nothing_for_none(value: object) -> object:
    return "" if value is None else value
