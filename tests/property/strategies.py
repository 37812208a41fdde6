"""Hostile text: every kind of character people (or attackers) can put in a message.

Unicode at large (hypothesis' own text strategy), right-to-left text and controls, emoji with
joiners and modifiers, control characters, combining marks, and HTML that must stay text.
"""

from __future__ import annotations

from hypothesis import strategies as st

RTL = (
    "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "\u202b",  # RIGHT-TO-LEFT EMBEDDING
    "\u2067",  # RIGHT-TO-LEFT ISOLATE
    "\u2069",  # POP DIRECTIONAL ISOLATE
    "\u200f",  # RIGHT-TO-LEFT MARK
    "مرحبا بكم",
    "שלום עולם",
    "‮gnp.exe",
)
EMOJI = (
    "😀",
    "👩‍👩‍👧‍👦",
    "🏳️‍🌈",
    "👍🏽",
    "🇬🇧",
    "❤️",
    "\u200d",  # ZERO WIDTH JOINER alone
    "\ufe0f",  # VARIATION SELECTOR-16 alone
    "𝕳𝖊𝖑𝖑𝖔",  # outside the BMP: two UTF-16 units each
)
CONTROLS = (
    "\x00",
    "\x07",
    "\x1b[31m",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\u200b",
    "\ufeff",
    "\u00ad",
    "\u180e",
    "\u3000",
)
COMBINING = ("e\u0301", "\u0301\u0301\u0301", "Z̴̡̛͓͎a̷l̶g̸o̵", "ﬁ", "Ａ１", "ß", "İ", "ǅ")
HTML = (
    "<",
    ">",
    "&",
    '"',
    "'",
    "<b>",
    "</b>",
    "<i>x</i>",
    "<b><i>",
    "</i></b>",
    "&amp;",
    "&lt;",
    "&#0;",
    "&#x110000;",
    "&nbsp;",
    "<a href='tg://user?id=1'>",
    "</a>",
    '<a href="javascript:alert(1)">x</a>',
    "<script>alert(1)</script>",
    "<tg-spoiler>",
    "<pre><code class='language-x'>",
    '<span class="tg-spoiler">',
    "<blockquote expandable>",
    "<!-- -->",
    "<br/>",
    "<<>>",
)
PIPES = ("|", " | ", "||", "｜", "¦")
WORDS = ("Yes", "No", "yes", "YES", "Maybe", " ", "  ", "Option", "?", "1", "-", "@equalsay_bot")

ATOMS: tuple[str, ...] = RTL + EMOJI + CONTROLS + COMBINING + HTML + PIPES + WORDS

atom = st.sampled_from(ATOMS)


def hostile_text(*, max_size: int = 40) -> st.SearchStrategy[str]:
    """Short text made of hostile atoms and arbitrary Unicode, mixed."""
    return st.lists(st.one_of(atom, st.text(max_size=8)), max_size=max_size).map("".join)


def long_text(min_repeat: int = 1, max_repeat: int = 600) -> st.SearchStrategy[str]:
    """One hostile atom repeated: for limits (5,000 ampersands, 3,000 emoji...)."""
    return st.builds(
        lambda unit, n: unit * n,
        st.one_of(atom, st.text(min_size=1, max_size=3)),
        st.integers(min_repeat, max_repeat),
    )


def any_text(*, max_size: int = 40) -> st.SearchStrategy[str]:
    return st.one_of(hostile_text(max_size=max_size), st.text(), long_text())


# Dates as people type them, and nearly so: words, numbers and separators in any order.
DATE_WORDS = (
    "tomorrow",
    "today",
    "yesterday",
    "next",
    "last",
    "this",
    "in",
    "at",
    "on",
    "ago",
    "noon",
    "midnight",
    "Tuesday",
    "fri",
    "Sunday",
    "Dec",
    "December",
    "march",
    "Feb",
    "29",
    "30",
    "31",
    "0",
    "1",
    "2",
    "3",
    "12",
    "13",
    "24",
    "25",
    "60",
    "99",
    "2pm",
    "2 pm",
    "12am",
    "14:00",
    "10:30",
    "23:59",
    "24:00",
    "25:61",
    "00:00",
    "1:30",
    "2:30",
    "days",
    "day",
    "hours",
    "minutes",
    "weeks",
    "months",
    "years",
    "2026",
    "2027",
    "2099",
    "9999",
    "10000",
    "0001",
    "999999999",
    "1e9",
    "UTC",
    "GMT",
    "BST",
    "+14:00",
    "-12:00",
    "EST",
    "/",
    "-",
    ".",
    ",",
    "2026-03-29 01:30",
    "2026-10-25 01:30",
    "31/12/9999 23:59",
    "1/1/10000",
    "29 Feb 2027",
    "tmrw",
    "demain",
    "mañana",
    "明天",
    "٣",
    "३",
)


_WEEKDAYS = ("Monday", "tuesday", "Wed", "thu", "Friday", "SATURDAY", "Sun")
_MONTHS = (
    "Jan",
    "February",
    "mar",
    "April",
    "May",
    "jun",
    "July",
    "Aug",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
)
_numbers = st.one_of(
    st.integers(0, 61), st.sampled_from((99, 100, 366, 9999, 10**6, 10**9, 10**18))
)
_years = st.sampled_from(
    (1, 99, 1970, 2000, 2025, 2026, 2027, 2028, 2031, 2032, 2038, 2099, 2100, 9999, 10000)
)


