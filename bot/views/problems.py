"""A problem with what a person typed, in the reader's language (bot/domain/problems.py)."""

from __future__ import annotations

from babel.dates import format_date

from bot.domain.problems import Problem, ProblemError, Words
from bot.domain.when import Day, Moment, TypedBack
from bot.i18n import DEFAULT_LANGUAGE, _, current_language
from bot.i18n.formats import when_words


def _value(value: object) -> object:
    language = current_language()
    if isinstance(value, Words):
        return _(value)
    if isinstance(value, Moment):
        return when_words(value.at, value.zone)
    if language == DEFAULT_LANGUAGE:
        return value
    if isinstance(value, Day):
        return format_date(value.on, format="full", locale=language)
    if isinstance(value, TypedBack):
        # Polish and Arabic write the 24-hour clock: "jutro o 22:00", not "10pm".
        return value.day_clock
    return value


def problem_words(problem: Problem | ProblemError) -> str:
    """The problem's words, plain text (the caller escapes them for HTML)."""
    if isinstance(problem, ProblemError):
        problem = problem.problem
    values = {name: _value(value) for name, value in problem.values.items()}
    return _(problem.template).format(**values)
