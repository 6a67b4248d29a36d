"""What a view shows of a reader's data: filters, counts, grid, and the metrics it adds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geo.core import legend
from geo.core.filters import SiteFilter
from geo.core.state import ViewState
from geo.core.userdata.model import (
    MAX_POINTS_DRAWN,
    ColumnMapping,
    RegionValues,
    UserData,
    UserSites,
)
from geo.core.userdata.view import (
    UserFilter,
    compute_user_view,
    filter_options,
    fold_series,
    grid_cells,
)
from geo.core.view import compute_view

NAN = math.nan
# (name, lat, lon, commune, dep, reg, category, initiative, amount, "Secteur" attribute)
ROWS = [
    ("Mairie de Lyon", 45.7676, 4.8357, "69381", "69", "84", "Mairie", "Plan A", 10.0, "Public"),
    ("Strasbourg Hôtel", 48.5734, 7.7521, "67482", "67", "44", "Mairie", "Plan B", NAN, "Public"),
    ("Rennes <b>x</b>", 48.1113, -1.6800, "35238", "35", "53", "Campus", "Plan A", 5.0, "Privé"),
    ("Saint-Denis", -20.8789, 55.4481, "97411", "974", "04", "Campus", "", NAN, "Privé"),
    ("Lyon sans point", NAN, NAN, "69381", "69", "84", "Campus", "Plan A", NAN, "Public"),
]  # fmt: skip


def make_sites(rows=ROWS, source="mes-sites.csv") -> UserSites:
    frame = pd.DataFrame(
        rows,
        columns=["name", "lat", "lon", "insee_commune", "insee_dep", "insee_reg", "category",
                 "initiative", "amount", "Secteur"],
    )  # fmt: skip
    frame.insert(0, "line", range(2, len(frame) + 2))
    frame["date"] = ""
    frame["url"] = ""
    mapping = ColumnMapping("sites", {"name": "Nom", "lat": "lat", "lon": "lon"})
    return UserSites(source, frame, ("Secteur",), mapping)


def make_values(level="region", codes=("84", "44"), values=(3.0, 7.5)) -> RegionValues:
    frame = pd.DataFrame(
        {"line": range(2, len(codes) + 2), "code": list(codes), "written": list(codes),
         "value": list(values)}
    )  # fmt: skip
    return RegionValues("valeurs.csv", level, "Emplois", "emplois", frame, ColumnMapping("values"))


def test_filter_options_lists_columns_with_few_values():
    options = filter_options(make_sites())
    assert options == {
        "category": ["Campus", "Mairie"],
        "initiative": ["Plan A", "Plan B"],
        "Secteur": ["Privé", "Public"],
    }


def test_filter_options_leave_out_columns_with_one_value():
    rows = [(*r[:6], "Mairie", *r[7:]) for r in ROWS]
    assert "category" not in filter_options(make_sites(rows))


def test_view_splits_located_and_listed_and_counts_both():
    view = compute_user_view(UserData(sites=make_sites()), ViewState(), UserFilter())
    assert list(view.sites["name"]) == [r[0] for r in ROWS[:4]]
    assert list(view.listed["name"]) == ["Lyon sans point"]
    assert view.region_counts.to_dict() == {"04": 1, "44": 1, "53": 1, "84": 2}
    assert view.departement_counts.to_dict() == {"35": 1, "67": 1, "69": 2, "974": 1}
    assert not view.aggregated
    assert view.grid is None
    assert view.source == "mes-sites.csv"
    assert view.sites_source == "mes-sites.csv"


def test_column_filter_keeps_chosen_values():
    flt = UserFilter(columns=(("category", ("Campus",)), ("Secteur", ("Public",))))
    view = compute_user_view(UserData(sites=make_sites()), ViewState(), flt)
    assert list(view.sites["name"]) == []
    assert list(view.listed["name"]) == ["Lyon sans point"]


def test_text_filter_folds_case_and_accents():
    flt = UserFilter(text="HOTEL")
    view = compute_user_view(UserData(sites=make_sites()), ViewState(), flt)
    assert list(view.sites["name"]) == ["Strasbourg Hôtel"]
    # attributes are searched too
    flt = UserFilter(text="prive")
    view = compute_user_view(UserData(sites=make_sites()), ViewState(), flt)
    assert set(view.sites["name"]) == {"Rennes <b>x</b>", "Saint-Denis"}


def test_fold_series_matches_fold():
    from geo.core.filters import fold

    texts = ["Bègles", "ÎLE-DE-FRANCE", "Œuvre ça", "straße"]
    assert list(fold_series(pd.Series(texts))) == [fold(t) for t in texts]


def test_our_region_filter_applies_to_reader_rows():
    state = ViewState(filter=SiteFilter(regions=("84",)))
    view = compute_user_view(UserData(sites=make_sites()), state, UserFilter())
    assert list(view.sites["name"]) == ["Mairie de Lyon"]
    assert view.region_counts.to_dict() == {"84": 2}


def test_values_only_gives_an_empty_site_view():
    view = compute_user_view(UserData(values=make_values()), ViewState(), UserFilter())
    assert view.sites.empty
    assert view.listed.empty
    assert view.region_counts.empty
    assert view.values is not None
    assert view.source == "valeurs.csv"


def test_grid_keeps_cell_count_within_limit_and_every_point():
    rng = np.random.default_rng(1)
    points = pd.DataFrame({"lat": rng.uniform(43, 49, 5000), "lon": rng.uniform(-1, 7, 5000)})
    cells = grid_cells(points, limit=200)
    assert len(cells) <= 200
    assert cells["count"].sum() == 5000
    assert cells["lat"].between(43, 49).all()
    assert cells["lon"].between(-1, 7).all()


def test_grid_cell_sits_at_the_mean_of_its_points():
    points = pd.DataFrame({"lat": [45.001, 45.003, 48.0], "lon": [4.001, 4.003, 2.0]})
    cells = grid_cells(points, limit=10).sort_values("lat")
    assert cells["count"].tolist() == [2, 1]
    assert cells["lat"].iloc[0] == pytest.approx(45.002)
    assert cells["lon"].iloc[0] == pytest.approx(4.002)


def test_more_points_than_drawn_aggregate(monkeypatch):
    import geo.core.userdata.view as user_view

    monkeypatch.setattr(user_view, "MAX_POINTS_DRAWN", 3)
    view = compute_user_view(UserData(sites=make_sites()), ViewState(), UserFilter())
    assert view.aggregated
    assert len(view.grid) <= 3
    assert view.grid["count"].sum() == 4
    assert len(view.sites) == 4  # the rows stay for tables and exports


def test_max_points_drawn_is_the_contract_limit():
    import geo.core.userdata.view as user_view

    assert user_view.MAX_POINTS_DRAWN == MAX_POINTS_DRAWN


def test_compute_view_without_user_data_is_unchanged(dataset):
    view = compute_view(dataset, ViewState())
    assert view.user is None
    assert view.departement_values is None
    assert "user_sites" not in view.metrics
    assert "user_sites" not in view.metrics_offered


def test_compute_view_offers_user_sites(dataset):
    user = UserData(sites=make_sites())
    view = compute_view(dataset, ViewState(metric="user_sites"), user)
    assert view.metric.key == "user_sites"
    assert view.metric.label == "Your sites"
    assert view.metrics.loc["84", "user_sites"] == 2
    assert view.metrics.loc["11", "user_sites"] == 0
    assert view.metrics["user_values"].isna().all()
    assert "user_values" not in view.metrics_offered
    assert view.classes.bounds == (1.0, 2.0)
    assert view.user is not None
    assert len(view.user.sites) == 4


def test_compute_view_passes_the_user_filter(dataset):
    user = UserData(sites=make_sites())
    flt = UserFilter(columns=(("category", ("Mairie",)),))
    view = compute_view(dataset, ViewState(metric="user_sites"), user, flt)
    assert view.metrics["user_sites"].sum() == 2


def test_region_values_colour_regions(dataset):
    user = UserData(values=make_values())
    view = compute_view(dataset, ViewState(metric="user_values"), user)
    assert view.metric.label == "Emplois"
    assert view.metric.unit == "emplois"
    assert view.metrics.loc["44", "user_values"] == 7.5
    assert math.isnan(view.metrics.loc["11", "user_values"])
    assert view.departement_values is None
    assert "user_sites" not in view.metrics_offered
    section = legend.choropleth_section(view)
    assert [e.label for e in section.entries][-1] == legend.NO_VALUE_LABEL


def test_departement_values_are_classified_per_departement(dataset):
    values = make_values("departement", ("69", "67", "2A", "974"), (1.0, 2.0, 3.0, 40.0))
    view = compute_view(dataset, ViewState(metric="user_values"), UserData(values=values))
    deps = view.departement_values
    assert deps is not None
    assert len(deps) == len(dataset.departements)
    assert deps["2A"] == 3.0
    assert math.isnan(deps["75"])
    assert view.metrics["user_values"].isna().all()
    assert view.classes.bounds[-1] == 40.0
    labels = [e.label for e in legend.choropleth_section(view).entries]
    assert labels[-1] == legend.NO_VALUE_LABEL
    assert len(labels) == len(view.classes.bounds) + 1


def test_other_metric_with_departement_values_colours_regions(dataset):
    values = make_values("departement", ("69",), (1.0,))
    view = compute_view(dataset, ViewState(metric="sites"), UserData(values=values))
    assert view.departement_values is None
    assert "user_values" in view.metrics_offered
