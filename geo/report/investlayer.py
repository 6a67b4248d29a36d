"""Announced AI investments on the report's maps: circles by status, area by counted euros.

A located row is a circle in its status colour whose area is proportional to the euros it
adds to its region (``counted_eur``, sqrt scale against the view's largest); a row whose
amount is not disclosed is a hollow ring of the smallest size, and a row counted under
another one (a restatement, a revised figure) a small pale dot, so no figure is drawn twice.
Microsoft's rows, the map's focus, have a dark outline. Rows known only by their region are
one dashed ring per region at a point inside it (never a point that pretends to be a site).
The circles sit under our site markers and above the region colours.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba

from geo import style
from geo.core.regions import INVESTMENT_METRICS, LAMBERT93
from geo.core.view import ViewData
from geo.report.sheet import Box

INVEST_GID, ZOOM_INVEST_GID = "investments", "zoom-investments"
REGION_ONLY_GID = "investments-region-only"
INVEST_ZORDER = 4.6  # above the reader's dots (4.5), below our site markers (5)
# Diameters as shares of the body size: the largest counted amount, and the floor (also the
# size of undisclosed and elsewhere-counted rows).
MAX_DIAMETER, MIN_DIAMETER = 3.2, 0.8
FILL_ALPHA, COVERED_ALPHA = 0.6, 0.35
EDGE_WIDTH, FOCUS_WIDTH, HOLLOW_WIDTH = 0.5, 1.5, 1.1  # points
REGION_ONLY_COLOUR = "#4d4d4d"
DASHES = (0, (3.0, 2.0))  # a region-only ring, in multiples of its line width


@dataclass(frozen=True)
class InvestmentPoints:
    """The drawn rows of one map, in its CRS, with what each circle's look depends on."""

    xs: np.ndarray
    ys: np.ndarray
    eur: np.ndarray  # counted euros (0: counted elsewhere; NaN: not disclosed or not EUR)
    disclosed: np.ndarray  # bool: the row has an amount
    colours: np.ndarray  # status colour
    focus: np.ndarray  # bool: Microsoft's row
    regions: np.ndarray  # INSEE region code
    top: float = 1.0  # the view's largest counted amount (every map scales alike)
    region_only: np.ndarray | None = None  # bool: a region's dashed ring, not a site

    def __len__(self) -> int:
        return len(self.xs)

    def where(self, keep: np.ndarray) -> InvestmentPoints:
        """The rows where ``keep`` is True."""
        fields = ("xs", "ys", "eur", "disclosed", "colours", "focus", "regions")
        changed = {name: getattr(self, name)[keep] for name in fields}
        if self.region_only is not None:
            changed["region_only"] = self.region_only[keep]
        return replace(self, **changed)

    def within(self, frame: Box) -> InvestmentPoints:
        """The rows inside a frame in the same CRS."""
        x0, y0, x1, y1 = frame
        xs, ys = self.xs, self.ys
        return self.where((xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1))

    def in_regions(self, codes) -> InvestmentPoints:
        """The rows of these regions."""
        return self.where(np.isin(self.regions, list(codes)))

    def diameters(self, font_size: float) -> np.ndarray:
        """Circle diameters in points: area by counted euros, never under the floor."""
        return circle_diameters(self.eur, self.top, font_size)


def layer_on(view: ViewData) -> bool:
    """Whether the view draws the investments layer."""
    return view.state.layer_investments and view.investments is not None


def counts_investments(view: ViewData) -> bool:
    """Whether the page shows investment figures (the layer, or a metric that sums them): then
    its footer gives the totals' terms and the rows' sources."""
    return view.investments is not None and (
        layer_on(view) or view.metric.key in INVESTMENT_METRICS
    )


def status_colour(status: object) -> str:
    """A status's colour (an unknown one: grey)."""
    return style.INVESTMENT_STATUS_COLOURS.get(str(status), style.INVESTMENT_OTHER_COLOUR)


def top_amount(view: ViewData) -> float:
    """The largest counted amount of a drawn circle or regional ring (1.0 when none)."""
    eur = [_eur(located_rows(view)).max(), region_only_sums(view)["eur"].max()]
    finite = [v for v in eur if v is not None and np.isfinite(v) and v > 0]
    return float(max(finite)) if finite else 1.0


def located_rows(view: ViewData) -> gpd.GeoDataFrame:
    """The shown rows with a point."""
    return view.investments.located


def region_only_rows(view: ViewData) -> pd.DataFrame:
    """The shown rows known only by their region."""
    return view.investments.region_only


def region_only_sums(view: ViewData) -> pd.DataFrame:
    """Per region of the region-only rows: rows, counted euros, whether any is Microsoft's."""
    rows = region_only_rows(view)
    if rows.empty:
        return pd.DataFrame({"rows": [], "eur": [], "focus": []}, dtype=float)
    grouped = rows.groupby("insee_reg")
    return pd.DataFrame(
        {
            "rows": grouped.size(),
            "eur": grouped["counted_eur"].sum(min_count=1),
            "focus": grouped["focus"].any(),
        }
    )


