"""Text beside the map: headline cards, counts, the region panel and tables, in words.

Plain pandas and strings, no folium and no streamlit: the app shows these as they are, and
the map's tooltips and popups use the same value wording and link rules.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import pandas as pd

from geo import style
from geo.core import vocabulary as voc
from geo.core.landscape import Totals
from geo.core.pledges import PledgeTrack, Status, track_pledges
from geo.core.regions import METRICS, Metric
from geo.core.view import ViewData

# A pledge's status in a word or two for the headline strip (the full wording goes in its
# tooltip), and the badge colour (Streamlit's named colours) that says it at a glance.
STATUS_BADGES: dict[Status, tuple[str, str]] = {
    Status.MET: ("Met", "green"),
    Status.ON_TRACK: ("On track", "green"),
    Status.BEHIND: ("Behind", "orange"),
    Status.DEADLINE_PASSED: ("Overdue", "red"),
    Status.NO_PROGRESS: ("No report", "gray"),
    Status.NO_DEADLINE: ("Progress, no deadline", "blue"),
}
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


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
        return STATUS_BADGES[Status(self.status)] if self.status else ("", "")


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
    for _, row in headline.iterrows():
        cards.append(
            HeadlineCard(
                id=row["id"],
                pillar=voc.PILLARS.get(row["pillar"], row["pillar"]),
                figure=format_figure(row),
                label=row["label"],
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
    """'2025-11-04' -> '4 November 2025'; '2025-11' -> 'November 2025'; '2025' -> '2025'."""
    if not text:
        return ""
    parts = text.split("-")
    if len(parts) == 1:
        return text
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def format_figure(row: Mapping[str, Any]) -> str:
    """'EUR 4 bn', 'up to 25,000 GPUs', '1 million people', 'more than 2,500 startups'."""
    value, unit = row["value"], row["unit"]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return voc.NOT_DISCLOSED
    if unit == "EUR":
        text = style.format_value(value, "EUR")
    elif value >= 1e6 and value % 1e5 == 0:
        text = f"{value / 1e6:g} million {unit}".strip()
    else:
        text = f"{style.format_value(value)} {unit}".strip()
    maximum = row.get("value_max")
    if maximum is not None and not (isinstance(maximum, float) and math.isnan(maximum)):
        text = text.replace(
            style.format_value(value),
            f"{style.format_value(value)}\u2013{style.format_value(maximum)}",
            1,
        )
    qualifier = row.get("qualifier") or ""
    return f"{qualifier} {text}".strip()


def format_deadline(deadline: str) -> str:
    """'2025-12-31' -> 'by end of 2025'; '2027' -> 'by 2027'; '' -> 'no deadline stated'."""
    if not deadline:
        return "no deadline stated"
    if len(deadline) == 4:
        return f"by {deadline}"
    year, month, day = deadline.split("-")
    if (month, day) == ("12", "31"):
        return f"by end of {year}"
    return f"by {int(day)} {MONTHS[int(month) - 1]} {year}"


def view_counts(view: ViewData) -> dict[str, int]:
    """The counts shown for the current filter."""
    return {
        "Sites on the map": len(view.sites),
        "Regions covered": view.regions_covered,
        "Partners without a mapped location": len(view.unlocated),
    }


def region_panel(view: ViewData, code: str) -> RegionPanel:
    """The region's sites (grouped by initiative), its commitments and its metric values."""
    row = view.metrics.loc[code]
    values = [
        (m.label, format_metric_value(number_or_none(row[m.key]), m)) for m in METRICS.values()
    ]
    if not math.isnan(row["disclosed_eur"]):
        values.append(("Basis of the amount", row["disclosed_eur_basis"]))
    sites = view.sites[view.sites["insee_reg"] == code]
    groups = {}
    for key, label in voc.INITIATIVES.items():
        members = sites[sites["initiatives"].map(lambda values, k=key: k in values)]
        if len(members):
            groups[label] = site_table(members)[["Name", "City", "Category", "Status"]]
    commitments = view.commitments[view.commitments["scope"] == code]
    return RegionPanel(code, row["name_fr"], tuple(values), groups, commitment_table(commitments))


