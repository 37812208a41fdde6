"""Results as CSV for facilitators and a Trust board: published figures only, never a ballot.

Files are UTF-8 with a byte-order mark, because Excel otherwise guesses a legacy code page and
mangles every accent and emoji. Cells that a spreadsheet would run as a formula are defused.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction

from bot.domain.disclosure import Publication
from bot.domain.outcomes import OutcomeFacts
from bot.domain.poll_rules import PollKind
from bot.domain.poll_snapshot import PollSnapshot
from bot.domain.results_text import format_mean
from bot.domain.roles import ROLES, Role
from bot.i18n import N_, _
from bot.i18n.catalogues import RLM
from bot.services.outcomes import OutcomeView
from bot.views import role_words as words
from bot.views.poll_disclosure import RUNG_LABELS, shown_less
from bot.views.poll_sentences import decision_sentence, results_summary
from bot.views.poll_wording import option_names, percent_number, raw_shares, zone

# OWASP's list: a leading =, +, -, @ (or a tab / carriage return that some programs strip
# first) makes a spreadsheet treat the cell as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet set to another separator (`;` in much of Europe, tab, `|`) or one that ignores
# quotes splits our cell there, and the piece after the separator starts a cell of its own: so
# every piece that could start a cell is defused, after any spaces or double quotes a program
# may strip first. Line breaks (every kind Python knows) start rows, so they count too.
_PIECE_FORMULA = re.compile(r"""([,;\t|\n\r\v\f\x1c-\x1e\x85\u2028\u2029][\s"]*)([=+\-@])""")
_NOTHING_HELD_BACK = N_("Nothing was held back.")
_NOT_SHOWN = N_("not shown")
# The kind of each poll, as a spreadsheet cell (the stored value is an English code).
_KIND_WORDS = {
    PollKind.SINGLE: N_("single choice"),
    PollKind.MULTIPLE: N_("multiple choice"),
    PollKind.PROPOSAL: N_("proposal"),
    PollKind.SCALE: N_("scale"),
}


def _kind(kind: PollKind) -> str:
    return _(_KIND_WORDS[kind])


def _role_heading(role: Role) -> str:
    return words.capitalised(words.plural(role))


def safe_cell(value: object) -> str:
    """A cell as text that no spreadsheet runs as a formula, whatever separator it splits on.

    A leading apostrophe makes a spreadsheet show the rest as text; it is put before the whole
    cell and before every piece a separator could turn into a cell.
    """
    text = "" if value is None else str(value)
    text = _PIECE_FORMULA.sub(r"\1'\2", text)
    stripped = text.lstrip(' "')
    if text.startswith(_FORMULA_STARTS) or stripped.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _bare(value: object) -> object:
    return value.replace(RLM, "") if isinstance(value, str) else value


def csv_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    """Rows as a spreadsheet-safe CSV (every cell quoted, formulas defused), UTF-8 with BOM."""
    return _to_bytes(rows)


def _to_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    # Every cell quoted: a program splitting on `;`, tab or `|` still keeps a cell whole.
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    # Right-to-left marks lay Arabic out in Telegram; in a cell they only get in the way.
    writer.writerows([[safe_cell(_bare(cell)) for cell in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")


def _local(s: PollSnapshot) -> str:
    if s.closed_at is None:
        return ""
    return f"{s.closed_at.astimezone(zone(s.timezone)):%Y-%m-%d %H:%M}"


def _pct(value: Fraction | None) -> str:
    return "" if value is None else percent_number(value)


def _header_rows(s: PollSnapshot, pub: Publication) -> list[list[object]]:
    rows: list[list[object]] = [
        [_("Poll"), s.question],
        [_("Kind"), _kind(s.kind)],
        [_("Closed at"), _local(s) or _("still open"), s.timezone],
        [_("Voters"), pub.total_voters],
    ]
    # Role by role only where the poll's rung shows it (bot/domain/disclosure.py).
    rows += [[_role_heading(r), _role_cell(pub, r)] for r in ROLES]
    rows.append([_("Figures shown"), _(RUNG_LABELS[pub.rung])])
    rows.append([_("Held back"), shown_less(s) or _(_NOTHING_HELD_BACK)])
    decision = decision_sentence(pub, s.options, s.kind)
    if decision:
        rows.append([_("Decision (equal weight)"), decision])
    if s.kind is PollKind.SCALE:
        # Averages stay numbers a spreadsheet reads ("3.5"), in every language.
        if pub.equal_weight_mean is not None:
            rows.append([_("Average (equal weight)"), format_mean(pub.equal_weight_mean)])
        if pub.raw_mean is not None:
            rows.append([_("Average (head count)"), format_mean(pub.raw_mean)])
        rows += [
            [_("Average ({role})").format(role=words.plural(r)), format_mean(pub.role_means[r])]
            for r in ROLES
            if r in pub.role_means
        ]
    rows.append([_("Result"), results_summary(pub, s.options, s.kind)])
    return rows


def _role_cell(pub: Publication, role: Role) -> object:
    if pub.participation:
        return pub.participation.get(role, 0)
    return _(_NOT_SHOWN)


def results_csv(s: PollSnapshot) -> bytes:
    """One poll: a header block, then one row per option with the figures that may be shown."""
    pub = s.publication
    rows = _header_rows(s, pub)
    rows.append([])
    rows.append(
        [
            _("Option number"),
            _("Option"),
            _("Votes"),
            _("Share of voters (%)"),
            _("Equal-weight score (%)"),
            *(_("Share of {roles} (%)").format(roles=words.plural(r)) for r in ROLES),
        ]
    )
    shares = raw_shares(pub)
    for i, option in enumerate(option_names(s.kind, s.options)):
        role_cells = [_pct(pub.shares[r][i]) if r in pub.shares else "" for r in ROLES]
        rows.append(
            [
                i + 1,
                option,
                "" if pub.raw is None else pub.raw[i],
                "" if shares is None else _pct(shares[i]),
                "" if pub.scores is None else _pct(pub.scores[i]),
                *role_cells,
            ]
        )
    return _to_bytes(rows)


def _leading(s: PollSnapshot, pub: Publication) -> tuple[str, str]:
    """The leading option(s) and the measure that chose them, by the best published measure."""
    if pub.leaders is not None:
        leaders = pub.leaders
        measure = _("equal weight") if len(leaders) == 1 else _("equal weight (too close to call)")
    elif pub.raw_leaders is not None:
        leaders, measure = pub.raw_leaders, _("head count")
    else:
        return "", _("held back") if pub.total_voters else _("nobody voted")
    names = option_names(s.kind, s.options)
    return "; ".join(names[i] for i in sorted(leaders)), measure


def _outcome_cells(facts: OutcomeFacts | None) -> list[object]:
    if facts is None:
        return ["", "", "", ""]
    review = "" if facts.review_on is None else facts.review_on.isoformat()
    # The status's words are the outcomes' own (translated where the catalogue has them).
    return [_(facts.status.label), facts.why or "", facts.owner or "", review]


def decision_log_csv(
    polls: Sequence[PollSnapshot],
    outcomes: Mapping[int, OutcomeFacts] | None = None,
    feedback: Sequence[OutcomeView] = (),
) -> bytes:
    """One row per closed poll, oldest first: the group's record of what was decided, and
    what came of it ("You said, we did"); then the feedback items given an outcome."""
    outcomes = outcomes or {}
    closed = sorted(
        (p for p in polls if p.closed), key=lambda p: (p.closed_at is None, p.closed_at, p.id)
    )
    rows: list[list[object]] = [
        [
            _("Closed at"),
            _("Time zone"),
            _("Question"),
            _("Kind"),
            *(_role_heading(r) for r in ROLES),
            _("Voters"),
            _("Leading option(s)"),
            _("Measure"),
            _("Result"),
            _("Balanced"),
            _("What we did"),
            _("Why"),
            _("Owner"),
            _("Review on"),
        ]
    ]
    for s in closed:
        pub = s.publication
        leading, measure = _leading(s, pub)
        rows.append(
            [
                _local(s),
                s.timezone,
                s.question,
                _kind(s.kind),
                *(_role_cell(pub, r) for r in ROLES),
                pub.total_voters,
                leading,
                measure,
                results_summary(pub, s.options, s.kind),
                _("yes") if pub.balanced else _("no"),
                *_outcome_cells(outcomes.get(s.id)),
            ]
        )
    for view in sorted(feedback, key=lambda v: v.topic.number or 0):
        rows.append(
            [
                "",
                "",
                _("Anonymous feedback #{number}: {text}").format(
                    number=view.topic.number, text=view.topic.text
                ),
                _("feedback"),
                *("" for _ in ROLES),
                "",
                "",
                "",
                "",
                "",
                *_outcome_cells(view.facts),
            ]
        )
    return _to_bytes(rows)
