"""Text beside the map: headline cards, counts, the region panel and tables, in words.

Plain pandas and strings, no folium and no streamlit: the app shows these as they are, and
the map's tooltips and popups use the same value wording and link rules.

Everything is worded in the current language (geo.i18n) when the function is called. The
tables keep English column keys (stable: the app selects and links columns by them); the
headers a reader sees come from ``column_header`` / ``with_headers``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import pandas as pd

from geo import i18n, style
from geo.core import vocabulary as voc
from geo.core.landscape import Totals
from geo.core.pledges import PledgeTrack, Status, track_pledges
from geo.core.regions import METRICS, Metric
from geo.core.view import ViewData
from geo.i18n import N_, _, ngettext, pgettext

# A pledge's status in a word or two for the headline strip (the full wording goes in its
# tooltip), and the badge colour (Streamlit's named colours) that says it at a glance.
STATUS_BADGES: dict[Status, tuple[str, str]] = {
    Status.MET: (N_("Met"), "green"),
    Status.ON_TRACK: (N_("On track"), "green"),
    Status.BEHIND: (N_("Behind"), "orange"),
    Status.DEADLINE_PASSED: (N_("Overdue"), "red"),
    Status.NO_PROGRESS: (N_("No report"), "gray"),
    Status.NO_DEADLINE: (N_("Progress, no deadline"), "blue"),
}
# The tables' column keys (English, stable) and the headers shown to readers.
COLUMN_HEADERS: dict[str, str] = {
    "Name": N_("Name"),
    "Organisation": N_("Organisation"),
    "Category": N_("Category"),
    "Initiatives": N_("Initiatives"),
    "Programmes": N_("Programmes"),
    "Audiences": N_("Audiences"),
    "City": N_("City"),
    "Region": N_("Region"),
    "Status": N_("Status"),
    "Location": N_("Location"),
    "Source": N_("Source"),
    "More sources": N_("More sources"),
    "Notes": N_("Notes"),
    "Commitment": N_("Commitment"),
    "Figure": N_("Figure"),
    "Deadline": N_("Deadline"),
    "Stated by": N_("Stated by"),
    "Confidence": N_("Confidence"),
    "Date": N_("Date"),
    "When": N_("When"),
    "Event": N_("Event"),
    "Kind": N_("Kind"),
    "Scope": N_("Scope"),
    "Investor": N_("Investor"),
    "Partners": N_("Partners"),
    "Project": N_("Project"),
    "Amount": N_("Amount"),
    "Capacity": N_("Capacity"),
    "Where": N_("Where"),
    "Announced": N_("Announced"),
    "Counted": N_("Counted"),
}


def column_header(key: str) -> str:
    """The header readers see for a table's column key, in the current language."""
    return _(COLUMN_HEADERS[key]) if key in COLUMN_HEADERS else key


def with_headers(table: pd.DataFrame) -> pd.DataFrame:
    """The table with its column keys renamed to the headers shown (for a data grid)."""
    return table.rename(columns=column_header)


def _qualified(qualifier: object, text: str) -> str:
    """An amount with the source's qualifier: 'up to 25,000 GPUs', 'about EUR 4 bn'."""
    templates = {
        "up to": _("up to {amount}"),
        "more than": _("more than {amount}"),
        "about": _("about {amount}"),
    }
    qualifier = qualifier if isinstance(qualifier, str) else ""
    if qualifier in templates:
        return templates[qualifier].format(amount=text)
    return f"{qualifier} {text}".strip()


def _labels(vocabulary: Mapping[str, str]) -> dict[str, str]:
    """A vocabulary (key -> English label) with its labels in the current language."""
    return {key: _(label) for key, label in vocabulary.items()}


def _localized_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """A data text column in the current language (``<column>_<lang>`` where the data holds
    it, as i18n.localized does for one row), else as written."""
    own = f"{column}_{i18n.language()}"
    if own not in frame:
        return frame[column]
    text = frame[own]
    return text.where(text.fillna("").astype(str).str.strip() != "", frame[column])


