"""The board report as a PDF (fpdf2): a cover, the decisions, feedback, meetings, and how equal
weight and anonymity work.

Each decision is the poll's closing results message itself (`poll_results.results_message`)
and its chart (`poll_chart.results_chart`), rendered from the same snapshot the close path
uses: the report never works out a figure of its own, so it withholds exactly what the group
message withheld, and says why in the line the message carries.

fpdf2 is pure Python (its dependencies, Pillow and fontTools, already come with matplotlib),
so it installs from `pip install -e .` and in the slim Docker image with no system library.
The font is matplotlib's DejaVu Sans, embedded, so any language the group writes in is
drawn and the text can be copied out of the PDF.

The report is in the language of the organiser who asked for it (the current language, which
`asyncio.to_thread` carries into the worker). Arabic letters join and run right to left only
once shaped: fpdf2 shapes text with HarfBuzz (uharfbuzz, a pinned dependency), and an Arabic
report's paragraphs are set right-aligned.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from datetime import datetime
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from babel.dates import format_date, format_datetime
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from bot.domain.when import zone_of
from bot.i18n import DEFAULT_LANGUAGE, N_, _, current_language
from bot.services.reports import Decision, FeedbackMonth, ReportFacts
from bot.views import poll_chart, poll_results
from bot.views.meetings import answer_totals
from bot.views.outcomes import we_did
from bot.views.reports import period_words

FONT = "DejaVu"
MONO = "DejaVuMono"
_TAG = re.compile(r"<[^>]+>")
_WIDTH = 180.0  # mm of text on an A4 page with 15 mm margins

# Each paragraph a list of short sentences: plain words, and one catalogue entry each.
HOW_IT_WORKS = (
    (
        N_("Equal Say runs polls in the group's Telegram chat."),
        N_(
            "Each member says once, in private, which role they have: service user, carer or staff."
        ),
    ),
    (
        N_("Equal weight: each role that voted counts the same, however many people are in it."),
        N_("A role's share is the part of its voters who chose an option."),
        N_("The equal-weight score is the average of those shares."),
        N_(
            "The head count (a show of hands) is shown beside it, so you can see where the "
            "two differ."
        ),
    ),
    (
        N_(
            "Anonymity: nobody can see who voted what, who wrote which feedback or who has "
            "which role. Organisers cannot see it either."
        ),
        N_(
            "Before each poll was posted, a privacy check chose which numbers could be shown. "
            "No number shown lets anyone in the group work out how someone voted."
        ),
        N_(
            "Each decision below shows those numbers, and says why the rest were held back. "
            "The group was told the same when the poll closed."
        ),
    ),
    (
        N_("Feedback is anonymous. Only items an organiser posted in the group are quoted here."),
        N_("Rejected items are counted but not quoted. So are urgent ones."),
        N_("Urgent means it may be a crisis. Only organisers see those."),
    ),
)
WITHHELD_LINE = N_(
    "Where a number is missing, the line under that decision says why. In a group this size, "
    "it could have let people work out how someone voted."
)
# Languages written right to left: their paragraphs are set from the right margin.
_RTL = frozenset({"ar"})


def _shaping() -> bool:
    """Whether text can be shaped (Arabic needs it); uharfbuzz is a pinned dependency."""
    return find_spec("uharfbuzz") is not None


@cache
def _font_dir() -> Path:
    spec = find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib (which ships the DejaVu fonts) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


@cache
def _charmap() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(_font_dir() / "DejaVuSans.ttf", lazy=True) as font:
        return frozenset(font.getBestCmap())


def drawable(text: str) -> str:
    """The text with characters the font has no glyph for (emoji, mostly) left out."""
    known = _charmap()
    return "".join(ch for ch in text if ch in "\n\t" or ord(ch) in known)


def plain(markup: str) -> str:
    """A line of the bot's Telegram HTML as plain text."""
    return html.unescape(_TAG.sub("", markup))


def _day(moment: datetime, zone: str) -> str:
    local = moment.astimezone(zone_of(zone))
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return f"{local.day} {local:%B %Y}"
    return format_date(local, format="long", locale=language)


def _day_time(moment: datetime, zone: str) -> str:
    local = moment.astimezone(zone_of(zone))
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return f"{local.day} {local:%b %Y, %H:%M}"
    return format_datetime(local, "d MMM y, HH:mm", locale=language)


