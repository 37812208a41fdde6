"""Poll kinds and the rules for what a facilitator may type when making a poll.

Everything here is pure: it takes text and numbers and either returns a clean value or raises
:class:`PollInputError` with a message written for the person who typed it. The messages are
shown as they are (after HTML escaping by the view layer), so they are kind, short and say what
to do next, with an example where that helps.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.lookalikes import skeleton, strip_hidden
from bot.domain.problems import N_, ProblemError
from bot.domain.typed_items import SEPARATOR as SEPARATOR
from bot.domain.typed_items import split_items


class PollKind(StrEnum):
    """What sort of answer a poll asks for."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    PROPOSAL = "proposal"
    SCALE = "scale"


class Visibility(StrEnum):
    """When results are shown. Only AFTER_CLOSE is offered: live results leak by differencing
    (DESIGN section 3, promise 5; issue 12). The other values remain for polls made before."""

    LIVE = "live"
    AFTER_VOTING = "after_voting"
    AFTER_CLOSE = "after_close"


DEFAULT_VISIBILITY = Visibility.AFTER_CLOSE

QUESTION_MIN_LEN = 1
QUESTION_MAX_LEN = 300
OPTIONS_MIN = 2
OPTIONS_MAX = 10
OPTION_MIN_LEN = 1
OPTION_MAX_LEN = 100

PROPOSAL_OPTIONS: tuple[str, ...] = ("Agree", "Unsure", "Disagree", "Block")
# Index of "Block" in PROPOSAL_OPTIONS: a block is special (it can stop a proposal).
BLOCK_INDEX = 3
# The proposal answers that invite a short private reason: Disagree and Block.
REASON_OPTIONS: tuple[int, ...] = (PROPOSAL_OPTIONS.index("Disagree"), BLOCK_INDEX)
SCALE_OPTIONS: tuple[str, ...] = ("1", "2", "3", "4", "5")
SCALE_MAX = len(SCALE_OPTIONS)

EXAMPLE_LINE = "/poll Should we meet monthly? | Yes | No"
# The same poll typed one item per line, as the refusals also show it.
EXAMPLE_LINES = "/poll Should we meet monthly?\nYes\nNo"

# Kinds where a voter picks exactly one option.
SINGLE_ANSWER_KINDS = frozenset({PollKind.SINGLE, PollKind.PROPOSAL, PollKind.SCALE})


# Said by both ways of making a poll (a typed /poll and the guided set-up).
QUESTION_TOO_LONG = N_(
    "The question is {length} characters long. Please keep it to {limit} characters or "
    "fewer, so it is easy to read on a phone."
)


class PollInputError(ProblemError):
    """Raised with a template and its values (bot/domain/problems.py) that tell the person
    what to fix; `.message` is its English, the view says it in the reader's language."""


@dataclass(frozen=True, slots=True)
class PollDraft:
    """A poll that has passed every input rule and is ready to be stored."""

    question: str
    options: tuple[str, ...]
    kind: PollKind = PollKind.SINGLE
    max_choices: int = 1
    visibility: Visibility = DEFAULT_VISIBILITY


def fixed_options(kind: PollKind) -> tuple[str, ...] | None:
    """The options a kind always has, or None when the facilitator writes them."""
    if kind is PollKind.PROPOSAL:
        return PROPOSAL_OPTIONS
    if kind is PollKind.SCALE:
        return SCALE_OPTIONS
    return None


def scale_value(index: int) -> int:
    """The number a scale option stands for: option 0 is '1', option 4 is '5'."""
    if not 0 <= index < SCALE_MAX:
        raise ValueError(f"scale option index out of range: {index}")
    return index + 1


_HSPACE = re.compile(r"[^\S\n]+")  # any whitespace except newline
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_ANY_SPACE = re.compile(r"\s+")


