"""Message parts kept for later, as geo.i18n.Text is: rendered in the language current when shown.

A reader's upload lives in their session across reruns, and they may switch language in
between: its notes and problems hold these (and Text), never text fixed at reading time.

Plural and Contextual are ``Text``s, so anything that shows a Text shows them (a Problem
quotes a Text ``got`` once worded).

- ``ngettext(singular, plural, n, **values)``: a count's sentence, its form picked when shown
  ("1 row" / "2 rows"; French takes the singular for 0 too). Named like gettext's function
  so that ``pybabel extract`` finds its msgids in ``deferred.ngettext(...)`` calls;
- ``pgettext(context, message)``: a short word told apart by its context ("none" of rows);
- ``PlaceName(name_fr, name_en)``: a région's or département's name, INSEE's French one for
  French and German readers, the English one for English readers (i18n.place_name_column);
- ``Fixed(value, decimals)``: geo.i18n.Fixed, a number with a fixed count of decimals
  ("64.0" / "64,0"), re-exported here beside the others;
- ``Degrees(value)``: a coordinate as Python's ``:g`` writes it ("48.1113" / "48,1113").
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import numbers as _numbers

from geo import i18n
from geo.i18n import Fixed

__all__ = ["Degrees", "Fixed", "PlaceName", "ngettext", "pgettext"]


def _filled(text: str, values: dict[str, object], **more: object) -> str:
    """``text`` filled as Text fills it: Text and Number values rendered first."""
    shown = {k: str(v) if isinstance(v, i18n.Text | i18n.Number) else v for k, v in values.items()}
    return text.format(**shown, **more)


class Plural(i18n.Text):
    """A sentence about ``n`` things: ``str()`` picks its form, fills ``{n}`` and the values.

    A Text, so that whatever shows a Text (a Problem's parts, a note) shows this too.
    """

    __slots__ = ("n", "plural")

    def __init__(self, singular: str, plural: str, n: int, /, **values: object):
        super().__init__(singular, **values)
        self.plural = plural
        self.n = int(n)

    def __str__(self) -> str:
        text = i18n.ngettext(self.msgid, self.plural, self.n)
        return _filled(text, self.values, n=i18n.format_number(self.n))

    def __repr__(self) -> str:
        return f"Plural({self.msgid!r}, {self.plural!r}, {self.n!r}, {self.values!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Plural) and (other.msgid, other.plural, other.n, other.values) == (
            self.msgid,
            self.plural,
            self.n,
            self.values,
        )

    def __hash__(self) -> int:
        return hash((super().__hash__(), self.plural, self.n))


def ngettext(singular: str, plural: str, n: int, **values: object) -> Plural:
    """``i18n.ngettext(...).format(n=..., **values)`` kept for later."""
    return Plural(singular, plural, n, **values)


class Contextual(i18n.Text):
    """A message told apart by ``context``, translated when shown."""

    __slots__ = ("context",)

    def __init__(self, context: str, message: str, /):
        super().__init__(message)
        self.context = context

    def __str__(self) -> str:
        return i18n.pgettext(self.context, self.msgid)

    def __repr__(self) -> str:
        return f"Contextual({self.context!r}, {self.msgid!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Contextual)
            and other.context == self.context
            and other.msgid == self.msgid
        )

    def __hash__(self) -> int:
        return hash((self.context, self.msgid))


def pgettext(context: str, message: str) -> Contextual:
    """``i18n.pgettext(context, message)`` kept for later."""
    return Contextual(context, message)


@dataclass(frozen=True)
class PlaceName:
    """An area's name in the boundary files' two name columns, picked when shown."""

    name_fr: str
    name_en: str

    def __str__(self) -> str:
        chosen = self.name_en if i18n.place_name_column() == "name_en" else self.name_fr
        return chosen or self.name_fr


@dataclass(frozen=True)
class Degrees:
    """A coordinate in decimal degrees, six significant digits as ``f"{x:g}"``, in the
    current language's decimal mark: -1.68 -> '-1.68' / '-1,68'."""

    value: float

    def __str__(self) -> str:
        text = f"{float(self.value):g}"
        mark = _numbers.get_decimal_symbol(i18n.locale_name())
        return text.replace(".", mark) if mark != "." else text
