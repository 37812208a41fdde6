"""Repositories: the only code that writes SQL. They return rows or plain values."""