@dataclass(frozen=True)
class HeadlineCard:
    """One headline commitment as shown above the map."""

    id: str
    pillar: str
    figure: str
    label: str
    deadline: str
    sources: tuple[tuple[str, str], ...]  # (label, url)
    # Latest reported progress towards the pledge ('' / () when none is reported) and the
    # computed status (geo.core.pledges); status is '' for a card that is not a tracked pledge.
    progress: str = ""
    progress_as_of: str = ""
    progress_sources: tuple[tuple[str, str], ...] = ()
    status: str = ""
    status_wording: str = ""

    @property
    def badge(self) -> tuple[str, str]:
        """(short status, colour) for the strip; ('', '') for a card that is not a pledge."""
        if not self.status:
            return ("", "")
        short, colour = STATUS_BADGES[Status(self.status)]
        return _(short), colour

    @property
    def status_text(self) -> str:
        """The pledge's status in words ('behind'), in the current language; '' when none."""
        return status_words().get(self.status, self.status)


def status_words() -> dict[str, str]:
    """A pledge status (geo.core.pledges.Status, whose values are the English words) in
    words in the current language."""
    return {
        Status.MET: pgettext("pledge status", "met"),
        Status.ON_TRACK: pgettext("pledge status", "on track"),
        Status.BEHIND: pgettext("pledge status", "behind"),
        Status.DEADLINE_PASSED: pgettext(
            "pledge status", "deadline passed with no report of delivery"
        ),
        Status.NO_PROGRESS: pgettext("pledge status", "no progress reported"),
        Status.NO_DEADLINE: pgettext("pledge status", "progress reported, no deadline to compare"),
    }


@dataclass(frozen=True)
class RegionPanel:
    """What the region panel shows for one region under the current filter."""

    code: str
    name: str
    values: tuple[tuple[str, str], ...]  # (metric label, value in words)
    sites_by_initiative: dict[str, pd.DataFrame]  # initiative label -> sites table
    commitments: pd.DataFrame


def headline_cards(commitments: pd.DataFrame, today: date | None = None) -> list[HeadlineCard]:
    """The headline commitments (headline == True), in pillar order, ready to show.

    Each pledge card carries its latest reported progress and its status on ``today``
    (default: the current date), computed by ``geo.core.pledges.track_pledges``.
    """
    tracks = {t.pledge["id"]: t for t in track_pledges(commitments, today or date.today())}
    cards = []
    order = {pillar: i for i, pillar in enumerate(voc.PILLARS)}
    headline = commitments[commitments["headline"]].sort_values(
        "pillar", key=lambda pillars: pillars.map(order), kind="stable"
    )
    for _key, row in headline.iterrows():
        cards.append(
            HeadlineCard(
                id=row["id"],
                pillar=_(voc.PILLARS[row["pillar"]])
                if row["pillar"] in voc.PILLARS
                else row["pillar"],
                figure=format_figure(row),
                label=i18n.localized(row, "label"),
                deadline=format_deadline(row["deadline"]),
                sources=_sources(row["source_urls"]),
                **_progress_fields(tracks.get(row["id"])),
            )
        )
    return cards


def _progress_fields(track: PledgeTrack | None) -> dict[str, Any]:
    if track is None:
        return {}
    fields: dict[str, Any] = {"status": track.status.value, "status_wording": track.wording}
    if track.progress is not None:
        fields["progress"] = format_figure(track.progress)
        fields["progress_as_of"] = format_date(track.progress["as_of"])
        fields["progress_sources"] = _sources(track.progress["source_urls"])
    return fields


def _sources(urls: Sequence[str]) -> tuple[tuple[str, str], ...]:
    return tuple((source_label(u), u) for u in urls if is_web_url(u))


