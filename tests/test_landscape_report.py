"""Report images with the announced-investments layer: circles counted in the SVG, hostile
text escaped, the totals' terms and the rows' outlets in the PDF, titles and legend in EUR
and MW, and the layer off by default."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import date

import matplotlib

matplotlib.use("Agg")

import landscape_samples as ls
import numpy as np
import pypdf
import pytest
from matplotlib.colors import to_hex
from PIL import Image

from geo import style
from geo.core.dataset import load_dataset
from geo.core.landscape import InvestmentFilter
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.report import render as static
from geo.report.investlayer import INVEST_GID, REGION_ONLY_GID
from geo.report.legend import INVEST_SECTION, legend_sections

SVG = "{http://www.w3.org/2000/svg}"
DAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return load_dataset(ls.landscape_data(tmp_path_factory.mktemp("landscape")))


def view_of(data, metric="sites", layer=True, **chosen):
    chosen_rows = InvestmentFilter(**chosen)
    state = ViewState(metric=metric, layer_investments=layer, investments=chosen_rows)
    return compute_view(data, state)


def figure(data, view, layout="a4-landscape"):
    return static.build_figure(data, view, layout, made_on=DAY)


def main_collections(fig, gid):
    return [
        c for ax in fig.axes for c in ax.collections
        if c.get_gid() == gid and ax.get_gid() == "main-map"
    ]  # fmt: skip


def flat(text: str) -> str:
    return " ".join(text.split())


def test_svg_draws_one_circle_per_located_row_and_one_ring_per_region(data):
    svg = static.render_image(data, view_of(data), "svg", made_on=DAY)
    root = ET.fromstring(svg)  # well-formed despite the hostile investor and project
    # The zoom inset repeats the Paris-area circles under its own gid.
    assert ls.svg_circles(root, INVEST_GID) == ls.LOCATED
    assert ls.svg_circles(root, REGION_ONLY_GID) == ls.REGION_ONLY_REGIONS


def test_hostile_investor_is_escaped_text_in_svg(data):
    view = view_of(data, investors=(ls.HOSTILE_INVESTOR,))
    svg = static.render_image(data, view, "svg", made_on=DAY)
    root = ET.fromstring(svg)
    texts = ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]
    assert any(ls.HOSTILE_INVESTOR in t for t in texts)  # drawn as the characters it has
    assert b"<b>&</b>" not in svg
    assert ls.svg_circles(root, INVEST_GID) == 2  # Brookfield's two rows at Cambrai


def test_circle_areas_follow_counted_euros_and_undisclosed_rows_are_hollow(data):
    fig = figure(data, view_of(data))
    (circles,) = main_collections(fig, INVEST_GID)
    sizes = circles.get_sizes()
    faces = circles.get_facecolors()
    assert len(sizes) == ls.LOCATED
    # Largest first: Brookfield's EUR 30 bn, then MGX's 8.5 bn: areas in the ratio of euros.
    assert sizes[0] / sizes[1] == pytest.approx(30 / 8.5)
    hollow = int((faces[:, 3] == 0).sum())
    assert hollow == 2  # Petit-Landau and Béthune disclose no amount


def test_microsoft_rows_have_the_focus_outline(data):
    fig = figure(data, view_of(data))
    (circles,) = main_collections(fig, INVEST_GID)
    edges = [to_hex(c) for c in circles.get_edgecolors()]
    assert edges.count(style.FOCUS_EDGE) == 1  # Petit-Landau
    (rings,) = main_collections(fig, REGION_ONLY_GID)
    ring_edges = [to_hex(c) for c in rings.get_edgecolors()]
    assert ring_edges.count(style.FOCUS_EDGE) == 1  # Microsoft's Paris-region expansion


def test_layer_is_off_by_default(data):
    fig = figure(data, compute_view(data, ViewState()))
    gids = {c.get_gid() for ax in fig.axes for c in ax.collections}
    assert not gids & {INVEST_GID, REGION_ONLY_GID}
    assert all(s.key != INVEST_SECTION for s in legend_sections(compute_view(data, ViewState())))


def test_pdf_has_the_terms_and_the_outlets(data):
    view = view_of(data)
    pdf = static.render_image(data, view, "pdf", made_on=DAY)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    terms = view.investments.totals.terms()
    assert terms
    for term in terms:
        assert flat(term) in text
    for host in ("news.microsoft.com", "lejournaldesentreprises.com", "usine-digitale.fr"):
        assert host in text


def test_investment_metric_titles_the_page_in_euros_and_its_classes_read_eur(data):
    view = view_of(data, metric="announced_eur", layer=False)
    fig = figure(data, view)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts[0] == "Announced AI investment by region (EUR)"
    choropleth = legend_sections(view)[0]
    labels = [e.label for e in choropleth.entries]
    assert any(re.fullmatch(r"EUR [\d.]+ bn", label) for label in labels)
    assert style.format_value(ls.REGION_EUR["32"], "EUR") in labels  # Hauts-de-France's top


def test_capacity_metric_titles_the_page_in_mw(data):
    fig = figure(data, view_of(data, metric="announced_mw", layer=False))
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts[0] == "Announced capacity by region (MW)"


def test_legend_lists_the_statuses_drawn_and_the_looks(data):
    view = view_of(data)
    (section,) = [s for s in legend_sections(view) if s.key == INVEST_SECTION]
    labels = [e.label for e in section.entries]
    assert labels[:3] == ["Announced", "Permit filed", "Operating"]
    assert "Microsoft (the map's focus)" in labels
    assert "Amount not disclosed" in labels
    assert "Region only (one ring each)" in labels


def test_png_with_the_layer_renders_at_300_dpi(data):
    with_layer = static.render_image(data, view_of(data), "png", dpi=300, made_on=DAY)
    without = static.render_image(data, view_of(data, layer=False), "png", dpi=300, made_on=DAY)
    image = Image.open(io.BytesIO(with_layer))
    assert image.size == (3508, 2480)
    drawn = np.asarray(image.convert("RGB")).astype(int)
    bare = np.asarray(Image.open(io.BytesIO(without)).convert("RGB")).astype(int)
    assert (np.abs(drawn - bare).sum(axis=2) > 60).sum() > 20_000  # circles and their legend


@pytest.mark.parametrize("layout", static.LAYOUTS)
def test_every_layout_fits_the_layer_legend_above_the_footer(data, layout):
    fig = figure(data, view_of(data, metric="announced_eur"), layout)
    texts = [t for ax in fig.axes for t in ax.texts]
    legend = [t.get_position()[1] for t in texts if t.get_gid() == "legend"]
    footer = [t.get_position()[1] for t in texts if t.get_gid() == "footer"]
    assert "Amount not disclosed" in [t.get_text() for t in texts]  # the layer's section
    assert min(legend) > max(footer)  # page inches: the legend ends above the footer


def test_overseas_rows_are_drawn_in_their_inset(tmp_path):
    data = load_dataset(ls.landscape_data(tmp_path, (*ls.ROWS, *ls.REUNION)))
    fig = figure(data, view_of(data))
    inset = {
        c.get_gid(): len(c.get_offsets())
        for ax in fig.axes
        if ax.get_gid() == "inset-04"
        for c in ax.collections
    }
    assert inset[INVEST_GID] == 1  # Saint-Denis
    assert inset[REGION_ONLY_GID] == 1  # the region-only row's ring
    (circles,) = main_collections(fig, INVEST_GID)
    assert len(circles.get_offsets()) == ls.LOCATED  # not repeated on the main map
    footer = " ".join(t.get_text() for ax in fig.axes for t in ax.texts if t.get_gid() == "footer")
    hidden = footer.split("Not shown: ", 1)[1].split(" (overseas", 1)[0]
    assert hidden == "Guadeloupe, Martinique, French Guiana, Mayotte"  # Réunion has its inset
