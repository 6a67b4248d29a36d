"""The investment landscape: which announced amounts count, once, and where.

The rules, applied to the rows shown (after the filters), each one tested in
tests/test_landscape.py:

1. **Chains.** Rows linked by ``restates`` or ``revises`` form a chain, and a chain counts
   once. The row that counts is its latest revision: a row whose figure a shown row revises
   no longer counts, and a restatement never counts while the row it restates is shown
   (when it is shown alone, it counts: it is then the only announcement on screen).
2. **Parts.** A ``part_of`` row is a located share of its parent's money (a site of a
   programme, a phase of a campus). The part's chain counts its own figure in its own
   region; the parent counts its figure less its parts' disclosed figures, where the parent
   is (its region, or no region). Never below zero: when the parts add up to more than the
   parent, the parent adds nothing and its note says so. A part whose parent is not shown
   counts as a row of its own.
3. **Figures.** A range counts its low end (``amount``); the high ends are summed beside
   (``counted_eur_high``). "Up to", "more than" and "about" count the figure as stated and
   are listed in the terms. Amounts in another currency are not converted and add nothing
   to the euro sums. A row without an amount adds nothing ("not disclosed"), never a guess.
4. **Capacity** (MW) follows the same rules with ``capacity_mw``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import i18n, style
from geo.core import vocabulary as voc
from geo.core.dates import first_day
from geo.i18n import N_, _, format_number, ngettext, pgettext

# English msgid; count_note holds it translated (the language current when counting).
PARTS_EXCEED_NOTE = N_("its located parts add up to more than it: the parts count")
COUNT_COLUMNS = (
    "chain",
    "counted",
    "counted_eur",
    "counted_eur_high",
    "counted_mw",
    "count_note",
    "focus",
)


@dataclass(frozen=True)
class InvestmentFilter:
    """Which investments to show; an empty tuple means no constraint on that field."""

    investors: tuple[str, ...] = ()
    events: tuple[str, ...] = ()  # INVESTMENT_EVENTS keys, or NO_EVENT
    years: tuple[str, ...] = ()  # "2025"
    statuses: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return self == InvestmentFilter()

    def describe(self) -> str:
        """The active constraints in words, in the current language, e.g. 'investor:
        Brookfield; year: 2025' ('investisseur : Brookfield ; année : 2025')."""
        events = {**voc.INVESTMENT_EVENTS, voc.NO_EVENT: voc.NO_EVENT_LABEL}
        parts = [
            _("{field}: {values}").format(
                field=name, values=", ".join(voc.label(labels, v) for v in values)
            )
            for name, values, labels in (
                (_("investor"), self.investors, {}),
                (_("event"), self.events, events),
                (_("year"), self.years, {}),
                (_("status"), self.statuses, voc.INVESTMENT_STATUSES),
            )
            if values
        ]
        return _clauses(parts) if parts else _("All announced investments")


# Link parameter of each InvestmentFilter field (repeatable, like the site filters).
INVESTMENT_QUERY_KEYS: dict[str, str] = {
    "investors": "inv_investor",
    "events": "inv_event",
    "years": "inv_year",
    "statuses": "inv_status",
}


