"""Telegram's HTML parse mode: visible text plus MessageEntity dicts, or Telegram's error.

Telegram is strict where a browser is lenient: only its own tags, properly nested and closed.
The sandbox is stricter still on one point, on purpose: a bare ``&`` that does not form one of
the supported entities is rejected, so a bot that forgets to escape user text fails in tests
instead of mangling a message in production. Offsets and lengths are in UTF-16 code units,
as in the Bot API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.errors import ApiError

# Tag -> entity type. ``span``, ``a``, ``pre``/``code``, ``blockquote``, ``tg-emoji`` and
# ``tg-time`` need attributes and are handled in ``_entity_for``.
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_ALLOWED = {*_SIMPLE_TAGS, "a", "span", "blockquote", "tg-emoji", "tg-time"}
_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_NAME_RE = re.compile(r"[a-zA-Z0-9-]*")
_ATTR_RE = re.compile(r"\s*([a-zA-Z0-9_-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>\"']+))?")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class ParsedText:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    attrs: dict[str, str]
    start: int  # UTF-16 offset in the visible text


def _parse_error(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _unescape_attr(value: str) -> str:
    if value[:1] in "\"'":
        value = value[1:-1]
    return _ENTITY_RE.sub(lambda m: _decode_entity(m.group(1)), value)


def _decode_entity(name: str) -> str:
    if name in _NAMED:
        return _NAMED[name]
    code = int(name[2:], 16) if name[1:2] in "xX" else int(name[1:])
    return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"


def parse_html(source: str) -> ParsedText:
    """Parse ``source`` the way Telegram does for ``parse_mode=HTML``."""
    out: list[str] = []
    pos16 = 0
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "&":
            m = _ENTITY_RE.match(source, i)
            if m is None:
                raise _parse_error(
                    f"Unsupported HTML entity at byte offset {_byte_offset(source, i)}; "
                    "escape '&' as &amp;"
                )
            piece = _decode_entity(m.group(1))
            out.append(piece)
            pos16 += utf16_len(piece)
            i = m.end()
        elif ch == "<":
            begin = i
            if source.startswith("</", i):
                close = source.find(">", i)
                if close == -1:
                    raise _parse_error(
                        f"Unclosed end tag at byte offset {_byte_offset(source, begin)}"
                    )
                name = source[i + 2 : close].strip().lower()
                if not stack:
                    raise _parse_error(
                        f"Unexpected end tag at byte offset {_byte_offset(source, begin)}"
                    )
                top = stack[-1]
                if name != top.tag:
                    raise _parse_error(
                        f"Unmatched end tag at byte offset {_byte_offset(source, begin)}, "
                        f'expected "</{top.tag}>", found "</{name}>"'
                    )
                stack.pop()
                entity = _entity_for(top, pos16, stack)
                if entity is not None:
                    entities.append(entity)
                i = close + 1
            else:
                name_match = _TAG_NAME_RE.match(source, i + 1)
                assert name_match is not None  # the pattern accepts the empty string
                name = name_match.group(0).lower()
                if name not in _ALLOWED:
                    raise _parse_error(
                        f'Unsupported start tag "{name}" at byte offset '
                        f"{_byte_offset(source, begin)}"
                    )
                i = name_match.end()
                attrs: dict[str, str] = {}
                while True:
                    while i < n and source[i].isspace():
                        i += 1
                    if i >= n:
                        raise _parse_error(
                            f"Unclosed start tag at byte offset {_byte_offset(source, begin)}"
                        )
                    if source[i] == ">":
                        i += 1
                        break
                    if source.startswith("/>", i):
                        raise _parse_error(
                            f'Unsupported self-closing tag "{name}" at byte offset '
                            f"{_byte_offset(source, begin)}"
                        )
                    attr = _ATTR_RE.match(source, i)
                    if attr is None or attr.end() == i:
                        raise _parse_error(
                            f"Expected equal sign in declaration of an attribute of the tag "
                            f"at byte offset {_byte_offset(source, begin)}"
                        )
                    attrs[attr.group(1).lower()] = _unescape_attr(attr.group(2) or "")
                    i = attr.end()
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    raise _parse_error(
                        f'Tag "span" must have class "tg-spoiler" at byte offset '
                        f"{_byte_offset(source, begin)}"
                    )
                stack.append(_Open(name, attrs, pos16))
        else:
            out.append(ch)
            pos16 += 2 if ord(ch) > 0xFFFF else 1
            i += 1
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    return _trim(ParsedText("".join(out), _sorted(entities)))


def _entity_for(tag: _Open, end16: int, outer: list[_Open]) -> dict[str, Any] | None:
    length = end16 - tag.start
    if length <= 0:
        return None  # Telegram drops empty entities
    base: dict[str, Any] = {"offset": tag.start, "length": length}
    if tag.tag in ("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler"):
        return {"type": _SIMPLE_TAGS[tag.tag], **base}
    if tag.tag == "span":
        return {"type": "spoiler", **base}
    if tag.tag == "a":
        href = tag.attrs.get("href")
        return {"type": "text_link", **base, "url": href} if href else None
    if tag.tag == "code":
        language = tag.attrs.get("class", "")
        if outer and outer[-1].tag == "pre" and language.startswith("language-"):
            # <pre><code class="language-x"> is one pre entity with a language; remember it on
            # the enclosing <pre> and let that tag produce the entity.
            outer[-1].attrs["_language"] = language.removeprefix("language-")
            return None
        return {"type": "code", **base}
    if tag.tag == "pre":
        pre_language = tag.attrs.get("_language")
        return {"type": "pre", **base, **({"language": pre_language} if pre_language else {})}
    if tag.tag == "blockquote":
        kind = "expandable_blockquote" if "expandable" in tag.attrs else "blockquote"
        return {"type": kind, **base}
    if tag.tag == "tg-emoji":
        emoji_id = tag.attrs.get("emoji-id")
        if not emoji_id:
            raise _parse_error("Custom emoji entity must contain emoji-id attribute")
        return {"type": "custom_emoji", **base, "custom_emoji_id": emoji_id}
    # tg-time
    unix = tag.attrs.get("unix", "")
    if not unix.isdigit():
        raise _parse_error('Tag "tg-time" must have a valid "unix" attribute')
    entity: dict[str, Any] = {"type": "date_time", **base, "unix_time": int(unix)}
    if "format" in tag.attrs:
        entity["date_time_format"] = tag.attrs["format"]
    return entity


def _sorted(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Telegram returns entities ordered by offset, outer (longer) ones first.
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _trim(parsed: ParsedText) -> ParsedText:
    """Telegram strips leading and trailing whitespace from message text; entities follow."""
    text = parsed.text
    stripped = text.strip()
    if stripped == text:
        return parsed
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    entities: list[dict[str, Any]] = []
    for entity in parsed.entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return ParsedText(stripped, entities)


def plain_text(text: str, entities: list[dict[str, Any]] | None) -> ParsedText:
    """No parse mode: the text is shown as sent, with the caller's explicit entities."""
    return _trim(ParsedText(text, list(entities or [])))