def _month_name(month: str) -> str:
    first = datetime.strptime(month + "-01", "%Y-%m-%d")  # noqa: DTZ007
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return first.strftime("%B %Y")
    return format_date(first, "LLLL y", locale=language)


class _Report(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self._title = title
        self._align = Align.R if current_language() in _RTL else Align.L
        directory = _font_dir()
        self.add_font(FONT, "", str(directory / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(directory / "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", str(directory / "DejaVuSans-Oblique.ttf"))
        self.add_font(MONO, "", str(directory / "DejaVuSansMono.ttf"))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(drawable(title))
        self.set_creator("Equal Say")
        self.set_lang(current_language())
        if _shaping():
            self.set_text_shaping(use_shaping_engine=True)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(110)
        page = _("page {number}").format(number=self.page_no())
        self.cell(0, 5, drawable(f"{self._title} \u00b7 {page}"), align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 15) -> None:
        self.set_font(FONT, "B", size)
        self.multi_cell(
            0, size * 0.5, drawable(text), align=self._align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(2)

    def para(self, text: str, style: str = "", size: int = 10, family: str = FONT) -> None:
        if self._align is Align.R:
            # DejaVu's oblique and mono faces have no Arabic letters; the upright face has.
            style, family = style.replace("I", ""), FONT
        self.set_font(family, style, size)
        self.multi_cell(
            0, size * 0.5, drawable(text), align=self._align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def row(self, cells: list[str], widths: list[float], bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", 9)
        for text, width in zip(cells, widths, strict=True):
            self.cell(width, 6, drawable(text), border=1)
        self.ln(6)


def _cover(pdf: _Report, facts: ReportFacts) -> None:
    pdf.add_page()
    pdf.ln(30)
    pdf.heading(_("Equal Say: report to the board"), 22)
    pdf.heading(facts.group_title or _("Our group"), 16)
    pdf.para(_("Time covered: {period}").format(period=period_words(facts.period)), size=12)
    made = _day_time(facts.made_at, facts.timezone)
    pdf.para(_("Made on {moment} ({zone})").format(moment=made, zone=facts.timezone), size=10)
    pdf.ln(8)
    pdf.para(_("Meetings held: {count}").format(count=len(facts.meetings)), size=12)
    pdf.para(_("Polls decided: {count}").format(count=len(facts.decisions)), size=12)
    pdf.para(_("Feedback items received: {count}").format(count=facts.feedback_received), size=12)
    pdf.ln(8)
    pdf.para(_(WITHHELD_LINE), "I", 10)


def _results_lines(pdf: _Report, message: str) -> None:
    """The closing results message, line by line: tables in monospace, emphasis kept."""
    for line in message.split("\n"):
        text = plain(line)
        if not text.strip():
            pdf.ln(2)
        elif line.startswith("<code>"):
            pdf.para(text, family=MONO, size=9)
        elif line.startswith("<b>") and line.endswith("</b>"):
            pdf.para(text, "B")
        elif line.startswith("<i>"):
            pdf.para(text, "I", 9)
        else:
            pdf.para(text)


def _decision(
    pdf: _Report, number: int, decision: Decision, zone: str, chart: bytes | None
) -> None:
    snap = decision.snapshot
    if pdf.will_page_break(60):
        pdf.add_page()
    pdf.set_font(FONT, "B", 12)
    if snap.closed_at is None:
        head = _("Decision {number}").format(number=number)
    else:
        head = _("Decision {number}, closed {day}").format(
            number=number, day=_day(snap.closed_at, zone)
        )
    pdf.para(head, "B", 12)
    _results_lines(pdf, poll_results.results_message(snap))
    if chart is not None:
        pdf.ln(2)
        pdf.image(io.BytesIO(chart), w=110)
    if decision.outcome is not None:
        pdf.ln(1)
        pdf.para(_("What we did: {words}").format(words=plain(we_did(decision.outcome))), "B")
    pdf.ln(6)


def _feedback(pdf: _Report, facts: ReportFacts) -> None:
    pdf.add_page()
    pdf.heading(_("Feedback"))
    widths = [50.0, 32.0, 32.0, 32.0, 32.0]
    heads = [_("Month"), _("Received"), _("Published"), _("Rejected"), _("Urgent")]
    pdf.row(heads, widths, bold=True)
    total = FeedbackMonth("total")
    for m in facts.feedback_months:
        pdf.row(
            [_month_name(m.month), *(str(n) for n in _counts(m))],
            widths,
        )
        total = FeedbackMonth(
            "total", *(a + b for a, b in zip(_counts(total), _counts(m), strict=True))
        )
    pdf.row([_("All"), *(str(n) for n in _counts(total))], widths, bold=True)
    pdf.ln(4)
    pdf.para(
        _(
            "Items that wait for an organiser count as received only. We never quote rejected "
            "or urgent items."
        ),
        "I",
        9,
    )
    pdf.ln(4)
    pdf.heading(_("Published feedback"), 12)
    if not facts.published:
        pdf.para(_("No feedback was published in this period."))
    for item in facts.published:
        label = f"#{item.number}" if item.number is not None else "\u2022"
        pdf.para(f"{label} ({_day(item.received_at, facts.timezone)}): {item.text}")
        pdf.ln(2)


def _counts(m: FeedbackMonth) -> tuple[int, int, int, int]:
    return (m.received, m.published, m.rejected, m.urgent)


def _meetings(pdf: _Report, facts: ReportFacts) -> None:
    pdf.add_page()
    pdf.heading(_("Meetings"))
    if not facts.meetings:
        pdf.para(_("No meetings were held through Equal Say in this period."))
        return
    pdf.para(_("The answers people gave to each date (totals only, never by role)."), "I", 9)
    pdf.ln(2)
    widths = [42.0, 68.0, 70.0]
    pdf.row([_("Date"), _("Meeting"), _("Answers")], widths, bold=True)
    for held in facts.meetings:
        pdf.row(
            [
                _day_time(held.starts_at, facts.timezone),
                held.title[:40],
                answer_totals(held.counts),
            ],
            widths,
        )


def _involvement(pdf: _Report, facts: ReportFacts) -> None:
    """Totals per person who chose to be recorded: for payment claims, never by role."""
    if not facts.involvement:
        return
    pdf.add_page()
    pdf.heading(_("Involvement (for payment)"))
    pdf.para(
        _(
            "People who chose to have their involvement recorded, under the name they gave. It "
            "says nothing about their role or how they voted."
        ),
        "I",
        9,
    )
    pdf.ln(2)
    widths = [60.0, 24.0, 24.0, 30.0, 42.0]
    heads = [_("Name"), _("Meetings"), _("Minutes"), _("Travel (GBP)"), _("Payment")]
    pdf.row(heads, widths, bold=True)
    for t in facts.involvement:
        pdf.row(
            [
                t.name,
                str(t.meetings),
                str(t.minutes),
                f"{t.expenses_pence / 100:.2f}",
                _("wanted") if t.wants_payment else _("not wanted"),
            ],
            widths,
        )


def _how_it_works(pdf: _Report) -> None:
    pdf.add_page()
    pdf.heading(_("How equal weight and anonymity work"))
    for sentences in HOW_IT_WORKS:
        pdf.para(" ".join(_(sentence) for sentence in sentences))
        pdf.ln(3)


def report_pdf(
    facts: ReportFacts,
    chart: Callable[[Decision], bytes | None] | None = None,
) -> bytes:
    """The whole report. `chart` draws a decision's chart (default: the results chart the
    group was sent); blocking, so callers run it in a worker thread."""
    draw = chart or (lambda d: poll_chart.results_chart(d.snapshot))
    title = f"{facts.group_title or _('Our group')}: {period_words(facts.period)}"
    pdf = _Report(title)
    _cover(pdf, facts)
    pdf.add_page()
    pdf.heading(_("Decisions"))
    if not facts.decisions:
        pdf.para(_("No poll closed in this period."))
    for number, decision in enumerate(facts.decisions, start=1):
        _decision(pdf, number, decision, facts.timezone, draw(decision))
    _feedback(pdf, facts)
    _meetings(pdf, facts)
    _involvement(pdf, facts)
    _how_it_works(pdf)
    return bytes(pdf.output())


def file_name(facts: ReportFacts) -> str:
    p = facts.period
    return f"equal-say-report-{p.first:%Y-%m-%d}-to-{p.last:%Y-%m-%d}.pdf"
