"""Report images: page sizes, formats, what the map draws (artists), insets, labels, odd titles."""

from __future__ import annotations

import io
import itertools
import subprocess
import xml.etree.ElementTree as ET
from datetime import date

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pypdf
import pytest
from helpers import copy_data, edit_csv
from matplotlib.colors import to_rgba
from PIL import Image
from shapely.geometry import box

from geo.core.dataset import load_dataset
from geo.core.filters import SiteFilter
from geo.core.regions import LAMBERT93
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.report import render as static
from geo.style import CLASS_COLOURS

SVG = "{http://www.w3.org/2000/svg}"
DAY = date(2024, 5, 13)
ODD_TITLE = "Café \"Zoë\" <b> & 'AI' 🚀 costs $5 $x$"
NOTHING = ViewState(filter=SiteFilter(text="no such site anywhere"))
EVERYTHING = ViewState()


def render(dataset, fmt, layout="a4-landscape", state=EVERYTHING, **options):
    options.setdefault("dpi", 50)
    options.setdefault("made_on", DAY)
    return static.render_image(dataset, compute_view(dataset, state), fmt, layout, **options)


def figure(dataset, state=EVERYTHING, layout="a4-landscape", **options):
    options.setdefault("made_on", DAY)
    return static.build_figure(dataset, compute_view(dataset, state), layout, **options)


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def figure_texts(fig) -> list[str]:
    return [text.get_text() for ax in fig.axes for text in ax.texts]


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


# --- page sizes and formats -----------------------------------------------------------------


@pytest.mark.parametrize("layout", static.LAYOUTS)
def test_png_has_the_layout_size_at_the_dpi(dataset, layout):
    image = Image.open(io.BytesIO(render(dataset, "png", layout, dpi=50)))
    assert image.format == "PNG"
    assert image.size == static.LAYOUTS[layout].pixel_size(50)


def test_a4_landscape_png_at_300_dpi_is_3508_by_2480(dataset):
    image = Image.open(io.BytesIO(render(dataset, "png", dpi=300)))
    assert image.size == (3508, 2480)


@pytest.mark.parametrize(
    ("layout", "points"),
    [
        ("a4-landscape", (841.89, 595.28)),
        ("a4-portrait", (595.28, 841.89)),
        ("slide-16x9", (959.98, 540.0)),
        ("square", (576.0, 576.0)),
    ],
)
def test_pdf_is_one_page_of_the_layout_size(dataset, layout, points):
    reader = pypdf.PdfReader(io.BytesIO(render(dataset, "pdf", layout)))
    assert len(reader.pages) == 1
    box_ = reader.pages[0].mediabox
    assert (float(box_.width), float(box_.height)) == pytest.approx(points, abs=0.01)


@pytest.mark.parametrize("layout", static.LAYOUTS)
def test_svg_is_xml_with_title_and_legend_as_text(dataset, layout):
    data = render(dataset, "svg", layout)
    root = ET.fromstring(data)
    width, height = static.LAYOUTS[layout].points()
    assert float(root.get("width").removesuffix("pt")) == pytest.approx(width, abs=0.01)
    assert float(root.get("height").removesuffix("pt")) == pytest.approx(height, abs=0.01)
    text = " ".join(svg_texts(data))
    assert "Microsoft's EUR 4 bn AI investment in France: sites by region" in text
    for label in (
        "Sites by region",
        "None",
        "Skilling",
        "Data centre",
        "Startup hub",
        "Exact site or campus",
        "200 km",
    ):
        assert label in text, label
    assert "Natural Earth" in text


def test_same_view_gives_the_same_svg_bytes(dataset):
    assert render(dataset, "svg") == render(dataset, "svg")


def test_rendering_leaves_global_matplotlib_settings_alone(dataset):
    before = dict(matplotlib.rcParams)
    render(dataset, "svg")
    assert dict(matplotlib.rcParams) == before


