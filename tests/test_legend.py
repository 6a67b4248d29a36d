"""The shared legend and symbol model: what both renderers draw."""

from __future__ import annotations

import math

import pytest

from geo import style
from geo.core import legend, symbols
from geo.core import vocabulary as voc
from geo.core.classes import classify
from geo.core.filters import SiteFilter
from geo.core.regions import METRICS, Metric
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.i18n import use_language


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


def test_legend_in_french_words_titles_classes_and_gaps(dataset):
    with use_language("fr"):
        view = view_of(dataset, metric="disclosed_eur")
        section = legend.choropleth_section(view)
        markers = legend.marker_sections(view.sites)
        zero = legend.choropleth_section(view_of(dataset))
    assert section.title == "Montant communiqué (EUR)"
    assert section.note.startswith("Montants en EUR propres à la région\u00a0;")
    assert labels(section)[-1] == "Non communiqué"
    assert all("Md\u00a0€" in label or "M\u00a0€" in label for label in labels(section)[:-1])
    assert labels(zero)[0] == "Aucun"
    assert [s.title for s in markers] == [
        "Initiative (couleur du marqueur)",
        "Type de site (forme du marqueur)",
        "Précision de la localisation (tracé du marqueur)",
    ]
    categories = labels(markers[1])
    assert "Centre de données" in categories
    assert "Site exact ou campus" in labels(markers[2])


def test_class_ranges_take_the_language_number_format():
    with use_language("de"):
        german = classify([1500.5, 2500.25, 0.0, 7000], unit="")
        none = german.legend()[0][1]
    assert german.labels == ("1.500,5", "2.500,25", "7.000")
    assert none == "Keine"
    # Five clear pairs: Fisher-Jenks puts each pair in one class.
    pairs = [1e9, 1.5e9, 2e9, 6e9, 6.5e9, 7e9, 20e9, 21e9, 40e9, 41e9, 80e9, 81e9]
    with use_language("fr"):
        money = classify(pairs, unit="EUR")
    assert money.labels[0] == "1\u00a0Md\u00a0€\u20132\u00a0Md\u00a0€"
    assert classify(pairs, unit="EUR").labels[0] == "EUR 1 bn\u2013EUR 2 bn"


def test_metric_heading_in_german_and_a_readers_metric_as_written():
    with use_language("de"):
        assert legend.metric_heading(METRICS["sites"]) == "Standorte"
        assert (
            legend.metric_heading(METRICS["announced_eur"]) == "Angekündigte KI-Investition (EUR)"
        )
        own = Metric("user_values", "Sites", "jobs", "from a file", own=False)
        assert legend.metric_heading(own) == "Sites (jobs)"
        assert own.shown_description() == "from a file"


def test_subtitle_of_a_french_view_names_regions_in_french(dataset):
    state = ViewState(
        filter=SiteFilter(initiatives=("skilling",), regions=("53",)), layer_investments=True
    )
    with use_language("fr"):
        french = compute_view(dataset, state).subtitle
    with use_language("en"):
        english = compute_view(dataset, state).subtitle
    assert french == (
        "Formation\u00a0; région\u00a0: Bretagne\u00a0; investissements\u00a0: "
        "Tous les investissements annoncés"
    )
    assert english == "Skilling; region: Brittany; investments: All announced investments"
