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

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot.domain.report_period import Period
from bot.domain.when import zone_of
from bot.services.reports import Decision, FeedbackMonth, ReportFacts
from bot.views import poll_chart, poll_results
from bot.views.meetings import answer_totals
from bot.views.outcomes import we_did

FONT = "DejaVu"
MONO = "DejaVuMono"
_TAG = re.compile(r"<[^>]+>")
_WIDTH = 180.0  # mm of text on an A4 page with 15 mm margins

HOW_IT_WORKS = (
    "Equal Say runs polls in the group's Telegram chat. Each member says privately, once, "
    "whether they take part as a service user, a carer or staff.",
    "Equal weight: each role that voted counts the same, however many people are in it. A "
    "role's share is the part of its voters who chose an option; the equal-weight score is "
    "the average of those shares. The head count (a show of hands) is shown beside it, so a "
    "reader can see where the two differ.",
    "Anonymity: nobody, facilitators included, can see who voted what, who wrote which "
    "feedback or who holds which role. Before each poll was posted, a privacy check worked out "
    "which figures could be shown without letting anyone in the group work out how someone "
    "voted; each decision below shows exactly those, and says why the rest were held back, "
    "as the group was told when the poll closed.",
    "Feedback is anonymous. Only items a facilitator published in the group are quoted here; "
    "rejected items and urgent ones (a possible crisis, seen by facilitators only) are counted, "
    "never quoted.",
)
WITHHELD_LINE = (
    "Where a figure is missing, the line under that decision says why: in a group this size "
    "it could have let people work out how someone voted."
)


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
    return f"{local.day} {local:%B %Y}"


def _day_time(moment: datetime, zone: str) -> str:
    local = moment.astimezone(zone_of(zone))
    return f"{local.day} {local:%b %Y, %H:%M}"


def _month_name(month: str) -> str:
    return datetime.strptime(month + "-01", "%Y-%m-%d").strftime("%B %Y")  # noqa: DTZ007