def test_unknown_format_or_layout_is_a_clear_error(dataset):
    with pytest.raises(ValueError, match="image format 'gif' is not one of: png, svg, pdf"):
        render(dataset, "gif")
    with pytest.raises(ValueError, match="layout 'a3' is not one of: a4-landscape, a4-portrait"):
        render(dataset, "png", "a3")


# --- what the map draws ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "state",
    [
        ViewState(),
        ViewState(filter=SiteFilter(initiatives=("skilling",))),
        ViewState(filter=SiteFilter(categories=("data_centre",))),
        ViewState(filter=SiteFilter(regions=("44",)), metric="partners"),
    ],
    ids=["all", "skilling", "data-centres", "grand-est"],
)
def test_one_marker_per_matching_located_site(dataset, state):
    view = compute_view(dataset, state)
    fig = static.build_figure(dataset, view, made_on=DAY)
    assert static.site_marker_count(fig) == len(view.sites) > 0


def test_marker_styles_follow_initiative_shape_and_precision(dataset):
    view = compute_view(dataset, ViewState(filter=SiteFilter(categories=("data_centre",))))
    fig = static.build_figure(dataset, view, made_on=DAY)
    main = next(ax for ax in fig.axes if ax.get_gid() == "main-map")
    markers = [c for c in main.collections if c.get_gid() == static.SITE_GID]
    # 2 region-only placeholders (hollow, dashed) and the Petit-Landau campus (commune).
    hollow = [c for c in markers if c.get_facecolor().size == 0]
    assert sum(len(c.get_offsets()) for c in hollow) == 2
    assert all(c.get_linestyle()[0][1] is not None for c in hollow)  # dashed
    for collection in markers:
        assert to_rgba("#0072B2") == pytest.approx(tuple(collection.get_edgecolor()[0]))


def test_choropleth_colours_are_the_view_classes(dataset):
    for state in (
        ViewState(),
        ViewState(metric="sites_per_million"),
        ViewState(metric="disclosed_eur"),
    ):
        view = compute_view(dataset, state)
        fig = static.build_figure(dataset, view, made_on=DAY)
        main = next(ax for ax in fig.axes if ax.get_gid() == "main-map")
        patches = {p.get_gid(): p for p in main.patches}
        metro = view.metrics[view.metrics["zone"] == "metro"]
        assert len(metro) == 13
        for code, value in metro[view.metric.key].items():
            expected = to_rgba(view.classes.colour_of(value))
            assert tuple(patches[f"region-{code}"].get_facecolor()) == pytest.approx(expected)


def test_legend_lists_the_classes_with_units(dataset):
    view = compute_view(dataset, ViewState(metric="disclosed_eur"))
    texts = figure_texts(static.build_figure(dataset, view, made_on=DAY))
    assert "Disclosed amount (EUR) by region" in texts
    assert "EUR 2 bn" in texts
    assert "Not disclosed" in texts
    assert "None" not in texts  # no region has a disclosed zero


def test_png_is_not_blank_and_shows_the_class_colours(dataset):
    view = compute_view(dataset, ViewState())
    data = static.render_image(dataset, view, "png", dpi=100, made_on=DAY)
    pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).reshape(-1, 3)
    colours = {tuple(p) for p in np.unique(pixels, axis=0)}
    assert len(colours) > 200
    for colour, _ in view.classes.legend():
        rgb = tuple(round(c * 255) for c in to_rgba(colour)[:3])
        assert rgb in colours, colour
    assert view.classes.colours[-1] == CLASS_COLOURS[-1]


def test_title_subtitle_source_and_scale_bar(dataset):
    fig = figure(dataset, ViewState(filter=SiteFilter(initiatives=("skilling",))))
    texts = figure_texts(fig)
    assert "Microsoft's EUR 4 bn AI investment in France: sites by region" in texts
    assert any(t.startswith("Skilling \u00b7 18 sites mapped in 8 regions") for t in texts)
    footer = " ".join(t.get_text() for ax in fig.axes for t in ax.texts if t.get_gid() == "footer")
    assert "Microsoft news release of 13 May 2024" in footer
    assert "Natural Earth (public domain)" in footer
    assert "INSEE COG" in footer
    assert "Map made 13 May 2024." in footer
    assert "Cellenza Training" in footer  # not located, so named rather than drawn
    main = next(ax for ax in fig.axes if ax.get_gid() == "main-map")
    assert any(type(a).__name__ == "ScaleBar" for a in main.artists)


