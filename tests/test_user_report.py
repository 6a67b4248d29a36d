"""Report images with a reader's own data: their dots, grid cells, département colours, legend,
footer, and hostile names that must not break SVG or PDF."""

from __future__ import annotations

import dataclasses
import io
import xml.etree.ElementTree as ET
from datetime import date

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pypdf
import pytest
import user_samples as us
from matplotlib.colors import to_hex

from geo.core.legend import USER_COLOURS
from geo.core.state import ViewState
from geo.core.userdata.view import grid_cells
from geo.core.view import compute_view
from geo.report import render as static
from geo.report.legend import legend_sections
from geo.report.markers import SITE_ZORDER
from geo.report.userlayer import USER_GID, ZOOM_USER_GID

SVG = "{http://www.w3.org/2000/svg}"
DAY = date(2026, 12, 1)
EVIL_FILE = '<script>alert("x")</script>&=1+1\u202e\ufeff\x07.csv'


def view_of(dataset, sites=None, values=None, metric="sites", **state):
    user = us.user_data(sites, values)
    return compute_view(dataset, ViewState(metric=metric, **state), user=user)


def figure(dataset, view, layout="a4-landscape"):
    return static.build_figure(dataset, view, layout, made_on=DAY)


def collections(fig, gid):
    return [c for ax in fig.axes for c in ax.collections if c.get_gid() == gid]


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_user_sites_are_one_rasterized_scatter_under_our_markers(dataset):
    fig = figure(dataset, view_of(dataset, us.user_sites()))
    main = [c for c in collections(fig, USER_GID) if c.axes.get_gid() == "main-map"]
    assert len(main) == 1  # one call for all the reader's points on the main map
    dots = main[0]
    # Lyon, Strasbourg, Rennes in file order; Saint-Denis is in the Réunion inset and
    # Bordeaux has no coordinates. Colours from the legend model, by category (most
    # frequent first): mairie, then campus.
    assert len(dots.get_offsets()) == 3
    mairie, campus = USER_COLOURS[0].lower(), USER_COLOURS[1].lower()
    assert [to_hex(c) for c in dots.get_facecolor()] == [mairie, mairie, campus]
    assert dots.get_rasterized()
    ours = [c.get_zorder() for c in dots.axes.collections if c.get_gid() == static.SITE_GID]
    assert ours
    assert dots.get_zorder() < min(ours)
    assert min(ours) >= SITE_ZORDER
    outlines = [p for p in dots.axes.patches if p.get_gid() == "region-outlines"]
    assert dots.get_zorder() > outlines[0].get_zorder()
    reunion = [c for c in collections(fig, USER_GID) if c.axes.get_gid() == "inset-04"]
    assert [len(c.get_offsets()) for c in reunion] == [1]
    assert static.site_marker_count(fig) == len(compute_view(dataset, ViewState()).sites)


def test_legend_and_footer_name_the_readers_file_and_count_commune_only_rows(dataset):
    fig = figure(dataset, view_of(dataset, us.user_sites()))
    shown = texts(fig)
    assert "Your sites (4) \u2013 mes-sites.csv" in shown
    assert "mairie" in shown  # the model's rows: one per category drawn
    assert "campus" in shown
    rows = legend_sections(view_of(dataset, us.user_sites()))[1].entries
    assert [(e.label, e.symbol.colour) for e in rows] == [
        ("mairie", USER_COLOURS[0]),
        ("campus", USER_COLOURS[1]),
    ]
    footer = " ".join(t.get_text() for t in fig.axes[0].texts if t.get_gid() == "footer")
    assert "1 row without coordinates counted in their région, not drawn." in footer
    assert "Your data: sites from \u201cmes-sites.csv\u201d" in footer
    subtitle = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "subtitle"]
    assert "4 of your sites mapped (+1 counted, not drawn)" in " ".join(subtitle)


def test_no_user_data_draws_no_user_layer(dataset):
    fig = figure(dataset, compute_view(dataset, ViewState()))
    assert collections(fig, USER_GID) == collections(fig, ZOOM_USER_GID) == []
    assert not any(t.startswith("Your sites") or "Your data" in t for t in texts(fig))


def test_departement_values_colour_departements_with_classes_and_legend(dataset):
    view = view_of(dataset, values=us.region_values(), metric="user_values")
    fig = figure(dataset, view)
    main = next(ax for ax in fig.axes if ax.get_gid() == "main-map")
    patches = {p.get_gid(): p for p in main.patches if p.get_gid()}
    for code, value in (("69", 1200.0), ("35", 450.0), ("13", 2100.0)):
        assert to_hex(patches[f"departement-{code}"].get_facecolor()) == view.classes.colour_of(
            value
        )
    assert to_hex(patches["departement-01"].get_facecolor()) == "#ffffff"  # no value: white
    assert not any(gid.startswith("region-") and gid[7:].isdigit() for gid in patches)
    shown = texts(fig)
    assert "Emplois <b>IA</b> (postes) by département" in " ".join(shown)  # wrapped lines
    assert "No value" in shown
    assert legend_sections(view)[0].title == "Emplois <b>IA</b> (postes) by département"
    insets = {ax.get_gid() for ax in fig.axes}
    assert "inset-04" in insets  # La Réunion (974) has a value: it gets its inset
    assert "Your data: values from \u201cvaleurs.csv\u201d" in " ".join(shown)