def format_date(text: str) -> str:
    """'2025-11-04' -> '4 November 2025' / '4 novembre 2025'; '2025-11' -> 'November 2025';
    '2025' -> '2025'; '' -> ''."""
    return i18n.format_date(text) if text else ""


def format_figure(row: Mapping[str, Any]) -> str:
    """'EUR 4 bn', 'up to 25,000 GPUs', '1 million people', 'more than 2,500 startups'."""
    value, unit = row["value"], i18n.localized(row, "unit")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _(voc.NOT_DISCLOSED)
    if row["unit"] == "EUR":
        text = style.format_value(value, "EUR")
    elif value >= 1e6 and value % 1e5 == 0:
        millions = value / 1e6
        count = int(millions) if millions.is_integer() else 2  # a fraction reads as plural
        text = ngettext("{number} million {unit}", "{number} million {unit}", count)
        text = text.format(number=i18n.format_number(millions), unit=unit).strip()
    else:
        text = f"{style.format_value(value)} {unit}".strip()
    maximum = row.get("value_max")
    if maximum is not None and not (isinstance(maximum, float) and math.isnan(maximum)):
        text = text.replace(
            style.format_value(value),
            f"{style.format_value(value)}\u2013{style.format_value(maximum)}",
            1,
        )
    return _qualified(row.get("qualifier"), text)


def format_deadline(deadline: str) -> str:
    """'2025-12-31' -> 'by end of 2025'; '2027' -> 'by 2027'; '' -> 'no deadline stated'."""
    if not deadline:
        return _("no deadline stated")
    if len(deadline) == 4:
        return _("by {year}").format(year=deadline)
    year, month, day = deadline.split("-")
    if (month, day) == ("12", "31"):
        return _("by end of {year}").format(year=year)
    return _("by {date}").format(date=i18n.format_date(deadline))


def view_counts(view: ViewData) -> dict[str, int]:
    """The counts shown for the current filter, labelled in the current language."""
    return {
        _("Sites on the map"): len(view.sites),
        _("Regions covered"): view.regions_covered,
        _("Partners without a mapped location"): len(view.unlocated),
    }


def region_panel(view: ViewData, code: str) -> RegionPanel:
    """The region's sites (grouped by initiative), its commitments and its metric values."""
    row = view.metrics.loc[code]
    values = [
        (_(m.label), format_metric_value(number_or_none(row[m.key]), m)) for m in METRICS.values()
    ]
    if not math.isnan(row["disclosed_eur"]):
        values.append((_("Basis of the amount"), _(row["disclosed_eur_basis"])))
    sites = view.sites[view.sites["insee_reg"] == code]
    groups = {}
    for key, label in voc.INITIATIVES.items():
        members = sites[sites["initiatives"].map(lambda values, k=key: k in values)]
        if len(members):
            groups[_(label)] = site_table(members)[["Name", "City", "Category", "Status"]]
    commitments = view.commitments[view.commitments["scope"] == code]
    name = row.get(i18n.place_name_column()) or row["name_fr"]
    return RegionPanel(code, name, tuple(values), groups, commitment_table(commitments))


def site_table(sites: pd.DataFrame) -> pd.DataFrame:
    """The sites as a table for people: labels instead of keys, one main source link."""
    initiatives, programmes = _labels(voc.INITIATIVES), _labels(voc.PROGRAMMES)
    audiences = _labels(voc.AUDIENCES)
    return pd.DataFrame(
        {
            "Name": _localized_column(sites, "name"),
            "Organisation": sites["organisation"],
            "Category": sites["category"].map(_labels(voc.CATEGORIES)),
            "Initiatives": sites["initiatives"].map(lambda v: _join(v, initiatives)),
            "Programmes": sites["programmes"].map(lambda v: _join(v, programmes)),
            "Audiences": sites["audiences"].map(lambda v: _join(v, audiences)),
            "City": sites["city"],
            "Region": _localized_column(sites, "region_name"),
            "Status": sites["status"].map(_labels(voc.STATUSES)),
            "Location": sites["precision"].map(_labels(voc.PRECISIONS)),
            "Source": sites["source_urls"].map(_first_web_url),
            "More sources": sites["source_urls"].map(lambda u: max(len(u) - 1, 0)),
        },
        index=sites.index,
    )


