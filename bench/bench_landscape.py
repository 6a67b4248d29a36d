"""The investment landscape's cost: counting, the map it adds, the report with its layer.

Prints figures; asserts nothing. Run: `python bench/bench_landscape.py` (or `make bench`).

Every comparison is made in one run, on the same machine and the same shipped data, the
layer off beside the layer on:
- counting (geo.core.landscape.compute_investment_view), median of 20 runs, on the shipped
  rows and on the rows copied K times (new ids, the same links, so the chains are the same
  shape: the totals are exactly K times the shipped ones, which is checked);
- compute_view for the default view and for the view with the layer and the euro metric;
- the standalone interactive map (render_html): raw bytes and gzip bytes, each compared with
  the same encoding of the map without the layer;
- the report PNG at 300 dpi, A4 landscape (render_export), median of 3 after a warm-up.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import pandas as pd  # noqa: E402

from geo import bundle  # noqa: E402
from geo.core.dataset import Dataset, load_dataset  # noqa: E402
from geo.core.landscape import InvestmentFilter, compute_investment_view  # noqa: E402
from geo.core.state import ViewState  # noqa: E402
from geo.core.view import compute_view  # noqa: E402
from geo.export import ExportRequest, render_export, render_html  # noqa: E402

COPIES = (1, 10, 100)
LINKS = ("restates", "revises", "part_of")
ON = ViewState(layer_investments=True, metric="announced_eur")


def copied(investments: gpd.GeoDataFrame, copies: int) -> gpd.GeoDataFrame:
    """The rows ``copies`` times over, each copy's ids and links suffixed alike."""
    if copies == 1:
        return investments
    frames = []
    for k in range(copies):
        frame = investments.copy()
        suffix = f"-c{k}"
        frame["id"] = frame["id"] + suffix
        for link in LINKS:
            frame[link] = frame[link].where(frame[link] == "", frame[link] + suffix)
        frame["line"] = frame["line"] + k * len(investments)
        frames.append(frame.set_index("id", drop=False).rename_axis(None))
    return gpd.GeoDataFrame(pd.concat(frames), crs=investments.crs)


def median_ms(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def counting(dataset: Dataset, copies: int, runs: int = 20) -> tuple[float, int, float]:
    """(median ms, rows, total EUR) of counting the rows copied ``copies`` times."""
    rows = copied(dataset.investments, copies)
    codes = dataset.regions.index

    def run():
        return compute_investment_view(rows, InvestmentFilter(), codes)

    ms = median_ms(run, runs)
    return ms, len(rows), run().totals.eur


def html_sizes(dataset: Dataset, state: ViewState) -> tuple[int, int]:
    """(raw, gzip) bytes of the standalone interactive map of ``state``."""
    raw = render_html(dataset, compute_view(dataset, state), bundle.default_vendor_dir())
    return len(raw), len(gzip.compress(raw, compresslevel=9, mtime=0))


def png_ms(dataset: Dataset, state: ViewState, runs: int = 3) -> tuple[float, int]:
    request = ExportRequest(state, "png", dpi=300)
    render_export(dataset, request)  # warm-up: fonts, boundaries
    ms = median_ms(lambda: render_export(dataset, request), runs)
    return ms, len(render_export(dataset, request))


def main() -> int:
    dataset = load_dataset(ROOT / "data")
    print("Counting the landscape (compute_investment_view, median of 20):")
    _, _, shipped_total = counting(dataset, 1, runs=1)
    for copies in COPIES:
        ms, rows, total = counting(dataset, copies)
        same = "exactly" if abs(total - copies * shipped_total) < 1 else "NOT"
        print(
            f"  {rows:>6} rows ({copies} x shipped): {ms:8.1f} ms; total {same} "
            f"{copies} x the shipped EUR {shipped_total / 1e9:g} bn"
        )
    print("compute_view (median of 20):")
    for name, state in (("default view", ViewState()), ("layer + euro metric", ON)):
        print(f"  {name:<22} {median_ms(lambda s=state: compute_view(dataset, s), 20):8.1f} ms")
    print("Standalone interactive map (render_html), like with like:")
    off, on = html_sizes(dataset, ViewState()), html_sizes(dataset, replace(ON, metric="sites"))
    for label, index in (("raw", 0), ("gzip -9", 1)):
        print(
            f"  {label:<8} without the layer {off[index]:>9,} B, with it {on[index]:>9,} B "
            f"(+{on[index] - off[index]:,} B, x{on[index] / off[index]:.2f})"
        )
    print("Report PNG, A4 landscape, 300 dpi (render_export, median of 3):")
    for name, state in (("default view", ViewState()), ("layer + euro metric", ON)):
        ms, size = png_ms(dataset, state)
        print(f"  {name:<22} {ms / 1000:6.2f} s, {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
