"""The view a user shares: filters, metric, map view; to and from a URL query string."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from geo.core.filters import FILTER_FIELDS, MAX_TEXT_QUERY, SiteFilter
from geo.core.landscape import INVESTMENT_QUERY_KEYS, InvestmentFilter
from geo.core.regions import METRICS
from geo.i18n import LANGUAGES, N_, _, format_number, ngettext


@dataclass(frozen=True)
class View:
    """A named map extent: (south, west, north, east) in degrees; ``label`` is an English
    msgid (shown with ``i18n._()`` or ``shown_label()``)."""

    key: str
    label: str
    bounds: tuple[float, float, float, float]

    def shown_label(self) -> str:
        """The extent's name in the current language."""
        return _(self.label)


VIEWS: dict[str, View] = {
    v.key: v
    for v in (
        View("metropole", N_("Metropolitan France"), (41.3, -5.2, 51.1, 9.6)),
        View("paris", N_("Paris region"), (48.70, 2.05, 48.98, 2.55)),
        View("alsace", N_("Alsace (Mulhouse, Strasbourg)"), (47.40, 6.80, 48.80, 8.10)),
        View("south", N_("Marseille and Côte d'Azur"), (43.10, 4.90, 43.90, 7.50)),
        View("north", N_("Lille area"), (50.50, 2.80, 50.80, 3.35)),
        View("corsica", N_("Corsica"), (41.30, 8.50, 43.10, 9.60)),
        View("guadeloupe", "Guadeloupe", (15.80, -61.85, 16.55, -60.95)),
        View("martinique", "Martinique", (14.38, -61.25, 14.90, -60.80)),
        View("guyane", "Guyane", (2.10, -54.60, 5.80, -51.60)),
        View("reunion", "La Réunion", (-21.40, 55.20, -20.85, 55.85)),
        View("mayotte", "Mayotte", (-13.02, 45.00, -12.63, 45.32)),
    )
}
DEFAULT_VIEW = "metropole"
DEFAULT_METRIC = "sites"
MAX_NOTICES = 5


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link restores."""

    filter: SiteFilter = field(default_factory=SiteFilter)
    metric: str = DEFAULT_METRIC
    view: str = DEFAULT_VIEW
    departements: bool = False
    panel: str = ""  # INSEE code of the region whose panel is open, or ""
    investments: InvestmentFilter = field(default_factory=InvestmentFilter)
    layer_investments: bool = False  # draw every announced investment (off: Microsoft's view)
    lang: str = ""  # one of geo.i18n.LANGUAGES; "" = not in the link (the browser's locale picks)

    def to_query(self) -> dict[str, list[str]]:
        """Query parameters that differ from the defaults (lists keep their order)."""
        params: dict[str, list[str]] = {}
        for spec in FILTER_FIELDS:
            values = getattr(self.filter, spec.attr)
            if values:
                params[spec.query_key] = list(values)
        if self.filter.text:
            params["q"] = [self.filter.text]
        if self.metric != DEFAULT_METRIC:
            params["metric"] = [self.metric]
        if self.view != DEFAULT_VIEW:
            params["view"] = [self.view]
        if self.departements:
            params["departements"] = ["1"]
        if self.panel:
            params["panel"] = [self.panel]
        if self.layer_investments:
            params["investments"] = ["1"]
        for attr, key in INVESTMENT_QUERY_KEYS.items():
            values = getattr(self.investments, attr)
            if values:
                params[key] = list(values)
        if self.lang:
            params["lang"] = [self.lang]
        return params


def state_from_query(
    params: Mapping[str, Iterable[str]],
    region_codes: Iterable[str],
    investment_options: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[ViewState, list[str]]:
    """Rebuild a ViewState from query parameters; invalid values are dropped with a notice
    (in the current language; query keys and values quoted as written).

    ``investment_options`` (geo.core.landscape.investment_options of the data) gives the
    allowed investment filter values; without it every investment filter value is dropped.

    Each distinct ignored value gives one notice, at most MAX_NOTICES of them (then one that
    counts the rest), so a hostile link cannot fill the page.
    """
    notices: list[str] = []
    regions = {code: code for code in region_codes}
    chosen: dict[str, tuple[str, ...]] = {}
    for spec in FILTER_FIELDS:
        allowed = spec.vocabulary if spec.vocabulary is not None else regions
        values = list(dict.fromkeys(params.get(spec.query_key, ())))
        chosen[spec.attr] = tuple(v for v in values if v in allowed)
        notices += [_notice(spec.query_key, v, allowed) for v in values if v not in allowed]
    text = " ".join(_first(params, "q").split())
    if len(text) > MAX_TEXT_QUERY:
        notices.append(
            _("The search text in the link was cut to {n} characters.").format(
                n=format_number(MAX_TEXT_QUERY)
            )
        )
        text = text[:MAX_TEXT_QUERY]
    options: dict[str, object] = {}
    for key, allowed, attr, convert in _SINGLE_OPTIONS(regions):
        value = _first(params, key)
        if value and value in allowed:
            options[attr] = convert(value)
        elif value:
            notices.append(_notice(key, value, allowed))
    allowed_investments = investment_options or {}
    picked: dict[str, tuple[str, ...]] = {}
    for attr, key in INVESTMENT_QUERY_KEYS.items():
        allowed = allowed_investments.get(attr, {})
        values = list(dict.fromkeys(params.get(key, ())))
        picked[attr] = tuple(v for v in values if v in allowed)
        notices += [_notice(key, v, allowed) for v in values if v not in allowed]
    state = ViewState(
        filter=SiteFilter(text=text, **chosen),
        investments=InvestmentFilter(**picked),
        **options,
    )
    return state, _capped(notices)


def _SINGLE_OPTIONS(  # noqa: N802 (a table, built per call because regions vary)
    regions: Mapping[str, str],
) -> tuple[tuple[str, Mapping[str, object], str, Callable[[str], object]], ...]:
    """(query key, allowed values, ViewState field, conversion) of each one-valued option."""
    return (
        ("metric", METRICS, "metric", str),
        ("view", VIEWS, "view", str),
        ("departements", {"0": "", "1": ""}, "departements", lambda v: v == "1"),
        ("panel", regions, "panel", str),
        ("investments", {"0": "", "1": ""}, "layer_investments", lambda v: v == "1"),
        ("lang", dict.fromkeys(LANGUAGES, ""), "lang", str),
    )


def _capped(notices: list[str]) -> list[str]:
    """Distinct notices in order, at most MAX_NOTICES plus one that counts the rest."""
    distinct = list(dict.fromkeys(notices))
    if len(distinct) <= MAX_NOTICES:
        return distinct
    rest = len(distinct) - MAX_NOTICES
    more = ngettext(
        "{n} more value from the link was ignored.",
        "{n} more values from the link were ignored.",
        rest,
    ).format(n=format_number(rest))
    return [*distinct[:MAX_NOTICES], more]


def _first(params: Mapping[str, Iterable[str]], key: str) -> str:
    values = list(params.get(key, ()))
    return values[0].strip() if values else ""


def _notice(key: str, value: str, allowed: Mapping[str, object]) -> str:
    shown = value if len(value) <= 40 else value[:37] + "..."
    return _("Ignored {key}={value!r} from the link: expected one of {allowed}.").format(
        key=key, value=shown, allowed=", ".join(allowed)
    )
