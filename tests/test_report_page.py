"""Page composition choices: insets under the legend on a slide, the paled zoom."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from datetime import date

from geo.core.filters import SiteFilter
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.report import render

SKILLING = ViewState(filter=SiteFilter(initiatives=("skilling",)))


def axes_boxes(fig):
    width, height = fig.get_size_inches()
    return {
        ax.get_gid(): (
            ax.get_position().x0 * width,
            ax.get_position().y0 * height,
            ax.get_position().x1 * width,
            ax.get_position().y1 * height,
        )
        for ax in fig.axes
        if ax.get_gid()
    }


def test_slide_puts_the_zoom_under_the_legend_and_the_map_takes_the_height(dataset):
    view = compute_view(dataset, SKILLING)
    fig = render.build_figure(dataset, view, "slide-16x9", made_on=date(2024, 5, 13))
    boxes = axes_boxes(fig)
    main, zoom = boxes["main-map"], boxes["inset-zoom"]
    assert zoom[0] > main[2]  # beside the map, not eating its width
    assert main[3] - main[1] > 4.7  # was 4.55 in with the zoom in a column at the left
    legend_bottom = min(
        t.get_window_extent(fig.canvas.get_renderer()).y0 / fig.dpi
        for ax in fig.axes
        for t in ax.texts
        if t.get_gid() == "legend"
    )
    assert zoom[3] < legend_bottom


def test_zoom_is_paled_and_the_main_map_is_not(dataset):
    fig = render.build_figure(
        dataset, compute_view(dataset, ViewState()), made_on=date(2024, 5, 13)
    )
    by_gid = {ax.get_gid(): ax for ax in fig.axes}
    assert "veil" in {p.get_gid() for p in by_gid["inset-zoom"].patches}
    assert "veil" not in {p.get_gid() for p in by_gid["main-map"].patches}
