"""The page being drawn: the figure, an overlay axes in inches for text, and page geometry."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from geo.report.layouts import Layout
from geo.report.text import clean_text

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in inches from the page's lower left
INK, GREY, LIGHT_GREY = "#1a1a1a", "#4d4d4d", "#767676"
MARGIN, SLIDE_MARGIN = 0.42, 0.5  # inches


@dataclass(frozen=True)
class Sheet:
    """One page: its figure, its layout, and an overlay axes whose units are page inches."""

    fig: Figure
    layout: Layout
    overlay: Axes
    width: float
    height: float
    margin: float

    @classmethod
    def on(cls, fig: Figure, layout: Layout) -> Sheet:
        """A sheet over the figure, with the overlay axes (on top of every map) added."""
        width, height = fig.get_size_inches()
        overlay = fig.add_axes((0, 0, 1, 1), zorder=10)
        overlay.set_axis_off()
        overlay.set_xlim(0, width)
        overlay.set_ylim(0, height)
        margin = MARGIN if layout.key != "slide-16x9" else SLIDE_MARGIN
        return cls(fig, layout, overlay, width, height, margin)

    @property
    def font_size(self) -> float:
        """Body font size in points."""
        return self.layout.font_size

    @property
    def text_width(self) -> float:
        """Width between the margins, in inches."""
        return self.width - 2 * self.margin

    def put(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        colour: str = INK,
        gid: str | None = None,
        ha: str = "left",
        va: str = "baseline",
    ) -> Text:
        """Text at (x, y) page inches; never mathtext, so '$' stays a dollar; always cleaned."""
        return self.overlay.text(
            x,
            y,
            clean_text(text),
            fontsize=size,
            fontweight="bold" if bold else "normal",
            color=colour,
            ha=ha,
            va=va,
            parse_math=False,
            gid=gid,
        )

    def add_axes(self, box: Box, gid: str) -> Axes:
        """A new axes filling the box (page inches)."""
        x0, y0, x1, y1 = box
        return self.fig.add_axes(
            (x0 / self.width, y0 / self.height, (x1 - x0) / self.width, (y1 - y0) / self.height),
            gid=gid,
        )

    def box_of(self, ax: Axes) -> Box:
        """Where an axes sits on the page, in inches."""
        pos = ax.get_position()
        return (
            pos.x0 * self.width,
            pos.y0 * self.height,
            pos.x1 * self.width,
            pos.y1 * self.height,
        )

    def to_page(self, ax: Axes, x: float, y: float) -> tuple[float, float]:
        """A point in an axes' data units, in page inches."""
        bx0, by0, bx1, by1 = self.box_of(ax)
        (xl0, xl1), (yl0, yl1) = ax.get_xlim(), ax.get_ylim()
        return (
            bx0 + (x - xl0) / (xl1 - xl0) * (bx1 - bx0),
            by0 + (y - yl0) / (yl1 - yl0) * (by1 - by0),
        )
