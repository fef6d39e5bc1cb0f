"""Every refusal the domain and workflow can raise has a Swedish sentence in the workspace.

The messages are collected from the source with `ast` (not from a list kept by hand),
so a new rule whose sentence has no Swedish pattern fails here instead of silently
showing English on a Swedish page.
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass
from pathlib import Path

import pytest

import domain.errors
import workflow.errors
from api.web.i18n import Translator
from api.web.workspace import refusals
from api.web.workspace.forms import domain_errors
from api.web.workspace.refusals import PATTERNS, in_swedish, matching

ROOT = Path(__file__).resolve().parents[2]

#: Exceptions that reach the workspace as refusals: the domain's and the workflow's own.
REFUSALS: dict[str, type[Exception]] = {
    name: kind
    for module in (domain.errors, workflow.errors)
    for name, kind in vars(module).items()
    if isinstance(kind, type)
    and issubclass(kind, (domain.errors.DomainError, workflow.errors.WorkflowError))
}

#: Raises that are collected on purpose as something else, with the reason.
NOT_REFUSALS = {
    "ConfigurationError": "workflow/settings.py: a bad deployment setting, stops start-up",
    "ValueError": "workflow/settings.py: a bad deployment setting, never shown to staff",
    "KeyError": "domain/observations.py: a mapping's 'no such id'; commands check it first",
}

#: Raises whose message is not in the raise itself, and where it is collected instead.
ELSEWHERE = {
    "NotFound": "message built in NotFound.__init__ (workflow/errors.py), collected there",
    "VersionMismatch": "message built in VersionMismatch.__init__, collected there",
    # super().__init__ in errors.py is named so; only the two base classes pass a bare name
    "WorkflowError": "DomainError/WorkflowError.__init__(message) pass on a raise's message",
}


@dataclass(frozen=True)
class Message:
    where: str
    sample: str  # the sentence with every formatted value as "x"


def _samples(node: ast.expr, variables: dict[str, ast.expr]) -> list[str] | None:
    """The message with each formatted value as "x", one per branch of a conditional
    value (`'has' if ... else 'have'`, or a variable so built); None if not a string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _samples(node.body, variables), _samples(node.orelse, variables)
        return body + orelse if body is not None and orelse is not None else None
    if isinstance(node, ast.Name) and node.id in variables:
        return _samples(variables[node.id], {})
    if isinstance(node, ast.JoinedStr):
        texts = [""]
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                inner = value.value
                options = (
                    _samples(inner, variables)
                    if isinstance(inner, (ast.IfExp, ast.Name)) and value.conversion == -1
                    else None
                )
                options = options or ["x"]
            else:
                options = [str(ast.literal_eval(value))]
            texts = [text + option for text in texts for option in options]
        return texts
    return None


def collect() -> tuple[list[Message], list[str]]:
    """Every refusal message in domain/ and workflow/, and the raises that gave none."""
    found: list[Message] = []
    skipped: list[str] = []
    for root in ("domain", "workflow"):
        for path in sorted((ROOT / root).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for function in ast.walk(tree):
                if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                # a message built in a variable before the raise
                variables = {
                    target.id: node.value
                    for node in ast.walk(function)
                    if isinstance(node, ast.Assign)
                    for target in node.targets
                    if isinstance(target, ast.Name)
                }
                for node in ast.walk(function):
                    where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
                    call = None
                    if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                        call = node.exc
                        name = ast.unparse(call.func)
                    elif (
                        isinstance(node, ast.Call)
                        and ast.unparse(node.func) == "super().__init__"
                        and path.name == "errors.py"
                    ):
                        call, name = node, "WorkflowError"
                    if call is None:
                        continue
                    if name in NOT_REFUSALS:
                        continue
                    assert name in REFUSALS, f"{where}: {name} is neither refusal nor listed"
                    samples = _samples(call.args[0], variables) if call.args else None
                    if samples is None:
                        skipped.append(
                            f"{where}: {name}({ast.unparse(call.args[0]) if call.args else ''})"
                        )
                    else:
                        found.extend(Message(where, sample) for sample in samples)
    unique = {m.sample: m for m in found}
    return sorted(unique.values(), key=lambda m: m.where), skipped


MESSAGES, SKIPPED = collect()


def test_the_collection_found_the_rules() -> None:
    assert len(MESSAGES) > 60
    assert any("before the promise was issued on" in m.sample for m in MESSAGES)
    assert any(m.sample.startswith("No x with id x") for m in MESSAGES)  # workflow/errors.py


def test_the_raises_without_a_message_of_their_own_are_the_listed_ones() -> None:
    names = sorted({line.split(": ", 1)[1].split("(")[0] for line in SKIPPED})
    assert names == sorted(ELSEWHERE), SKIPPED


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: m.where)
def test_every_refusal_has_a_swedish_pattern(message: Message) -> None:
    assert matching(message.sample) is not None, (
        f"{message.where}: no Swedish pattern in api/web/workspace/refusals.py for "
        f"{message.sample!r}"
    )