def unlocated_table(unlocated: pd.DataFrame) -> pd.DataFrame:
    """Partners without a mapped location, with why (notes) and a source link."""
    programmes = _labels(voc.PROGRAMMES)
    return pd.DataFrame(
        {
            "Name": _localized_column(unlocated, "name"),
            "Organisation": unlocated["organisation"],
            "Category": unlocated["category"].map(_labels(voc.CATEGORIES)),
            "Programmes": unlocated["programmes"].map(lambda v: _join(v, programmes)),
            "Notes": unlocated["notes"],
            "Source": unlocated["source_urls"].map(_first_web_url),
        },
        index=unlocated.index,
    )


def commitment_table(commitments: pd.DataFrame) -> pd.DataFrame:
    """Commitments for people: figure in words, deadline, who states it, one source link."""
    return pd.DataFrame(
        {
            "Commitment": _localized_column(commitments, "label"),
            "Figure": [format_figure(row) for _key, row in commitments.iterrows()],
            "Deadline": commitments["deadline"].map(format_deadline),
            "Stated by": commitments["stated_by"].map(_labels(voc.STATED_BY)),
            "Confidence": commitments["confidence"].map(lambda c: _confidence_words().get(c, c)),
            "Source": commitments["source_urls"].map(_first_web_url),
        },
        index=commitments.index,
    )


def _confidence_words() -> dict[str, str]:
    """How sure the sources are (vocabulary.CONFIDENCES), in the current language."""
    return {
        "confirmed": pgettext("confidence", "confirmed"),
        "unconfirmed": pgettext("confidence", "unconfirmed"),
        "press-reported": pgettext("confidence", "press-reported"),
        "sources differ": pgettext("confidence", "sources differ"),
    }


def region_events(source: Any, code: str, include_national: bool = False) -> pd.DataFrame:
    """The events whose scope is region ``code`` (and FR ones if asked), sorted by date.

    ``source`` is anything with an ``events`` table (a Dataset), or that table itself.
    """
    events = getattr(source, "events", source)
    scopes = {code, "FR"} if include_national else {code}
    chosen = events[events["scope"].isin(scopes)]
    return chosen.sort_values(["day", "id"], kind="stable")


def view_events(events: pd.DataFrame, regions: Sequence[str]) -> pd.DataFrame:
    """The events of the chosen regions and the national (FR) ones, by date; every event when
    no region is chosen. Other filters (initiative, audience...) select sites, not events."""
    chosen = events if not regions else events[events["scope"].isin({*regions, "FR"})]
    return chosen.sort_values(["day", "id"], kind="stable")


def pledge_line(card: HeadlineCard) -> tuple[str, str]:
    """A tracked pledge in two parts: ('1 million people by end of 2027: behind',
    'People in France helped to build AI skills; 700,000 people as of 4 November 2025')."""
    values = {"figure": card.figure, "deadline": card.deadline, "status": card.status_text}
    head = _("{figure} {deadline}: {status}").format(**values)
    if card.deadline == format_deadline(""):
        head = _("{figure} ({deadline}): {status}").format(**values)
    if not card.progress:
        return head, card.label
    body = _("{label}; {progress} as of {date}").format(
        label=card.label, progress=card.progress, date=card.progress_as_of
    )
    return head, body


