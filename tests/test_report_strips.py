"""The report's optional bands: the headline pledges' status and the timeline strip."""

from __future__ import annotations

import dataclasses
import itertools
import subprocess
import xml.etree.ElementTree as ET
from datetime import date

import matplotlib

matplotlib.use("Agg")

import pytest
from helpers import copy_data, edit_csv
from matplotlib.figure import Figure

from geo import presentation
from geo.core.dataset import load_dataset
from geo.core.filters import SiteFilter
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.report import page, render, strips
from geo.report.sheet import Sheet

SVG = "{http://www.w3.org/2000/svg}"
DAY = date(2026, 12, 1)
BOTH = render.Bands(timeline=True, pledges=True)
GRAND_EST = ViewState(filter=SiteFilter(regions=("44",)))
BAND_GIDS = (strips.TIMELINE_GID, strips.PLEDGES_GID)


def figure(dataset, state=ViewState(), layout="a4-portrait", bands=BOTH, **options):  # noqa: B008
    options.setdefault("made_on", DAY)
    view = compute_view(dataset, state)
    return render.build_figure(dataset, view, layout, bands=bands, **options)


def image(dataset, fmt, state=ViewState(), layout="a4-portrait", bands=BOTH):  # noqa: B008
    view = compute_view(dataset, state)
    return render.render_image(dataset, view, fmt, layout, dpi=50, made_on=DAY, bands=bands)


def svg_texts(data: bytes) -> list[str]:
    return ["".join(node.itertext()) for node in ET.fromstring(data).iter(f"{SVG}text")]


def texts_by_gid(fig, gid: str) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts if t.get_gid() == gid]


def test_timeline_lists_the_regions_and_national_events_with_dates_in_svg(dataset):
    texts = svg_texts(image(dataset, "svg", GRAND_EST))
    chosen = presentation.view_events(dataset.events, ("44",))
    assert set(chosen["scope"]) == {"44", "FR"}
    entries = [t for t in texts if " \u00b7 " in t and t.endswith(")")]
    shown = len(entries)
    assert 2 < shown <= len(chosen)
    count = f"{shown} dated" if shown == len(chosen) else f"the {shown} latest of {len(chosen)}"
    heading = f"Timeline: {count} events (national and of Grand Est), by date of the source"
    assert heading in texts
    latest = chosen.iloc[-shown:]
    for entry, (_, event) in zip(entries, latest.iterrows(), strict=True):
        scope = "France" if event["scope"] == "FR" else "Grand Est"
        assert entry.startswith(presentation.format_date(event["date"]) + " \u00b7 "), entry
        assert entry.endswith(f"({scope})")
        assert entry.split(" \u00b7 ", 1)[1][:12] == event["title"][:12]
    assert any(t.startswith("26 June 2025 \u00b7 Public meeting") for t in entries)
    assert not any("Rennes" in t or "(Bretagne)" in t for t in entries)
    drawn = [t for t in texts_by_gid(figure(dataset, GRAND_EST), "timeline") if t.isdigit()]
    numbers = [int(t) for t in drawn if int(t) < 1000]  # not the axis' years
    assert sorted(numbers) == sorted([*range(1, shown + 1)] * 2)  # on a dot and in the list
    assert any("Timeline: the sources cited per event, from" in t for t in texts)


def test_pledges_show_the_computed_status_and_progress_in_pdf(dataset, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(image(dataset, "pdf"))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())  # lines wrapped in a pledge's column are joined back
    assert "Headline pledges: status on 1 December 2026" in flat
    cards = presentation.headline_cards(dataset.commitments, DAY)
    people = next(c for c in cards if c.id == "skilling-1m")
    assert people.status == "behind"  # computed, not typed: the test follows the data
    assert "1 million people by end of 2027: behind" in flat
    assert "700,000 people as of 4 November 2025" in flat
    assert "deadline passed with no report of delivery" in flat
    assert "Timeline:" in flat
    assert "Pledges and progress: news.microsoft.com" in flat


def test_no_band_without_the_flags(dataset):
    fig = figure(dataset, bands=render.Bands())
    for gid in BAND_GIDS:
        assert texts_by_gid(fig, gid) == []
    texts = svg_texts(image(dataset, "svg", bands=render.Bands()))
    assert not any(t.startswith(("Timeline", "Headline pledges", "Pledges")) for t in texts)
    assert not any("Pledges and progress" in t or "Timeline:" in t for t in texts)


def test_each_band_comes_alone_when_asked(dataset):
    only_timeline = figure(dataset, bands=render.Bands(timeline=True))
    assert texts_by_gid(only_timeline, strips.TIMELINE_GID)
    assert texts_by_gid(only_timeline, strips.PLEDGES_GID) == []
    only_pledges = figure(dataset, bands=render.Bands(pledges=True))
    assert texts_by_gid(only_pledges, strips.PLEDGES_GID)
    assert texts_by_gid(only_pledges, strips.TIMELINE_GID) == []


