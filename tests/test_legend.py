"""The shared legend and symbol model: what both renderers draw."""

from __future__ import annotations

import math

import pytest

from geo import style
from geo.core import legend, symbols
from geo.core import vocabulary as voc
from geo.core.filters import SiteFilter
from geo.core.regions import METRICS
from geo.core.state import ViewState
from geo.core.view import compute_view


def view_of(dataset, metric="sites", **filters):
    return compute_view(dataset, ViewState(filter=SiteFilter(**filters), metric=metric))


def labels(section):
    return [entry.label for entry in section.entries]


def test_none_class_only_when_some_region_is_zero(dataset):
    sites = legend.choropleth_section(view_of(dataset))
    assert (view_of(dataset).metrics["sites"] == 0).any()
    assert labels(sites)[0] == legend.NONE_LABEL
    amounts = legend.choropleth_section(view_of(dataset, metric="disclosed_eur"))
    assert legend.NONE_LABEL not in labels(amounts)  # no region has a disclosed zero
    assert labels(amounts)[-1] == "Not disclosed"
    assert amounts.entries[-1].symbol.colour == style.NO_DATA_COLOUR


def test_classes_follow_the_view_classes_in_order(dataset):
    view = view_of(dataset, metric="partners", initiatives=("skilling",))
    section = legend.choropleth_section(view)
    drawn = [(e.symbol.colour, e.label) for e in section.entries]
    assert drawn == [(c, lab) for c, lab in view.classes.legend()]
    assert all(e.symbol.kind == legend.SWATCH for e in section.entries)
    assert section.note == METRICS["partners"].description


@pytest.mark.parametrize(
    ("key", "heading"),
    [
        ("sites", "Sites"),
        ("disclosed_eur", "Disclosed amount (EUR)"),
        ("sites_per_million", "Sites per million inhabitants"),
        ("partners", "Partner institutions"),
    ],
)
def test_unit_goes_into_the_heading_only_when_the_name_lacks_it(key, heading):
    assert legend.metric_heading(METRICS[key]) == heading


@pytest.mark.parametrize(
    "filters",
    [{}, {"initiatives": ("skilling",)}, {"categories": ("data_centre",)}, {"text": "lille"}],
)
def test_marker_sections_list_only_what_the_map_shows(dataset, filters):
    sites = view_of(dataset, **filters).sites
    sections = {s.key: s for s in legend.marker_sections(sites)}
    assert list(sections) == ["initiative", "category", "precision"]
    colours = {style.marker_colour(v) for v in sites["initiatives"]}
    assert {e.symbol.colour for e in sections["initiative"].entries} == colours
    shown = [k for k in voc.CATEGORIES if k in set(sites["category"])]
    assert labels(sections["category"]) == [voc.CATEGORIES[k] for k in shown]
    assert [e.symbol.shape for e in sections["category"].entries] == [
        style.CATEGORY_SHAPES[k] for k in shown
    ]
    drawings = {style.PRECISION_DRAWING[p] for p in sites["precision"]}
    assert {e.symbol.drawing for e in sections["precision"].entries} == drawings


def test_no_marker_section_without_sites(dataset):
    view = view_of(dataset, text="no such place")
    assert legend.marker_sections(view.sites) == ()
    assert [s.key for s in legend.view_legend(view)] == ["choropleth"]


def test_every_category_has_a_closed_outline_centred_in_the_box():
    for shape in set(style.CATEGORY_SHAPES.values()):
        vertices = symbols.shape_vertices(shape)
        assert len(vertices) >= 3
        assert all(abs(x) <= 1 and abs(y) <= 1 for x, y in vertices)
        cx = sum(x for x, _ in vertices) / len(vertices)
        assert math.isclose(cx, 0, abs_tol=1e-9)
    assert symbols.shape_vertices("triangle")[0][1] > 0  # points up (y up)
    assert symbols.shape_vertices("triangle_down")[0][1] < 0


def test_drawings_paint_what_their_precision_promises():
    (solid,) = symbols.drawing_layers("solid", "#0072B2")
    assert solid.fill == "#0072B2"
    white, pale = symbols.drawing_layers("approximate", "#0072B2")
    assert white.fill == "#ffffff"
    assert pale.fill_opacity == style.APPROXIMATE_FILL_OPACITY
    halo, dashed = symbols.drawing_layers("hollow", "#0072B2")
    assert halo.fill is None
    assert dashed.fill is None
    assert dashed.dashes
    with pytest.raises(ValueError, match="unknown drawing 'x'"):
        symbols.drawing_layers("x", "#000")
    with pytest.raises(ValueError, match="unknown shape 'blob'"):
        symbols.shape_vertices("blob")
