"""Telegram's HTML parse mode: visible text, UTF-16 entities and Telegram's errors."""

from __future__ import annotations

import pytest

from bot.sandbox.entities_html import parse_html, utf16_len
from bot.sandbox.errors import ApiError


def test_visible_text_and_entities() -> None:
    parsed = parse_html('<b>Vote</b> on <a href="https://x.org/?a=1&amp;b=2">this</a> &lt;3')
    assert parsed.text == "Vote on this <3"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "text_link", "offset": 8, "length": 4, "url": "https://x.org/?a=1&b=2"},
    ]


def test_offsets_count_utf16_code_units() -> None:
    parsed = parse_html("😀 <i>ok</i>")
    assert utf16_len("😀") == 2
    assert parsed.entities == [{"type": "italic", "offset": 3, "length": 2}]


def test_nested_tags_spoiler_pre_language_and_blockquote() -> None:
    parsed = parse_html(
        '<b>a<i>b</i></b><span class="tg-spoiler">c</span>'
        '<pre><code class="language-python">d</code></pre><blockquote expandable>e</blockquote>'
    )
    assert parsed.text == "abcde"
    kinds = [(e["type"], e["offset"], e["length"]) for e in parsed.entities]
    assert kinds == [
        ("bold", 0, 2),
        ("italic", 1, 1),
        ("spoiler", 2, 1),
        ("pre", 3, 1),
        ("expandable_blockquote", 4, 1),
    ]
    assert parsed.entities[3]["language"] == "python"


def test_numeric_entities_and_whitespace_trim() -> None:
    parsed = parse_html("  &#65;&#x42;&quot; <b>x </b> \n")
    assert parsed.text == 'AB" x'
    assert parsed.entities == [{"type": "bold", "offset": 4, "length": 1}]


@pytest.mark.parametrize(
    ("source", "detail"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("Tom & Jerry", "Unsupported HTML entity at byte offset 4"),
        ("&nbsp;", "Unsupported HTML entity at byte offset 0"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ('<a href="x"', "Unclosed start tag at byte offset 0"),
    ],
)
def test_bad_html_is_rejected_like_telegram(source: str, detail: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse_html(source)
    assert caught.value.status == 400
    assert caught.value.description.startswith("Bad Request: can't parse entities: ")
    assert detail in caught.value.description