def test_metric_title_default(dataset):
    view = compute_view(dataset, ViewState(metric="sites_per_million"))
    assert static.default_title(view) == (
        "Microsoft's EUR 4 bn AI investment in France: sites per million inhabitants by region"
    )


def test_departement_outlines_only_when_asked(dataset):
    def gids(state):
        main = next(ax for ax in figure(dataset, state).axes if ax.get_gid() == "main-map")
        return {p.get_gid() for p in main.patches}

    assert "departements" not in gids(ViewState())
    assert "departements" in gids(ViewState(departements=True))


# --- empty selection and odd titles ---------------------------------------------------------


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_empty_selection_renders_and_says_so(dataset, fmt):
    data = render(dataset, fmt, state=NOTHING)
    assert data
    if fmt == "svg":
        assert static.EMPTY_MESSAGE in svg_texts(data)
    if fmt == "pdf":
        assert static.EMPTY_MESSAGE in pdf_text(data)


def test_empty_selection_has_no_markers(dataset):
    fig = figure(dataset, NOTHING)
    assert static.site_marker_count(fig) == 0
    assert static.EMPTY_MESSAGE in figure_texts(fig)


def test_odd_title_survives_in_svg_text(dataset):
    data = render(dataset, "svg", title=ODD_TITLE)
    assert ODD_TITLE in svg_texts(data)  # parsed back: <, & and quotes were escaped
    assert b"&lt;b&gt; &amp;" in data


def test_odd_title_survives_in_pdf_text(dataset):
    assert ODD_TITLE in pdf_text(render(dataset, "pdf", title=ODD_TITLE))


def test_title_is_the_document_title_and_no_date_is_stamped(dataset):
    reader = pypdf.PdfReader(io.BytesIO(render(dataset, "pdf", title=ODD_TITLE)))
    assert reader.metadata.title == ODD_TITLE
    assert "/CreationDate" not in reader.metadata
    root = ET.fromstring(render(dataset, "svg"))
    titles = ["".join(t.itertext()) for t in root.iter("{http://purl.org/dc/elements/1.1/}title")]
    assert titles[0] == "Microsoft's EUR 4 bn AI investment in France: sites by region"
    assert list(root.iter("{http://purl.org/dc/elements/1.1/}date")) == []
    png = Image.open(io.BytesIO(render(dataset, "png", title="Plain title")))
    assert png.text["Title"] == "Plain title"


def test_svg_starts_with_title_and_desc_for_screen_readers(dataset):
    view = compute_view(dataset, EVERYTHING)
    root = ET.fromstring(render(dataset, "svg", title=ODD_TITLE))
    first, second = list(root)[:2]
    assert (first.tag, first.text) == (f"{SVG}title", ODD_TITLE)  # parsed back: escaped
    assert second.tag == f"{SVG}desc"
    assert second.text.startswith(clean_subtitle(view))
    assert "Boundaries: Natural Earth" in second.text
    assert len(root.findall(f"{SVG}title")) == 1


def test_svg_title_is_added_when_matplotlib_writes_none():
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">\n <g/>\n</svg>'
    root = ET.fromstring(static.svg_with_title(svg, "A <b> & c", "d & e"))
    assert [(child.tag, child.text) for child in root] == [
        (f"{SVG}title", "A <b> & c"),
        (f"{SVG}desc", "d & e"),
        (f"{SVG}g", None),
    ]


def test_pdf_has_subject_author_keywords_and_extractable_title(dataset, tmp_path):
    view = compute_view(dataset, EVERYTHING)
    data = render(dataset, "pdf", title=ODD_TITLE)
    meta = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert meta.subject.startswith(clean_subtitle(view))
    assert "Boundaries: Natural Earth" in meta.subject
    assert meta.author == static.AUTHOR
    assert "France" in meta["/Keywords"]
    path = tmp_path / "map.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert ODD_TITLE in text  # real text (pdf.fonttype 42), not outlines


