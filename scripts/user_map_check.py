"""Check by eye and by the clock how the web map draws a reader's 100,000 sites (issue 12).

Builds standalone maps (assets="inline") of random points over metropolitan France, opens
them in Debian's headless Chromium, pans and zooms, and prints the HTML sizes, the time to
the first drawing (page load to the canvas marked user-points-drawn: a deflated payload is
inflated first) and the frame times (requestAnimationFrame deltas: max and p95). Screenshots
go to the output folder. Not a test: the figures are for the note and the bench.

    python scripts/user_map_check.py [--points 100000] [--out tests/output]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this checkout's geo, and tests/chromium.py

from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from geo.core.dataset import load_dataset  # noqa: E402
from geo.core.state import ViewState  # noqa: E402
from geo.core.userdata.model import ColumnMapping, UserData, UserSites  # noqa: E402
from geo.core.view import compute_view  # noqa: E402
from geo.webmap import build_map  # noqa: E402

VENDOR_DIR = ROOT / "static" / "vendor"
CATEGORIES = ("Usine", "Campus", "Laboratoire", "Start-up", "Bureau", "Centre", "Atelier", "Dépôt")
TOWNS = (
    (48.857, 2.352),
    (45.764, 4.836),
    (43.297, 5.370),
    (43.605, 1.444),
    (47.218, -1.554),
    (48.573, 7.752),
    (44.838, -0.579),
    (50.629, 3.057),
    (48.117, -1.678),
    (43.710, 7.262),
)
VIEWPORTS = ((1366, 768), (1440, 900), (390, 844))
FRAME_JS = """
() => {
    window.umFrames = [];
    let last = performance.now();
    function tick(now) {
        window.umFrames.push(now - last);
        last = now;
        requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
}
"""
MAP_JS = "window[Object.keys(window).find((k) => k.startsWith('map_'))]"
REDRAW_JS = f"""
() => {{
    const map = {MAP_JS};
    const started = performance.now();
    map.fire("moveend");
    return performance.now() - started;
}}
"""


def random_sites(n: int, communes: pd.Index, seed: int = 12) -> UserSites:
    """n points like a real file: most around big towns, the rest spread over the country."""
    rng = np.random.default_rng(seed)
    town = rng.integers(0, len(TOWNS), n)
    near = rng.random(n) < 0.7
    centres = np.array(TOWNS)[town]
    lat = np.where(near, centres[:, 0] + rng.normal(0, 0.15, n), rng.uniform(43.0, 50.5, n))
    lon = np.where(near, centres[:, 1] + rng.normal(0, 0.2, n), rng.uniform(-1.5, 7.5, n))
    frame = pd.DataFrame(
        {
            "line": np.arange(2, n + 2),
            "name": [
                f"Site {i} <b>x</b>" if i % 1000 == 0 else f"Site numéro {i}" for i in range(n)
            ],
            "lat": lat.round(5),
            "lon": lon.round(5),
            "insee_commune": rng.choice(communes, n),
            "insee_dep": "75",
            "insee_reg": "11",
            "category": rng.choice(CATEGORIES, n),
            "initiative": rng.choice(("Plan A", "Plan B", ""), n),
            "date": "2026-01-15",
            "url": "https://example.org/fiche",
            "amount": rng.uniform(0, 1e6, n).round(0),
            "Secteur": rng.choice(("Public", "Privé"), n),
            "Contact": [f"contact{i}@example.org" for i in range(n)],
        }
    )
    mapping = ColumnMapping("sites", {"name": "name", "lat": "lat", "lon": "lon"})
    return UserSites("random-sites.csv", frame, ("Secteur", "Contact"), mapping)


def build_html(dataset, n: int, assets: str = "inline") -> tuple[str, float]:
    started = time.perf_counter()
    sites = random_sites(n, dataset.communes.index)
    view = compute_view(dataset, ViewState(metric="user_sites"), UserData(sites=sites))
    m = build_map(dataset, view, assets=assets, tiles=False, vendor_dir=VENDOR_DIR)
    html = m.get_root().render()
    return html, time.perf_counter() - started


def measure(page, path: Path, out: Path, n: int) -> dict[str, float]:
    page.set_viewport_size({"width": 1366, "height": 768})
    started = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector(".user-points-drawn", state="attached", timeout=60_000)
    first_draw = time.perf_counter() - started
    page.wait_for_timeout(500)
    page.evaluate(FRAME_JS)
    box = page.locator(".folium-map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((200, 0), (-150, 120), (0, -200), (120, 80)):  # pans with the mouse
        page.mouse.move(cx, cy)
        page.mouse.down()
        page.mouse.move(cx + dx, cy + dy, steps=12)
        page.mouse.up()
        page.wait_for_timeout(300)
    for zoom in (7, 8, 9, 8, 6, 5, 6):  # zooms through the map's API
        page.evaluate(f"{MAP_JS}.setZoom({zoom})")
        page.wait_for_timeout(500)
    for _ in range(3):  # wheel zooms
        page.mouse.move(cx, cy)
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(500)
    frames = np.array(page.evaluate("window.umFrames")[1:])
    redraws = {}
    for zoom in (6, 9, 12):
        page.evaluate(f"{MAP_JS}.setZoom({zoom}, {{animate: false}})")
        page.wait_for_timeout(300)
        redraws[zoom] = page.evaluate(REDRAW_JS)
    page.screenshot(path=str(out / f"user-map-{n}-after-zoom.png"))
    return {
        "first_draw_s": first_draw,
        "frames": len(frames),
        "max_ms": float(frames.max()),
        "p95_ms": float(np.percentile(frames, 95)),
        "redraw_ms": redraws,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "output")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    dataset = load_dataset(ROOT / "data")
    for n in (10_000, args.points):
        for assets in ("served", "inline"):
            html, took = build_html(dataset, n, assets)
            size = len(html.encode())
            print(f"{n:>7} points, {assets:>6}: HTML {size:,} B ({size / 2**20:.2f} MiB), "
                  f"view + map + render {took:.2f} s")  # fmt: skip
    html, _ = build_html(dataset, args.points, "inline")
    path = args.out / f"user-map-{args.points}.html"
    path.write_text(html, encoding="utf-8")

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
        )
        figures = measure(page, path, args.out, args.points)
        print(
            f"{args.points} points in Chromium: first drawing after"
            f" {figures['first_draw_s']:.2f} s (load and parse included);"
            f" {figures['frames']} frames while panning and zooming:"
            f" max {figures['max_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms (goal <= 100 ms)"
        )
        print("one redraw (ms) by zoom:", {z: round(v) for z, v in figures["redraw_ms"].items()})
        for width, height in VIEWPORTS:
            page.set_viewport_size({"width": width, "height": height})
            page.goto(path.as_uri())
            page.wait_for_selector(".user-points-drawn", state="attached", timeout=60_000)
            page.wait_for_timeout(800)
            shot = args.out / f"user-map-{args.points}-{width}x{height}.png"
            page.screenshot(path=str(shot))
            print("screenshot", shot)
        browser.close()


if __name__ == "__main__":
    main()
