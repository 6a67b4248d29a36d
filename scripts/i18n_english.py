"""Fill the English catalogue: each untranslated or fuzzy entry takes its msgid (make i18n-update).

The msgids are English already, so the English catalogue starts as a copy of them; an English
copy edit then goes into msgstr without changing the msgid every catalogue shares. Entries a
person changed (msgstr differs from msgid, not fuzzy) are kept.

    python scripts/i18n_english.py geo/locale/en/LC_MESSAGES/messages.po
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def fill(path: Path) -> int:
    """Copy msgids into empty or fuzzy msgstrs of ``path``; return how many were filled."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            wanted = tuple(message.id)
            current = tuple(message.string or ())
        else:
            wanted, current = message.id, message.string
        if message.fuzzy or not all(current or ("",)):
            message.string = wanted
            message.flags.discard("fuzzy")
            filled += 1
    with path.open("wb") as handle:
        write_po(handle, catalog, width=None, include_lineno=False, ignore_obsolete=True)
    return filled


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    print(f"{argv[0]}: {fill(Path(argv[0]))} English entries copied from their msgids")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
