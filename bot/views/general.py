"""Texts for /start, /help and things that go wrong. Plain words, short lines, HTML-escaped."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_
from bot.views.links import start_link

PRIVATE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("What this bot does")),
    ("feedback", N_("Give feedback anonymously")),
    ("agenda", N_("Suggest a meeting agenda item anonymously")),
    ("role", N_("See or change your role")),
    ("mydata", N_("See everything stored about you")),
    ("forgetme", N_("Erase your roles and memberships")),
    ("language", N_("Choose my language")),
    ("help", N_("How to use Equal Say")),
)
# The group menu as members see it (BotCommandScopeAllGroupChats): what they can use.
MEMBER_GROUP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("join", N_("Join this group with a private role")),
    ("polls", N_("Open polls and recent results")),
    ("meetings", N_("Upcoming meetings")),
    ("agenda", N_("Add an item to the next meeting's agenda")),
    ("feedback", N_("Give feedback anonymously, in private")),
    ("yousaid", N_("You said, we did: what came of feedback and polls")),
    ("help", N_("How to use Equal Say")),
)
# Starting polls: facilitators, and everyone in groups whose facilitators allow it.
POLL_COMMANDS: tuple[tuple[str, str], ...] = (
    ("newpoll", N_("Set up a poll step by step, in private")),
    ("poll", N_("Start a poll: /poll Question, then each option on a new line")),
)
# Only in the administrators' menu (BotCommandScopeAllChatAdministrators).
FACILITATOR_COMMANDS: tuple[tuple[str, str], ...] = (
    ("close", N_("Close a poll (reply to it)")),
    ("decisions", N_("The decision log as a spreadsheet")),
    ("pollsettings", N_("Who can start polls")),
    ("members", N_("How many people joined in each role")),
    ("meeting", N_("Plan a meeting: /meeting when | what | where")),
    ("cancelmeeting", N_("Cancel a meeting")),
    ("movemeeting", N_("Move a meeting: /movemeeting 1 | new time")),
    ("reminders", N_("When meetings are reminded: /reminders 1 day, 1 hour")),
    ("timezone", N_("The group's time zone: /timezone Europe/London")),
    ("feedbacksettings", N_("How anonymous feedback reaches the group")),
    ("grouplanguage", N_("The language of my messages in this group")),
    ("outcome", N_("Record what came of feedback or a poll")),
    ("report", N_("A PDF report for a period, for the board")),
    ("involvement", N_("The involvement record: switch it on, export it")),
)
FACILITATOR_GROUP_COMMANDS = POLL_COMMANDS + FACILITATOR_COMMANDS + MEMBER_GROUP_COMMANDS
# A group whose facilitators let everyone start polls (set for that chat alone).
OPEN_POLLS_GROUP_COMMANDS = POLL_COMMANDS + MEMBER_GROUP_COMMANDS

START_PRIVATE = N_(
    "Hello, I am <b>Equal Say</b>.\n\n"
    "I help groups decide things together. Service users, carers and staff each count "
    "the same, however many of each there are.\n\n"
    "To take part, press <b>Join</b> on my message in your group. "
    "Nobody in the group can see your role or your votes.\n\n"
    "/help shows what else I can do. /language changes my language."
)

HELP_PRIVATE = N_(
    "<b>How Equal Say works</b>\n\n"
    "• Press <b>Join</b> in your group, then pick your role here. Only you can see it.\n"
    "• Vote with the buttons under a poll in the group. Nobody sees who voted what.\n"
    "• Results count service users, carers and staff equally.\n"
    "• /feedback: tell your group something without your name.\n"
    "• /agenda: suggest an item for your group's next meeting, without your name.\n\n"
    "<b>Your information</b>\n"
    "/role: see or change your role\n"
    "/mydata: see everything stored about you\n"
    "/forgetme: erase your roles and memberships\n"
    "/language: choose my language"
)

HELP_GROUP = N_(
    "<b>Equal Say</b> helps this group decide things together. Service users, carers "
    "and staff count the same.\n\n"
    "• Press <b>Join</b> to pick your role in private. Nobody here can see it.\n"
    "• Vote with the buttons under polls. Nobody sees who voted what.\n"
    "• /feedback: tell the group something without your name.\n"
    "• /meetings: what is planned.\n\n"
    "Organisers (the group's admins) start polls with /newpoll and plan meetings with "
    "/meeting."
)

START_GROUP = N_(
    "Hello! I am <b>Equal Say</b>. Press <b>Join</b> to take part. "
    "You will pick your role in a private chat with me."
)

SOMETHING_WENT_WRONG = N_(
    "Sorry, something went wrong on my side. It was not anything you did. "
    "Please try again in a minute."
)
SOMETHING_WENT_WRONG_SHORT = N_("Sorry, something went wrong on my side. Please try again.")

USE_PRIVATE_CHAT = N_("Please ask me that in a private chat, so only you can see the answer.")
STALE_BUTTON = N_("This button is no longer in use. Nothing was changed.")


def open_private_chat_keyboard(
    bot_username: str, label: str = N_("Open a private chat"), payload: str | None = None
) -> InlineKeyboardMarkup:
    link = start_link(bot_username, payload)
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, url=link)]])
