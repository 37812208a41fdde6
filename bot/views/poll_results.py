"""The results of a poll as a Telegram message: the decision in words first, then the figures
for each option in plain words, and what was held back.

Every figure comes from the poll's `Publication`; a withheld figure (None or missing) is
never printed and never worked out here from the tally.

Closing posts one message (issue 14, point 7): a photo of the chart with these words as its
caption when there are figures to draw, the words alone when there are not. A caption holds
1024 characters, so `results_post` fits the words to that: shorter question and option names
first, then without the role-by-role brackets, and only then cut at a line; whatever it had
to leave out, the post says so and everyone in the group can have the full words privately
("All figures, privately": the same text `private_results` gives, reasons included).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from bot.domain.disclosure import Publication
from bot.domain.poll_rules import PollKind
from bot.domain.poll_snapshot import PollSnapshot
from bot.domain.roles import ROLES
from bot.i18n import N_, _
from bot.views import role_words as words
from bot.views.limits import MESSAGE_LIMIT, shorten, utf16_length
from bot.views.poll_disclosure import shown_less, turnout_sentence
from bot.views.poll_sentences import results_sentences
from bot.views.poll_wording import (
    FIT_LEVELS,
    SCALE_MEANING,
    bold_lines,
    fit,
    option_names,
    percent,
    raw_shares,
    separated,
    short_options,
    votes_word,
)

CAPTION_LIMIT = 1024  # Telegram's limit on a photo's caption, counted as the visible text

EQUAL_WEIGHT_ALL = N_("Equal weight: each role counts for a third, however many people are in it.")
EQUAL_WEIGHT_SOME = N_(
    "Equal weight: each role that voted counts the same, however many people are in it."
)
REASONS_TITLE = N_("Reasons given privately, anonymously:")
REASON_LIMIT = 300
ROLE_BRACKETS_KEY = N_("In brackets: the share of each role who chose it.")
MORE_THAN_100 = N_("People could choose more than one, so it adds up to more than 100%.")
CUT_NOTE = N_("There is more than fits here: press “All figures, privately” below.")


def option_figures(pub: Publication, index: int) -> str | None:
    """'4 votes, 72% equal weight' or '4 votes (44%)'; None when nothing per option is shown."""
    shares = raw_shares(pub)
    if pub.raw is None or shares is None:
        return None
    if pub.scores is not None:
        template = (
            _("{votes}, about {percent} equal weight")
            if pub.scores_rounded
            else _("{votes}, {percent} equal weight")
        )
        return template.format(votes=votes_word(pub.raw[index]), percent=percent(pub.scores[index]))
    return _("{votes} ({percent})").format(
        votes=votes_word(pub.raw[index]), percent=percent(shares[index])
    )


def role_figures(pub: Publication, index: int) -> str | None:
    """'service users 100%, carers 100%, staff 10%': each role's share who chose the option,
    with the roles named as people chose them; None unless the full table is published."""
    roles = [r for r in ROLES if r in pub.shares]
    if not roles:
        return None
    return separated(
        [
            _("{role} {percent}").format(
                role=words.plural(r), percent=percent(pub.shares[r][index])
            )
            for r in roles
        ]
    )


def figure_lines(
    pub: Publication, options: tuple[str, ...], kind: PollKind, *, by_role: bool = True
) -> list[str]:
    """One line per option in plain words ('1. Alpha: 7 votes, 70% equal weight (service
    users 100%, carers 100%, staff 10%)'); empty when nothing per option is published."""
    lines = []
    for i, option in enumerate(option_names(kind, options)):
        figures = option_figures(pub, i)
        if figures is None:
            return []
        name = option if kind is PollKind.SCALE else f"{i + 1}. {option}"
        roles = role_figures(pub, i) if by_role else None
        lines.append(escape(f"{name}: {figures}" + (f" ({roles})" if roles else "")))
    return lines


