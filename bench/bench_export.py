"""Report-image export speed and size: shipped data and 10,000 synthetic sites.

Prints figures; asserts nothing. Run: `python bench/bench_export.py` (or `make bench`).

For each case: A4 landscape PNG at 300 dpi, SVG and PDF through geo.export.render_export
(view computed, figure built, file encoded), median of 5 runs after one warm-up, and the
file size. The goal is under 2 s for the 300-dpi PNG of the shipped data. The synthetic
sites are random points inside the metropolitan regions, with random categories,
initiatives and precisions, joined to regions like the real ones.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from geo.core import vocabulary as voc  # noqa: E402
from geo.core.dataset import Dataset, load_dataset  # noqa: E402
from geo.core.regions import WGS84, assign_regions  # noqa: E402
from geo.core.state import ViewState  # noqa: E402
from geo.export import ExportRequest, format_size, render_export  # noqa: E402

RUNS = 5
SYNTHETIC_SITES = 10_000
SEED = 20240513
CASES = (("png", {"dpi": 300}), ("svg", {}), ("pdf", {}))


def synthetic_dataset(dataset: Dataset, count: int, seed: int = SEED) -> Dataset:
    """The dataset with its sites replaced by ``count`` random points in metropolitan France."""
    rng = np.random.default_rng(seed)
    metro = dataset.regions[dataset.regions["zone"] == "metro"]
    land = metro.union_all()
    x0, y0, x1, y1 = land.bounds
    lons, lats = [], []
    while len(lons) < count:
        xs = rng.uniform(x0, x1, count)
        ys = rng.uniform(y0, y1, count)
        inside = gpd.GeoSeries(gpd.points_from_xy(xs, ys), crs=WGS84).within(land).to_numpy()
        lons += list(xs[inside])
        lats += list(ys[inside])
    lons, lats = lons[:count], lats[:count]
    categories = rng.choice(list(voc.CATEGORIES), count)
    initiatives = [
        tuple(rng.choice(list(voc.INITIATIVES), rng.integers(1, 3), replace=False))
        for _ in range(count)
    ]
    precisions = rng.choice(
        ["exact_site", "campus", "commune", "city_centre", "region_only"], count
    )
    ids = [f"synthetic-{i:05d}" for i in range(count)]
    sites = pd.DataFrame(
        {
            "line": range(2, count + 2),
            "id": ids,
            "name": [f"Synthetic site {i}" for i in range(count)],
            "organisation": "Bench",
            "category": categories,
            "initiatives": initiatives,
            "programmes": [()] * count,
            "audiences": [()] * count,
            "city": "",
            "insee_commune": "",
            "lat": lats,
            "lon": lons,
            "precision": precisions,
            "coord_basis": "random point",
            "location_confirmed": False,
            "status": "partner",
            "source_urls": [("https://example.org/",)] * count,
            "source_note": "synthetic",
            "notes": "",
        },
        index=ids,
    )
    joined = assign_regions(sites, dataset.regions, dataset.departements)
    return replace(dataset, sites=joined)


def median_time(dataset: Dataset, request: ExportRequest) -> tuple[float, int]:
    """Median seconds over RUNS after a warm-up, and the output size in bytes."""
    data = render_export(dataset, request)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        data = render_export(dataset, request)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(data)


def main() -> None:
    start = time.perf_counter()
    shipped = load_dataset()
    print(f"load_dataset: {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    synthetic = synthetic_dataset(shipped, SYNTHETIC_SITES)
    seconds = time.perf_counter() - start
    print(f"{SYNTHETIC_SITES:,} synthetic sites made and joined in {seconds:.1f} s")
    print()
    print(f"{'data':<22} {'format':<20} {'median of 5':>12} {'size':>10}")
    for name, dataset in (
        ("shipped (22 mapped)", shipped),
        (f"{SYNTHETIC_SITES:,} synthetic", synthetic),
    ):
        for labels in (False, True):
            for fmt, options in CASES:
                if labels and fmt != "png":
                    continue
                request = ExportRequest(ViewState(), fmt, "a4-landscape", labels=labels, **options)
                seconds, size = median_time(dataset, request)
                label = f"{fmt}{' 300 dpi' if fmt == 'png' else ''}{' +labels' if labels else ''}"
                print(f"{name:<22} {label:<20} {seconds:>10.2f} s {format_size(size):>10}")
    print()
    print("Goal: A4 landscape PNG at 300 dpi of the shipped data in under 2 s.")


if __name__ == "__main__":
    main()
