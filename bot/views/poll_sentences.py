"""Plain-words sentences that explain a published result, in the reader's language.

Input is a :class:`~bot.domain.disclosure.Publication`, never a raw tally, so nothing here can
say more than the poll's rung allows: the equal-weight decision comes first, in words, on
every rung that carries it. Output is plain text (no HTML); the callers escape it and add
layout. (These sentences were in bot/domain/results_text.py; they moved here to be
translated, since the domain imports nothing from bot.i18n.)
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from bot.domain.disclosure import Publication
from bot.domain.poll_rules import SCALE_MAX, PollKind
from bot.domain.results_text import format_mean
from bot.domain.roles import ROLES, Role
from bot.i18n import N_, _, ngettext
from bot.views import role_words as words
from bot.views.poll_wording import mean_words, option_names, separated, word_list


def _mean(value: Fraction) -> str:
    return mean_words(format_mean(value))


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _names(options: Sequence[str], indices: frozenset[int]) -> str:
    return word_list([options[i] for i in sorted(indices)])


def _roles(roles: Sequence[Role], conjunction: str = "and") -> str:
    return word_list([words.plural(r) for r in roles], conjunction)


def _lead_sentence(options: Sequence[str], leaders: frozenset[int]) -> str:
    if len(leaders) == 1:
        return _("By head count, {options} leads.").format(options=_names(options, leaders))
    return _("By head count, {options} are tied.").format(options=_names(options, leaders))


def _preference_sentence(pub: Publication, options: Sequence[str]) -> str:
    """'The roles agree: A.' or 'Service users and carers preferred A; staff preferred B.'"""
    if pub.agreement is not None:
        return _("The roles agree: {option}.").format(option=options[pub.agreement])
    # Group roles that share the same top option(s), keeping the fixed role order.
    groups: dict[frozenset[int], list[Role]] = {}
    for role in ROLES:
        if role in pub.role_leaders:
            groups.setdefault(pub.role_leaders[role], []).append(role)
    parts = []
    for tops, roles in groups.items():
        template = (
            _("{roles} preferred {options}")
            if len(tops) == 1
            else _("{roles} were split between {options}")
        )
        parts.append(template.format(roles=_roles(roles), options=_names(options, tops)))
    return _capitalise(separated(parts, strong=True)) + "."


def _missing_sentence(pub: Publication) -> str:
    return _("No {roles} voted, so this is not a balanced result.").format(
        roles=_roles(pub.missing_roles, "or")
    )


def _block_sentence(pub: Publication) -> str | None:
    if not pub.blocks:
        return None
    sentence = ngettext(
        "{count} person blocked this proposal", "{count} people blocked this proposal", pub.blocks
    ).format(count=pub.blocks)
    if pub.blocked_by and len(pub.voting_roles) > 1:
        # Only present when role figures are published, so it adds nothing the shares don't.
        sentence += f" ({_roles([r for r in ROLES if r in pub.blocked_by])})"
    return sentence + "."


# Bands of a 1-5 average (bot.domain.disclosure_ladder.scale_band).
BAND_WORDS = (
    N_("low (under 2.5 out of 5)"),
    N_("in the middle (2.5 to 3.5 out of 5)"),
    N_("high (3.5 or more out of 5)"),
)
SUPPORT_WORDS = (
    N_("few chose {options}"),
    N_("about half chose {options}"),
    N_("most chose {options}"),
)
RAW_SUPPORT_WORDS = (
    N_("fewer than half chose {options}"),
    N_("exactly half chose {options}"),
    N_("more than half chose {options}"),
)


def _support_words(classes: Sequence[int], options: Sequence[str], templates: Sequence[str]) -> str:
    """'most chose A and C; about half chose B; few chose D.' (strongest first)."""
    parts = []
    for level in (2, 1, 0):
        chosen = [options[i] for i, c in enumerate(classes) if c == level]
        if chosen:
            parts.append(_(templates[level]).format(options=word_list(chosen)))
    return separated(parts, strong=True) + "."


def decision_sentence(pub: Publication, options: Sequence[str], kind: PollKind) -> str | None:
    """What equal weight decides, in words, whatever the rung: None on a head count only."""
    options = option_names(kind, options)
    if kind is PollKind.SCALE:
        if pub.equal_weight_mean is not None:
            return _("Average (equal weight): {mean} out of {top}.").format(
                mean=_mean(pub.equal_weight_mean), top=SCALE_MAX
            )
        if pub.band is None:
            return None
        return _("On equal weight, the average answer is {band}.").format(
            band=_(BAND_WORDS[pub.band])
        )
    if kind is PollKind.MULTIPLE:
        if pub.support is None:
            return None
        return _("On equal weight, {support}").format(
            support=_support_words(pub.support, options, SUPPORT_WORDS)
        )
    if pub.decision is None:
        return None
    if len(pub.decision) == 1:
        return _("On equal weight: {option}.").format(option=_names(options, pub.decision))
    return _("On equal weight it is too close to call between {options}.").format(
        options=_names(options, pub.decision)
    )


def _show_of_hands(pub: Publication, options: Sequence[str], kind: PollKind) -> str | None:
    """What a head count decides, where it is shown and differs from equal weight."""
    if kind is PollKind.SCALE:
        if pub.raw_mean is not None:
            return _("Average (head count): {mean} out of {top}.").format(
                mean=_mean(pub.raw_mean), top=SCALE_MAX
            )
        if pub.raw_band is not None and pub.raw_band != pub.band:
            return _("By head count the average answer would be {band}.").format(
                band=_(BAND_WORDS[pub.raw_band])
            )
        return None
    if kind is PollKind.MULTIPLE:
        if pub.raw_support is None:
            return None
        if pub.support is not None and tuple(pub.raw_support) == tuple(pub.support):
            return None
        return _("By head count, {support}").format(
            support=_support_words(pub.raw_support, options, RAW_SUPPORT_WORDS)
        )
    if pub.raw_leaders is None:
        return None
    if pub.decision is None:
        return _lead_sentence(options, pub.raw_leaders)
    if pub.raw_leaders == pub.decision:
        return None
    template = (
        _("A show of hands would have picked {options}.")
        if len(pub.raw_leaders) == 1
        else _("A show of hands would have tied {options}.")
    )
    return template.format(options=_names(options, pub.raw_leaders))


def results_sentences(pub: Publication, options: Sequence[str], kind: PollKind) -> list[str]:
    """The explanation of a result, decision first, one sentence per item, in reading order."""
    if pub.total_voters == 0:
        return [_("Nobody has voted yet.")]
    options = option_names(kind, options)
    out: list[str] = []
    decision = decision_sentence(pub, options, kind)
    if decision:
        out.append(decision)
    if pub.missing_roles:
        out.append(_missing_sentence(pub))
    if kind is PollKind.SCALE and pub.role_means and len(pub.voting_roles) > 1:
        by_role = word_list(
            [
                _("{role} {mean}").format(role=words.plural(r), mean=_mean(pub.role_means[r]))
                for r in ROLES
                if r in pub.role_means
            ]
        )
        out.append(_("Average by role: {averages}.").format(averages=by_role))
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
