"""The results of a poll as a Telegram message: sentences, a compact table, and what was held back.

Every figure comes from the poll's `Publication`; a withheld figure (None or missing) is
never printed and never worked out here from the tally.
"""

from __future__ import annotations

from fractions import Fraction
from html import escape

from bot.domain.disclosure import Publication
from bot.domain.poll_rules import PollKind
from bot.domain.poll_snapshot import PollSnapshot
from bot.domain.results_text import results_sentences
from bot.domain.roles import ROLES, Role
from bot.views.limits import MESSAGE_LIMIT, shorten, utf16_length
from bot.views.poll_disclosure import shown_less, turnout_sentence
from bot.views.poll_wording import (
    SCALE_MEANING,
    bold_lines,
    fit,
    percent,
    raw_shares,
    short_options,
    votes_word,
)

EQUAL_WEIGHT_ALL = "Equal weight: each role counts for a third, however many people are in it."
EQUAL_WEIGHT_SOME = (
    "Equal weight: each role that voted counts the same, however many people are in it."
)
REASONS_TITLE = "Reasons given privately, anonymously:"
REASON_LIMIT = 300

# Table column headers, kept short so a row fits a phone screen in monospace.
_ROLE_HEADERS = {Role.SERVICE_USER: "SU", Role.CARER: "Car", Role.STAFF: "Staff"}
_ROLE_KEY = {
    Role.SERVICE_USER: "SU = service users",
    Role.CARER: "Car = carers",
}


def option_figures(pub: Publication, index: int) -> str | None:
    """'4 votes, 72% equal weight' or '4 votes (44%)'; None when nothing per option is shown."""
    shares = raw_shares(pub)
    if pub.raw is None or shares is None:
        return None
    if pub.scores is not None:
        about = "about " if pub.scores_rounded else ""
        return f"{votes_word(pub.raw[index])}, {about}{percent(pub.scores[index])} equal weight"
    return f"{votes_word(pub.raw[index])} ({percent(shares[index])})"


def _cell(text: str, width: int) -> str:
    return text.rjust(width)


def results_table(pub: Publication) -> list[str]:
    """One <code> line per row (monospace, and no tag spans a line, so splitting is safe)."""
    shares = raw_shares(pub)
    if pub.raw is None or shares is None:
        return []
    roles = [r for r in ROLES if r in pub.shares]
    measure = "Equal" if pub.scores is not None else "Share"
    header = _cell("#", 2) + _cell("Votes", 6) + _cell(measure, 6)
    header += "".join(_cell(_ROLE_HEADERS[r], 6) for r in roles)
    rows = [header]
    for i, count in enumerate(pub.raw):
        main: Fraction = pub.scores[i] if pub.scores is not None else shares[i]
        row = _cell(str(i + 1), 2) + _cell(str(count), 6) + _cell(percent(main), 6)
        row += "".join(_cell(percent(pub.shares[r][i]), 6) for r in roles)
        rows.append(row)
    return [f"<code>{escape(row)}</code>" for row in rows]


def _table_key(pub: Publication, kind: PollKind, max_choices: int) -> str:
    parts = ["Votes: how many chose it."]
    if pub.scores is not None and pub.scores_rounded:
        parts.append("Equal: equal-weight score, to the nearest 10%.")
    elif pub.scores is not None:
        parts.append("Equal: equal-weight score.")
    else:
        parts.append("Share: of everyone who voted.")
    roles = [r for r in ROLES if r in pub.shares]
    if roles:
        columns = ", ".join(_ROLE_HEADERS[r] for r in roles)
        keys = [_ROLE_KEY[r] for r in roles if r in _ROLE_KEY]
        key = f" ({', '.join(keys)})" if keys else ""
        parts.append(f"{columns}: share of each role who chose it{key}.")
    if kind is PollKind.MULTIPLE and max_choices > 1:
        parts.append("People could choose more than one, so it adds up to more than 100%.")
    return " ".join(parts)


