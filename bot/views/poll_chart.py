"""A bar chart of a poll's published results, as a PNG for phones.

What it shows is decided first, as plain values (`chart_model`): the question, the group's
name and the day, the decision in words, and per option its bars and a mark on the option(s)
decided. Drawing (`results_chart`) only lays that out, and writes the same words into the PNG's
text chunks too, so a test (or a screen reader's tooling) can read what the picture says.

matplotlib is imported inside the function: importing it takes a noticeable part of a second,
and the bot should start fast and only pay for it when a chart is actually drawn.
"""

from __future__ import annotations

import io
import textwrap
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from bot.domain.disclosure import Publication
from bot.domain.poll_rules import PollKind
from bot.domain.poll_snapshot import PollSnapshot
from bot.i18n import N_, _
from bot.i18n.catalogues import RLM
from bot.views.limits import shorten
from bot.views.poll_disclosure import turnout_sentence
from bot.views.poll_sentences import results_sentences
from bot.views.poll_wording import long_day, option_names, percent, raw_shares

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Okabe-Ito colours: told apart with every common kind of colour blindness.
RAW_COLOUR = "#E69F00"
EQUAL_COLOUR = "#0072B2"
RAW_LABEL = N_("Share of voters (head count)")
EQUAL_LABEL = N_("Equal weight (each role counts the same)")
LABEL_LIMIT = 40
WIDTH_INCHES = 8.0
DPI = 100
UNIT = 0.42  # inches per data unit on the bar axis
MARK_COLOUR = "#009E73"  # Okabe-Ito green: the decided option's band and mark
DECIDED = N_("Decided")
TOO_CLOSE = N_("Too close to call")
MOST_VOTES = N_("Most votes")
MOST_CHOSE = N_("Chosen by most")
POLL_RESULTS = N_("Poll results")


@dataclass(frozen=True, slots=True)
class ChartRow:
    label: str
    values: tuple[Fraction, ...]  # one per series
    mark: str | None  # DECIDED, TOO_CLOSE, MOST_VOTES or MOST_CHOSE, translated; or None


@dataclass(frozen=True, slots=True)
class ChartModel:
    """Everything the chart says, as plain values."""

    title: str
    subtitle: str  # "Co-production group · 4 December 2026"
    decision: str  # the decision in words, as the results message starts
    series: tuple[tuple[str, str], ...]  # (legend label, colour)
    rows: tuple[ChartRow, ...]
    footer: str


def _marks(pub: Publication, kind: PollKind, n: int) -> list[str | None]:
    """Which options the result picks, and in what words: the equal-weight decision where it
    is published, else the head count's leader(s); a scale's average has no option to mark."""
    if kind is PollKind.MULTIPLE:
        support = pub.support or pub.raw_support
        return [_word(MOST_CHOSE) if support and support[i] == 2 else None for i in range(n)]
    if kind is PollKind.SCALE:
        return [None] * n
    if pub.decision is not None:
        word = _word(DECIDED) if len(pub.decision) == 1 else _word(TOO_CLOSE)
        return [word if i in pub.decision else None for i in range(n)]
    if pub.raw_leaders is not None:
        return [_word(MOST_VOTES) if i in pub.raw_leaders else None for i in range(n)]
    return [None] * n


def _bare(text: str) -> str:
    """Without the right-to-left marks that lay Arabic out in Telegram: matplotlib sets the
    direction itself, and the PNG's text chunks are for reading, not for a chat."""
    return text.replace(RLM, "")


def _word(text: str) -> str:
    return _bare(_(text))


def _day(s: PollSnapshot) -> str:
    moment = s.closed_at or s.created_at
    if moment is None:
        return ""
    return long_day(moment, s.timezone)


def chart_model(s: PollSnapshot) -> ChartModel | None:
    """What the chart of `s` shows; None when nothing per option is published."""
    pub = s.publication
    raw = raw_shares(pub)
    if raw is None:
        return None
    series: list[tuple[str, str, Sequence[Fraction]]] = [(_word(RAW_LABEL), RAW_COLOUR, raw)]
    if pub.scores is not None:
        series.append((_word(EQUAL_LABEL), EQUAL_COLOUR, pub.scores))
    marks = _marks(pub, s.kind, len(s.options))
    rows = []
    for i, option in enumerate(option_names(s.kind, s.options)):
        label = option if s.kind is PollKind.SCALE else f"{i + 1}. {shorten(option, LABEL_LIMIT)}"
        rows.append(
            ChartRow(_bare(label), tuple(values[i] for *_named, values in series), marks[i])
        )
    sentences = results_sentences(pub, s.options, s.kind)
    group = " ".join(s.group_title.split())
    return ChartModel(
        title=" ".join(s.question.split()),
        subtitle=" · ".join(x for x in (shorten(group, 60), _day(s)) if x),
        decision=_bare(sentences[0]) if sentences else "",
        series=tuple((name, colour) for name, colour, _values in series),
        rows=tuple(rows),
        footer=_bare(turnout_sentence(pub)),
    )


def _drawable(text: str, charmap: Sequence[int] | set[int]) -> str:
    """Drop characters the font has no glyph for (emoji, most scripts): a box helps nobody,
    and the numbered option is still in the results message beside the chart."""
    kept = "".join(ch for ch in text if ch.isspace() or ord(ch) in charmap)
    return " ".join(kept.split())


