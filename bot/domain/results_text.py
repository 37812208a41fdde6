"""Plain-words sentences that explain a published result.

Input is a :class:`~bot.domain.disclosure.Publication`, never a raw tally, so nothing here can
say more than the disclosure rule allows. Output is plain text (no HTML); the view layer escapes
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


def results_sentences(pub: Publication, options: Sequence[str], kind: PollKind) -> list[str]:
    """The explanation of a result, one sentence per item, in reading order."""
    if pub.total_voters == 0:
        return ["Nobody has voted yet."]
    out: list[str] = []
    if pub.missing_roles:
        out.append(_missing_sentence(pub))
    if pub.withheld_reason:
        out.append(pub.withheld_reason)

    if kind is PollKind.SCALE:
        if pub.equal_weight_mean is not None:
            mean = format_mean(pub.equal_weight_mean)
            out.append(f"Average (equal weight): {mean} out of {SCALE_MAX}.")
            if pub.role_means and len(pub.voting_roles) > 1:
                by_role = join_words(
                    [
                        f"{r.plural} {format_mean(pub.role_means[r])}"
                        for r in ROLES
                        if r in pub.role_means
                    ]
                )
                out.append(f"Average by role: {by_role}.")
        elif pub.raw_mean is not None:
            out.append(f"Average (head count): {format_mean(pub.raw_mean)} out of {SCALE_MAX}.")
        return out

    if pub.role_leaders and len(pub.voting_roles) > 1:
        out.append(_preference_sentence(pub, options))
    if pub.leaders is not None:
        out.append(_lead_sentence("On equal weight, ", options, pub.leaders))
        if pub.raw_leaders is not None and pub.raw_leaders != pub.leaders:
            verb = "picked" if len(pub.raw_leaders) == 1 else "tied"
            out.append(f"A show of hands would have {verb} {_names(options, pub.raw_leaders)}.")
    elif pub.raw_leaders is not None:
        out.append(_lead_sentence("By head count, ", options, pub.raw_leaders))
    block = _block_sentence(pub)
    if block:
        out.append(block)
    return out


def results_summary(pub: Publication, options: Sequence[str], kind: PollKind) -> str:
    """The sentences as one paragraph of plain text."""
    return " ".join(results_sentences(pub, options, kind))