def _legend(options: tuple[str, ...], kind: PollKind) -> list[str]:
    if kind is PollKind.SCALE:
        return [f"Scale: {SCALE_MEANING}."]
    if kind is PollKind.PROPOSAL:
        return [escape("  ".join(f"{i}. {o}" for i, o in enumerate(options, start=1)))]
    return [escape(f"{i}. {o}") for i, o in enumerate(options, start=1)]


def _body(s: PollSnapshot, options: tuple[str, ...]) -> list[str]:
    """Sentences, table and notes shared by the group message and the private one."""
    pub = s.publication
    lines: list[str] = []
    if pub.total_voters == 0:
        return ["Nobody voted." if s.closed else "Nobody has voted yet."]
    sentences = results_sentences(pub, options, s.kind)
    # The decision first, in bold: it is what the group came for.
    if sentences and pub.carries_equal_weight:
        lines.append(f"<b>{escape(sentences[0])}</b>")
        sentences = sentences[1:]
    lines += [escape(x) for x in sentences]
    table = results_table(pub)
    if table:
        lines += ["", *_legend(options, s.kind), *table]
        lines.append(f"<i>{escape(_table_key(pub, s.kind, s.max_choices))}</i>")
    lines += ["", escape(turnout_sentence(pub))]
    less = shown_less(s)
    if less:
        lines.append(f"<i>{escape(less)}</i>")
    if pub.carries_equal_weight:
        lines.append(EQUAL_WEIGHT_ALL if pub.balanced else EQUAL_WEIGHT_SOME)
    return lines


def _reason_lines(s: PollSnapshot, room: int) -> list[str]:
    """The anonymous reasons, as many as fit in `room` UTF-16 units, then 'and N more'."""
    # With nothing per option published, even "someone gave a reason" tells how a small role
    # voted (only Disagree and Block invite one), so the reasons wait with the figures.
    if s.kind is not PollKind.PROPOSAL or not s.reasons or s.publication.raw is None:
        return []
    # The option a reason went with is itself a per-option figure: shown only with the head count.
    labelled = s.publication.raw is not None
    # Sorted, never in arrival order: the order could match who was seen voting when. Without
    # labels, by text alone, so the order does not group Disagree apart from Block either.
    ordered = sorted(
        s.reasons,
        key=(lambda r: (r[0], r[1].casefold(), r[1]))
        if labelled
        else (lambda r: (r[1].casefold(), r[1])),
    )
    out = ["", escape(REASONS_TITLE)]
    used = sum(utf16_length(x) + 1 for x in out)
    reserve = 40  # room for the "and N more" line
    if used + reserve > room:
        return []  # not even the heading fits; the figures above matter more
    for shown, (option, text) in enumerate(ordered):
        label = f"{s.options[option]}: " if labelled and 0 <= option < len(s.options) else ""
        line = "• " + escape(label + shorten(" ".join(text.split()), REASON_LIMIT))
        last = shown == len(ordered) - 1
        if used + utf16_length(line) + 1 > room - (0 if last else reserve):
            out.append(f"…and {len(ordered) - shown} more.")
            return out
        out.append(line)
        used += utf16_length(line) + 1
    return out


def results_message(s: PollSnapshot) -> str:
    """The message posted when a poll closes."""

    def render(question_limit: int, option_limit: int) -> str:
        title = bold_lines("Results: " + shorten(s.question, question_limit))
        body = _body(s, short_options(s.options, option_limit))
        return "\n".join([title, "", *body])

    text = fit(render)
    reasons = _reason_lines(s, MESSAGE_LIMIT - utf16_length(text))
    return "\n".join([text, *reasons]) if reasons else text


def private_results(s: PollSnapshot) -> str:
    """Results for one person in a private chat ('See results' on a closed poll); while a poll
    is open it says only how many have voted (bot/domain/disclosure.py)."""

    def render(question_limit: int, option_limit: int) -> str:
        heading = "Results" if s.closed else "Results so far"
        title = bold_lines(f"{heading}: " + shorten(s.question, question_limit))
        body = _body(s, short_options(s.options, option_limit))
        note = [] if s.closed else ["", "<i>These can change until the poll closes.</i>"]
        return "\n".join([title, "", *body, *note])

    return fit(render)
