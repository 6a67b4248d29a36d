"""Report pages: exact sizes, font sizes and resolutions (plain data, no matplotlib)."""

from __future__ import annotations

from dataclasses import dataclass

from geo.i18n import N_

# Labels are English constants marked for extraction: show them as _(label).
IMAGE_FORMATS: dict[str, str] = {
    "png": N_("PNG image"),
    "svg": N_("SVG (vector)"),
    "pdf": N_("PDF (vector)"),
}
DEFAULT_DPI = 300
MIN_DPI, MAX_DPI = 50, 600
MM = 1 / 25.4


@dataclass(frozen=True)
class Layout:
    """A page: exact size and the body font size in points."""

    key: str
    label: str  # English, marked: shown as _(label)
    width_in: float
    height_in: float
    font_size: float

    def figsize(self, dpi: int | None = None) -> tuple[float, float]:
        """Page size in inches; with a dpi, nudged so width x dpi is a whole number of pixels."""
        if dpi is None:
            return self.width_in, self.height_in
        width, height = self.pixel_size(dpi)
        return width / dpi, height / dpi

    def pixel_size(self, dpi: int) -> tuple[int, int]:
        """(width, height) of the PNG at this dpi, e.g. A4 landscape at 300 dpi: 3508 x 2480."""
        return round(self.width_in * dpi), round(self.height_in * dpi)

    def points(self) -> tuple[float, float]:
        """Page size in PDF points (1/72 in)."""
        return self.width_in * 72, self.height_in * 72


LAYOUTS: dict[str, Layout] = {
    layout.key: layout
    for layout in (
        Layout("a4-landscape", N_("A4 landscape (297 x 210 mm)"), 297 * MM, 210 * MM, 8.5),
        Layout("a4-portrait", N_("A4 portrait (210 x 297 mm)"), 210 * MM, 297 * MM, 8.5),
        Layout("slide-16x9", N_("16:9 slide (13.33 x 7.5 in)"), 13.333, 7.5, 10.5),
        Layout("square", N_("Square (8 x 8 in)"), 8.0, 8.0, 8.0),
    )
}
DEFAULT_LAYOUT = "a4-landscape"