def _day_phrase() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(("", "tomorrow", "today", "Tomorrow", "TODAY", "the day after tomorrow")),
        st.sampled_from(_WEEKDAYS).map(lambda d: f"next {d}"),
        st.sampled_from(_WEEKDAYS),
        st.builds("{} {}".format, st.integers(0, 32), st.sampled_from(_MONTHS)),
        st.builds("{} {} {}".format, st.integers(0, 32), st.sampled_from(_MONTHS), _years),
        st.builds("{}/{}".format, st.integers(0, 32), st.integers(0, 13)),
        st.builds("{}/{}/{}".format, st.integers(0, 32), st.integers(0, 13), _years),
        st.builds("{:04d}-{:02d}-{:02d}".format, _years, st.integers(0, 13), st.integers(0, 32)),
        # The ends of the calendar, where a zone's offset runs off it.
        st.sampled_from(("1 Jan 1", "1 jan 0001", "31 Dec 9999", "31/12/9999", "9999-12-31")),
        st.builds(
            "in {} {}".format,
            _numbers,
            st.sampled_from(("days", "day", "hours", "minutes", "weeks", "months", "years")),
        ),
    )


def _time_phrase() -> st.SearchStrategy[str]:
    return st.one_of(
        st.just(""),
        st.builds("{}pm".format, st.integers(0, 13)),
        st.builds("{} am".format, st.integers(0, 13)),
        st.builds("{}:{:02d}".format, st.integers(0, 25), st.integers(0, 61)),
        st.builds("at {}:{:02d}".format, st.integers(0, 25), st.integers(0, 61)),
        st.sampled_from(("noon", "midnight", "at 10", "half past 2")),
    )


def structured_date() -> st.SearchStrategy[str]:
    """A day and a time as people put them, with numbers out of range now and then."""
    zone = st.sampled_from(
        ("", "", "", " UTC", " GMT", " +05:30", " EST", " +14:00", " -12:00", " PST")
    )
    return st.builds(
        lambda day, time, zone, swap: (f"{time} {day}" if swap else f"{day} {time}") + zone,
        _day_phrase(),
        _time_phrase(),
        zone,
        st.booleans(),
    )


def date_like(*, max_words: int = 6) -> st.SearchStrategy[str]:
    """Text that looks like a date often enough to reach deep into the date parser."""
    word = st.one_of(st.sampled_from(DATE_WORDS), st.sampled_from(ATOMS), st.text(max_size=3))
    sep = st.sampled_from((" ", " ", "  ", ", ", "\t", ""))
    jumble = st.lists(st.tuples(word, sep), max_size=max_words).map(
        lambda parts: "".join(w + s for w, s in parts)
    )
    return st.one_of(structured_date(), structured_date(), jumble)


# Something visible, then anything: options that survive tidying often enough to make polls.
visible = st.sampled_from(
    ("Yes", "No", "نعم", "כן", "👍🏽", "<b>", "&amp;", "Ｙｅｓ", "ß", "e\u0301")
)
option_text = st.one_of(
    st.builds(lambda head, tail: head + tail, visible, hostile_text(max_size=5)),
    hostile_text(max_size=5),
    st.text(min_size=1, max_size=120),
    long_text(1, 120),
)
poll_lines = st.builds(
    lambda question, options, sep: sep.join([question, *options]),
    st.one_of(st.builds(lambda h, t: h + t, visible, any_text(max_size=10)), any_text()),
    st.lists(option_text, max_size=12),
    st.sampled_from(("|", " | ", "｜", "||", "\n|")),
)
meeting_lines = st.builds(
    lambda when, title, place, n: " | ".join([when, title, place][:n]),
    date_like(),
    st.one_of(st.builds(lambda h, t: h + t, visible, hostile_text(max_size=8)), any_text()),
    st.one_of(hostile_text(max_size=8), st.just("-"), long_text(1, 250)),
    st.integers(1, 4),
)


def exactly(length: int) -> st.SearchStrategy[str]:
    """Hostile text of about `length` characters: atoms repeated, cut to size."""
    return st.builds(
        lambda head, unit: (head + unit * length)[:length],
        visible,
        st.one_of(atom, st.text(min_size=1, max_size=3)),
    )


# Polls that pass the rules (mostly): 2 to 10 different options, some at the length limits.
fair_poll_lines = st.builds(
    lambda question, options, sep: sep.join(
        [question, *(f"{i}{option}" for i, option in enumerate(options))]
    ),
    st.one_of(
        st.builds(lambda h, t: h + t, visible, hostile_text(max_size=10)),
        exactly(300),
        exactly(120),
    ),
    st.lists(
        st.one_of(
            st.builds(lambda h, t: h + t, visible, hostile_text(max_size=5)),
            exactly(99),
            exactly(40),
        ),
        min_size=2,
        max_size=10,
    ),
    st.sampled_from(("|", " | ", "\n|")),
)


# Meeting lines that pass the rules (mostly): a day and a time soon, a title, maybe a place.
_soon = st.one_of(
    st.sampled_from(("tomorrow", "next Tuesday", "Friday", "in 3 days", "3 Dec", "1/2")),
    st.builds("{} {}".format, st.integers(1, 28), st.sampled_from(_MONTHS)),
)
_at = st.one_of(
    st.builds("{}pm".format, st.integers(1, 11)),
    st.builds("{}:{:02d}".format, st.integers(0, 23), st.sampled_from((0, 15, 30, 59))),
)
fair_meeting_lines = st.builds(
    lambda day, time, title, place, with_place: " | ".join(
        [f"{day} {time}", title, *([place] if with_place else [])]
    ),
    _soon,
    _at,
    st.one_of(st.builds(lambda h, t: h + t, visible, hostile_text(max_size=8)), exactly(119)),
    st.one_of(hostile_text(max_size=8), st.just("-"), exactly(199)),
    st.booleans(),
)
