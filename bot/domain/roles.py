"""The three constituencies of a co-production group."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """The hat a person wears in one group. Stored per group, never beside a user id."""

    SERVICE_USER = "service_user"
    CARER = "carer"
    STAFF = "staff"

    @property
    def label(self) -> str:
        """Singular, plain-words name: 'service user'."""
        return _LABELS[self][0]

    @property
    def plural(self) -> str:
        """Plural, plain-words name: 'service users'."""
        return _LABELS[self][1]

    @property
    def as_phrase(self) -> str:
        """For 'you are ...': 'a service user', 'a carer', 'staff'."""
        return "staff" if self is Role.STAFF else f"a {self.label}"

    @property
    def explanation(self) -> str:
        """One line that helps someone pick the right hat."""
        return _LABELS[self][2]


_LABELS: dict[Role, tuple[str, str, str]] = {
    Role.SERVICE_USER: (
        "service user",
        "service users",
        "You use, or have used, mental-health services.",
    ),
    Role.CARER: (
        "carer",
        "carers",
        "You care for, or support, someone who uses the services.",
    ),
    Role.STAFF: (
        "staff",
        "staff",
        "You work or volunteer for the service.",
    ),
}

ROLES: tuple[Role, ...] = (Role.SERVICE_USER, Role.CARER, Role.STAFF)
