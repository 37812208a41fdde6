"""Equal Say: a Telegram bot where service users, carers and staff each count equally."""

__version__ = "0.1.0"
