"""What is kept about a person besides their roles: the rest of what /mydata shows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AlsoStored:
    """What else is kept about a person, beside their roles, for /mydata."""

    draft_group: str | None  # a poll they are setting up, not posted yet
    meeting_draft_group: str | None  # a meeting they typed and have not saved
    reminder_requests: int  # personal meeting reminders they asked for
    reachable: bool  # they opened a private chat, so facilitators' items can reach them
    reply_channels: int = 0  # feedback they let facilitators reply to (sealed chat id)