def clean_subtitle(view) -> str:
    return view.subtitle.split(" · ")[0]


def test_odd_title_in_png_does_not_fail(dataset):
    assert render(dataset, "png", title=ODD_TITLE)


def test_dollars_are_not_mathtext(dataset):
    fig = figure(dataset, title="Budget $1 bn and $2 bn")
    assert "Budget $1 bn and $2 bn" in figure_texts(fig)
    assert all(not t.get_parse_math() for ax in fig.axes for t in ax.texts)


def test_control_characters_and_long_titles_are_cleaned_and_wrapped(dataset):
    long_title = "Microsoft\x00 in\nFrance " + "very " * 30 + "long"
    fig = figure(dataset, title=long_title)
    titles = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "title"]
    assert len(titles) >= 2
    assert " ".join(titles).startswith("Microsoft in France very")
    assert render(dataset, "svg", title=long_title)  # still valid XML
    ET.fromstring(render(dataset, "svg", title=long_title))


def test_clean_text():
    assert static.clean_text("  a\tb\nc\x07d\u2028e ") == "a b c d e"
    assert static.clean_text("broken \udcff byte") == "broken byte"


# --- insets ---------------------------------------------------------------------------------


def test_shipped_data_needs_no_overseas_inset_and_keeps_corsica_in_place(dataset):
    fig = figure(dataset)
    gids = {ax.get_gid() for ax in fig.axes}
    assert not any(g.startswith("inset-0") for g in gids if g)
    main = next(ax for ax in fig.axes if ax.get_gid() == "main-map")
    assert "region-94" in {p.get_gid() for p in main.patches}
    footer = " ".join(figure_texts(fig))
    assert "Not shown: Guadeloupe, Martinique, French Guiana, Réunion, Mayotte" in footer


def test_paris_zoom_repeats_markers_without_counting_them(dataset):
    fig = figure(dataset)
    zoom = next(ax for ax in fig.axes if ax.get_gid() == "inset-zoom")
    repeated = sum(
        len(c.get_offsets()) for c in zoom.collections if c.get_gid() == static.ZOOM_SITE_GID
    )
    assert repeated == 9  # all Île-de-France sites lie in the Paris-area frame
    assert static.site_marker_count(fig) == 24


def test_selected_overseas_region_gets_an_inset(dataset):
    fig = figure(dataset, ViewState(filter=SiteFilter(regions=("04", "11"))))
    gids = {ax.get_gid() for ax in fig.axes}
    assert "inset-04" in gids
    texts = figure_texts(fig)
    assert "Réunion" in texts
    assert "Not shown: Guadeloupe, Martinique, French Guiana, Mayotte" in " ".join(texts)


def test_overseas_site_is_drawn_in_its_inset(tmp_path):
    data = copy_data(tmp_path)
    edit_csv(
        data / "sites.csv",
        "rennes-sb",
        lat="-20.8821",
        lon="55.4507",
        city="Saint-Denis",
        insee_commune="97411",
    )
    dataset = load_dataset(data)
    view = compute_view(dataset, ViewState())
    assert dataset.sites.at["rennes-sb", "insee_reg"] == "04"
    fig = static.build_figure(dataset, view, made_on=DAY)
    inset = next(ax for ax in fig.axes if ax.get_gid() == "inset-04")
    inset_markers = sum(
        len(c.get_offsets()) for c in inset.collections if c.get_gid() == static.SITE_GID
    )
    assert inset_markers == 1
    assert static.site_marker_count(fig) == len(view.sites) == 24
    assert any(type(a).__name__ == "ScaleBar" for a in inset.artists)


