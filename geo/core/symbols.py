"""Marker symbols as geometry: one outline per shape and one list of paint layers per drawing.

The web map turns these into inline SVG and the report into matplotlib paths, so a marker
is the same shape on screen and on paper. Coordinates are y-up, centred on (0, 0), in units
of half the marker box (the web draws a 24 px box, so 1.0 is 12 px). The sizes differ on
purpose: a square's half-side is 7/12 and a triangle's radius 10.5/12 so that every shape
carries about the same visual weight.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from geo import style

Vertices = tuple[tuple[float, float], ...]
CIRCLE_SEGMENTS = 32
BOX_HALF_PX = 12.0  # the web's 24 px marker box


def _regular(
    sides: int, radius_px: float, rotation: float = -90.0, inner_px: float | None = None
) -> Vertices:
    """A regular polygon (or a star with ``inner_px``); ``rotation`` in screen degrees."""
    count = sides * 2 if inner_px else sides
    points = []
    for i in range(count):
        r = (inner_px if inner_px and i % 2 else radius_px) / BOX_HALF_PX
        angle = math.radians(rotation + i * 360.0 / count)
        points.append((r * math.cos(angle), -r * math.sin(angle)))  # screen y down -> y up
    return tuple(points)


def _square(half_px: float) -> Vertices:
    h = half_px / BOX_HALF_PX
    return ((-h, h), (h, h), (h, -h), (-h, -h))


SHAPES: dict[str, Vertices] = {
    "square": _square(7.0),
    "diamond": _regular(4, 9.5),
    "circle": _regular(CIRCLE_SEGMENTS, 7.8),
    "triangle": _regular(3, 10.5, -90.0),
    "triangle_down": _regular(3, 10.5, 90.0),
    "pentagon": _regular(5, 9.2),
    "star": _regular(5, 10.8, inner_px=4.6),
    "hexagon": _regular(6, 9.0, 0.0),
}
SHAPE_KEYS: tuple[str, ...] = tuple(SHAPES)
DRAWINGS: tuple[str, ...] = ("solid", "approximate", "hollow")
WHITE = "#ffffff"


@dataclass(frozen=True)
class Stroke:
    """One paint layer of a marker; widths and dashes in px of the 24 px marker box."""

    fill: str | None
    stroke: str | None
    width: float = 0.0
    fill_opacity: float = 1.0
    stroke_opacity: float = 1.0
    dashes: tuple[float, ...] = ()


def shape_vertices(shape: str) -> Vertices:
    """The closed outline of a marker shape (first vertex not repeated)."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}: expected one of {', '.join(SHAPES)}")
    return SHAPES[shape]


def shape_radius(shape: str) -> float:
    """Largest distance of the outline from the centre, in half-box units."""
    return max(math.hypot(x, y) for x, y in shape_vertices(shape))


def drawing_layers(drawing: str, colour: str) -> tuple[Stroke, ...]:
    """Paint layers of a marker, bottom first: how the precision of its location is drawn.

    solid = filled with a white edge (a known building or campus); approximate = a pale fill
    over white with a coloured edge (a town or commune); hollow = a dashed outline over a
    white halo, no fill (a region-only placeholder, never a building).
    """
    if drawing == "solid":
        return (Stroke(colour, WHITE, 1.6),)
    if drawing == "approximate":
        return (
            Stroke(WHITE, None),
            Stroke(colour, colour, 2.0, fill_opacity=style.APPROXIMATE_FILL_OPACITY),
        )
    if drawing == "hollow":
        return (
            Stroke(None, WHITE, 4.5, stroke_opacity=0.9),
            Stroke(None, colour, 2.2, dashes=(3.2, 2.2)),
        )
    raise ValueError(f"unknown drawing {drawing!r}: expected one of {', '.join(DRAWINGS)}")