def timeline_table(
    events: pd.DataFrame, region_names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Events ready for a chart or a table, by date: Date is a real date (the first day the
    source's date covers), When says it only as precisely as the source."""
    names = {"FR": _("France"), **(region_names or {})}
    events = events.sort_values(["day", "id"], kind="stable")
    return pd.DataFrame(
        {
            "Date": pd.to_datetime(events["day"]),
            "When": events["date"].map(format_date),
            "Event": _localized_column(events, "title"),
            "Kind": events["kind"].map(_labels(voc.EVENT_KINDS)),
            "Scope": events["scope"].map(lambda scope: names.get(scope, scope)),
            "Source": events["source_urls"].map(_first_web_url),
        },
        index=events.index,
    )


def format_metric_value(value: float | None, metric: Metric) -> str:
    """A region value in words: 'not disclosed', 'EUR 2 bn', '1 site', '3.5 sites per million'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _(voc.NOT_DISCLOSED)
    if metric.unit == "EUR":
        return style.format_value(value, "EUR")
    number = style.format_value(value, metric.unit)
    count = int(value) if float(value).is_integer() else 2  # a fraction reads as plural
    worded = _unit_words(metric.unit, count)
    if worded is not None:
        return worded.format(n=number)
    unit = metric.unit  # a unit of the reader's own file, as written
    if value == 1 and " " not in unit and unit.endswith("s"):
        unit = unit[:-1]
    return f"{style.format_value(value, metric.unit)} {unit}"


def _unit_words(unit: str, count: int) -> str | None:
    """'{n} sites' for our metrics' units (geo.core.regions.METRICS), None for another."""
    words = {
        "sites": ngettext("{n} site", "{n} sites", count),
        "institutions": ngettext("{n} institution", "{n} institutions", count),
        "commitments": ngettext("{n} commitment", "{n} commitments", count),
        "sites per million inhabitants": _("{n} sites per million inhabitants"),
        "MW": _("{n} MW"),
    }
    return words.get(unit)


def is_web_url(url: object) -> bool:
    """True for an absolute http(s) URL: the only kind that becomes a link."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def share_link(base: str, query: Mapping[str, Any]) -> str:
    """The address of a view: the page's own address (percent-encoded) and the link query."""
    parts = urlsplit(base)
    netloc, path = quote(parts.netloc, safe=":@[]"), quote(parts.path)
    page = urlunsplit((parts.scheme, netloc, path, "", "")) or "/"
    return f"{page}?{urlencode(query, doseq=True)}" if query else page


def link_target(url: str) -> str:
    """A URL safe inside Markdown's <...>: no angle bracket or line break can end it."""
    for char, code in (("<", "%3C"), (">", "%3E"), ("\n", "%0A"), ("\r", "%0D")):
        url = url.replace(char, code)
    return url


def source_label(url: str) -> str:
    """A short label for a source link: its host without 'www.'."""
    host = urlsplit(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def number_or_none(value: object) -> float | None:
    """A value as a float, or None when it is missing (None or NaN)."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _join(keys: Sequence[str], vocabulary: Mapping[str, str]) -> str:
    return ", ".join(vocabulary.get(k, k) for k in keys)


def _first_web_url(urls: Sequence[str]) -> str | None:
    return next((u for u in urls if is_web_url(u)), None)


def timeline_chart_spec(table: pd.DataFrame) -> dict:
    """A Vega-Lite spec (Streamlit draws it, no CDN): one dot per event on a time axis, one
    row per kind, the event in the tooltip; ``table`` is timeline_table's output."""
    records = [
        {"Date": row.Date.date().isoformat(), "When": row.When, "Event": row.Event,
         "Kind": row.Kind, "Scope": row.Scope}
        for row in table.itertuples()
    ]  # fmt: skip
    tooltip = [
        {"field": key, "type": "nominal", "title": column_header(key)}
        for key in ("When", "Event", "Scope")
    ]
    return {
        "data": {"values": records},
        "mark": {"type": "point", "filled": True, "size": 90},
        "encoding": {
            "x": {"field": "Date", "type": "temporal", "title": None},
            "y": {"field": "Kind", "type": "nominal", "title": None},
            "color": {"field": "Scope", "type": "nominal", "title": column_header("Where")},
            "tooltip": tooltip,
        },
        "height": 40 + 22 * int(table["Kind"].nunique()),
    }


# --- the investment landscape (investments.csv, counted by geo.core.landscape) -----------

# After the focus investor's name in lists and tables, in English ("{name} (mission focus)"
# is the message translated by investor_label).
FOCUS_SUFFIX = " (mission focus)"
# The filters of the investment section: InvestmentFilter field -> (sidebar label, what the
# widget says when nothing is chosen); English, translated where shown (``_(label)``).
INVESTMENT_FILTER_LABELS: dict[str, tuple[str, str]] = {
    "investors": (N_("Investor"), N_("All investors")),
    "events": (N_("Event"), N_("All events")),
    "years": (N_("Year announced"), N_("All years")),
    "statuses": (N_("Status"), N_("All statuses")),
}


def format_money(value: float, currency: str = "EUR") -> str:
    """4e9 -> 'EUR 4 bn' / '4 Md €'; 3.5e8 -> 'EUR 350 m'; ('USD', 1e10) -> 'USD 10 bn'."""
    return i18n.format_currency(value, currency)


def _scaled(value: float) -> str:
    """4e9 -> '4 bn', 3.5e8 -> '350 m', 12345 -> '12,345': the wording of style.format_value."""
    return style.format_value(value, "EUR").removeprefix("EUR ")


def format_money_range(low: float, high: float, currency: str = "EUR") -> str:
    """(30e9, 50e9) -> 'EUR 30–50 bn' / '30–50 Md €'; (450e6, 1.8e9) -> 'EUR 450 m–1.8 bn'
    / '450 M–1,8 Md €' (English writes the currency first, French and German last)."""
    if i18n.language() != "en":
        low_text, high_text = i18n.format_compact(low), i18n.format_compact(high)
        low_number, _space, low_suffix = low_text.partition("\u00a0")
        shown_low = (
            low_number
            if low_suffix and low_suffix == high_text.partition("\u00a0")[2]
            else low_text
        )
        return f"{shown_low}\u2013{i18n.format_currency(high, currency)}"
    low_text, high_text = _scaled(low), _scaled(high)
    low_number, _, low_suffix = low_text.partition(" ")
    if low_suffix == high_text.partition(" ")[2]:
        return f"{currency} {low_number}\u2013{high_text}"
    return f"{currency} {low_text}\u2013{high_text}"


def format_amount(row: Mapping[str, Any]) -> str:
    """An investment's amount as its source words it: 'up to EUR 10 bn', 'EUR 30–50 bn',
    'about EUR 4 bn', 'more than USD 1 bn'; 'not disclosed' when there is none."""
    amount = number_or_none(row.get("amount"))
    if amount is None:
        return _(voc.NOT_DISCLOSED)
    currency = row.get("currency") or "EUR"
    high = number_or_none(row.get("amount_max"))
    if high is None:
        text = format_money(amount, currency)
    else:
        text = format_money_range(amount, high, currency)
    return _qualified(row.get("qualifier"), text)


def format_capacity(row: Mapping[str, Any]) -> str:
    """'1,400 MW', 'up to 1,000 MW'; 'not disclosed' when the source gives none."""
    capacity = number_or_none(row.get("capacity_mw"))
    if capacity is None:
        return _(voc.NOT_DISCLOSED)
    text = _("{n} MW").format(n=style.format_value(capacity))
    return _qualified(row.get("capacity_qualifier"), text)


def format_share(part: float, whole: float) -> str:
    """'4.6 %', '12 %' / '4,6 %' (no-break space); '' when there is no whole to share."""
    if not whole:
        return ""
    share = part / whole
    decimals = 1 if share < 0.1 else 0
    if i18n.language() == "en":  # the house wording: a space before the sign
        return f"{i18n.format_number(round(100 * share, decimals), decimals)} %"
    return i18n.format_percent(share, decimals)


def investment_filter_options(investments: pd.DataFrame) -> dict[str, dict[str, str]]:
    """The choices of each investment filter, from the data: key -> label.

    Investors alphabetically with the focus investor first; events and statuses in the
    vocabulary's order (a row outside a summit gives the 'outside a summit' choice); years
    newest last.
    """
    investors = sorted(set(investments["investor"]), key=lambda n: (n != voc.FOCUS_INVESTOR, n))
    events = set(investments["event"])
    event_options = {k: label for k, label in voc.INVESTMENT_EVENTS.items() if k in events}
    if "" in events:
        event_options[voc.NO_EVENT] = voc.NO_EVENT_LABEL
    years = sorted({str(day)[:4] for day in investments["announced"]})
    statuses = set(investments["status"])
    return {
        "investors": {name: name for name in investors},
        "events": {k: _(label) for k, label in event_options.items()},
        "years": {year: year for year in years},
        "statuses": {k: _(v) for k, v in voc.INVESTMENT_STATUSES.items() if k in statuses},
    }


def investor_label(name: str) -> str:
    """The investor as listed: the mission's focus says so."""
    return _("{name} (mission focus)").format(name=name) if name == voc.FOCUS_INVESTOR else name


def _focus_first(rows: pd.DataFrame) -> pd.DataFrame:
    """Focus rows first, then by date announced and id (a stable, readable order)."""
    key = pd.DataFrame(
        {
            "other": rows["investor"] != voc.FOCUS_INVESTOR,
            "announced": rows["announced"].astype(str),
            "id": rows.index.astype(str),
        },
        index=rows.index,
    )
    return rows.loc[key.sort_values(["other", "announced", "id"], kind="stable").index]


def _place(row: Mapping[str, Any]) -> str:
    """Where a row is, as precisely as known: its town, else its region, else 'not located'."""
    if row.get("city"):
        return str(row["city"])
    region = i18n.localized(row, "region_name")
    if region:
        return _("{region} (region only)").format(region=region)
    return _(voc.PRECISIONS["not_located"])


def _counted_text(row: Mapping[str, Any]) -> str:
    """What the row adds to the totals, in words: the euros it adds, or why it adds none."""
    note = str(row.get("count_note") or "")
    added = number_or_none(row.get("counted_eur"))
    if not added:
        return note
    money = _("counts {amount}").format(amount=format_money(added))
    # English: 'counted at the low end...' -> 'counts EUR 30 bn at the low end...'
    if i18n.language() == "en" and note.startswith("counted"):
        return money + note[len("counted") :]
    return _("{counts}; {note}").format(counts=money, note=note) if note else money


def investment_table(view: ViewData) -> pd.DataFrame:
    """Every shown investment row for people, the focus investor first: amount and capacity
    as worded, where, when, status, what it adds to the totals, one source link."""
    return _investment_rows_table(view.investments.rows)


def _investment_rows_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The table of investment_table for these rows (one conversion to plain records)."""
    rows = _focus_first(rows)
    records = pd.DataFrame(rows.drop(columns="geometry", errors="ignore")).to_dict("records")
    regions = _localized_column(rows, "region_name").fillna("")
    events = _labels(voc.INVESTMENT_EVENTS)
    return pd.DataFrame(
        {
            "Investor": rows["investor"].map(investor_label),
            "Partners": rows["partners"].map(lambda p: ", ".join(_split_list(p))),
            "Project": _localized_column(rows, "project"),
            "Amount": [format_amount(row) for row in records],
            "Capacity": [format_capacity(row) for row in records],
            "Where": [_place(row) for row in records],
            "Region": regions.where(regions != "", _(voc.PRECISIONS["not_located"])),
            "Location": rows["precision"].map(_labels(voc.PRECISIONS)),
            "Event": rows["event"].map(lambda e: events.get(e, "")),
            "Announced": rows["announced"].map(format_date),
            "Status": rows["status"].map(_labels(voc.INVESTMENT_STATUSES)),
            "Counted": [_counted_text(row) for row in records],
            "Source": rows["source_urls"].map(lambda u: _first_web_url(_url_list(u))),
        },
        index=rows.index,
    )


def region_investments_table(view: ViewData, code: str) -> pd.DataFrame:
    """The investments filed in region ``code``, the focus investor first, for the panel."""
    rows = view.investments.rows
    table = _investment_rows_table(rows[rows["insee_reg"] == code])
    columns = ["Investor", "Project", "Amount", "Capacity", "Status", "Announced", "Counted"]
    table = table[[*columns, "Source"]]
    # A list item has no column headers: say which figure is not disclosed.
    undisclosed = _(voc.NOT_DISCLOSED)
    for column, what in (
        ("Amount", _("amount not disclosed")),
        ("Capacity", _("MW not disclosed")),
    ):
        table[column] = table[column].replace(undisclosed, what)
    return table


def not_located_investments(view: ViewData) -> pd.DataFrame:
    """The shown rows with no region at all (counted nowhere on the map), for the tables."""
    rows = view.investments.rows
    return _investment_rows_table(rows[rows["insee_reg"].fillna("") == ""])


def totals_lines(totals: Totals) -> list[str]:
    """The totals in words: the core's headline sum first, then every term of what it
    includes and excludes, and a word when the mission's focus has no amount among them."""
    lines = [str(totals.headline())]
    if totals.rows and not totals.microsoft_eur:
        lines.append(
            _("{investor}, the mission's focus, adds no amount to this sum.").format(
                investor=voc.FOCUS_INVESTOR
            )
        )
    return [*lines, *map(str, totals.terms())]


def region_totals_lines(view: ViewData, code: str) -> list[str]:
    """What the region counts: its euros (and the high ends of ranges), Microsoft's part and
    the MW, then what that leaves out; each row's own note says why it adds what it adds."""
    row = view.investments.by_region.loc[code]
    eur, high = number_or_none(row["announced_eur"]), number_or_none(row["announced_eur_high"])
    amount = _(voc.NOT_DISCLOSED) if eur is None else format_money(eur)
    head = _("Counted here: {amount}").format(amount=amount)
    if eur is not None and high is not None and high > eur:
        head += _(" (up to {amount} with the high ends of ranges)").format(
            amount=format_money(high)
        )
    focus = number_or_none(row["microsoft_eur"]) or 0.0
    if focus and eur:
        head += _(", of which {investor} {amount} ({share})").format(
            investor=voc.FOCUS_INVESTOR, amount=format_money(focus), share=format_share(focus, eur)
        )
    mw = number_or_none(row["announced_mw"])
    if mw is None:
        head += _("; MW not disclosed")
    else:
        head += _("; {n} MW").format(n=style.format_value(mw))
    terms = [
        _(
            "Each pledge chain counts once (restated and revised figures add nothing); a site "
            "of a programme counts here and is deducted from the programme."
        )
    ]
    undisclosed = int(row["not_disclosed"])
    if undisclosed:
        terms.append(
            ngettext(
                "{n} counted row(s) here disclose no amount: never estimated.",
                "{n} counted row(s) here disclose no amount: never estimated.",
                undisclosed,
            ).format(n=i18n.format_number(undisclosed))
        )
    rows = view.investments.rows
    region_only = int(((rows["insee_reg"] == code) & (rows["precision"] == "region_only")).sum())
    if region_only:
        terms.append(
            ngettext(
                "{n} row(s) known only by this region: counted, not drawn.",
                "{n} row(s) known only by this region: counted, not drawn.",
                region_only,
            ).format(n=i18n.format_number(region_only))
        )
    return [head, *terms]


def _split_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return [str(part) for part in value or ()]


def _url_list(value: object) -> list[str]:
    return value.split() if isinstance(value, str) else list(value or ())