def site_table(sites: pd.DataFrame) -> pd.DataFrame:
    """The sites as a table for people: labels instead of keys, one main source link."""
    return pd.DataFrame(
        {
            "Name": sites["name"],
            "Organisation": sites["organisation"],
            "Category": sites["category"].map(voc.CATEGORIES),
            "Initiatives": sites["initiatives"].map(lambda v: _join(v, voc.INITIATIVES)),
            "Programmes": sites["programmes"].map(lambda v: _join(v, voc.PROGRAMMES)),
            "Audiences": sites["audiences"].map(lambda v: _join(v, voc.AUDIENCES)),
            "City": sites["city"],
            "Region": sites["region_name"],
            "Status": sites["status"].map(voc.STATUSES),
            "Location": sites["precision"].map(voc.PRECISIONS),
            "Source": sites["source_urls"].map(_first_web_url),
            "More sources": sites["source_urls"].map(lambda u: max(len(u) - 1, 0)),
        },
        index=sites.index,
    )


def unlocated_table(unlocated: pd.DataFrame) -> pd.DataFrame:
    """Partners without a mapped location, with why (notes) and a source link."""
    return pd.DataFrame(
        {
            "Name": unlocated["name"],
            "Organisation": unlocated["organisation"],
            "Category": unlocated["category"].map(voc.CATEGORIES),
            "Programmes": unlocated["programmes"].map(lambda v: _join(v, voc.PROGRAMMES)),
            "Notes": unlocated["notes"],
            "Source": unlocated["source_urls"].map(_first_web_url),
        },
        index=unlocated.index,
    )


def commitment_table(commitments: pd.DataFrame) -> pd.DataFrame:
    """Commitments for people: figure in words, deadline, who states it, one source link."""
    return pd.DataFrame(
        {
            "Commitment": commitments["label"],
            "Figure": [format_figure(row) for _, row in commitments.iterrows()],
            "Deadline": commitments["deadline"].map(format_deadline),
            "Stated by": commitments["stated_by"].map(voc.STATED_BY),
            "Confidence": commitments["confidence"],
            "Source": commitments["source_urls"].map(_first_web_url),
        },
        index=commitments.index,
    )


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
    head = f"{card.figure} {card.deadline}: {card.status}"
    if card.deadline == format_deadline(""):
        head = f"{card.figure} ({card.deadline}): {card.status}"
    progress = f"; {card.progress} as of {card.progress_as_of}" if card.progress else ""
    return head, f"{card.label}{progress}"