@pytest.mark.parametrize(("pattern", "template"), PATTERNS, ids=lambda p: str(p)[:40])
def test_each_template_names_exactly_its_pattern_s_values(
    pattern: re.Pattern[str], template: str
) -> None:
    placeholders = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    assert placeholders == set(pattern.groupindex), pattern.pattern


def _string_arguments(function: str) -> set[str]:
    """The literal first arguments given to `function` anywhere in the domain."""
    words = set()
    for path in (ROOT / "domain").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and ast.unparse(node.func).endswith(function)
                and node.args
            ):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        words.add(arg.value)
    return words


def test_every_verb_and_sentence_start_the_domain_passes_has_a_translation() -> None:
    verbs = set().union(
        *(
            _string_arguments(name)
            for name in (
                "_require_open",
                "_require_draft",
                "_require_issued",
                "standing_observation",
            )
        )
    )
    assert verbs and verbs <= set(refusals.VERBS), verbs - set(refusals.VERBS)
    starts = _string_arguments("_check_after_issuance")
    assert starts and starts <= set(refusals.AFTER_ISSUANCE), starts - set(refusals.AFTER_ISSUANCE)


@pytest.mark.parametrize(
    ("english", "swedish"),
    [
        (
            "The follow-up was held on 2025-03-28, before the promise was issued on 2026-02-10.",
            "Uppföljningen hölls 2025-03-28, före löftets utfärdande 2026-02-10.",
        ),
        (
            "The promise cannot be issued yet: it needs the police signature; "
            "the signature of municipality 1280; at least one activity.",
            "Löftet kan inte utfärdas ännu: det saknar polisens underskrift; "
            "underskrift av kommun 1280; minst en aktivitet.",
        ),
        (
            "Cannot withdraw the promise: it was concluded on 2027-01-31.",
            "Det går inte att återkalla löftet: det avslutades 2027-01-31.",
        ),
        (
            "The promise is already signed for municipality 1280 (by Anna Lind).",
            "Löftet är redan undertecknat för kommun 1280 (av Anna Lind).",
        ),
        (
            "The observation's count 12 is more than the dialogue's 9 respondents.",
            "Iakttagelsens antal (12) är större än dialogens 9 svarande.",
        ),
        (
            "The promise cannot be concluded before its final follow-up (due 2026-03-01) is "
            "recorded.",
            "Löftet kan inte avslutas förrän den sista uppföljningen (senast 2026-03-01) är "
            "registrerad.",
        ),
    ],
)
def test_a_refusal_reads_in_swedish_with_its_values(english: str, swedish: str) -> None:
    assert in_swedish(english) == swedish


def test_a_sentence_or_word_without_translation_gives_none() -> None:
    assert in_swedish("Something the domain has never said.") is None
    assert (
        in_swedish("Cannot teleport the promise: it is still a draft. Sign and issue it first.")
        is None
    )


def test_beside_a_field_a_refusal_is_swedish_marked_english_or_english_as_the_page_is() -> None:
    english = "The follow-up was held on 2025-02-01, before the promise was issued on 2025-02-10."
    new_rule = "held_on 2025-02-01 falls on a public holiday."
    swedish = domain_errors(english, ["summary", "held_on"], Translator("sv"))
    assert swedish == {
        "held_on": "Uppföljningen hölls 2025-02-01, före löftets utfärdande 2025-02-10."
    }
    assert domain_errors(english, ["held_on"], Translator("en")) == {"held_on": english}
    untranslated = domain_errors(new_rule, ["held_on"], Translator("sv"))
    assert untranslated == {"held_on": f'<span lang="en">{new_rule}</span>'}
