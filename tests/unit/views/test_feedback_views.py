"""Feedback texts: the heading names no one, the preview offers only what is allowed."""

from __future__ import annotations

from bot.domain.feedback_rules import Delivery
from bot.domain.roles import Role
from bot.views import feedback, feedback_posts
from bot.views.callbacks import Action, decode


def test_posted_items_are_headed_by_number_and_optional_role_only() -> None:
    assert (
        feedback_posts.group_post(3, None, "a <b>") == "<b>Anonymous feedback #3</b>\n\na &lt;b&gt;"
    )
    assert feedback_posts.group_post(4, Role.CARER, "hi").startswith(
        "<b>Anonymous feedback #4</b> (from a carer)"
    )


def test_prompt_says_who_sees_it_that_it_cannot_be_traced_and_where_help_is() -> None:
    text = feedback.prompt("Ward <5>", Delivery.DIGEST, 20, ("Call 999", "Samaritans"), 2)
    assert "Ward &lt;5&gt;" in text and "at 20:00" in text
    assert "Nobody can tell it came from you" in text
    assert "• Call 999" in text and "• Samaritans" in text
    assert "2 more messages" in text


def test_preview_keyboard_offers_the_tag_only_when_allowed() -> None:
    def labels(may_tag: bool, tagged: bool) -> list[str]:
        markup = feedback.preview_keyboard(7, role=Role.STAFF, may_tag=may_tag, tagged=tagged)
        return [b.text for row in markup.inline_keyboard for b in row]

    assert labels(False, False) == ["Send", "Cancel"]
    assert labels(True, False) == ["Send", "Cancel", "Say I am staff"]
    assert labels(True, True)[-1] == "Do not say my role"
    markup = feedback.preview_keyboard(7, role=Role.STAFF, may_tag=True, tagged=False)
    press = decode(str(markup.inline_keyboard[1][0].callback_data))
    assert press is not None and press.action is Action.FEEDBACK_TAG and press.args == (7, 1)


def test_settings_keyboard_shows_hours_only_for_the_digest() -> None:
    moderated = feedback_posts.settings_keyboard(5, Delivery.MODERATED, 17)
    assert len(moderated.inline_keyboard) == 3
    digest = feedback_posts.settings_keyboard(5, Delivery.DIGEST, 17)
    assert [b.text for b in digest.inline_keyboard[3]] == ["9:00", "12:00", "✓ 17:00", "20:00"]