def investment_points(view: ViewData, regions: gpd.GeoDataFrame, crs: str) -> InvestmentPoints:
    """The located rows and one ring per region of region-only rows, projected to ``crs``.

    ``regions`` are the region polygons (any CRS) whose representative points carry the rings.
    """
    top = top_amount(view)
    located = located_rows(view).to_crs(crs)
    sums = region_only_sums(view)
    sums = sums[sums.index.isin(regions.index)]
    anchors = regions.loc[sums.index].to_crs(crs).geometry.representative_point()
    xs = np.concatenate([located.geometry.x.to_numpy(float), anchors.x.to_numpy(float)])
    ys = np.concatenate([located.geometry.y.to_numpy(float), anchors.y.to_numpy(float)])
    n_located, n_regional = len(located), len(sums)
    return InvestmentPoints(
        xs=xs,
        ys=ys,
        eur=np.concatenate([_eur(located).to_numpy(float), sums["eur"].to_numpy(float)]),
        disclosed=np.concatenate(
            [located["amount"].notna().to_numpy(bool), sums["eur"].notna().to_numpy(bool)]
        ),
        colours=np.concatenate(
            [
                located["status"].map(status_colour).to_numpy(object),
                np.full(n_regional, REGION_ONLY_COLOUR, dtype=object),
            ]
        ),
        focus=np.concatenate(
            [located["focus"].to_numpy(bool), sums["focus"].to_numpy(bool).reshape(-1)]
        ),
        regions=np.concatenate(
            [located["insee_reg"].astype(str).to_numpy(object), sums.index.to_numpy(object)]
        ),
        top=top,
        region_only=np.concatenate([np.zeros(n_located, bool), np.ones(n_regional, bool)]),
    )


def projected_points(view: ViewData, regions: gpd.GeoDataFrame) -> InvestmentPoints | None:
    """The layer in Lambert-93 for the main map, or None when the view does not draw it."""
    if not layer_on(view):
        return None
    return investment_points(view, regions, LAMBERT93)


def circle_diameters(eur: np.ndarray, top: float, font_size: float) -> np.ndarray:
    """Diameters (points) whose areas are proportional to the amounts; the floor otherwise."""
    eur = np.asarray(eur, float)
    low, high = MIN_DIAMETER * font_size, MAX_DIAMETER * font_size
    share = np.where(np.isfinite(eur) & (eur > 0), eur, 0.0) / max(top, 1.0)
    return np.maximum(np.sqrt(np.clip(share, 0.0, 1.0)) * high, low)


def circle_look(
    colour: str, *, disclosed: bool, counted: bool, focus: bool, region_only: bool = False
) -> dict:
    """Colours of one circle: filled, pale (counted elsewhere), hollow (amount not disclosed)
    or a dashed ring (region only); Microsoft's with the dark outline."""
    hollow = region_only or not disclosed
    alpha = FILL_ALPHA if counted else COVERED_ALPHA
    look = {
        "facecolor": to_rgba(colour, 0.0 if hollow else alpha),
        "edgecolor": to_rgba(colour if hollow else "white"),
        "linewidth": HOLLOW_WIDTH if hollow else EDGE_WIDTH,
        "linestyle": DASHES if region_only else "solid",
    }
    if focus:
        look["edgecolor"] = to_rgba(style.FOCUS_EDGE)
        look["linewidth"] = FOCUS_WIDTH
    return look


def draw_investments(ax: Axes, points: InvestmentPoints | None, gid: str, font_size: float) -> int:
    """The circles in one scatter per kind (sites, then the regions' dashed rings, which carry
    REGION_ONLY_GID), largest first so that small ones stay on top; return how many."""
    if points is None or not len(points):
        return 0
    diameters = points.diameters(font_size)
    regional = points.region_only if points.region_only is not None else np.zeros(len(points), bool)
    counted = np.isfinite(points.eur) & (points.eur > 0)
    for ring, kind_gid in ((False, gid), (True, REGION_ONLY_GID)):
        chosen = [i for i in np.argsort(-diameters, kind="stable") if regional[i] == ring]
        if not chosen:
            continue
        looks = [
            circle_look(
                points.colours[i],
                disclosed=bool(points.disclosed[i]),
                counted=bool(counted[i]),
                focus=bool(points.focus[i]),
                region_only=ring,
            )
            for i in chosen
        ]
        ax.scatter(
            points.xs[chosen],
            points.ys[chosen],
            s=diameters[chosen] ** 2,
            marker="o",
            facecolors=[look["facecolor"] for look in looks],
            edgecolors=[look["edgecolor"] for look in looks],
            linewidths=[look["linewidth"] for look in looks],
            linestyles=[look["linestyle"] for look in looks],
            gid=kind_gid,
            zorder=INVEST_ZORDER,
        )
    return len(points)


def region_codes(view: ViewData) -> frozenset[str]:
    """Regions holding a drawn investment (they may need an inset)."""
    if not layer_on(view):
        return frozenset()
    located = set(located_rows(view)["insee_reg"].dropna().astype(str))
    regional = set(region_only_rows(view)["insee_reg"].dropna().astype(str))
    return frozenset(located | regional)


def drawn_count(view: ViewData) -> int:
    """How many circles the layer draws on the maps (located rows only, not the rings)."""
    return len(located_rows(view)) if layer_on(view) else 0


def _eur(rows: pd.DataFrame) -> pd.Series:
    return rows["counted_eur"].astype(float) if "counted_eur" in rows else pd.Series(dtype=float)
