"""Write translations into the catalogues: `python -m bot.i18n.tools.fill FILE...`.

Each FILE is Python that calls t(english, polish, arabic), or fills the dict T for plurals:
T[(singular, plural)] = (Polish forms, Arabic forms), each a list of the language's forms.
Entries already translated are replaced; entries not in the catalogue are reported.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from bot.i18n.catalogues import DOMAIN, LOCALES

LANGUAGES = ("pl", "ar")


def main(files: list[str]) -> int:
    table: dict[str | tuple[str, str], tuple[str | list[str], str | list[str]]] = {}
    for name in files:

        def add(english: str, polish: str, arabic: str) -> None:
            table[english] = (polish, arabic)

        scope: dict[str, object] = {"T": table, "t": add}
        exec(Path(name).read_text(encoding="utf-8"), scope)  # noqa: S102 (our own files)
    for index, language in enumerate(LANGUAGES):
        path = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        with path.open("rb") as source:
            catalog = read_po(source, locale=language)
        for key, pair in table.items():
            message = catalog.get(key[0] if isinstance(key, tuple) else key)
            if message is None:
                print(f"not in the catalogue: {key!r}"[:120])
                continue
            value = pair[index]
            message.string = tuple(value) if isinstance(value, list) else value
            message.flags.discard("fuzzy")
        with path.open("wb") as target:
            write_po(target, catalog, width=100, omit_header=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
