"""What a poll will show and why, in plain words: the poll message's promise before voting, the
notice to small roles, and the note on a result that shows less (bot/domain/disclosure.py
decides; this module only says it)."""

from __future__ import annotations

from collections.abc import Collection

from bot.domain.disclosure import Publication, SmallRoles
from bot.domain.disclosure_ladder import Rung, rank
from bot.domain.poll_snapshot import PollSnapshot
from bot.domain.results_text import join_words
from bot.domain.roles import ROLES, Role
from bot.views.poll_wording import participation_sentence, people_word

# What the result will show, by rung, as the end of "When the poll closes, I will show ...".
RUNG_WORDS: dict[Rung, str] = {
    Rung.FULL: "every figure, role by role",
    Rung.ROUNDED: (
        "what equal weight decides, the votes for each option and the equal-weight scores "
        "to the nearest 10%"
    ),
    Rung.DECISION_AND_COUNT: "what equal weight decides and the votes for each option",
    Rung.DECISIONS: "what equal weight decides and what a show of hands would decide",
    Rung.DECISION: "only what equal weight decides, without figures",
    Rung.HEAD_COUNT: "only the votes for each option (a head count), with no equal-weight result",
}

# Short names for the CSV's "Figures shown" cell.
RUNG_LABELS: dict[Rung, str] = {
    Rung.FULL: "full table",
    Rung.ROUNDED: "decision, head count and rounded scores",
    Rung.DECISION_AND_COUNT: "decision and head count",
    Rung.DECISIONS: "decision and show of hands",
    Rung.DECISION: "decision only",
    Rung.HEAD_COUNT: "head count only",
}

WHY_LESS = "More figures could let people work out how someone voted in a group this size."
FEW_VOTERS = {
    SmallRoles.NOTICE: (
        "If only a few people of a role vote, the result still gives that role its equal say, "
        "so they may be able to tell how each other voted."
    ),
    SmallRoles.PROTECT: (
        "If too few people of a role vote, only the votes for each option will be shown, to "
        "protect them."
    ),
}
NOTHING_LIVE = "Nothing is shown while voting is open, so nobody's vote can be worked out."


def _plural(roles: Collection[Role]) -> str:
    return join_words([r.plural for r in ROLES if r in roles])


def notice_text(roles: Collection[Role]) -> str:
    """The notice before voting, when the equal say is kept although the audit found that the
    result could let someone work out how people of these roles voted."""
    return (
        f"Please note: in a group this size, the result could sometimes let people work out "
        f"how {_plural(roles)} voted (for example if two people compare their own votes). It "
        "will still give every role an equal say."
    )


def results_promise(s: PollSnapshot) -> list[str]:
    """The poll message's lines on what the result will show (plain text, unescaped)."""
    rung = s.posted_rung or Rung.HEAD_COUNT
    lines = [f"When the poll closes, I will show {RUNG_WORDS[rung]}. {NOTHING_LIVE}"]
    if rung is Rung.HEAD_COUNT and s.posted_rung is not None:
        lines.append("This group chose to protect small roles for this poll.")
    if s.notice_roles:
        lines.append(notice_text(s.notice_roles))
    elif rung is not Rung.FULL and rung is not Rung.HEAD_COUNT and s.small_roles is not None:
        lines.append(FEW_VOTERS[s.small_roles])
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
            return "To protect small roles, this poll shows a head count only, as it said."
        return (
            "Too few people of a role voted to show an equal-weight result without giving "
            "someone's vote away, so only the head count is shown, as the poll said."
        )
    if posted is not None and rank(s.rung) < rank(posted):
        return f"Fewer people voted than could, so fewer figures are shown. {WHY_LESS}"
    if s.notice_roles:
        return f"As the poll said before voting: {notice_text(s.notice_roles)}"
    return f"Figures role by role are not shown. {WHY_LESS}"


def total_voters_sentence(total: int, *, closed: bool) -> str:
    """'9 people have voted so far.': the only figure shown while a poll is open."""
    if total == 0:
        return "Nobody voted." if closed else "Nobody has voted yet."
    if closed:
        return f"{people_word(total)} voted."
    return f"{people_word(total)} {'has' if total == 1 else 'have'} voted so far."


def turnout_sentence(pub: Publication) -> str:
    """Who voted, as far as the rung shows: role by role only with the full table."""
    if pub.participation:
        return participation_sentence(pub.participation, closed=pub.closed)
    return total_voters_sentence(pub.total_voters, closed=pub.closed)