def test_region_values_colour_regions(dataset):
    values = us.region_values(level="region", values={"84": 7.0, "44": 3.0, "53": 1.0})
    view = view_of(dataset, values=values, metric="user_values")
    fig = figure(dataset, view)
    main = next(ax for ax in fig.axes if ax.get_gid() == "main-map")
    patches = {p.get_gid(): p for p in main.patches if p.get_gid()}
    assert to_hex(patches["region-84"].get_facecolor()) == view.classes.colour_of(7.0)
    assert to_hex(patches["region-11"].get_facecolor()) == "#ffffff"
    assert not any(gid.startswith("departement-") for gid in patches)
    assert "Emplois <b>IA</b> (postes) by region" in " ".join(texts(fig))
    assert legend_sections(view)[0].title == "Emplois <b>IA</b> (postes) by region"


def test_grid_cells_scale_dots_by_count_and_the_legend_says_so(dataset):
    sites = us.random_sites(dataset, 3000)
    view = view_of(dataset, sites)
    grid = grid_cells(view.user.sites, 200)
    view = dataclasses.replace(
        view, user=dataclasses.replace(view.user, aggregated=True, grid=grid)
    )
    fig = figure(dataset, view)
    dots = next(c for c in collections(fig, USER_GID) if c.axes.get_gid() == "main-map")
    assert len(dots.get_offsets()) == len(grid) <= 200
    sizes = dots.get_sizes()
    order = np.argsort(grid["count"].to_numpy())
    assert np.all(np.diff(sizes[order]) >= 0)  # more sites, larger dot
    assert sizes.max() > sizes.min()
    shown = texts(fig)
    assert "Your sites (3,000) \u2013 grand-fichier-3000.csv" in " ".join(shown)
    section = legend_sections(view)[1]
    assert (
        section.note
        == f"Too many to draw one by one: grouped into {len(grid)} cells. Dot area by count."
    )
    assert {e.symbol.colour for e in section.entries} == {USER_COLOURS[0]}
    assert f"{int(grid['count'].max()):,} sites" in shown


def test_hostile_names_stay_text_in_svg_and_pdf(dataset):
    sites = us.user_sites(source=EVIL_FILE)
    values = us.region_values(source=EVIL_FILE)
    view = view_of(dataset, sites, values, metric="user_values")
    svg = static.render_image(dataset, view, "svg", made_on=DAY)
    root = ET.fromstring(svg)  # well-formed: matplotlib escaped every text
    assert not [n for n in root.iter() if n.tag.endswith("script")]
    drawn = " ".join("".join(n.itertext()) for n in root.iter(f"{SVG}text"))
    assert "Emplois <b>IA</b>" in drawn
    assert "<script>alert" in drawn.replace("\u201c", "")  # as text, not as markup
    assert b"<b>" not in svg
    assert b"&lt;b&gt;" in svg
    pdf = static.render_image(dataset, view, "pdf", made_on=DAY)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Emplois <b>IA</b>" in text
    assert "alert" in text


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_many_dots_are_one_image_in_vector_files(dataset, fmt):
    view = view_of(dataset, us.random_sites(dataset, 20_000))
    data = static.render_image(dataset, view, fmt, made_on=DAY)
    if fmt == "svg":
        root = ET.fromstring(data)
        images = list(root.iter(f"{SVG}image"))
        assert 1 <= len(images) <= 3  # the main map's dots (and the zoom's), as pictures
        assert len(list(root.iter(f"{SVG}path"))) < 2000  # not one path per dot
        assert any(t.startswith("Your sites (20,000)") for t in ("".join(n.itertext())
                   for n in root.iter(f"{SVG}text")))  # fmt: skip
    else:
        page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
        assert len(page.images) >= 1
        assert "Your sites (20,000)" in page.extract_text()


def test_a_readers_metric_leads_the_title_and_never_reads_as_microsofts(dataset):
    from geo.report.header import TITLE_PREFIX, default_title

    values = us.region_values(level="region", values={"84": 7.0})
    title = default_title(view_of(dataset, values=values, metric="user_values"))
    assert title == f"Emplois <b>IA</b> (postes) by region, with the sites of {TITLE_PREFIX}"
    assert not title.startswith(TITLE_PREFIX)
    ours = default_title(view_of(dataset, values=values, metric="sites"))
    assert ours == f"{TITLE_PREFIX}: sites by region"