def _figure_notes(pub: Publication, kind: PollKind, max_choices: int, by_role: bool) -> str:
    parts = []
    if kind is PollKind.SCALE:
        parts.append(_("Scale: {meaning}.").format(meaning=_(SCALE_MEANING)))
    if by_role and pub.shares:
        parts.append(_(ROLE_BRACKETS_KEY))
    if pub.scores is not None and pub.scores_rounded:
        parts.append(_("Equal-weight scores are to the nearest 10%."))
    if kind is PollKind.MULTIPLE and max_choices > 1:
        parts.append(_(MORE_THAN_100))
    return " ".join(parts)


def _lead(s: PollSnapshot, options: tuple[str, ...]) -> tuple[str | None, list[str]]:
    """The first sentence (the decision in words, or what stands for it) and the rest; no
    first sentence while a poll is open (nothing per option is said then)."""
    pub = s.publication
    if pub.total_voters == 0:
        return (_("Nobody voted.") if s.closed else _("Nobody has voted yet.")), []
    sentences = results_sentences(pub, options, s.kind)
    return (sentences[0], sentences[1:]) if sentences else (None, [])


def _body(s: PollSnapshot, options: tuple[str, ...], *, by_role: bool = True) -> list[str]:
    """The sentences after the first, the figures and the notes."""
    pub = s.publication
    if pub.total_voters == 0:
        return []
    _first, sentences = _lead(s, options)
    lines = [escape(x) for x in sentences]
    figures = figure_lines(pub, options, s.kind, by_role=by_role)
    if figures:
        lines += ["", *figures]
        notes = _figure_notes(pub, s.kind, s.max_choices, by_role)
        if notes:
            lines.append(f"<i>{escape(notes)}</i>")
    lines += ["", escape(turnout_sentence(pub))]
    less = shown_less(s)
    if less:
        lines.append(f"<i>{escape(less)}</i>")
    if pub.carries_equal_weight:
        lines.append(_(EQUAL_WEIGHT_ALL if pub.balanced else EQUAL_WEIGHT_SOME))
    return lines[1:] if lines[:1] == [""] else lines


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
    out = ["", escape(_(REASONS_TITLE))]
    names = option_names(s.kind, s.options)
    used = sum(utf16_length(x) + 1 for x in out)
    reserve = 40  # room for the "and N more" line
    if used + reserve > room:
        return []  # not even the heading fits; the figures above matter more
    for shown, (option, text) in enumerate(ordered):
        label = f"{names[option]}: " if labelled and 0 <= option < len(names) else ""
        line = "• " + escape(label + shorten(" ".join(text.split()), REASON_LIMIT))
        last = shown == len(ordered) - 1
        if used + utf16_length(line) + 1 > room - (0 if last else reserve):
            out.append(_("…and {count} more.").format(count=len(ordered) - shown))
            return out
        out.append(line)
        used += utf16_length(line) + 1
    return out


def _render(
    s: PollSnapshot, question_limit: int, option_limit: int, *, by_role: bool = True
) -> str:
    """Decision first (bold), then which poll, then everything else."""
    options = short_options(s.options, option_limit)
    lead, _rest = _lead(s, options)
    title = bold_lines(
        _("Results: {question}").format(question=shorten(s.question, question_limit))
    )
    body = _body(s, options, by_role=by_role)
    first = [f"<b>{escape(lead)}</b>"] if lead else []
    return "\n".join([*first, title, *(["", *body] if body else [])])


@dataclass(frozen=True, slots=True)
class ResultsPost:
    """The words of the results message, and whether they are all there (else the post
    offers the full words privately)."""

    text: str
    complete: bool


def _fitting(render: Callable[[int, int], str], limit: int) -> str | None:
    for question_limit, option_limit in FIT_LEVELS:
        text = render(question_limit, option_limit)
        if _size(text) <= limit:
            return text
    return None


def _size(html: str) -> int:
    """Measured on the HTML, as `fit` does: never more than Telegram counts (tags and entities
    count less on screen), so what fits here fits there."""
    return utf16_length(html)


def _first_lines(html: str, limit: int) -> str:
    """As many whole lines from the top as fit (a line never cuts a tag)."""
    kept: list[str] = []
    for line in html.split("\n"):
        if _size("\n".join([*kept, line])) > limit:
            break
        kept.append(line)
    return "\n".join(kept).rstrip("\n")


