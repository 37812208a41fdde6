"""Plain-words sentences that explain a published result.

Input is a :class:`~bot.domain.disclosure.Publication`, never a raw tally, so nothing here can
say more than the poll's rung allows: the equal-weight decision comes first, in words, on
every rung that carries it. Output is plain text (no HTML); the view layer escapes
it and adds layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import floor

from bot.domain.disclosure import Publication
from bot.domain.poll_rules import SCALE_MAX, PollKind
from bot.domain.roles import ROLES, Role


def join_words(words: Sequence[str], conjunction: str = "and") -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def format_mean(value: Fraction) -> str:
    """One decimal, rounding half up on the exact value (floats would round 3.65 down)."""
    tenths = floor(value * 10 + Fraction(1, 2))
    return f"{tenths // 10}.{tenths % 10}"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _names(options: Sequence[str], indices: frozenset[int]) -> str:
    return join_words([options[i] for i in sorted(indices)])


def _lead_sentence(prefix: str, options: Sequence[str], leaders: frozenset[int]) -> str:
    if len(leaders) == 1:
        return f"{prefix}{_names(options, leaders)} leads."
    return f"{prefix}{_names(options, leaders)} are tied."


def _preference_sentence(pub: Publication, options: Sequence[str]) -> str:
    """'The roles agree: A.' or 'Service users and carers preferred A; staff preferred B.'"""
    if pub.agreement is not None:
        return f"The roles agree: {options[pub.agreement]}."
    # Group roles that share the same top option(s), keeping the fixed role order.
    groups: dict[frozenset[int], list[Role]] = {}
    for role in ROLES:
        if role in pub.role_leaders:
            groups.setdefault(pub.role_leaders[role], []).append(role)
    parts = []
    for tops, roles in groups.items():
        who = join_words([r.plural for r in roles])
        if len(tops) == 1:
            parts.append(f"{who} preferred {_names(options, tops)}")
        else:
            parts.append(f"{who} were split between {_names(options, tops)}")
    return _capitalise("; ".join(parts)) + "."


def _missing_sentence(pub: Publication) -> str:
    names = join_words([r.plural for r in pub.missing_roles], "or")
    return f"No {names} voted, so this is not a balanced result."


def _block_sentence(pub: Publication) -> str | None:
    if not pub.blocks:
        return None
    who = "1 person" if pub.blocks == 1 else f"{pub.blocks} people"
    sentence = f"{who} blocked this proposal"
    if pub.blocked_by and len(pub.voting_roles) > 1:
        # Only present when role figures are published, so it adds nothing the shares don't.
        sentence += f" ({join_words([r.plural for r in ROLES if r in pub.blocked_by])})"
    return sentence + "."


def decision_sentence(pub: Publication, options: Sequence[str], kind: PollKind) -> str | None:
    """What equal weight decides, in words, whatever the rung: None on a head count only."""
    if kind is PollKind.SCALE:
        if pub.equal_weight_mean is not None:
            return (
                f"Average (equal weight): {format_mean(pub.equal_weight_mean)} out of {SCALE_MAX}."
            )
        if pub.band is None:
            return None
        return f"On equal weight, the average answer is {BAND_WORDS[pub.band]}."
    if kind is PollKind.MULTIPLE:
        if pub.support is None:
            return None
        return "On equal weight, " + _support_words(pub.support, options, SUPPORT_WORDS)
    if pub.decision is None:
        return None
    if len(pub.decision) == 1:
        return f"On equal weight: {_names(options, pub.decision)}."
    return (
        "On equal weight it is too close to call between "
        f"{join_words([options[i] for i in sorted(pub.decision)])}."
    )


# Bands of a 1-5 average (bot.domain.disclosure_ladder.scale_band).
BAND_WORDS = (
    "low (under 2.5 out of 5)",
    "in the middle (2.5 to 3.5 out of 5)",
    "high (3.5 or more out of 5)",
)
SUPPORT_WORDS = ("few chose", "about half chose", "most chose")
RAW_SUPPORT_WORDS = ("fewer than half chose", "exactly half chose", "more than half chose")


def _support_words(classes: Sequence[int], options: Sequence[str], words: Sequence[str]) -> str:
    """'most chose A and C; about half chose B; few chose D.' (strongest first)."""
    parts = []
    for level in (2, 1, 0):
        chosen = [options[i] for i, c in enumerate(classes) if c == level]
        if chosen:
            parts.append(f"{words[level]} {join_words(chosen)}")
    return "; ".join(parts) + "."


def _show_of_hands(pub: Publication, options: Sequence[str], kind: PollKind) -> str | None:
    """What a head count decides, where it is shown and differs from equal weight."""
    if kind is PollKind.SCALE:
        if pub.raw_mean is not None:
            return f"Average (head count): {format_mean(pub.raw_mean)} out of {SCALE_MAX}."
        if pub.raw_band is not None and pub.raw_band != pub.band:
            return f"By head count the average answer would be {BAND_WORDS[pub.raw_band]}."
        return None
    if kind is PollKind.MULTIPLE:
        if pub.raw_support is None:
            return None
        if pub.support is None:
            return "By head count, " + _support_words(pub.raw_support, options, RAW_SUPPORT_WORDS)
        if tuple(pub.raw_support) == tuple(pub.support):
            return None
        return "By head count, " + _support_words(pub.raw_support, options, RAW_SUPPORT_WORDS)
    if pub.raw_leaders is None:
        return None
    if pub.decision is None:
        return _lead_sentence("By head count, ", options, pub.raw_leaders)
    if pub.raw_leaders == pub.decision:
        return None
    verb = "picked" if len(pub.raw_leaders) == 1 else "tied"
    return f"A show of hands would have {verb} {_names(options, pub.raw_leaders)}."


def results_sentences(pub: Publication, options: Sequence[str], kind: PollKind) -> list[str]:
    """The explanation of a result, decision first, one sentence per item, in reading order."""
    if pub.total_voters == 0:
        return ["Nobody has voted yet."]
    out: list[str] = []
    decision = decision_sentence(pub, options, kind)
    if decision:
        out.append(decision)
    if pub.missing_roles:
        out.append(_missing_sentence(pub))
    if kind is PollKind.SCALE and pub.role_means and len(pub.voting_roles) > 1:
        by_role = join_words(
            [f"{r.plural} {format_mean(pub.role_means[r])}" for r in ROLES if r in pub.role_means]
        )
        out.append(f"Average by role: {by_role}.")
    if kind is not PollKind.SCALE and pub.role_leaders and len(pub.voting_roles) > 1:
        out.append(_preference_sentence(pub, options))
    hands = _show_of_hands(pub, options, kind)
    if hands:
        out.append(hands)
    block = _block_sentence(pub)
    if block:
        out.append(block)
    return out


def results_summary(pub: Publication, options: Sequence[str], kind: PollKind) -> str:
    """The sentences as one paragraph of plain text."""
    return " ".join(results_sentences(pub, options, kind))
