"""What a poll will show and why, in plain words: the poll message's promise before voting, the
notice to small roles, and the note on a result that shows less (bot/domain/disclosure.py
decides; this module only says it)."""

from __future__ import annotations

from collections.abc import Collection

from bot.domain.disclosure import Publication, SmallRoles
from bot.domain.disclosure_ladder import Rung, rank
from bot.domain.poll_snapshot import PollSnapshot
from bot.domain.roles import ROLES, Role
from bot.i18n import N_, _, ngettext
from bot.views import role_words as words
from bot.views.poll_wording import participation_sentence, word_list

# What the result will show, by rung, as the end of "When the poll closes, I will show ...".
RUNG_WORDS: dict[Rung, str] = {
    Rung.FULL: N_("every figure, role by role"),
    Rung.ROUNDED: N_(
        "what equal weight decides, the votes for each option and the equal-weight scores "
        "to the nearest 10%"
    ),
    Rung.DECISION_AND_COUNT: N_("what equal weight decides and the votes for each option"),
    Rung.DECISIONS: N_("what equal weight decides and what a show of hands would decide"),
    Rung.DECISION: N_("only what equal weight decides, without figures"),
    Rung.HEAD_COUNT: N_(
        "only the votes for each option (a head count), with no equal-weight result"
    ),
}

# Short names for the CSV's "Figures shown" cell.
RUNG_LABELS: dict[Rung, str] = {
    Rung.FULL: N_("full table"),
    Rung.ROUNDED: N_("decision, head count and rounded scores"),
    Rung.DECISION_AND_COUNT: N_("decision and head count"),
    Rung.DECISIONS: N_("decision and show of hands"),
    Rung.DECISION: N_("decision only"),
    Rung.HEAD_COUNT: N_("head count only"),
}

WHY_LESS = N_("More figures could let people work out how someone voted in a group this size.")
FEW_VOTERS = {
    SmallRoles.NOTICE: N_(
        "If few people in a role vote, their role still gets an equal say. But they may see "
        "how each other voted."
    ),
    SmallRoles.PROTECT: N_(
        "If too few people in a role vote, I will only show the votes for each option. This "
        "keeps them safe."
    ),
}
NOTHING_LIVE = N_("Nothing is shown while voting is open, so nobody's vote can be worked out.")


def _plural(roles: Collection[Role]) -> str:
    return word_list([words.plural(r) for r in ROLES if r in roles])


def notice_text(roles: Collection[Role]) -> str:
    """The notice before voting, when the equal say is kept although the audit found that the
    result could let someone work out how people of these roles voted."""
    return _(
        "Please note: this group is small, so the result could sometimes let people work out "
        "how {roles} voted. For example, two people could compare their votes. Every role "
        "still gets an equal say."
    ).format(roles=_plural(roles))


def results_promise(s: PollSnapshot) -> list[str]:
    """The poll message's lines on what the result will show (plain text, unescaped)."""
    rung = s.posted_rung or Rung.HEAD_COUNT
    show = _("When the poll closes, I will show {what}.").format(what=_(RUNG_WORDS[rung]))
    lines = [f"{show} {_(NOTHING_LIVE)}"]
    if rung is Rung.HEAD_COUNT and s.posted_rung is not None:
        lines.append(_("This group chose to protect small roles for this poll."))
    if s.notice_roles:
        lines.append(notice_text(s.notice_roles))
    elif rung is not Rung.FULL and rung is not Rung.HEAD_COUNT and s.small_roles is not None:
        lines.append(_(FEW_VOTERS[s.small_roles]))
    return lines


def shown_less(s: PollSnapshot) -> str | None:
    """Why a closed result shows what it shows, where that is less than every figure."""
    pub = s.publication
    if not s.closed or pub.total_voters == 0 or s.rung is Rung.FULL:
        return None
    if len(pub.voting_roles) <= 1:
        return None
    posted = s.posted_rung
    if s.rung is Rung.HEAD_COUNT:
        if posted is Rung.HEAD_COUNT:
            return _("To protect small roles, this poll shows a head count only, as it said.")
        return _(
            "Too few people in a role voted. An equal-weight result could give a vote away. "
            "So I only show the head count, as the poll said."
        )
    if posted is not None and rank(s.rung) < rank(posted):
        fewer = _("Fewer people voted than could, so fewer figures are shown.")
        return f"{fewer} {_(WHY_LESS)}"
    if s.notice_roles:
        return _("As the poll said before voting: {notice}").format(
            notice=notice_text(s.notice_roles)
        )
    return " ".join([_("Figures role by role are not shown."), _(WHY_LESS)])


def total_voters_sentence(total: int, *, closed: bool) -> str:
    """'9 people have voted so far.': the only figure shown while a poll is open."""
    if total == 0:
        return _("Nobody voted.") if closed else _("Nobody has voted yet.")
    if closed:
        return ngettext("{count} person voted.", "{count} people voted.", total).format(count=total)
    return ngettext(
        "{count} person has voted so far.", "{count} people have voted so far.", total
    ).format(count=total)


def turnout_sentence(pub: Publication) -> str:
    """Who voted, as far as the rung shows: role by role only with the full table."""
    if pub.participation:
        return participation_sentence(pub.participation, closed=pub.closed)
    return total_voters_sentence(pub.total_voters, closed=pub.closed)