class _Report(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self._title = title
        directory = _font_dir()
        self.add_font(FONT, "", str(directory / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(directory / "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", str(directory / "DejaVuSans-Oblique.ttf"))
        self.add_font(MONO, "", str(directory / "DejaVuSansMono.ttf"))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(drawable(title))
        self.set_creator("Equal Say")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(110)
        self.cell(0, 5, f"{drawable(self._title)} \u00b7 page {self.page_no()}", align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 15) -> None:
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, drawable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def para(self, text: str, style: str = "", size: int = 10, family: str = FONT) -> None:
        self.set_font(family, style, size)
        self.multi_cell(0, size * 0.5, drawable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def row(self, cells: list[str], widths: list[float], bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", 9)
        for text, width in zip(cells, widths, strict=True):
            self.cell(width, 6, drawable(text), border=1)
        self.ln(6)


def _cover(pdf: _Report, facts: ReportFacts) -> None:
    pdf.add_page()
    pdf.ln(30)
    pdf.heading("Equal Say: report to the board", 22)
    pdf.heading(facts.group_title or "Our group", 16)
    pdf.para(f"Period: {facts.period.label()}", size=12)
    pdf.para(f"Made on {_day_time(facts.made_at, facts.timezone)} ({facts.timezone})", size=10)
    pdf.ln(8)
    pdf.para(f"Meetings held: {len(facts.meetings)}", size=12)
    pdf.para(f"Polls decided: {len(facts.decisions)}", size=12)
    pdf.para(f"Feedback items received: {facts.feedback_received}", size=12)
    pdf.ln(8)
    pdf.para(WITHHELD_LINE, "I", 10)


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
    closed = f", closed {_day(snap.closed_at, zone)}" if snap.closed_at is not None else ""
    pdf.para(f"Decision {number}{closed}", "B", 12)
    _results_lines(pdf, poll_results.results_message(snap))
    if chart is not None:
        pdf.ln(2)
        pdf.image(io.BytesIO(chart), w=110)
    if decision.outcome is not None:
        pdf.ln(1)
        pdf.para("What we did: " + plain(we_did(decision.outcome)), "B")
    pdf.ln(6)


def _feedback(pdf: _Report, facts: ReportFacts) -> None:
    pdf.add_page()
    pdf.heading("Feedback")
    widths = [50.0, 32.0, 32.0, 32.0, 32.0]
    pdf.row(["Month", "Received", "Published", "Rejected", "Urgent"], widths, bold=True)
    total = FeedbackMonth("total")
    for m in facts.feedback_months:
        pdf.row(
            [_month_name(m.month), *(str(n) for n in _counts(m))],
            widths,
        )
        total = FeedbackMonth(
            "total", *(a + b for a, b in zip(_counts(total), _counts(m), strict=True))
        )
    pdf.row(["All", *(str(n) for n in _counts(total))], widths, bold=True)
    pdf.ln(4)
    pdf.para(
        "Items still waiting for a facilitator are counted as received only. Rejected and "
        "urgent items are never quoted.",
        "I",
        9,
    )
    pdf.ln(4)
    pdf.heading("Published feedback", 12)
    if not facts.published:
        pdf.para("No feedback was published in this period.")
    for item in facts.published:
        label = f"#{item.number}" if item.number is not None else "\u2022"
        pdf.para(f"{label} ({_day(item.received_at, facts.timezone)}): {item.text}")
        pdf.ln(2)


def _counts(m: FeedbackMonth) -> tuple[int, int, int, int]:
    return (m.received, m.published, m.rejected, m.urgent)


def _meetings(pdf: _Report, facts: ReportFacts) -> None:
    pdf.add_page()
    pdf.heading("Meetings")
    if not facts.meetings:
        pdf.para("No meetings were held through Equal Say in this period.")
        return
    pdf.para("The answers people gave to each date (totals only, never by role).", "I", 9)
    pdf.ln(2)
    widths = [42.0, 68.0, 70.0]
    pdf.row(["Date", "Meeting", "Answers"], widths, bold=True)
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
    pdf.heading("Involvement (for payment)")
    pdf.para(
        "People who chose to have their involvement recorded, under the name they gave. It "
        "says nothing about their role or how they voted.",
        "I",
        9,
    )
    pdf.ln(2)
    widths = [60.0, 24.0, 24.0, 30.0, 42.0]
    pdf.row(["Name", "Meetings", "Minutes", "Travel (GBP)", "Payment"], widths, bold=True)
    for t in facts.involvement:
        pdf.row(
            [
                t.name,
                str(t.meetings),
                str(t.minutes),
                f"{t.expenses_pence / 100:.2f}",
                "wanted" if t.wants_payment else "not wanted",
            ],
            widths,
        )


def _how_it_works(pdf: _Report) -> None:
    pdf.add_page()
    pdf.heading("How equal weight and anonymity work")
    for text in HOW_IT_WORKS:
        pdf.para(text)
        pdf.ln(3)


def report_pdf(
    facts: ReportFacts,
    chart: Callable[[Decision], bytes | None] | None = None,
) -> bytes:
    """The whole report. `chart` draws a decision's chart (default: the results chart the
    group was sent); blocking, so callers run it in a worker thread."""
    draw = chart or (lambda d: poll_chart.results_chart(d.snapshot))
    title = f"{facts.group_title or 'Our group'}: {period_words(facts.period)}"
    pdf = _Report(title)
    _cover(pdf, facts)
    pdf.add_page()
    pdf.heading("Decisions")
    if not facts.decisions:
        pdf.para("No poll closed in this period.")
    for number, decision in enumerate(facts.decisions, start=1):
        _decision(pdf, number, decision, facts.timezone, draw(decision))
    _feedback(pdf, facts)
    _meetings(pdf, facts)
    _involvement(pdf, facts)
    _how_it_works(pdf)
    return bytes(pdf.output())


def period_words(period: Period) -> str:
    return period.label()


def file_name(facts: ReportFacts) -> str:
    p = facts.period
    return f"equal-say-report-{p.first:%Y-%m-%d}-to-{p.last:%Y-%m-%d}.pdf"
