"""Shared steps for the board report tests: ask for a report through the real buttons and
read the PDF back (its text with pypdf, its pages drawn with pypdfium2)."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader

from bot.harness import SandboxBot
from bot.sandbox import FakeUser
from bot.sandbox.models import SentFile
from tests.e2e.poll_helpers import Circle


def reports_in(bot: SandboxBot, user: FakeUser) -> list[SentFile]:
    return [
        m.document
        for m in bot.tg.messages(bot.private(user))
        if m.document is not None and m.document.filename.endswith(".pdf")
    ]


async def report_for_dates(
    bot: SandboxBot, circle: Circle, first: date, last: date, who: FakeUser | None = None
) -> SentFile:
    """/report in the group, "Choose dates", the two dates typed: the PDF sent privately."""
    person = who or circle.fiona
    before = len(reports_in(bot, person))
    await bot.say(person, circle.group, "/report")
    assert "sent you the report's choices privately" in bot.last_text(circle.group)
    dm = bot.private(person)
    await bot.press(person, bot.last(dm), text="Choose dates")
    await bot.say(person, dm, f"{first:%d %b %Y} to {last:%d %b %Y}")
    sent = reports_in(bot, person)
    assert len(sent) == before + 1, bot.last_text(dm)
    return sent[-1]


def pdf_text(pdf: SentFile) -> str:
    """All the text a reader can copy out of the PDF, whitespace made single spaces."""
    reader = PdfReader(io.BytesIO(pdf.data))
    return flat(" ".join(page.extract_text() or "" for page in reader.pages))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