def _drop_controls(text: str, keep_newline: bool) -> str:
    """Turn whitespace controls into spaces and drop the other control characters.

    Only category Cc is removed: format characters (Cf) such as the zero-width joiner are part
    of emoji sequences and must survive.
    """
    out: list[str] = []
    for ch in text.replace("\r\n", "\n"):
        if ch == "\n" and keep_newline:
            out.append(ch)
        elif ch in "\t\n\r\v\f":
            out.append(" ")
        elif unicodedata.category(ch) == "Cc":
            continue
        else:
            out.append(ch)
    return "".join(out)


def normalise_question(text: str) -> str:
    """Tidy a question: no control characters except newline, single spaces, no blank edges."""
    text = _drop_controls(text, keep_newline=True)
    lines = [_HSPACE.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines).strip("\n")
    return _MANY_BLANK_LINES.sub("\n\n", text)


def normalise_option(text: str) -> str:
    """Tidy an option: one line, single spaces, no control or invisible characters, NFKC (so
    full-width "Ｙｅｓ" is "Yes")."""
    text = unicodedata.normalize("NFKC", _drop_controls(text, keep_newline=False))
    return _ANY_SPACE.sub(" ", strip_hidden(text)).strip()


def option_key(option: str) -> str:
    """What two options must not share: they would look the same on a phone (same letters in
    another case or script, hidden characters; see bot/domain/lookalikes.py)."""
    return skeleton(option)


def same_option_error(
    first: str, second: str, numbers: tuple[int, int] | None = None
) -> PollInputError:
    """Why a second option with the same key as the first is refused, in plain words: "the
    same" when only case or spacing differs, "looks the same" when the letters do."""
    if first.casefold() == second.casefold():
        if numbers:
            return PollInputError(
                N_(
                    'Options {first} and {second} are the same ("{option}"). '
                    "Please make each option different."
                ),
                first=numbers[0],
                second=numbers[1],
                option=second,
            )
        return PollInputError(
            N_("“{option}” is already an option. Please make each option different."),
            option=second,
        )
    if numbers:
        return PollInputError(
            N_(
                "Options {first} and {second} look the same on a phone, so people could not "
                "tell which is which. Please make each option clearly different."
            ),
            first=numbers[0],
            second=numbers[1],
        )
    return PollInputError(
        N_(
            "“{option}” and “{other}” look the same on a phone, so people could not tell which "
            "is which. Please make each option clearly different."
        ),
        option=second,
        other=first,
    )


def _validate_question(question: str) -> str:
    q = normalise_question(question)
    if len(q) < QUESTION_MIN_LEN:
        raise PollInputError(
            N_("The poll needs a question. Write it first, then the options, like: {example}"),
            example=EXAMPLE_LINE,
        )
    if len(q) > QUESTION_MAX_LEN:
        raise PollInputError(QUESTION_TOO_LONG, length=len(q), limit=QUESTION_MAX_LEN)
    return q


def _validate_options(options: Sequence[str]) -> tuple[str, ...]:
    if len(options) < OPTIONS_MIN:
        raise PollInputError(
            N_(
                "A poll needs at least {count} options. Write each on a new line under the "
                "question (or separate them with {separator}), like: {example}"
            ),
            count=OPTIONS_MIN,
            separator=SEPARATOR,
            example=EXAMPLE_LINE,
        )
    if len(options) > OPTIONS_MAX:
        raise PollInputError(
            N_(
                "A poll can have at most {limit} options, and this one has {count}. "
                "Please remove some, or split it into two polls."
            ),
            limit=OPTIONS_MAX,
            count=len(options),
        )
    cleaned: list[str] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(options, start=1):
        option = normalise_option(raw)
        key = option_key(option)
        if len(option) < OPTION_MIN_LEN or not key:
            raise PollInputError(
                N_(
                    "Option {number} is empty. Write something between the {separator} signs, "
                    "or remove the extra {separator}."
                ),
                number=number,
                separator=SEPARATOR,
            )
        if len(option) > OPTION_MAX_LEN:
            raise PollInputError(
                N_(
                    "Option {number} is {length} characters long. Please keep each option to "
                    "{limit} characters or fewer."
                ),
                number=number,
                length=len(option),
                limit=OPTION_MAX_LEN,
            )
        if key in seen:
            first = cleaned[seen[key] - 1]
            raise same_option_error(first, option, (seen[key], number))
        seen[key] = number
        cleaned.append(option)
    return tuple(cleaned)