def results_chart(s: PollSnapshot) -> bytes | None:
    """Raw share against equal-weight score per option; None when there is nothing to draw."""
    model = chart_model(s)
    return None if model is None else draw_chart(model, scale=s.kind is PollKind.SCALE)


def _wrapped(text: str, width: int, lines: int) -> str:
    return "\n".join(textwrap.wrap(text, width)[:lines])


def draw_chart(model: ChartModel, *, scale: bool = False) -> bytes:
    """The PNG of a chart model."""
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    charmap = set(font_manager.get_font(font_manager.findfont("DejaVu Sans")).get_charmap())
    question = _drawable(shorten(model.title, 110), charmap)
    title = _wrapped(question, 40, 3) or _word(POLL_RESULTS)
    subtitle = _drawable(model.subtitle, charmap)
    # The decision in words, under the title (the bars may be rounded or a head count only).
    decision = _wrapped(_drawable(model.decision, charmap), 60, 3)
    footer = _wrapped(model.footer, 70, 3)
    n_series = len(model.series)

    # Laid out in inches, top to bottom, so the chart grows with the options and nothing overlaps.
    n = len(model.rows)
    bar = 0.55  # data units; one data unit is UNIT inches
    pitch = 0.95 + bar * n_series  # a label line above each option's bars
    title_h = 0.4 * (title.count("\n") + 1)
    sub_h = 0.3 if subtitle else 0.0
    decision_h = 0.32 * (decision.count("\n") + 1) if decision else 0.0
    legend_h = 0.35 * n_series
    head = 0.35 + title_h + sub_h + decision_h + legend_h + 0.2
    foot = 0.25 + 0.22 * (footer.count("\n") + 1)
    body = n * pitch * UNIT
    height = head + body + foot
    fig = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.03, foot / height, 0.94, body / height))
    for i, row in enumerate(model.rows):
        base = i * pitch
        if row.mark is not None:
            # A pale band behind the decided option, and its name in words: colour alone
            # would not reach everyone.
            ax.axhspan(base + 0.05, base + pitch - 0.05, color=MARK_COLOUR, alpha=0.12, lw=0)
        label = row.label if scale else _drawable(row.label, charmap).rstrip()
        ax.text(
            0,
            base + 0.85,
            label,
            fontsize=17,
            va="bottom",
            ha="left",
            parse_math=False,
            fontweight="bold" if row.mark else "normal",
        )
        if row.mark is not None:
            ax.text(
                1.14,
                base + 0.85,
                _drawable(f"✔ {row.mark}", charmap),
                fontsize=15,
                va="bottom",
                ha="right",
                color=MARK_COLOUR,
                fontweight="bold",
                parse_math=False,
            )
        for j, ((name, colour), value) in enumerate(zip(model.series, row.values, strict=True)):
            y = base + 0.9 + bar * (j + 0.5)
            ax.barh(y, float(value), height=bar * 0.9, color=colour, label=name if i == 0 else None)
            ax.text(
                float(value) + 0.01,
                y,
                percent(value),
                fontsize=15,
                va="center",
                ha="left",
                parse_math=False,
            )
    ax.set_xlim(0, 1.15)
    ax.set_ylim(n * pitch + 0.1, 0)  # first option on top
    ax.set_axis_off()
    top = 1 - 0.2 / height
    fig.text(
        0.03, top, title, fontsize=20, fontweight="bold", va="top", ha="left", parse_math=False
    )
    below = 0.2 + title_h + 0.05
    if subtitle:
        fig.text(
            0.03,
            1 - below / height,
            subtitle,
            fontsize=13,
            color="#444444",
            va="top",
            ha="left",
            parse_math=False,
        )
        below += sub_h
    if decision:
        fig.text(
            0.03,
            1 - below / height,
            decision,
            fontsize=15,
            fontweight="bold",
            color=MARK_COLOUR,
            va="top",
            ha="left",
            parse_math=False,
        )
        below += decision_h
    fig.legend(
        loc="upper left",
        bbox_to_anchor=(0.02, 1 - (below + 0.1) / height),
        fontsize=14,
        frameon=False,
        handlelength=1.2,
    )
    fig.text(0.03, 0.1 / height, footer, fontsize=12, va="bottom", ha="left", parse_math=False)
    return _compact_png(fig, _png_text(model))


def _png_text(model: ChartModel) -> dict[str, str]:
    """The chart's words as PNG text chunks (tEXt/iTXt): what it shows, readable without
    looking at the pixels."""
    marked = [f"{row.label}: {row.mark}" for row in model.rows if row.mark]
    return {
        "Title": model.title,
        "Description": model.decision,
        "Group and date": model.subtitle,
        "Marked": "; ".join(marked),
    }


def _compact_png(fig: Figure, text: dict[str, str] | None = None) -> bytes:
    """PNG with a 64-colour palette: flat bars and text lose nothing, and the file shrinks
    about threefold, which matters on a phone on mobile data."""
    from PIL import Image

    raw = io.BytesIO()
    with warnings.catch_warnings():
        # A glyph we failed to filter must not turn into an error in a handler.
        warnings.simplefilter("ignore")
        fig.savefig(raw, format="png")
    raw.seek(0)
    with Image.open(raw) as image:
        small = image.convert("RGB").quantize(colors=64)
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    for key, value in (text or {}).items():
        info.add_itxt(key, value)  # international text: any script, UTF-8
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True, pnginfo=info)
    return out.getvalue()
