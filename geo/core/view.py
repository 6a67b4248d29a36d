"""What one view shows: filtered sites and commitments, region metrics and their classes."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.core.classes import Classes, classify
from geo.core.dataset import Dataset
from geo.core.filters import filter_commitments, filter_sites
from geo.core.landscape import InvestmentView, compute_investment_view
from geo.core.regions import (
    DEPARTEMENT_LEVEL,
    INVESTMENT_METRICS,
    METRICS,
    USER_VALUES,
    Metric,
    add_investment_metrics,
    add_user_metrics,
    available_metrics,
    region_metrics,
    user_metrics,
)
from geo.core.state import ViewState
from geo.core.userdata.model import UserData
from geo.core.userdata.view import UserFilter, UserView, compute_user_view
from geo.i18n import _, place_name_column


@dataclass(frozen=True)
class ViewData:
    """Everything the map, the report image and the data export draw for one ViewState."""

    state: ViewState
    sites: gpd.GeoDataFrame  # matching sites with a coordinate
    unlocated: pd.DataFrame  # matching sites without a known location
    commitments: pd.DataFrame  # commitments of the selected pillars and regions
    metrics: gpd.GeoDataFrame  # one row per region (all 18), indexed by INSEE code
    metric: Metric
    classes: Classes
    metrics_offered: dict[str, Metric]
    subtitle: str  # in the language current when the view was computed
    user: UserView | None = None  # the reader's own data, when they brought some
    # Set when the chosen metric is the reader's figures per département: the classes are
    # theirs and the maps colour départements (INSEE code -> value).
    departement_values: pd.Series | None = None
    # Every announced investment that matches the investment filters, counted (landscape).
    investments: InvestmentView | None = None

    @property
    def regions_covered(self) -> int:
        """Regions with at least one matching site."""
        return int((self.metrics["sites"] > 0).sum())


def compute_view(
    dataset: Dataset,
    state: ViewState,
    user: UserData | None = None,
    user_filter: UserFilter | None = None,
) -> ViewData:
    """Apply the filter, compute the metrics (the reader's too) and classify the chosen one.

    Texts (the subtitle, class labels) are in the current language: a cache of views keys on it.
    """
    matching = filter_sites(dataset.sites, state.filter)
    located = matching[matching.geometry.notna()]
    unlocated = pd.DataFrame(matching[matching.geometry.isna()].drop(columns="geometry"))
    commitments = filter_commitments(dataset.commitments, state.filter)
    metrics = region_metrics(located, commitments, dataset.regions)
    investments = compute_investment_view(
        dataset.investments, state.investments, dataset.regions.index, state.filter.regions
    )
    metrics = add_investment_metrics(metrics, investments.by_region)
    offered = available_metrics(metrics)
    user_view = None
    if user is not None and not user.empty:
        user_view = compute_user_view(user, state, user_filter or UserFilter())
        counts = user_view.region_counts if user.sites is not None else None
        metrics = add_user_metrics(metrics, counts, user.values)
        offered = {**offered, **user_metrics(user.sites is not None, user.values)}
    metric = offered.get(state.metric, METRICS["sites"])
    departement_values = _departement_values(dataset, user, metric)
    shown = departement_values if departement_values is not None else metrics[metric.key]
    classes = classify(shown.tolist(), metric.unit)
    subtitle = state.filter.describe(dict(dataset.regions[place_name_column()]))
    if state.layer_investments or metric.key in INVESTMENT_METRICS:
        subtitle = _("{sites}; investments: {investments}").format(
            sites=subtitle, investments=state.investments.describe()
        )
    return ViewData(
        state,
        located,
        unlocated,
        commitments,
        metrics,
        metric,
        classes,
        offered,
        subtitle,
        user_view,
        departement_values,
        investments,
    )


def _departement_values(
    dataset: Dataset, user: UserData | None, metric: Metric
) -> pd.Series | None:
    """The reader's figures per département (every département, NaN where none) if shown."""
    if metric.key != USER_VALUES or user is None or user.values is None:
        return None
    if user.values.level != DEPARTEMENT_LEVEL:
        return None
    values = pd.Series(user.values.by_code(), dtype=float)
    return values.reindex(dataset.departements.index).rename(USER_VALUES)
