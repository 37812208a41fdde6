"""A problem with what a person typed, kept as a template and its values, not as words.

The domain may not import the catalogues (tests/unit/test_import_layers.py), yet the person
must read the problem in their own language. So a problem carries its English template,
marked here for the catalogue with a local `N_`, and its values; the view says it in the
reader's language (bot/views/problems.py). Values that are words of ours (`Words`) are
translated there too; moments and days are written out in that language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


def N_(message: str) -> str:  # noqa: N802 (the name Babel's extraction looks for)
    """Marks a template for the catalogue; it is translated where it is shown."""
    return message


class Words(str):
    """A value that is one of our own texts (a catalogue entry), so translated when shown."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Problem:
    template: str
    values: Mapping[str, object] = field(default_factory=dict)

    def english(self) -> str:
        """The problem in English: each value as str() gives it (see bot/domain/when.py)."""
        return self.template.format(**{name: str(v) for name, v in self.values.items()})


class ProblemError(ValueError):
    """Raised for something typed that cannot be used; `.message` is its English words."""

    def __init__(self, template: str, **values: object) -> None:
        self.problem = Problem(template, values)
        self.message = self.problem.english()
        super().__init__(self.message)
