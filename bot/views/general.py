"""Texts for /start, /help and things that go wrong. Plain words, short lines, HTML-escaped."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.views.links import start_link

PRIVATE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "What this bot does"),
    ("feedback", "Give feedback anonymously"),
    ("agenda", "Suggest a meeting agenda item anonymously"),
    ("role", "See or change your role"),
    ("mydata", "See everything stored about you"),
    ("forgetme", "Erase your roles and memberships"),
    ("help", "How to use Equal Say"),
)
# The group menu as members see it (BotCommandScopeAllGroupChats): what they can use.
MEMBER_GROUP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("join", "Join this group with a private role"),
    ("polls", "Open polls and recent results"),
    ("meetings", "Upcoming meetings"),
    ("agenda", "Add an item to the next meeting's agenda"),
    ("feedback", "Give feedback anonymously, in private"),
    ("yousaid", "You said, we did: what came of feedback and polls"),
    ("help", "How to use Equal Say"),
)
# Starting polls: facilitators, and everyone in groups whose facilitators allow it.
POLL_COMMANDS: tuple[tuple[str, str], ...] = (
    ("newpoll", "Set up a poll step by step, in private"),
    ("poll", "Start a poll: /poll Question, then each option on a new line"),
)
# Only in the administrators' menu (BotCommandScopeAllChatAdministrators).
FACILITATOR_COMMANDS: tuple[tuple[str, str], ...] = (
    ("close", "Close a poll (reply to it)"),
    ("decisions", "The decision log as a spreadsheet"),
    ("pollsettings", "Who can start polls"),
    ("members", "How many people joined in each role"),
    ("meeting", "Plan a meeting: /meeting when | what | where"),
    ("cancelmeeting", "Cancel a meeting"),
    ("movemeeting", "Move a meeting: /movemeeting 1 | new time"),
    ("reminders", "When meetings are reminded: /reminders 1 day, 1 hour"),
    ("timezone", "The group's time zone: /timezone Europe/London"),
    ("feedbacksettings", "How anonymous feedback reaches the group"),
    ("outcome", "Record what came of feedback or a poll"),
    ("report", "A PDF report for a period, for the board"),
    ("involvement", "The involvement record: switch it on, export it"),
)
FACILITATOR_GROUP_COMMANDS = POLL_COMMANDS + FACILITATOR_COMMANDS + MEMBER_GROUP_COMMANDS
# A group whose facilitators let everyone start polls (set for that chat alone).
OPEN_POLLS_GROUP_COMMANDS = POLL_COMMANDS + MEMBER_GROUP_COMMANDS

START_PRIVATE = (
    "Hello, I am <b>Equal Say</b>.\n\n"
    "I help groups of service users, carers and staff decide things together. "
    "Each of the three groups counts equally, however many people are in it.\n\n"
    "To take part, press <b>Join</b> on my message in your group. "
    "I will then ask you, here in private, which hat you wear: service user, carer or staff. "
    "Nobody in the group can see your role or how you vote.\n\n"
    "Type /help to see what else I can do."
)

HELP_PRIVATE = (
    "<b>How Equal Say works</b>\n\n"
    "• Press <b>Join</b> in your group, then pick your role here. Only you can see it.\n"
    "• Vote with the buttons under a poll in the group. Nobody sees who voted what.\n"
    "• Results count service users, carers and staff equally.\n"
    "• /feedback: tell your group something without your name.\n"
    "• /agenda: suggest an item for your group's next meeting, without your name.\n\n"
    "<b>Your information</b>\n"
    "/role: see or change your role\n"
    "/mydata: see everything stored about you\n"
    "/forgetme: erase your roles and memberships"
)

HELP_GROUP = (
    "<b>Equal Say</b> helps this group decide things together, with service users, carers "
    "and staff counting equally.\n\n"
    "• Press <b>Join</b> to pick your role in private. Nobody here can see it.\n"
    "• Vote with the buttons under polls. Votes are anonymous.\n"
    "• /feedback: give feedback anonymously, in a private chat.\n"
    "• Answer Coming, Maybe or Can't come under a meeting; /meetings lists what is planned.\n\n"
    "Facilitators (the group's admins) can use /newpoll to set up a poll step by step, "
    "/meeting to plan a meeting, /members to see how many people joined in each role, "
    "and /feedbacksettings to choose how anonymous feedback reaches the group."
)

START_GROUP = (
    "Hello! I am <b>Equal Say</b>. Press <b>Join</b> to take part. "
    "You will pick your role in a private chat with me."
)

SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side. It was not anything you did. "
    "Please try again in a minute."
)
SOMETHING_WENT_WRONG_SHORT = "Sorry, something went wrong on my side. Please try again."

USE_PRIVATE_CHAT = "Please ask me that in a private chat, so only you can see the answer."
STALE_BUTTON = "This button is no longer in use. Nothing was changed."


def open_private_chat_keyboard(
    bot_username: str, label: str = "Open a private chat", payload: str | None = None
) -> InlineKeyboardMarkup:
    link = start_link(bot_username, payload)
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, url=link)]])
