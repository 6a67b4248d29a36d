"""What one view shows: filtered sites and commitments, region metrics and their classes."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.core.classes import Classes, classify
from geo.core.dataset import Dataset
from geo.core.filters import filter_commitments, filter_sites
from geo.core.regions import METRICS, Metric, available_metrics, region_metrics
from geo.core.state import ViewState


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
    subtitle: str

    @property
    def regions_covered(self) -> int:
        """Regions with at least one matching site."""
        return int((self.metrics["sites"] > 0).sum())


def compute_view(dataset: Dataset, state: ViewState) -> ViewData:
    """Apply the filter, compute the metrics and classify the chosen one."""
    matching = filter_sites(dataset.sites, state.filter)
    located = matching[matching.geometry.notna()]
    unlocated = pd.DataFrame(matching[matching.geometry.isna()].drop(columns="geometry"))
    commitments = filter_commitments(dataset.commitments, state.filter)
    metrics = region_metrics(located, commitments, dataset.regions)
    offered = available_metrics(metrics)
    metric = offered.get(state.metric, METRICS["sites"])
    classes = classify(metrics[metric.key].tolist(), metric.unit)
    subtitle = state.filter.describe(dataset.region_names())
    return ViewData(
        state, located, unlocated, commitments, metrics, metric, classes, offered, subtitle
    )