def _shows_reasons(s: PollSnapshot) -> bool:
    return s.kind is PollKind.PROPOSAL and bool(s.reasons) and s.publication.raw is not None


def _with_reasons(s: PollSnapshot, text: str, room: int) -> tuple[str, bool]:
    """The text and as many reasons as fit in `room`; whether all of them did."""
    reasons = _reason_lines(s, room)
    every = not _shows_reasons(s) or bool(reasons and not reasons[-1].startswith("…"))
    return ("\n".join([text, *reasons]) if reasons else text), every


def results_post(s: PollSnapshot, limit: int = MESSAGE_LIMIT) -> ResultsPost:
    """The results message's words within `limit` visible characters (CAPTION_LIMIT under a
    chart): as much as fits, in order of what matters, never a cut tag. Where something the
    private copy holds is left out, the post says so (and gets the button to ask for it)."""
    note = f"<i>{escape(_(CUT_NOTE))}</i>"
    reserve = _size(note) + 1
    # A private copy holds a message's worth: at that size, reasons cut are cut there too.
    reasons_matter = limit < MESSAGE_LIMIT
    for by_role in (True, False):

        def render(q: int, o: int, by_role: bool = by_role) -> str:
            return _render(s, q, o, by_role=by_role)

        text = _fitting(render, limit)
        if text is None:
            continue
        roles_whole = by_role or not s.publication.shares
        post, every = _with_reasons(s, text, limit - _size(text))
        if roles_whole and (every or not reasons_matter):
            return ResultsPost(post, complete=True)
        text = _fitting(render, limit - reserve)
        if text is None:
            continue
        post, _every = _with_reasons(s, text, limit - reserve - _size(text))
        return ResultsPost(f"{post}\n{note}", complete=False)
    # Even the shortest names leave too much: keep the first lines (decision first) that fit.
    smallest = _render(s, *FIT_LEVELS[-1], by_role=False)
    head = _first_lines(smallest, limit - reserve)
    return ResultsPost(f"{head}\n{note}", complete=False)


def results_message(s: PollSnapshot) -> str:
    """The results in one text message (the board report, and closing where no chart)."""
    return results_post(s).text


def results_caption(s: PollSnapshot) -> ResultsPost:
    """The results as the caption of their chart."""
    return results_post(s, CAPTION_LIMIT)


def private_results(s: PollSnapshot) -> str:
    """Results for one person in a private chat ('See results' on a closed poll, or "All
    figures" under a results post too long for its chart); while a poll is open it says only
    how many have voted (bot/domain/disclosure.py)."""

    def render(question_limit: int, option_limit: int) -> str:
        heading = _("Results: {question}") if s.closed else _("Results so far: {question}")
        options = short_options(s.options, option_limit)
        title = bold_lines(heading.format(question=shorten(s.question, question_limit)))
        lead, _rest = _lead(s, options)
        body = _body(s, options)
        can_change = _("These can change until the poll closes.")
        note = [] if s.closed else ["", f"<i>{can_change}</i>"]
        first = [f"<b>{escape(lead)}</b>"] if lead else []
        gap = [""] if first and body else []
        return "\n".join([title, "", *first, *gap, *body, *note])

    text = fit(render)
    reasons = _reason_lines(s, MESSAGE_LIMIT - utf16_length(text)) if s.closed else []
    return "\n".join([text, *reasons]) if reasons else text


REOPENED_RESULTS = N_(
    "Reopened by an organiser. These results no longer stand: new ones come when the poll "
    "closes again."
)


def reopened_text(s: PollSnapshot) -> str:
    """What the results message says once the poll is reopened: its words withdrawn (the
    chart, if any, stays: Telegram cannot take a photo out of a message it keeps)."""
    title = bold_lines(_("Results: {question}").format(question=shorten(s.question, 200)))
    return "\n".join([f"<b>{escape(_(REOPENED_RESULTS))}</b>", title])
