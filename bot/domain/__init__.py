"""Pure rules of Equal Say. Imports nothing from telegram, sqlalchemy or the rest of the project."""