def test_corsica_gets_an_inset_only_when_the_frame_cuts_it(dataset):
    view = compute_view(dataset, ViewState(filter=SiteFilter(regions=("94", "11"))))
    metro = view.metrics[view.metrics["zone"] == "metro"].to_crs(LAMBERT93)
    whole = box(*metro.total_bounds)
    mainland = box(*metro.drop(index="94").total_bounds)
    assert static.regions_needing_insets(view, metro, whole) == []
    assert static.regions_needing_insets(view, metro, mainland) == ["94"]
    unconcerned = compute_view(dataset, ViewState())
    assert static.regions_needing_insets(unconcerned, metro, mainland) == []


# --- labels ---------------------------------------------------------------------------------


def test_labels_do_not_overlap_each_other_markers_or_scale_bars(dataset):
    for layout in static.LAYOUTS:
        fig = figure(dataset, layout=layout, labels=True, dpi=72)
        renderer = fig.canvas.get_renderer()
        labels = [t for ax in fig.axes for t in ax.texts if t.get_gid() == "site-label"]
        assert len(labels) >= 8, layout
        boxes = [t.get_window_extent(renderer) for t in labels]
        for a, b in itertools.combinations(boxes, 2):
            assert not a.overlaps(b), layout
        bars = [
            a.get_window_extent(renderer)
            for ax in fig.axes
            for a in ax.artists
            if type(a).__name__ == "ScaleBar"
        ]
        for label_box, bar in itertools.product(boxes, bars):
            assert not label_box.overlaps(bar), layout


def test_place_labels_uses_free_room_and_skips_what_does_not_fit():
    bounds = (0.0, 0.0, 10.0, 10.0)
    placed = static.place_labels([(5, 5), (5, 5.1)], [(2, 0.3), (2, 0.3)], 0.1, [], bounds)
    first, second = placed[0][0], placed[1][0]
    assert first[0] >= 5.1  # right of the first point
    assert not (
        first[0] < second[2]
        and second[0] < first[2]
        and first[1] < second[3]
        and second[1] < first[3]
    )
    # Against the right edge, the label goes left.
    ((box_, far),) = static.place_labels([(9.5, 5)], [(2, 0.3)], 0.1, [], bounds)
    assert box_[2] <= 9.5
    assert not far
    # Boxed in by obstacles: no room.
    assert static.place_labels([(5, 5)], [(2, 0.3)], 0.1, [(0, 0, 10, 10)], bounds) == [None]


def test_short_label():
    assert static.short_label("SKEMA Business School - Lille campus") == "SKEMA Business School"
    assert (
        static.short_label("Mulhouse Alsace Agglomération (m2A)") == "Mulhouse Alsace Agglomération"
    )
    assert static.short_label("STATION F") == "STATION F"
    assert static.short_label("A very long name that goes on and on and on") == (
        "A very long name that goes on and\u2026"
    )


# --- page composition -----------------------------------------------------------------------


@pytest.mark.parametrize("layout", static.LAYOUTS)
@pytest.mark.parametrize("case", ["all", "empty", "overseas", "long-title"])
def test_nothing_is_clipped_or_overlapping(dataset, layout, case):
    state = {
        "all": EVERYTHING,
        "empty": NOTHING,
        "overseas": ViewState(filter=SiteFilter(regions=("01", "04", "11")), metric="partners"),
        "long-title": ViewState(metric="sites_per_million"),
    }[case]
    title = "A long report title " * 8 if case == "long-title" else None
    fig = figure(dataset, state, layout, title=title, dpi=72)
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    maps = [ax.get_window_extent(renderer) for ax in fig.axes if ax.get_gid()]
    for a, b in itertools.combinations(maps, 2):
        assert not a.overlaps(b), (layout, case)
    for ax in fig.axes:
        for text in ax.texts:
            if ax.get_gid():  # texts inside map axes are clipped to them on purpose
                continue
            extent = text.get_window_extent(renderer)
            grown = page.expanded(1.001, 1.001)  # half a pixel of rounding
            assert grown.contains(extent.x0, extent.y0), (text.get_text(), layout, case)
            assert grown.contains(extent.x1, extent.y1), (text.get_text(), layout, case)
            if text.get_gid() in ("legend", "title", "subtitle", "footer"):
                for box_ in maps:
                    assert not extent.overlaps(box_), (text.get_text(), layout, case)
