"""Feedback rules: text checks, role tags at k, digest times across daylight saving."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.domain.feedback_link import is_feedback_payload, sign_feedback, verify_feedback
from bot.domain.feedback_rules import (
    MAX_FEEDBACK_CHARS,
    TextProblem,
    check_text,
    local_day,
    may_tag,
    next_digest_at,
    received_hour,
)
from bot.domain.join_link import sign_join, verify_join
from bot.domain.roles import Role

LONDON = ZoneInfo("Europe/London")


def test_text_is_trimmed_and_checked() -> None:
    assert check_text("  hello ").text == "hello"
    assert check_text("hello").problem is None
    assert check_text("   \n ").problem is TextProblem.EMPTY
    assert check_text(None).problem is TextProblem.EMPTY
    assert check_text("x" * MAX_FEEDBACK_CHARS).problem is None
    assert check_text("x" * (MAX_FEEDBACK_CHARS + 1)).problem is TextProblem.TOO_LONG


def test_a_role_tag_needs_k_holders() -> None:
    counts = {Role.SERVICE_USER: 3, Role.CARER: 2, Role.STAFF: 0}
    assert may_tag(Role.SERVICE_USER, counts, 3)
    assert not may_tag(Role.CARER, counts, 3)
    assert not may_tag(Role.STAFF, counts, 3)
    assert not may_tag(None, counts, 3)
    assert may_tag(Role.CARER, counts, 2)


def test_next_digest_is_later_today_or_tomorrow() -> None:
    morning = datetime(2031, 1, 14, 10, 0, tzinfo=UTC)
    assert next_digest_at(morning, 17, LONDON) == datetime(2031, 1, 14, 17, 0, tzinfo=UTC)
    evening = datetime(2031, 1, 14, 17, 0, tzinfo=UTC)  # exactly at the hour: the next one
    assert next_digest_at(evening, 17, LONDON) == datetime(2031, 1, 15, 17, 0, tzinfo=UTC)


def test_next_digest_keeps_local_time_across_daylight_saving() -> None:
    summer = datetime(2031, 7, 1, 8, 0, tzinfo=UTC)  # 09:00 BST
    assert next_digest_at(summer, 17, LONDON) == datetime(2031, 7, 1, 16, 0, tzinfo=UTC)
    # 30 March 2031: clocks go forward at 01:00; an hour that does not exist is not a crash.
    before = datetime(2031, 3, 29, 23, 30, tzinfo=UTC)
    due = next_digest_at(before, 1, LONDON)
    assert due > before and due.date() == date(2031, 3, 30)


def test_local_day_and_received_hour() -> None:
    late = datetime(2031, 7, 1, 23, 30, tzinfo=UTC)  # already 2 July in London
    assert local_day(late, LONDON) == date(2031, 7, 2)
    assert received_hour(datetime(2031, 7, 1, 9, 41, 7, tzinfo=UTC)) == datetime(
        2031, 7, 1, 9, 0, tzinfo=UTC
    )


def test_feedback_links_are_signed_and_not_join_links() -> None:
    secret = b"secret"
    payload = sign_feedback(secret, 42)
    assert len(payload) <= 64 and is_feedback_payload(payload)
    assert verify_feedback(secret, payload) == 42
    assert verify_feedback(b"other", payload) is None
    assert verify_feedback(secret, payload.replace("f16", "f17")) is None
    assert verify_join(secret, payload) is None
    assert verify_feedback(secret, sign_join(secret, 42)) is None
