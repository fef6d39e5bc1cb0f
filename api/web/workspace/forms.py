"""From a posted form to the API's own request models, and back to messages next to fields.

A workspace form is checked by the very pydantic model the JSON API checks its body
with (`api.schemas`), so the two refuse the same input. What a browser sends is text:
blank optional fields become absent, number fields become integers (or an error
saying so), lines of a textarea become a list. A refusal comes back as
`{field: message}` in Swedish (or English), which the templates show next to each
field and in the summary at the top, with what was typed kept.

Domain refusals (rules of the process, `DomainError`) carry a sentence naming the
values that disagree; `domain_errors` puts it next to the field it names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from markupsafe import Markup
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from api.web.i18n import Translator
from api.web.workspace.refusals import in_swedish

M = TypeVar("M", bound=BaseModel)

#: A field of the form-level kind (shown in the summary, not beside a field).
FORM = "_form"
#: The hidden field every form that changes an aggregate carries: the version it showed.
VERSION = "version"


class FormErrors(Exception):
    """The form cannot be accepted as sent; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


def values_of(form: FormData) -> dict[str, str]:
    """What was typed, field by field (a field sent twice keeps its last value)."""
    return {key: value for key, value in form.items() if isinstance(value, str)}


def lines(text: str | None) -> list[str]:
    """The non-blank lines of a textarea, trimmed (e.g. one organiser per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def version_of(form: Mapping[str, Any]) -> int | None:
    """The version the page showed when the form was loaded (None if it does not say)."""
    value = str(form.get(VERSION) or "")
    return int(value) if value.isdigit() and len(value) < 12 else None


_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("Fyll i det här fältet.", "Fill in this field."),
    "string_too_short": ("Fyll i det här fältet.", "Fill in this field."),
    "string_too_long": ("Högst {max_length} tecken.", "At most {max_length} characters."),
    "too_long": ("Högst {max_length} rader.", "At most {max_length} lines."),
    "too_short": ("Minst {min_length}.", "At least {min_length}."),
    "int_type": ("Skriv ett heltal.", "Write a whole number."),
    "int_parsing": ("Skriv ett heltal.", "Write a whole number."),
    "greater_than_equal": ("Minst {ge}.", "At least {ge}."),
    "less_than_equal": ("Högst {le}.", "At most {le}."),
    "enum": ("Välj ett av alternativen.", "Choose one of the options."),
    "literal_error": ("Välj ett av alternativen.", "Choose one of the options."),
    "uuid_parsing": ("Välj ett av alternativen.", "Choose one of the options."),
    "date_from_datetime_parsing": (
        "Skriv ett datum som ÅÅÅÅ-MM-DD.",
        "Write a date as YYYY-MM-DD.",
    ),
    "date_parsing": ("Skriv ett datum som ÅÅÅÅ-MM-DD.", "Write a date as YYYY-MM-DD."),
}
_VALUE_ERRORS: dict[str, tuple[str, str]] = {
    "must be a date written YYYY-MM-DD": (
        "Skriv ett datum som ÅÅÅÅ-MM-DD, t.ex. 2025-03-14.",
        "Write a date as YYYY-MM-DD, e.g. 2025-03-14.",
    ),
    "must not be blank": ("Fyll i det här fältet.", "Fill in this field."),
}


def message(t: Translator, error: Mapping[str, Any]) -> str:
    """One pydantic error as a sentence in the page's language."""
    index = 0 if t.lang == "sv" else 1
    kind = str(error.get("type", ""))
    context = dict(error.get("ctx") or {})
    if kind == "value_error":
        text = str(context.get("error") or error.get("msg", ""))
        for start, phrases in _VALUE_ERRORS.items():
            if text.startswith(start):
                return phrases[index]
        return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
    phrase = _MESSAGES.get(kind)
    if phrase is None:
        return str(error.get("msg", ""))
    try:
        return phrase[index].format(**context)
    except (KeyError, IndexError):
        return phrase[index]


def integers(data: dict[str, Any], names: Iterable[str], t: Translator) -> dict[str, str]:
    """Turn the named fields of `data` into integers in place; errors for those that are not."""
    errors: dict[str, str] = {}
    for name in names:
        value = data.get(name)
        if value is None or isinstance(value, int):
            continue
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        if re.fullmatch(r"-?[0-9]{1,12}", text):
            data[name] = int(text)
        else:
            errors[name] = message(t, {"type": "int_parsing"})
    return errors


def blank_to_absent(data: Mapping[str, Any]) -> dict[str, Any]:
    """Blank fields are not there at all (so optional ones take their defaults)."""
    return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}


def checked(
    model: type[M],
    data: Mapping[str, Any],
    t: Translator,
    *,
    numbers: Sequence[str] = (),
    known: Mapping[str, str] | None = None,
    stand_ins: Mapping[str, Any] | None = None,
    field_names: Mapping[tuple[Any, ...], str] | None = None,
    prefix: str = "",
) -> M:
    """`data` validated by `model`, or `FormErrors` naming every field in error at once.

    `numbers` are turned into integers first; `known` are errors found already (a field
    in error stands in with a valid value from `stand_ins`, or 1 for a number, so that
    every other field is still checked). Each error is named `prefix` + the field, or
    as `field_names` renames a location (e.g. an item of a list)."""
    values = dict(data)
    errors = {prefix + k: v for k, v in integers(values, numbers, t).items()}
    errors.update({prefix + k: v for k, v in (known or {}).items()})
    fills = {name: 1 for name in numbers} | dict(stand_ins or {})
    for name in list(errors):
        bare = name.removeprefix(prefix)
        if bare in fills:
            values[bare] = fills[bare]
    try:
        result = model.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error.get("loc", ()))
            name = (field_names or {}).get(loc) or (prefix + str(loc[0]) if loc else FORM)
            errors.setdefault(name, message(t, error))
        raise FormErrors(errors) from None
    if errors:
        raise FormErrors(errors)
    return result


def domain_errors(text: str, fields: Sequence[str], t: Translator) -> dict[str, str]:
    """A rule's refusal, beside the first of `fields` its sentence names (else the form's).

    The domain speaks English; a Swedish page shows the sentence `refusals` makes of it,
    or, if it has none yet, the English one marked `lang="en"` so a screen reader
    pronounces it as English (WCAG 3.1.2). The field is found from the English wording.
    """
    spoken = text.lower().replace("_", " ")
    shown = refusal(text, t)
    for name in fields:
        bare = name.rsplit("-", 1)[-1]  # obs-0-count, fb-published_on: the field's own name
        if bare in text or bare.replace("_", " ") in spoken:
            return {name: shown}
    return {FORM: shown}


def refusal(text: str, t: Translator, swedish_of: Callable[[str], str | None] = in_swedish) -> str:
    """A refusal (or a need the domain words) as the page shows it: English as is, else
    Swedish, or English marked `lang="en"` while it has no translation."""
    if t.lang == "en":
        return text
    swedish = swedish_of(text)
    if swedish is not None:
        return swedish
    return Markup('<span lang="en">{}</span>').format(text)


def stale(t: Translator) -> dict[str, str]:
    return {FORM: t("form_stale")}
