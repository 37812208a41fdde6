"""A bar chart of a poll's published results, as a PNG for phones.

matplotlib is imported inside the function: importing it takes a noticeable part of a second,
and the bot should start fast and only pay for it when a chart is actually drawn.
"""

from __future__ import annotations

import io
import textwrap
import warnings
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from bot.domain.poll_rules import PollKind
from bot.domain.poll_snapshot import PollSnapshot
from bot.domain.results_text import decision_sentence
from bot.views.limits import shorten
from bot.views.poll_disclosure import turnout_sentence
from bot.views.poll_wording import percent, raw_shares

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Okabe-Ito colours: told apart with every common kind of colour blindness.
RAW_COLOUR = "#E69F00"
EQUAL_COLOUR = "#0072B2"
RAW_LABEL = "Share of voters (head count)"
EQUAL_LABEL = "Equal weight (each role counts the same)"
LABEL_LIMIT = 40
WIDTH_INCHES = 8.0
DPI = 100
UNIT = 0.42  # inches per data unit on the bar axis


def _drawable(text: str, charmap: Sequence[int] | set[int]) -> str:
    """Drop characters the font has no glyph for (emoji, most scripts): a box helps nobody,
    and the numbered option is still in the results message beside the chart."""
    kept = "".join(ch for ch in text if ch.isspace() or ord(ch) in charmap)
    return " ".join(kept.split())


def results_chart(s: PollSnapshot) -> bytes | None:
    """Raw share against equal-weight score per option; None when there is nothing to draw."""
    pub = s.publication
    raw = raw_shares(pub)
    if raw is None:
        return None
    series: list[tuple[str, str, Sequence[Fraction]]] = [(RAW_LABEL, RAW_COLOUR, raw)]
    if pub.scores is not None:
        series.append((EQUAL_LABEL, EQUAL_COLOUR, pub.scores))

    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    charmap = set(font_manager.get_font(font_manager.findfont("DejaVu Sans")).get_charmap())
    question = _drawable(shorten(" ".join(s.question.split()), 110), charmap)
    title = "\n".join(textwrap.wrap(question, 40)[:3]) or "Poll results"
    # The decision in words (the bars may be rounded or a head count only), then who voted.
    decision = decision_sentence(pub, s.options, s.kind)
    footer = " ".join(x for x in (decision, turnout_sentence(pub)) if x)
    footer = "\n".join(textwrap.wrap(footer, 70)[:3])

    # Laid out in inches, top to bottom, so the chart grows with the options and nothing overlaps.
    n = len(s.options)
    bar = 0.55  # data units; one data unit is UNIT inches
    pitch = 0.95 + bar * len(series)  # a label line above each option's bars
    head = 0.35 + 0.4 * (title.count("\n") + 1) + 0.35 * len(series) + 0.2
    foot = 0.25 + 0.22 * (footer.count("\n") + 1)
    body = n * pitch * UNIT
    height = head + body + foot
    fig = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.03, foot / height, 0.94, body / height))
    for i, option in enumerate(s.options):
        base = i * pitch
        label = f"{i + 1}. {_drawable(shorten(option, LABEL_LIMIT), charmap)}".rstrip()
        if s.kind is PollKind.SCALE:
            label = option  # the options are the numbers 1 to 5 themselves
        ax.text(0, base + 0.85, label, fontsize=17, va="bottom", ha="left", parse_math=False)
        for j, (name, colour, values) in enumerate(series):
            y = base + 0.9 + bar * (j + 0.5)
            value = float(values[i])
            ax.barh(y, value, height=bar * 0.9, color=colour, label=name if i == 0 else None)
            ax.text(
                value + 0.01,
                y,
                percent(values[i]),
                fontsize=15,
                va="center",
                ha="left",
                parse_math=False,
            )
    ax.set_xlim(0, 1.15)
    ax.set_ylim(n * pitch + 0.1, 0)  # first option on top
    ax.set_axis_off()
    fig.text(
        0.03,
        1 - 0.2 / height,
        title,
        fontsize=20,
        fontweight="bold",
        va="top",
        ha="left",
        parse_math=False,
    )
    fig.legend(
        loc="upper left",
        bbox_to_anchor=(0.02, 1 - (head - 0.35 * len(series) - 0.2) / height),
        fontsize=14,
        frameon=False,
        handlelength=1.2,
    )
    fig.text(0.03, 0.1 / height, footer, fontsize=12, va="bottom", ha="left", parse_math=False)
    return _compact_png(fig)


def _compact_png(fig: Figure) -> bytes:
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
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()