def investment_options(investments: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Allowed values of each filter field (key -> label in the current language), from the
    data and the vocabularies."""
    investors = sorted(set(investments["investor"]), key=lambda name: name.casefold())
    years = sorted({text[:4] for text in investments["announced"]})
    return {
        "investors": {name: name for name in investors},
        "events": voc.labels({**voc.INVESTMENT_EVENTS, voc.NO_EVENT: voc.NO_EVENT_LABEL}),
        "years": {year: year for year in years},
        "statuses": voc.labels(voc.INVESTMENT_STATUSES),
    }


def filter_investments(
    investments: pd.DataFrame, flt: InvestmentFilter, regions: Iterable[str] = ()
) -> pd.DataFrame:
    """Rows that match every constraint; ``regions`` (the site filter's) keeps those regions."""
    keep = pd.Series(True, index=investments.index)
    if flt.investors:
        keep &= investments["investor"].isin(flt.investors)
    if flt.events:
        events = investments["event"].replace("", voc.NO_EVENT)
        keep &= events.isin(flt.events)
    if flt.years:
        keep &= investments["announced"].str[:4].isin(flt.years)
    if flt.statuses:
        keep &= investments["status"].isin(flt.statuses)
    regions = tuple(regions)
    if regions:
        keep &= investments["insee_reg"].isin(regions)
    return investments[keep]


def count_investments(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows plus COUNT_COLUMNS: which ones count, how much each adds where, and why
    (``count_note`` in the current language)."""
    out = rows.copy()
    # Plain dicts: a few dozen rows, read many times (pandas look-ups would dominate).
    fields = ("announced", "line", "restates", "revises", "part_of", "amount", "amount_max")
    recs = {
        row_id: dict(zip(fields, values, strict=True))
        for row_id, *values in zip(out.index, *(out[f] for f in fields), strict=True)
    }
    for rec in recs.values():
        rec["order"] = (first_day(rec["announced"]), int(rec["line"]))
    chains = _chains(recs)
    out["chain"] = pd.Series(chains, index=out.index, dtype=object)
    out["focus"] = out["investor"] == voc.FOCUS_INVESTOR
    eur = out["amount"].where(out["currency"] == "EUR")
    figures = {
        "counted_eur": eur,
        "counted_eur_high": out["amount_max"].fillna(out["amount"]).where(eur.notna()),
        "counted_mw": out["capacity_mw"],
    }
    heads = _heads(recs, chains, out["amount"].to_dict())
    parents = _parent_chains(recs, chains)
    notes = dict.fromkeys(out.index, "")
    for column, series in figures.items():
        figure = series.to_dict()
        figure_heads = _heads(recs, chains, figure)
        added, exceed = _allocate(recs, figure_heads, parents, figure)
        out[column] = pd.Series(added, index=out.index, dtype=float)
        if column == "counted_eur":
            for row_id in exceed:
                notes[row_id] = _(PARTS_EXCEED_NOTE)
        if column == "counted_mw":
            for row_id in exceed:
                note = _(
                    "its located parts' capacity adds up to more than its own: the parts count"
                )
                notes[row_id] = _clauses((notes[row_id], note))
            for chain, row_id in figure_heads.items():
                if row_id != heads[chain] and not pd.isna(figure[row_id]):
                    note = _("its capacity counts (the later figure states none)")
                    notes[row_id] = _clauses((notes[row_id], note))
    out["counted"] = out.index.isin(list(heads.values()))
    currency = out["currency"].to_dict()
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    out["count_note"] = pd.Series(
        [
            _note(recs, row_id, chains, heads, parents, children, currency[row_id], notes[row_id])
            for row_id in out.index
        ],
        index=out.index,
        dtype=object,
    )
    return out


Records = Mapping[str, Mapping[str, Any]]


def _chains(recs: Records) -> dict[str, str]:
    """Row id -> chain id (the chain's earliest row), over restates/revises links shown."""
    root = {row_id: row_id for row_id in recs}

    def find(row_id: str) -> str:
        while root[row_id] != row_id:
            root[row_id] = root[root[row_id]]
            row_id = root[row_id]
        return row_id

    for row_id, rec in recs.items():
        for link in ("restates", "revises"):
            if rec[link] in root:
                root[find(row_id)] = find(rec[link])
    members: dict[str, list[str]] = {}
    for row_id in recs:
        members.setdefault(find(row_id), []).append(row_id)
    chain_of = {}
    for ids in members.values():
        first = min(ids, key=lambda i: recs[i]["order"])
        chain_of.update(dict.fromkeys(ids, first))
    return chain_of


def _heads(recs: Records, chains: Mapping[str, str], figure: Mapping[str, float]) -> dict[str, str]:
    """Chain id -> the row whose figure counts: the latest revision that states it.

    Restatements of a shown row are never it. A revision that does not state the figure
    (a raise of the amount that gives no capacity) leaves the earlier row's figure counting.
    When no row of the chain states the figure, the latest revision is named (adding NaN).
    The order is the announcement date's first day, then the file's line.
    """
    restating = {i for i, rec in recs.items() if rec["restates"] in chains}
    by_chain: dict[str, list[str]] = {}
    for row_id, chain in chains.items():
        by_chain.setdefault(chain, []).append(row_id)
    heads = {}
    for chain, ids in by_chain.items():
        candidates = [i for i in ids if i not in restating] or ids
        stated = [i for i in candidates if not pd.isna(figure[i])] or candidates
        heads[chain] = max(stated, key=lambda i: recs[i]["order"])
    return heads


def _parent_chains(recs: Records, chains: Mapping[str, str]) -> dict[str, str]:
    """Chain -> the chain it is part of (the part_of of any of its rows, first listed)."""
    parents: dict[str, str] = {}
    for row_id, rec in recs.items():
        target = rec["part_of"]
        if target in chains and chains[target] != chains[row_id]:
            parents.setdefault(chains[row_id], chains[target])
    return parents


def _allocate(
    recs: Records,
    heads: Mapping[str, str],
    parents: Mapping[str, str],
    figure: Mapping[str, float],
) -> tuple[dict[str, float], list[str]]:
    """What each row adds: its chain's figure less its parts', 0 for the other rows.

    Also returns the rows whose parts add up to more than their own figure (they add 0).
    """
    added = dict.fromkeys(recs, 0.0)
    exceed = []
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    for chain, head in heads.items():
        own = figure[head]
        if pd.isna(own):
            added[head] = np.nan
            continue
        parts = [figure[heads[c]] for c in children.get(chain, [])]
        located = sum(value for value in parts if not pd.isna(value))
        if located > own:
            added[head] = 0.0
            exceed.append(head)
        else:
            added[head] = own - located
    return added, exceed


def _note(
    recs: Records,
    row_id: str,
    chains: Mapping[str, str],
    heads: Mapping[str, str],
    parents: Mapping[str, str],
    children: Mapping[str, list[str]],
    currency: str,
    extra: str,
) -> str:
    """Why a row adds what it adds, in words (the current language)."""
    rec, chain = recs[row_id], chains[row_id]
    head = heads[chain]
    if row_id != head:
        if rec["restates"] in recs:
            words = _("restates {row}: counted once, in {head}").format(
                row=rec["restates"], head=head
            )
        else:
            words = _("revised later: {head} counts instead").format(head=head)
    elif pd.isna(rec["amount"]):
        words = _("counted; amount not disclosed, adds nothing")
    elif currency != "EUR":
        words = _("counted; amount in {currency}, not converted or added to euro sums").format(
            currency=currency
        )
    elif not pd.isna(rec["amount_max"]):
        words = _("counted at the low end of its range")
    else:
        words = _("counted")
    clauses = [words]
    if row_id == head and chain in parents:
        clauses.append(_("part of {parent}, deducted from it").format(parent=heads[parents[chain]]))
    parts = [heads[c] for c in children.get(chain, ())]
    if parts and row_id == head:
        clauses.append(_("less its located parts ({parts})").format(parts=", ".join(parts)))
    return _clauses((*clauses, extra))


def _clauses(parts: Iterable[str]) -> str:
    """Clauses of one note or summary, in order, joined as the language writes '; '."""
    return pgettext("list", "; ").join(part for part in parts if part)


def _percent(share: float) -> str:
    """A share of 1 shown: '10.0 %' (the house's English wording), '10 %' / '10 %' by Babel."""
    if i18n.language() == "en":
        return f"{share * 100:.1f} %"
    return i18n.format_percent(share)


def region_investments(counted: pd.DataFrame, region_codes: Iterable[str]) -> pd.DataFrame:
    """Per region: the euros and MW counted there, the rows listed, Microsoft's share.

    A region without rows has 0; a region whose rows disclose no amount has NaN (not
    disclosed, not zero).
    """
    codes = list(region_codes)
    sums = ("announced_eur", "announced_eur_high", "announced_mw")
    table = {code: dict.fromkeys((*sums, "microsoft_eur"), 0.0) for code in codes}
    stated = {code: dict.fromkeys(sums, False) for code in codes}
    for code in codes:
        table[code].update(investments=0, not_disclosed=0)
    # Plain loops: a few dozen rows on every rerun (pandas group-bys cost ~100 ms here).
    for code, amount, eur, high, mw, focus, counted_row in zip(
        counted["insee_reg"],
        counted["amount"],
        counted["counted_eur"],
        counted["counted_eur_high"],
        counted["counted_mw"],
        counted["focus"],
        counted["counted"],
        strict=True,
    ):
        if code not in table:
            continue
        row = table[code]
        row["investments"] += 1
        for column, value in zip(sums, (eur, high, mw), strict=True):
            if not np.isnan(value):
                row[column] += value
                stated[code][column] = True
        if focus and not np.isnan(eur):
            row["microsoft_eur"] += eur
        if counted_row and np.isnan(amount):
            row["not_disclosed"] += 1
    for code in codes:
        if table[code]["investments"]:
            for column in sums:
                if not stated[code][column]:
                    table[code][column] = np.nan
    columns = [*sums, "investments", "microsoft_eur", "not_disclosed"]
    frame = pd.DataFrame.from_dict(table, orient="index")[columns]
    return frame.astype({"investments": int, "not_disclosed": int})


@dataclass(frozen=True)
class Totals:
    """The sums over the rows shown, and what they include and exclude."""

    eur: float
    eur_high: float
    mw: float
    rows: int
    counted_rows: int
    restated: int
    revised: int
    not_disclosed: int
    non_eur: int
    region_only: int
    not_located_eur: float
    ranges: int
    microsoft_eur: float
    qualified: dict[str, int] = field(default_factory=dict)
    parts_exceed: tuple[str, ...] = ()

    def headline(self) -> str:
        """One line: the euro sum, its high end, Microsoft's share, the MW (current language)."""
        if not self.rows:
            return _("No announced investment matches the filters.")
        eur = style.format_value(self.eur, "EUR")
        if self.eur_high > self.eur:
            high = style.format_value(self.eur_high, "EUR")
            clauses = [
                _(
                    "{amount} announced, counted once per pledge chain (up to {high} with the "
                    "high ends of ranges)"
                ).format(amount=eur, high=high)
            ]
        else:
            clauses = [_("{amount} announced, counted once per pledge chain").format(amount=eur)]
        if self.eur > 0 and self.microsoft_eur > 0:
            clauses.append(
                _("Microsoft {amount} ({share})").format(
                    amount=style.format_value(self.microsoft_eur, "EUR"),
                    share=_percent(self.microsoft_eur / self.eur),
                )
            )
        if self.mw > 0:
            clauses.append(_("{mw} MW of capacity").format(mw=style.format_value(self.mw)))
        return _("{clauses}.").format(clauses=_clauses(clauses))

    def terms(self) -> list[str]:
        """The sentences that say what the sums include and exclude (current language)."""
        terms = [
            ngettext(
                "{rows} announcements shown, {counted} counted. Amounts are as announced, not "
                "money spent, and their time frames differ.",
                "{rows} announcements shown, {counted} counted. Amounts are as announced, not "
                "money spent, and their time frames differ.",
                self.rows,
            ).format(rows=format_number(self.rows), counted=format_number(self.counted_rows))
        ]
        if self.restated or self.revised:
            terms.append(
                _(
                    "Counted once per pledge chain: {restated} restatement(s) of an earlier "
                    "pledge and {revised} figure(s) later revised are listed but not added."
                ).format(restated=format_number(self.restated), revised=format_number(self.revised))
            )
        if self.not_located_eur > 0:
            terms.append(
                _(
                    "A site or phase of a programme counts in its region and is deducted from "
                    "the programme; {amount} is in no region (programmes whose sites are not "
                    "disclosed, and what their located parts leave)."
                ).format(amount=style.format_value(self.not_located_eur, "EUR"))
            )
        else:
            terms.append(
                _(
                    "A site or phase of a programme counts in its region and is deducted from "
                    "the programme."
                )
            )
        if self.not_disclosed:
            terms.append(
                ngettext(
                    "{n} counted announcement(s) disclose no amount and add nothing: they are "
                    "never estimated.",
                    "{n} counted announcement(s) disclose no amount and add nothing: they are "
                    "never estimated.",
                    self.not_disclosed,
                ).format(n=format_number(self.not_disclosed))
            )
        if self.ranges:
            terms.append(
                ngettext(
                    "{n} range(s) count at their low end; their high ends would add {amount}.",
                    "{n} range(s) count at their low end; their high ends would add {amount}.",
                    self.ranges,
                ).format(
                    n=format_number(self.ranges),
                    amount=style.format_value(self.eur_high - self.eur, "EUR"),
                )
            )
        worded = [
            _("{count} '{word}'").format(
                count=format_number(count), word=voc.label(voc.AMOUNT_QUALIFIER_LABELS, word)
            )
            for word, count in self.qualified.items()
            if count
        ]
        if worded:
            terms.append(
                _("Figures worded {words} count as stated.").format(words=", ".join(worded))
            )
        if self.region_only:
            terms.append(
                ngettext(
                    "{n} announcement(s) are known only by region: no point.",
                    "{n} announcement(s) are known only by region: no point.",
                    self.region_only,
                ).format(n=format_number(self.region_only))
            )
        if self.non_eur:
            terms.append(
                ngettext(
                    "{n} amount(s) in another currency are not converted or added.",
                    "{n} amount(s) in another currency are not converted or added.",
                    self.non_eur,
                ).format(n=format_number(self.non_eur))
            )
        if self.parts_exceed:
            terms.append(
                _(
                    "The located parts of {rows} add up to more than its announced figure: the "
                    "parts count, the programme adds nothing."
                ).format(rows=", ".join(self.parts_exceed))
            )
        return terms


def landscape_totals(counted: pd.DataFrame) -> Totals:
    """The Totals of counted rows (the output of count_investments, in the same language)."""
    exceed_note = _(PARTS_EXCEED_NOTE)
    heads = counted[counted["counted"]]
    restating = counted["restates"].isin(counted.index) & ~counted["counted"]
    qualified = {
        word: int(((heads["qualifier"] == word) & heads["amount"].notna()).sum())
        for word in voc.AMOUNT_QUALIFIERS
    }
    return Totals(
        eur=float(counted["counted_eur"].sum()),
        eur_high=float(counted["counted_eur_high"].sum()),
        mw=float(counted["counted_mw"].sum()),
        rows=len(counted),
        counted_rows=len(heads),
        restated=int(restating.sum()),
        revised=int((~counted["counted"] & ~restating).sum()),
        not_disclosed=int(heads["amount"].isna().sum()),
        non_eur=int((heads["amount"].notna() & (heads["currency"] != "EUR")).sum()),
        region_only=int((counted["precision"] == "region_only").sum()),
        not_located_eur=float(counted.loc[counted["insee_reg"] == "", "counted_eur"].sum()),
        ranges=int((heads["amount_max"].notna() & (heads["currency"] == "EUR")).sum()),
        microsoft_eur=float(counted.loc[counted["focus"], "counted_eur"].sum()),
        qualified=qualified,
        parts_exceed=tuple(
            row_id for row_id, note in heads["count_note"].items() if exceed_note in note
        ),
    )


@dataclass(frozen=True)
class InvestmentView:
    """The investments one view shows: every matching row counted, the located ones, sums."""

    rows: gpd.GeoDataFrame  # every matching row with COUNT_COLUMNS
    located: gpd.GeoDataFrame  # rows with a point
    by_region: pd.DataFrame  # region_investments, one row per region
    totals: Totals
    filter: InvestmentFilter

    @property
    def region_only(self) -> gpd.GeoDataFrame:
        return self.rows[self.rows["precision"] == "region_only"]

    @property
    def not_located(self) -> gpd.GeoDataFrame:
        return self.rows[self.rows["precision"] == "not_located"]


def compute_investment_view(
    investments: gpd.GeoDataFrame,
    flt: InvestmentFilter,
    region_codes: Iterable[str],
    regions_filter: Iterable[str] = (),
) -> InvestmentView:
    """Filter, count and sum the investments for one view."""
    shown = filter_investments(investments, flt, regions_filter)
    counted = count_investments(shown)
    located = counted[counted.geometry.notna()]
    return InvestmentView(
        counted,
        located,
        region_investments(counted, region_codes),
        landscape_totals(counted),
        flt,
    )
