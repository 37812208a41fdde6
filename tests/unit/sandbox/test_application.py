"""A whole PTB Application over the in-process transport: polling and direct process_update."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, CommandHandler, ContextTypes

from bot.sandbox import FakeTelegram, SandboxRequest


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    payload = " ".join(context.args or [])
    await update.effective_message.reply_html(f"Welcome <b>{payload or 'friend'}</b>")


async def test_polling_application_answers_start(tg: FakeTelegram) -> None:
    app = (
        ApplicationBuilder()
        .token(tg.token)
        .request(SandboxRequest(tg))
        .get_updates_request(SandboxRequest(tg))
        .rate_limiter(AIORateLimiter())
        .build()
    )
    app.add_handler(CommandHandler("start", _start))
    user = tg.create_user("Ann")
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=1, poll_interval=0)
        tg.start_bot(user, payload="g-1")
        for _ in range(100):
            if tg.messages(tg.private_chat(user)):
                break
            await asyncio.sleep(0.02)
        await app.updater.stop()
        await app.stop()
    reply = tg.last_message(tg.private_chat(user))
    assert reply.text == "Welcome g-1"
    assert reply.html == "Welcome <b>g-1</b>"
    assert "deleteWebhook" in [name for name, _ in tg.calls]


async def test_direct_process_update(tg: FakeTelegram) -> None:
    app = ApplicationBuilder().token(tg.token).request(SandboxRequest(tg)).build()
    app.add_handler(CommandHandler("start", _start))
    user = tg.create_user("Ann")
    tg.start_bot(user)
    async with app:
        for raw in tg.take_updates():
            await app.process_update(Update.de_json(raw, app.bot))
    assert tg.last_message(tg.private_chat(user)).text == "Welcome friend"
