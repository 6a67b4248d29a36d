"""A reader's own data at 10,000 and 100,000 points, side by side with the shipped data.

Prints figures with their goals (issue 12); asserts nothing. Run: `python bench/bench_user.py`
(part of `make bench`). One run, this machine, the same files for every figure: French
Excel-style CSVs made by bench/user_files.py (valid rows, cp1252, semicolons, decimal commas).
(v) validation: read_upload + guess_mapping + validate_sites, bytes in -> UserData, median of 3;
(w) view: compute_view with the user data and one user filter, median of 5;
(r) report PNG at 300 dpi (A4 landscape) of the view with the user points, median of 3;
(h) standalone HTML export with the user points, raw and gzip -6, against the shipped one;
(m) in Chromium against the running app: time to map after the file is dropped, the map
    message's bytes, pan/zoom frame times, filter -> map (see measure_app).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import app_session as session  # noqa: E402
from byte_accounting import verdict  # noqa: E402
from user_files import french_sites_csv  # noqa: E402

from geo import bundle  # noqa: E402
from geo.core.dataset import load_dataset  # noqa: E402
from geo.core.state import ViewState  # noqa: E402
from geo.core.userdata import columns, read, sites  # noqa: E402
from geo.core.userdata.view import UserFilter  # noqa: E402
from geo.core.view import compute_view  # noqa: E402
from geo.export import render_html  # noqa: E402
from geo.report.render import render_image  # noqa: E402

SIZES = (10_000, 100_000)
GOALS = {
    "validation_s": {100_000: 2.0},
    "report_png_s": {100_000: 5.0},
    "html_mb": {100_000: 5.0},
}
MB = 1_000_000


def timed(function, runs: int) -> tuple[float, object]:
    """Median seconds of ``runs`` calls after one warm-up, and the last result."""
    result = function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def validate(dataset, name: str, data: bytes):
    raw = read.read_upload(name, data)
    mapping = columns.guess_mapping(list(raw.frame.columns), "sites")
    return sites.validate_sites(raw, mapping, dataset)


def judged(value: float, goal: float | None, unit: str, digits: int = 2) -> str:
    """'<= goal: MET (...)' for a figure with a goal, '' for one without."""
    if goal is None:
        return ""
    return f"<= {goal:g}{unit}: {verdict(value, goal, unit, digits)}"


# --- (m) in Chromium, against the running app ----------------------------------------------

USER_CANVAS = "canvas.user-points-canvas"
# The user layer marks its canvas with the number of points (or cells) it has drawn.
DRAWN_JS = f"""
(expected) => {{
  const iframes = [...document.querySelectorAll({session.MAP_IFRAME!r})];
  return iframes.some((el) => {{
    const canvas = el.contentDocument && el.contentDocument.querySelector({USER_CANVAS!r});
    return canvas !== null && canvas.dataset.points === String(expected);
  }});
}}
"""
# From the caller's mark until the first animation frame in which DRAWN_JS holds.
WATCH_DRAWN_JS = f"""
(expected) => new Promise((resolve, reject) => {{
  const drawn = {DRAWN_JS};
  const start = performance.now();
  const frame = () => drawn(expected) ? resolve(performance.now() - start)
    : performance.now() - start > {session.TIMEOUT_MS} ? reject(new Error("never drawn"))
    : requestAnimationFrame(frame);
  requestAnimationFrame(frame);
}})
"""
FRAMES_JS = """
(win) => { win.__frames = []; let last = win.performance.now();
  const tick = (now) => { win.__frames.push(now - last); last = now;
                          if (win.__frames.length < 100000) win.requestAnimationFrame(tick); };
  win.requestAnimationFrame(tick); }
