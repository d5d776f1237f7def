"""Step phrases: ``«{name}»`` matches one quoted value (never across quotes, may be empty)."""

from __future__ import annotations

import re

import parse as base_parse
from pytest_bdd import parsers


@base_parse.with_pattern(r"[^«»]*")
def _quoted(text: str) -> str:
    return text


@base_parse.with_pattern(r".*")
def _anything(text: str) -> str:
    return text


@base_parse.with_pattern(r"\d+ (?:минут[аыу]?|час(?:а|ов)?|д(?:ень|ня|ней))")
def _delay(text: str) -> str:
    return text


_QUOTED_FIELD = re.compile(r"«\{(\w+)\}»")
_TYPES = {"Q": _quoted, "A": _anything, "D": _delay}


def phrase(pattern: str) -> parsers.parse:
    """A parse pattern in which every «{name}» is one quoted value without quotes inside.

    ``«{name:A}»`` (the last value of a phrase) may itself contain «quotes», e.g. an error message;
    ``{name:D}`` is a delay as a user says it: «2 часа», «10 минут», «1 день».
    """
    return parsers.parse(_QUOTED_FIELD.sub(r"«{\1:Q}»", pattern), extra_types=_TYPES)


def readable(pattern: str) -> str:
    """The pattern as a QA author reads it (for the step catalogue)."""
    return pattern.replace(":Q}", "}").replace(":A}", "}").replace(":D}", "}")
