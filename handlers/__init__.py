"""Every handler, registered in one place and in order."""

from __future__ import annotations

from bot.context import AppType
from handlers import (
    errors,
    feedback,
    feedback_moderation,
    feedback_sending,
    lifecycle,
    meeting_rsvp,
    meetings,
    member_changes,
    membership,
    poll_wizard,
    polls,
    private_chat_reach,
    private_text,
    replays,
    stale_buttons,
    start,
)


def register_all(app: AppType) -> None:
    """Wire every feature's handlers. Order matters within a group: first match wins."""
    app.add_handlers(lifecycle.handlers())
    app.add_handlers(member_changes.handlers())
    app.add_handlers(start.handlers())
    app.add_handlers(membership.handlers())
    app.add_handlers(polls.handlers())
    app.add_handlers(poll_wizard.handlers())
    app.add_handlers(meetings.handlers())
    app.add_handlers(meeting_rsvp.handlers())
    app.add_handlers(feedback.handlers())
    app.add_handlers(feedback_sending.handlers())
    app.add_handlers(feedback_moderation.handlers())
    # Before everything: an update delivered a second time goes no further.
    app.add_handlers(replays.handlers(), group=-2)
    # Its own group, before the features: notes who can be messaged, whatever else handles it.
    app.add_handlers(private_chat_reach.handlers(), group=-1)
    # After every command handler: it takes the private chat's plain text (commands excluded).
    app.add_handlers(private_text.handlers())
    # Last: any press no feature claimed gets a kind answer instead of a spinning button.
    app.add_handlers(stale_buttons.handlers())
    app.add_error_handler(errors.on_error)