def validate_draft(
    question: str,
    options: Sequence[str] = (),
    kind: PollKind = PollKind.SINGLE,
    max_choices: int | None = None,
    visibility: Visibility = DEFAULT_VISIBILITY,
) -> PollDraft:
    """Check and tidy a poll made step by step (the guided flow) or from one line.

    For proposals and scales the options are fixed: pass none (or exactly the fixed ones).
    ``max_choices`` only means something for MULTIPLE; it defaults to "all of them".
    """
    q = _validate_question(question)
    fixed = fixed_options(kind)
    if fixed is not None:
        if options and tuple(normalise_option(o) for o in options) != fixed:
            raise PollInputError(
                N_(
                    "This kind of poll always has the options {options}. "
                    "You don't need to write any options for it."
                ),
                options=", ".join(fixed),
            )
        opts = fixed
    else:
        opts = _validate_options(options)

    if kind is PollKind.MULTIPLE:
        limit = len(opts) if max_choices is None else max_choices
        if not 1 <= limit <= len(opts):
            raise PollInputError(
                N_(
                    "People can be allowed to choose between 1 and {count} options in this "
                    "poll, not {limit}."
                ),
                count=len(opts),
                limit=limit,
            )
    else:
        if max_choices not in (None, 1):
            raise PollInputError(
                N_("Only a multiple-choice poll lets people choose more than one option.")
            )
        limit = 1
    return PollDraft(question=q, options=opts, kind=kind, max_choices=limit, visibility=visibility)


def parse_poll_line(text: str) -> PollDraft:
    """Parse what people type after /poll: ``Should we meet monthly? | Yes | No | Not sure``.

    The result is a single-choice poll with results shown after close; other kinds and settings
    come from the guided flow.
    """
    if not normalise_question(text):
        raise PollInputError(
            N_(
                "Write your question after /poll. Then put each option on a new line, or "
                "between {separator} signs. Like this: {example}"
            ),
            separator=SEPARATOR,
            example=EXAMPLE_LINE,
        )
    # NFKC before splitting, as options are normalised: a full-width "｜" separates too.
    question, *options = split_items(unicodedata.normalize("NFKC", text))
    return validate_draft(question, options)


def validate_selection(
    kind: PollKind, n_options: int, max_choices: int, selected: frozenset[int]
) -> None:
    """Check a voter's choice before it becomes a ballot; raise PollInputError if it can't."""
    if any(not 0 <= i < n_options for i in selected):
        # Only a stale or forged button can do this; the message still makes sense to a person.
        raise PollInputError("That option is no longer part of this poll. Please vote again.")
    if kind in SINGLE_ANSWER_KINDS:
        if len(selected) != 1:
            raise PollInputError("Please choose one option.")
        return
    if not selected:
        raise PollInputError("Please choose at least one option.")
    if len(selected) > max_choices:
        noun = "option" if max_choices == 1 else "options"
        raise PollInputError(f"You can choose up to {max_choices} {noun} in this poll.")


def results_visible(visibility: Visibility, *, closed: bool, has_voted: bool) -> bool:
    """Whether someone may see results now: only once the poll has closed, whatever its
    visibility said when it was made. Results that change with each vote, in the group or
    privately, let anyone who saw a person press work out their vote by comparing before and
    after (issue 12); `live` and `after voting` are kept only so old polls still load."""
    del visibility, has_voted
    return closed