"""
USER_FILTER_LABEL = "catégorie"  # the column of user_files' CSV, as the app names it
USER_FILTER_OPTION = "Data center"
PANS = ((220, 0), (-160, 120), (0, -200), (140, 90))
ZOOMS = (7, 8, 9, 8, 6, 5, 6)


def map_frame(page):
    """The map iframe's Frame (Playwright) and its Leaflet map's global name."""
    frame = page.locator(session.MAP_IFRAME).last.element_handle().content_frame()
    name = frame.evaluate("Object.keys(window).find((k) => k.startsWith('map_'))")
    return frame, name


def upload(page, path: Path, expected: int) -> float:
    """Drop the file on the sites uploader; ms until the map has drawn ``expected`` points."""
    page.get_by_text("Your data", exact=True).click()
    chooser = page.locator('[data-testid="stFileUploaderDropzoneInput"]').first
    page.evaluate(f"(n) => {{ window.__drawn = ({WATCH_DRAWN_JS})(n); }}", expected)
    chooser.set_input_files(str(path))
    return float(page.evaluate("window.__drawn"))


def frame_times(page) -> list[float]:
    """Animation-frame intervals in the map iframe while the reader pans and zooms."""
    frame, name = map_frame(page)
    frame.evaluate(f"() => ({FRAMES_JS})(window)")
    box = page.locator(session.MAP_IFRAME).bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in PANS:
        page.mouse.move(cx, cy)
        page.mouse.down()
        page.mouse.move(cx + dx, cy + dy, steps=12)
        page.mouse.up()
        page.wait_for_timeout(400)
    for zoom in ZOOMS:
        frame.evaluate(f"() => window[{name!r}].setZoom({zoom})")
        page.wait_for_timeout(700)
    for delta in (-300, -300, 300, 300):
        page.mouse.move(cx, cy)
        page.mouse.wheel(0, delta)
        page.wait_for_timeout(700)
    return frame.evaluate("window.__frames")[1:]


def user_filter_ms(page, expected: int) -> float:
    """Choose one category in the reader's own filter (typed, then Enter, as a keyboard user
    does); ms from the Enter keydown until the map has drawn that category's points."""
    page.locator(session.IDLE).wait_for(state="attached", timeout=session.TIMEOUT_MS)
    box = page.get_by_role("combobox", name=USER_FILTER_LABEL)
    box.click()
    box.fill(USER_FILTER_OPTION)
    page.get_by_role("option", name=USER_FILTER_OPTION).wait_for(timeout=session.TIMEOUT_MS)
    page.evaluate(
        f"""(n) => {{ window.__drawn = new Promise((resolve) => addEventListener("keydown",
              () => ({WATCH_DRAWN_JS})(n).then(resolve), {{capture: true, once: true}})); }}""",
        expected,
    )
    page.keyboard.press("Enter")
    ms = float(page.evaluate("window.__drawn"))
    page.keyboard.press("Escape")
    return ms


def measure_app(dataset, files: dict[int, Path], matches: dict[int, int]) -> list[tuple]:
    """Shipped time to map, then per file: upload -> drawn, bytes, frames, filter -> map."""
    rows = []
    ready = session.map_ready(len(dataset.regions))
    with session.running_streamlit(ROOT / "app.py", ROOT) as url, session.chromium() as browser:
        session.time_to_paint(browser, url, ready)  # warm the server's caches
        shipped = [session.time_to_paint(browser, url, ready)[0] for _ in range(3)]
        shipped_ms = statistics.median(shipped)
        rows.append(
            row(
                "(m) time to map, shipped",
                0,
                f"{shipped_ms / 1000:.2f} s",
                "",
                "navigation -> regions and markers painted, median of 3",
            )
        )
        context, page = session.open_fresh(browser, ready)
        try:  # the same pans and zooms over our data alone: the floor of the figure below
            page.goto(url, wait_until="commit")
            session.wait_painted(page)
            page.locator(session.IDLE).wait_for(state="attached", timeout=session.TIMEOUT_MS)
            page.wait_for_timeout(1000)
            frames = frame_times(page)
        finally:
            context.close()
        rows.append(row("(m) frame time pan/zoom", 0, f"{max(frames):.0f} ms max", "",
                        f"p95 {statistics.quantiles(frames, n=20)[-1]:.0f} ms over "
                        f"{len(frames)} frames, our data alone"))  # fmt: skip
        port = int(url.rsplit(":", 1)[1])
        for size, path in files.items():
            proxy = session.WireProxy(port)
            context, page = session.open_fresh(browser, ready)
            try:
                log = session.NetworkLog(context, page)
                page.goto(f"http://127.0.0.1:{proxy.port}/", wait_until="commit")
                session.wait_painted(page)
                page.locator(session.IDLE).wait_for(state="attached", timeout=session.TIMEOUT_MS)
                page.wait_for_timeout(1000)
                before = {id(m) for r in log.websockets() for m in r.messages}
                proxy.take_websocket_bytes()
                drop_ms = upload(page, path, size)
                page.locator(session.IDLE).wait_for(state="attached", timeout=session.TIMEOUT_MS)
                page.wait_for_timeout(500)
                wire = proxy.take_websocket_bytes()
                new = [m for r in log.websockets() for m in r.messages if id(m) not in before]
                map_bytes = sum(len(m) for m in new if session.carries_component(m, "folium"))
                goal = shipped_ms / 1000 + 2 if size <= 10_000 else 5.0
                total_s = (shipped_ms + drop_ms) / 1000
                rows.append(
                    row(
                        "(m) file dropped -> drawn",
                        size,
                        f"{drop_ms / 1000:.2f} s",
                        "",
                        "set_input_files -> canvas has drawn every point",
                    )
                )
                rows.append(
                    row(
                        "(m) time to map, theirs",
                        size,
                        f"{total_s:.2f} s",
                        judged(total_s, goal, " s"),
                        "shipped time to map + file dropped -> drawn",
                    )
                )
                goal_mb = 1.0 if size <= 10_000 else 5.0
                rows.append(
                    row(
                        "(m) map message",
                        size,
                        f"{map_bytes / 1e6:.2f} MB",
                        judged(map_bytes / MB, goal_mb, " MB"),
                        f"decoded; all websocket bytes after the drop: {wire / 1e6:.2f} MB "
                        "on the wire (permessage-deflate)",
                    )
                )
                filter_ms = user_filter_ms(page, matches[size])
                rows.append(
                    row(
                        "(m) their filter -> map",
                        size,
                        f"{filter_ms:.0f} ms",
                        judged(filter_ms / 1000, 1.0, " s"),
                        f"Enter on {USER_FILTER_OPTION!r} (typed) -> {matches[size]:,} drawn",
                    )
                )
                frames = frame_times(page)
                worst, p95 = max(frames), statistics.quantiles(frames, n=20)[-1]
                rows.append(
                    row(
                        "(m) frame time pan/zoom",
                        size,
                        f"{worst:.0f} ms max",
                        judged(worst, 100.0, " ms", 0),
                        f"p95 {p95:.0f} ms over {len(frames)} frames: 4 drags, "
                        f"{len(ZOOMS)} setZoom, 4 wheel zooms",
                    )
                )
            finally:
                context.close()
                proxy.close()
    return rows