def timeline_table(
    events: pd.DataFrame, region_names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Events ready for a chart or a table, by date: Date is a real date (the first day the
    source's date covers), When says it only as precisely as the source."""
    names = {"FR": "France", **(region_names or {})}
    events = events.sort_values(["day", "id"], kind="stable")
    return pd.DataFrame(
        {
            "Date": pd.to_datetime(events["day"]),
            "When": events["date"].map(format_date),
            "Event": events["title"],
            "Kind": events["kind"].map(voc.EVENT_KINDS),
            "Scope": events["scope"].map(lambda scope: names.get(scope, scope)),
            "Source": events["source_urls"].map(_first_web_url),
        },
        index=events.index,
    )


def format_metric_value(value: float | None, metric: Metric) -> str:
    """A region value in words: 'not disclosed', 'EUR 2 bn', '1 site', '3.5 sites per million'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return voc.NOT_DISCLOSED
    if metric.unit == "EUR":
        return style.format_value(value, "EUR")
    unit = metric.unit
    if value == 1 and " " not in unit and unit.endswith("s"):
        unit = unit[:-1]
    return f"{style.format_value(value, metric.unit)} {unit}"


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
    return {
        "data": {"values": records},
        "mark": {"type": "point", "filled": True, "size": 90},
        "encoding": {
            "x": {"field": "Date", "type": "temporal", "title": None},
            "y": {"field": "Kind", "type": "nominal", "title": None},
            "color": {"field": "Scope", "type": "nominal", "title": "Where"},
            "tooltip": [
                {"field": "When", "type": "nominal"},
                {"field": "Event", "type": "nominal"},
                {"field": "Scope", "type": "nominal"},
            ],
        },
        "height": 40 + 22 * int(table["Kind"].nunique()),
    }


# --- the investment landscape (investments.csv, counted by geo.core.landscape) -----------

FOCUS_SUFFIX = " (mission focus)"  # after the focus investor's name in lists and tables
# The filters of the investment section: InvestmentFilter field -> (sidebar label, what the
# widget says when nothing is chosen).
INVESTMENT_FILTER_LABELS: dict[str, tuple[str, str]] = {
    "investors": ("Investor", "All investors"),
    "events": ("Event", "All events"),
    "years": ("Year announced", "All years"),
    "statuses": ("Status", "All statuses"),
}


def format_money(value: float, currency: str = "EUR") -> str:
    """4e9 -> 'EUR 4 bn'; 3.5e8 -> 'EUR 350 m'; ('USD', 1e10) -> 'USD 10 bn'."""
    return f"{currency} {_scaled(value)}"


def _scaled(value: float) -> str:
    """4e9 -> '4 bn', 3.5e8 -> '350 m', 12345 -> '12,345': the wording of style.format_value."""
    return style.format_value(value, "EUR").removeprefix("EUR ")


def format_money_range(low: float, high: float, currency: str = "EUR") -> str:
    """(30e9, 50e9) -> 'EUR 30–50 bn'; (450e6, 1.8e9) -> 'EUR 450 m–1.8 bn'."""
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
        return voc.NOT_DISCLOSED
    currency = row.get("currency") or "EUR"
    high = number_or_none(row.get("amount_max"))
    if high is None:
        text = format_money(amount, currency)
    else:
        text = format_money_range(amount, high, currency)
    return f"{row.get('qualifier') or ''} {text}".strip()


def format_capacity(row: Mapping[str, Any]) -> str:
    """'1,400 MW', 'up to 1,000 MW'; 'not disclosed' when the source gives none."""
    capacity = number_or_none(row.get("capacity_mw"))
    if capacity is None:
        return voc.NOT_DISCLOSED
    text = f"{style.format_value(capacity)} MW"
    return f"{row.get('capacity_qualifier') or ''} {text}".strip()


def format_share(part: float, whole: float) -> str:
    """'4.6 %', '12 %'; '' when there is no whole to share."""
    if not whole:
        return ""
    share = 100 * part / whole
    return f"{share:.1f} %" if share < 10 else f"{share:.0f} %"


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
        "events": event_options,
        "years": {year: year for year in years},
        "statuses": {k: v for k, v in voc.INVESTMENT_STATUSES.items() if k in statuses},
    }


def investor_label(name: str) -> str:
    """The investor as listed: the mission's focus says so."""
    return f"{name}{FOCUS_SUFFIX}" if name == voc.FOCUS_INVESTOR else name


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
    if row.get("region_name"):
        return f"{row['region_name']} (region only)"
    return voc.PRECISIONS["not_located"]


def _counted_text(row: Mapping[str, Any]) -> str:
    """What the row adds to the totals, in words: the euros it adds, or why it adds none."""
    note = str(row.get("count_note") or "")
    added = number_or_none(row.get("counted_eur"))
    if not added:
        return note
    money = f"counts {format_money(added)}"
    if note.startswith("counted"):  # 'counted at the low end...' -> 'counts EUR 30 bn at ...'
        return money + note[len("counted") :]
    return f"{money}; {note}" if note else money


def investment_table(view: ViewData) -> pd.DataFrame:
    """Every shown investment row for people, the focus investor first: amount and capacity
    as worded, where, when, status, what it adds to the totals, one source link."""
    return _investment_rows_table(view.investments.rows)


def _investment_rows_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The table of investment_table for these rows (one conversion to plain records)."""
    rows = _focus_first(rows)
    records = pd.DataFrame(rows.drop(columns="geometry", errors="ignore")).to_dict("records")
    return pd.DataFrame(
        {
            "Investor": rows["investor"].map(investor_label),
            "Partners": rows["partners"].map(lambda p: ", ".join(_split_list(p))),
            "Project": rows["project"],
            "Amount": [format_amount(row) for row in records],
            "Capacity": [format_capacity(row) for row in records],
            "Where": [_place(row) for row in records],
            "Region": rows["region_name"].where(rows["region_name"] != "", "not located"),
            "Location": rows["precision"].map(voc.PRECISIONS),
            "Event": rows["event"].map(lambda e: voc.INVESTMENT_EVENTS.get(e, "")),
            "Announced": rows["announced"].map(format_date),
            "Status": rows["status"].map(voc.INVESTMENT_STATUSES),
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
    for column, what in (("Amount", "amount"), ("Capacity", "MW")):
        table[column] = table[column].replace(voc.NOT_DISCLOSED, f"{what} {voc.NOT_DISCLOSED}")
    return table


def not_located_investments(view: ViewData) -> pd.DataFrame:
    """The shown rows with no region at all (counted nowhere on the map), for the tables."""
    rows = view.investments.rows
    return _investment_rows_table(rows[rows["insee_reg"].fillna("") == ""])


def totals_lines(totals: Totals) -> list[str]:
    """The totals in words: the core's headline sum first, then every term of what it
    includes and excludes, and a word when the mission's focus has no amount among them."""
    lines = [totals.headline()]
    if totals.rows and not totals.microsoft_eur:
        lines.append(f"{voc.FOCUS_INVESTOR}, the mission's focus, adds no amount to this sum.")
    return [*lines, *totals.terms()]


def region_totals_lines(view: ViewData, code: str) -> list[str]:
    """What the region counts: its euros (and the high ends of ranges), Microsoft's part and
    the MW, then what that leaves out; each row's own note says why it adds what it adds."""
    row = view.investments.by_region.loc[code]
    eur, high = number_or_none(row["announced_eur"]), number_or_none(row["announced_eur_high"])
    head = "Counted here: " + (voc.NOT_DISCLOSED if eur is None else format_money(eur))
    if eur is not None and high is not None and high > eur:
        head += f" (up to {format_money(high)} with the high ends of ranges)"
    focus = number_or_none(row["microsoft_eur"]) or 0.0
    if focus and eur:
        share = format_share(focus, eur)
        head += f", of which {voc.FOCUS_INVESTOR} {format_money(focus)} ({share})"
    mw = number_or_none(row["announced_mw"])
    head += "; MW not disclosed" if mw is None else f"; {style.format_value(mw)} MW"
    terms = [
        "Each pledge chain counts once (restated and revised figures add nothing); a site "
        "of a programme counts here and is deducted from the programme."
    ]
    undisclosed = int(row["not_disclosed"])
    if undisclosed:
        terms.append(f"{undisclosed} counted row(s) here disclose no amount: never estimated.")
    rows = view.investments.rows
    region_only = int(((rows["insee_reg"] == code) & (rows["precision"] == "region_only")).sum())
    if region_only:
        terms.append(f"{region_only} row(s) known only by this region: counted, not drawn.")
    return [head, *terms]


def _split_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return [str(part) for part in value or ()]


def _url_list(value: object) -> list[str]:
    return value.split() if isinstance(value, str) else list(value or ())
