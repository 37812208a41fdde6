"""The sandbox: a fake Telegram Bot API with an in-process and an HTTP transport.

See DESIGN.md section 6. Nothing here imports the rest of the project.
"""

from bot.sandbox.fake_telegram import FakeTelegram
from bot.sandbox.faults import Faults
from bot.sandbox.flood import FloodLimits
from bot.sandbox.http_server import SandboxHttpServer
from bot.sandbox.models import Button, FakeChat, FakeMessage, FakeUser, SentFile
from bot.sandbox.request import SandboxRequest

__all__ = [
    "Button",
    "FakeChat",
    "FakeMessage",
    "FakeTelegram",
    "FakeUser",
    "Faults",
    "FloodLimits",
    "SandboxHttpServer",
    "SandboxRequest",
    "SentFile",
]
