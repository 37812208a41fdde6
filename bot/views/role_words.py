"""The roles' names in the reader's language (bot/domain/roles.py holds them in English)."""

from __future__ import annotations

from bot.domain.roles import Role
from bot.i18n import N_, _

_LABEL = {
    Role.SERVICE_USER: N_("service user"),
    Role.CARER: N_("carer"),
    Role.STAFF: N_("staff"),
}
_PLURAL = {
    Role.SERVICE_USER: N_("service users"),
    Role.CARER: N_("carers"),
    Role.STAFF: N_("staff members"),
}
_AS_PHRASE = {
    Role.SERVICE_USER: N_("a service user"),
    Role.CARER: N_("a carer"),
    Role.STAFF: N_("staff"),
}
_EXPLANATION = {
    Role.SERVICE_USER: N_("You use, or have used, mental-health services."),
    Role.CARER: N_("You care for, or support, someone who uses the services."),
    Role.STAFF: N_("You work or volunteer for the service."),
}


def label(role: Role) -> str:
    return _(_LABEL[role])


def plural(role: Role) -> str:
    # English keeps the domain's plural ("staff"); the catalogue needs its own entry, since
    # "staff" the role and "staff" the many are one word in English only.
    return role.plural if _(_PLURAL[role]) == _PLURAL[role] else _(_PLURAL[role])


def as_phrase(role: Role) -> str:
    return _(_AS_PHRASE[role])


def explanation(role: Role) -> str:
    return _(_EXPLANATION[role])


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
