"""Every handler, registered in one place and in order."""

from __future__ import annotations

from bot.context import AppType
from handlers import (
    crisis_gate,
    errors,
    feedback,
    feedback_moderation,
    feedback_replies,
    feedback_sending,
    involvement,
    languages,
    lifecycle,
    meeting_rsvp,
    meetings,
    member_changes,
    membership,
    outcomes,
    poll_wizard,
    polls,
    private_chat_reach,
    private_text,
    replays,
    reports,
    stale_buttons,
    start,
    urgent_mute,
    urgent_seen,
    welcome,
)

LANGUAGE_GROUP = -4
REPLAYS_GROUP = -3
REACH_GROUP = -2
CRISIS_GATE_GROUP = -1
WELCOME_GROUP = 1  # after the features (group 0): arrivals are read there too


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
    app.add_handlers(urgent_seen.handlers())
    app.add_handlers(urgent_mute.handlers())
    app.add_handlers(feedback_replies.handlers())
    app.add_handlers(outcomes.handlers())
    app.add_handlers(reports.handlers())
    app.add_handlers(involvement.handlers())
    app.add_handlers(welcome.handlers())
    app.add_handlers(languages.handlers())
    # First of all: which language this update is answered in (reads no text).
    app.add_handlers(languages.language_handlers(), group=LANGUAGE_GROUP)
    # Before everything else: an update delivered a second time goes no further.
    app.add_handlers(replays.handlers(), group=REPLAYS_GROUP)
    # Its own group, before the features: notes who can be messaged, whatever else handles it.
    app.add_handlers(private_chat_reach.handlers(), group=REACH_GROUP)
    # Before any feature reads a person's words: a crisis is answered and goes no further.
    # Only the two groups above run before it, and neither reads text
    # (tests/e2e/test_crisis_gate_coverage.py enumerates every handler to keep it so).
    app.add_handlers(crisis_gate.handlers(), group=CRISIS_GATE_GROUP)
    # Its own group: newcomers are welcomed whatever other feature also reads arrivals and
    # departures (only the first matching handler of a group runs).
    app.add_handlers(welcome.arrival_handlers(), group=WELCOME_GROUP)
    # After every command handler: it takes the private chat's plain text (commands excluded).
    app.add_handlers(private_text.handlers())
    # Last: any press no feature claimed gets a kind answer instead of a spinning button.
    app.add_handlers(stale_buttons.handlers())
    app.add_error_handler(errors.on_error)
