"""Whose language each update is answered in, and /language, /grouplanguage (issue 15).

`set_language` runs before every other handler (its own group, first): a private chat is
answered in the person's language, a group in the group's. The views read it from
bot.i18n's context variable, so no handler passes a language around.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, TypeHandler, filters

from bot.context import AppContext
from bot.i18n import SUPPORTED, speaking
from bot.i18n.catalogues import use_language
from bot.services import groups, languages
from bot.views import general
from bot.views import languages as texts
from bot.views.callbacks import Action, decode, pattern
from handlers.guards import facilitator_command
from handlers.replies import edit_query_message, is_group_chat, pressed_in_private, reply


async def set_language(update: Update, context: AppContext) -> None:
    chat, user = update.effective_chat, update.effective_user
    cache = context.bot_data.languages
    if chat is not None and is_group_chat(chat):
        language = cache.group(chat.id)
        if language is None:
            async with context.uow() as uow:
                language = await languages.group_language(uow, chat.id)
            cache.keep_group(chat.id, language)
    elif user is not None and not user.is_bot:
        language = cache.person(user.id)
        if language is None:
            async with context.uow() as uow:
                language = await languages.person_language(
                    uow, context.secret, user.id, user.language_code
                )
            cache.keep_person(user.id, language)
    else:
        return
    use_language(language)


async def language_command(update: Update, context: AppContext) -> None:
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        await reply(update, texts.language_in_private())
        return
    await reply(update, texts.choose_language(), texts.language_keyboard())


async def language_pressed(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if query is None:
        return
    press = decode(query.data) if pressed_in_private(query) else None
    if press is None or len(press.args) != 1 or press.args[0] >= len(SUPPORTED):
        await query.answer(general.STALE_BUTTON)
        return
    language = SUPPORTED[press.args[0]]
    async with context.uow() as uow:
        await languages.choose(uow, context.secret, query.from_user.id, language)
    context.bot_data.languages.keep_person(query.from_user.id, language)
    with speaking(language):
        await query.answer()
        await edit_query_message(query, texts.language_saved())


async def group_language_command(update: Update, context: AppContext) -> None:
    group = await facilitator_command(
        update,
        context,
        elsewhere=texts.group_language_in_group(),
        refusal=texts.only_facilitators_language(),
    )
    if group is not None:
        await reply(
            update, texts.choose_group_language(group.title), texts.language_keyboard(group.id)
        )


async def group_language_pressed(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    press = decode(query.data)
    if press is None or len(press.args) != 2 or press.args[1] >= len(SUPPORTED):
        await query.answer(general.STALE_BUTTON)
        return
    async with context.uow() as uow:
        group = await groups.find_group_by_id(uow, press.args[0])
    if group is None or group.chat_id != query.message.chat.id:
        await query.answer(general.STALE_BUTTON)
        return
    if not await context.facilitators.is_facilitator(
        context.bot, group.chat_id, query.from_user.id
    ):
        await query.answer(texts.only_facilitators_language(), show_alert=True)
        return
    language = SUPPORTED[press.args[1]]
    async with context.uow() as uow:
        await languages.set_group_language(uow, group.id, language)
    context.bot_data.languages.keep_group(group.chat_id, language)
    with speaking(language):
        await query.answer()
        await edit_query_message(query, texts.group_language_saved())


def language_handlers() -> list[BaseHandler[Update, AppContext, None]]:
    """Before everything else, in its own group."""
    return [TypeHandler(Update, set_language)]


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    not_edited = ~filters.UpdateType.EDITED
    return [
        CommandHandler("language", language_command, filters=not_edited),
        CommandHandler("grouplanguage", group_language_command, filters=not_edited),
        CallbackQueryHandler(language_pressed, pattern=pattern(Action.LANGUAGE)),
        CallbackQueryHandler(group_language_pressed, pattern=pattern(Action.GROUP_LANGUAGE)),
    ]