def row(figure: str, size: int, value: str, goal: str, how: str) -> tuple:
    """One figure, printed as soon as it is measured (a later failure keeps it)."""
    print(f"  measured: {figure}, {size or 'ours'}: {value} {goal}", flush=True)
    return (figure, size, value, goal, how)


def in_process(dataset, size: int, data: bytes, shipped_html: bytes) -> tuple[list, int]:
    """(v), (w), (r), (h) for one file; and how many rows USER_FILTER_OPTION keeps."""
    vendor = bundle.default_vendor_dir()
    seconds, user = timed(lambda: validate(dataset, f"sites-{size}.csv", data), 3)
    kept = 0 if user.sites is None else len(user.sites.frame)
    rows = [
        row(
            "(v) validation",
            size,
            f"{seconds:.2f} s",
            judged(seconds, GOALS["validation_s"].get(size), " s"),
            f"{len(data) / MB:.1f} MB file in, {kept:,} rows kept, "
            f"{len(user.problems)} problems, median of 3",
        )
    ]
    flt = UserFilter(columns=(("category", (USER_FILTER_OPTION,)),))
    state = ViewState(metric="user_sites")
    seconds, view = timed(lambda: compute_view(dataset, state, user=user, user_filter=flt), 5)
    matches = len(view.user.sites)
    rows.append(
        row(
            "(w) view + their filter",
            size,
            f"{seconds * 1000:.0f} ms",
            "",
            f"compute_view, {matches:,} of {kept:,} match, median of 5",
        )
    )
    full = compute_view(dataset, state, user=user, user_filter=UserFilter())
    seconds, png = timed(lambda: render_image(dataset, full, "png", "a4-landscape", dpi=300), 3)
    rows.append(
        row(
            "(r) report PNG 300 dpi",
            size,
            f"{seconds:.2f} s",
            judged(seconds, GOALS["report_png_s"].get(size), " s"),
            f"render_image A4 landscape, {len(png) / MB:.1f} MB, median of 3",
        )
    )
    html = render_html(dataset, full, vendor)
    raw_mb = len(html) / MB
    rows.append(
        row(
            "(h) standalone HTML",
            size,
            f"{raw_mb:.2f} MB",
            judged(raw_mb, GOALS["html_mb"].get(size), " MB"),
            f"raw; gzip -6 {len(gzip.compress(html, 6)) / MB:.2f} MB. Shipped data "
            f"alone: raw {len(shipped_html) / MB:.2f} MB, "
            f"gzip -6 {len(gzip.compress(shipped_html, 6)) / MB:.2f} MB",
        )
    )
    return rows, matches


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--no-browser", action="store_true", help="skip (m)")
    args = parser.parse_args()
    dataset = load_dataset(ROOT / "data")
    shipped_html = render_html(
        dataset, compute_view(dataset, ViewState()), bundle.default_vendor_dir()
    )
    rows, files, matches = [], {}, {}
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            data = french_sites_csv(dataset.departements, size)
            files[size] = Path(folder) / f"sites-{size}.csv"
            files[size].write_bytes(data)
            figures, matches[size] = in_process(dataset, size, data, shipped_html)
            rows += figures
        if not args.no_browser:
            rows += measure_app(dataset, files, matches)
    print("MB = 10^6 bytes. Files: bench/user_files.py (valid French CSV, cp1252, ';').")
    print(f"{'figure':<27} {'points':>8}  {'value':>10}  {'goal':<36} how")
    for figure, size, value, goal, how in sorted(rows, key=lambda r: (r[0][:3], r[1])):
        points = f"{size:,}" if size else "ours"
        print(f"{figure:<27} {points:>8}  {value:>10}  {goal:<36} {how}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