@pytest.mark.parametrize("layout", render.LAYOUTS)
@pytest.mark.parametrize("state", [ViewState(), GRAND_EST], ids=["all", "grand-est"])
def test_bands_do_not_overlap_the_maps_the_legend_or_each_other(dataset, layout, state):
    fig = figure(dataset, state, layout, dpi=72)
    renderer = fig.canvas.get_renderer()
    page = fig.bbox.expanded(1.001, 1.001)
    maps = [ax.get_window_extent(renderer) for ax in fig.axes if ax.get_gid()]
    overlay = [
        (t, t.get_window_extent(renderer))
        for ax in fig.axes
        if not ax.get_gid()
        for t in ax.texts
        if t.get_text()
    ]
    bands = [(t, box) for t, box in overlay if t.get_gid() in BAND_GIDS]
    for text, box in bands:
        assert page.contains(box.x0, box.y0), text.get_text()
        assert page.contains(box.x1, box.y1), text.get_text()
        for map_box in maps:
            assert not box.overlaps(map_box), (text.get_text(), layout)
        for other, other_box in overlay:
            if other.get_gid() not in BAND_GIDS:
                assert not box.overlaps(other_box), (text.get_text(), other.get_text(), layout)
    for (a, box_a), (b, box_b) in itertools.combinations(bands, 2):
        if a.get_text().isdigit() and b.get_text().isdigit():
            continue  # dot numbers sit in their dots, which are checked below
        assert not box_a.overlaps(box_b), (a.get_text(), b.get_text(), layout)


def test_dots_do_not_touch_and_stay_on_the_axis(dataset):
    sheet = Sheet.on(Figure(figsize=(8.27, 11.69)), render.LAYOUTS["a4-portrait"])
    band = strips.plan_timeline(sheet, dataset.events, dataset.region_names(), (), room=99)
    assert len(band.entries) == len(dataset.events)
    for a, b in itertools.combinations(band.dots, 2):
        apart = abs(a.x - b.x) >= strips.DOT - 1e-9 or a.level != b.level
        assert apart, (a, b)
    assert all(0 <= d.x <= sheet.text_width for d in band.dots)
    assert max(d.level for d in band.dots) >= 2  # 13 May 2024 has three events


def test_a_short_room_keeps_the_latest_events_and_says_so(dataset):
    sheet = Sheet.on(Figure(figsize=(8.27, 11.69)), render.LAYOUTS["a4-portrait"])
    band = strips.plan_timeline(sheet, dataset.events, dataset.region_names(), (), room=0)
    shown = len(band.entries)
    assert shown == strips.MIN_EVENT_ROWS * band.columns < len(dataset.events)
    last = dataset.events.iloc[-1]
    assert band.entries[-1][1].startswith(presentation.format_date(last["date"]))
    assert band.heading[0].startswith(f"Timeline: the {shown} latest of {len(dataset.events)}")


def test_a_page_without_room_leaves_a_band_out_and_says_so(dataset):
    fig = figure(dataset, layout="square")
    footer = " ".join(texts_by_gid(fig, "footer"))
    drawn = {gid for gid in BAND_GIDS if texts_by_gid(fig, gid)}
    assert drawn != set(BAND_GIDS)
    assert "left out: no room for" in footer


def test_hostile_event_text_is_cleaned(dataset, tmp_path):
    data = copy_data(tmp_path)
    title = "Zo\u00eb <b>&amp;</b> \ufeffcosts $5 $x$\u200f \U0001f680"
    edit_csv(data / "events.csv", "alsace-plu-change-2026", title=title)
    broken = load_dataset(data)
    svg = image(broken, "svg", GRAND_EST)
    assert "\ufeff".encode() not in svg
    assert "\u200f".encode() not in svg
    assert any(
        t.startswith("2026 \u00b7 Zo\u00eb <b>&amp;</b> costs $5 $x$ \U0001f680")
        for t in svg_texts(svg)
    )
    # Text that never went through the validators is cleaned too: the bands draw via Sheet.put.
    events = broken.events.copy()
    events.loc["alsace-plu-change-2026", "title"] = "line\none\x07 two\u2028three"
    fig = figure(dataclasses.replace(broken, events=events), GRAND_EST)
    assert any("line one two three (Grand Est)" in t for t in texts_by_gid(fig, "timeline"))


@pytest.mark.parametrize("layout", render.LAYOUTS)
def test_the_main_map_keeps_its_share_of_the_page_with_the_bands(dataset, layout):
    def main_area(bands) -> float:
        fig = figure(dataset, layout=layout, bands=bands)
        (ax,) = [ax for ax in fig.axes if ax.get_gid() == "main-map"]
        box = ax.get_position()
        width, height = fig.get_size_inches()
        return box.width * width * box.height * height

    assert main_area(BOTH) >= page.MIN_MAP_SHARE * main_area(render.Bands()) - 1e-6
