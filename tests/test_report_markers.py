"""Report markers: the model's outlines at the model's relative sizes, and its paint layers."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.markers import MarkerStyle

from geo import style
from geo.core import symbols
from geo.report import markers

FONT_SIZE = 8.5


def drawn_vertices(shape: str) -> np.ndarray:
    """The outline as scatter() draws it, in points from the marker's centre."""
    marker = MarkerStyle(markers.marker_path(shape))
    size = np.sqrt(markers.marker_area(shape, FONT_SIZE))
    path = marker.get_path().transformed(marker.get_transform())
    return path.vertices * size


@pytest.mark.parametrize("shape", symbols.SHAPE_KEYS)
def test_shapes_keep_the_model_outline_and_relative_size(shape):
    model = np.asarray(symbols.shape_vertices(shape))
    drawn = drawn_vertices(shape)[: len(model)]
    # One scale for every shape: matplotlib's per-marker normalisation is undone.
    assert drawn == pytest.approx(model * markers.half_box(FONT_SIZE))
    assert markers.marker_radius(shape, FONT_SIZE) == pytest.approx(np.abs(drawn).max())


def test_the_circle_is_as_wide_as_the_body_text():
    drawn = drawn_vertices("circle")
    assert drawn[:, 0].max() - drawn[:, 0].min() == pytest.approx(FONT_SIZE, rel=0.01)


def test_the_star_is_the_largest_shape():
    star = symbols.shape_radius("star") * markers.half_box(FONT_SIZE)
    assert markers.largest_radius(FONT_SIZE) == pytest.approx(star)


def test_layers_follow_the_model_drawings():
    colour = "#0072B2"
    (solid,) = markers.layer_styles("solid", colour, FONT_SIZE)
    assert solid["facecolors"] == [to_rgba(colour)]
    assert solid["edgecolors"] == [to_rgba("#ffffff")]
    under, approximate = markers.layer_styles("approximate", colour, FONT_SIZE)
    assert under["facecolors"] == [to_rgba("#ffffff")]
    assert approximate["facecolors"] == [to_rgba(colour, style.APPROXIMATE_FILL_OPACITY)]
    halo, hollow = markers.layer_styles("hollow", colour, FONT_SIZE)
    assert hollow["facecolors"] == halo["facecolors"] == "none"
    assert hollow["edgecolors"] == [to_rgba(colour)]
    # Dashes are in line widths: 3.2 px on, 2.2 px off at a 2.2 px line.
    assert hollow["linestyles"] == [(0, pytest.approx((3.2 / 2.2, 1.0)))]
    assert halo["linewidths"] > hollow["linewidths"]


def test_no_matplotlib_marker_table_is_left():
    assert not hasattr(style, "MATPLOTLIB_MARKERS")
    assert not hasattr(markers, "MARKER_SCALE")
