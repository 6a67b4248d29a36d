"""The map as a reader gets it, side by side with its floors, each figure with goal and verdict.

Prints figures; asserts nothing. Run: `make bench` or `python bench/bench_map.py`.
One run on this machine, same data, every side measured the same way (docs/BENCH.md):
(a) time to map in Chromium: navigation -> regions and markers painted in the map, median of
    RUNS fresh contexts, servers warm: the app, a one-line Streamlit page (the framework's
    floor) and the standalone HTML export (Leaflet's floor);
(b) filter change -> map updated, measured in the page (pointerdown -> first frame in which
    the map iframe shows the filtered sites), median of RUNS;
(c) first-load bytes, everything included (every frame, every response, websocket), app
    against the one-line page, encoded on the wire and decoded;
(d) map data bytes against GeoPandas explore() of the same regions + sites, raw against raw
    and gzip against gzip;
(e) server time of a filter rerun (AppTest), median.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import app_session as session  # noqa: E402
from byte_accounting import Encoding, encoded_size, ratio, verdict  # noqa: E402

from geo.core.dataset import load_dataset  # noqa: E402
from geo.core.filters import SiteFilter, filter_sites  # noqa: E402
from geo.core.state import ViewState  # noqa: E402
from geo.core.view import compute_view  # noqa: E402

RUNS = 5
ONE_LINE_PAGE = BENCH / "one_line_page.py"
ONE_LINE_TITLE = "x"
GOAL_OVER_FLOOR_S = 0.5  # (a) app <= one-line page + 0.5 s
GOAL_FILTER_MS = 250  # (b)
GOAL_EXTRA_KB = 400  # (c) app <= one-line page + 400 KB
GOAL_MAP_DATA = 0.50  # (d) app's map data <= 50 % of explore()'s
GOAL_RERUN_MS = 40  # (e)
TOP_RESOURCES = 10
KB = 1024


def export_html(folder: Path) -> Path:
    """The standalone map, made by the CLI as a user would."""
    path = folder / "map.html"
    command = [sys.executable, "-m", "geo", "export", "--format", "html", "--out", str(path)]
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return path


def explore_html(dataset) -> bytes:
    """The GeoPandas-only baseline: choropleth of sites per region plus the site points."""
    view = compute_view(dataset, ViewState())
    regions = view.metrics[["name_fr", "sites", "geometry"]]
    m = regions.explore(column="sites", scheme="FisherJenks", k=4, legend=True)
    sites = view.sites[["name", "category", "geometry"]]
    sites.explore(m=m, color="black")
    return m.get_root().render().encode()


def located_count(dataset, **filter_fields) -> int:
    sites = filter_sites(dataset.sites, SiteFilter(**filter_fields))
    return int(sites.geometry.notna().sum())


def measure_browser(dataset, html_path: Path) -> dict:
    """(a), (b) and the first loads for (c) and (d), in one Chromium, runs interleaved."""
    map_js = session.map_ready(len(dataset.regions))
    expected = located_count(dataset, initiatives=(session.FILTER_VALUE,))
    with (
        session.running_streamlit(ROOT / "app.py", ROOT) as app_url,
        session.running_streamlit(ONE_LINE_PAGE, ROOT) as floor_url,
        session.chromium() as browser,
    ):
        targets = {
            "app": (app_url, map_js),
            "one-line page": (floor_url, session.title_ready(ONE_LINE_TITLE)),
            "HTML export": (html_path.as_uri(), map_js),
        }

        def change_filter(page) -> float:
            return session.filter_change_ms(page, expected)

        for url, ready in targets.values():  # warm the servers (and Python's caches)
            session.time_to_paint(browser, url, ready)
        times: dict[str, list[float]] = {name: [] for name in targets}
        tops: dict[str, list[float]] = {name: [] for name in targets}  # y of the map
        filters: list[float] = []
        for _ in range(RUNS):
            for name, (url, ready) in targets.items():
                then = change_filter if name == "app" else None
                ms, top, filter_ms = session.time_to_paint(browser, url, ready, then)
                times[name].append(ms)
                tops[name].append(top)
                if filter_ms is not None:
                    filters.append(filter_ms)
        loads = {
            name: session.record_first_load(browser, targets[name][0], targets[name][1])
            for name in ("app", "one-line page")
        }
    return {"times": times, "tops": tops, "filters": filters, "loads": loads}


def runs_text(values: list[float], scale: float = 1, unit: str = "ms") -> str:
    return ", ".join(f"{v * scale:.0f}" for v in values) + f" {unit}"


def print_time_to_map(times: dict[str, list[float]], tops: dict[str, list[float]]) -> None:
    width, height = session.VIEWPORT["width"], session.VIEWPORT["height"]
    print(
        "(a) time to map: navigation -> frame with regions + markers drawn, "
        f"median of {RUNS} fresh contexts, {width}x{height}"
    )
    medians = {name: statistics.median(values) / 1000 for name, values in times.items()}
    for name, values in times.items():
        below = max(tops[name]) >= height
        note = f"; the map starts at y = {max(tops[name]):.0f}: below the fold" if below else ""
        print(f"    {name:14s} {medians[name]:6.2f} s   (runs: {runs_text(values)}{note})")
    over = medians["app"] - medians["one-line page"]
    print(
        f"    app - one-line page = {over:+.2f} s; goal <= +{GOAL_OVER_FLOOR_S} s: "
        f"{verdict(over, GOAL_OVER_FLOOR_S, ' s', 2)}"
    )
    print(f"    app / HTML export = {medians['app'] / medians['HTML export']:.1f}x (no goal)")


def print_filter(filters: list[float]) -> None:
    median = statistics.median(filters)
    print(f"(b) filter change -> map updated (in the page's DOM), median of {len(filters)}")
    print(
        f"    {median:.0f} ms (runs: {runs_text(filters)}); goal <= {GOAL_FILTER_MS} ms: "
        f"{verdict(median, GOAL_FILTER_MS, ' ms')}"
    )


def print_first_load(loads: dict) -> None:
    app, floor = loads["app"], loads["one-line page"]
    print("(c) first-load bytes, every frame, response and websocket message included")
    for what in ("encoded", "decoded"):
        ours, theirs = getattr(app, what) / KB, getattr(floor, what) / KB
        extra = ours - theirs
        label = "on the wire" if what == "encoded" else "decoded"
        print(
            f"    {label:11s}: app {ours:7.1f} KB, one-line page {theirs:7.1f} KB, "
            f"extra {extra:+7.1f} KB; goal <= +{GOAL_EXTRA_KB} KB: "
            f"{verdict(extra, GOAL_EXTRA_KB, ' KB')}"
        )
    print(
        f"    the app's {TOP_RESOURCES} largest (decoded; on the wire; * = the one-line page too):"
    )
    shared = {resource_path(r.url) for r in floor.resources}
    resources = sorted(app.resources, key=lambda r: r.decoded, reverse=True)
    for resource in resources[:TOP_RESOURCES]:
        wire = app.websocket_wire if resource.kind == "WebSocket" else resource.encoded
        path = resource_path(resource.url)
        mark = "*" if path in shared else " "
        print(
            f"      {resource.decoded / KB:7.1f} KB; {wire / KB:7.1f} KB {mark} "
            f"{resource.kind:10s} {path[-70:]}"
        )


def resource_path(url: str) -> str:
    """The URL without scheme, host, port and query: the same file on either server."""
    return "/" + url.split("?")[0].split("://", 1)[-1].split("/", 1)[-1]


def print_map_data(app_load, explore: bytes) -> None:
    messages = app_load.map_messages()
    payloads = messages + list(app_load.bodies.values())
    print("(d) map data on first load against explore() of the same regions + sites")
    print(
        f"    app: {len(messages)} websocket message(s) with the map component + "
        f"{len(app_load.bodies)} data response(s) in the map iframe"
    )
    for url, body in app_load.bodies.items():
        print(f"      {len(body) / KB:7.1f} KB raw  {resource_path(url)[-70:]}")
    for encoding in (Encoding.RAW, Encoding.GZIP):
        ours, theirs = encoded_size(payloads, encoding), encoded_size([explore], encoding)
        share = ratio(ours, theirs)
        print(
            f"    {encoding.value:8s}: app {ours.nbytes / KB:6.1f} KB, explore() "
            f"{theirs.nbytes / KB:6.1f} KB = {share:6.1%}; goal <= {GOAL_MAP_DATA:.0%}: "
            f"{verdict(share * 100, GOAL_MAP_DATA * 100, ' points', 1)}"
        )


def rerun_ms(runs: int = 12) -> list[float]:
    """Server time of script reruns that change the initiative filter.

    AppTest drives the app; the time is that of Streamlit's own script run (ScriptRunner
    wraps it), so AppTest's polling does not inflate it. A server compiles app.py once and
    keeps the bytecode (its Runtime holds one ScriptCache); AppTest makes a new cache per
    run and so compiles the script on every rerun (about 25 ms here). One cache is shared
    across the runs, as on a server.
    """
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, app_test, local_script_runner

    shared_cache = ScriptCache()
    cache_factories = (app_test.ScriptCache, local_script_runner.ScriptCache)
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared_cache
    original = script_runner.ScriptRunner._run_script
    times: list[float] = []

    def timed(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            times.append((time.perf_counter() - start) * 1000)

    script_runner.ScriptRunner._run_script = timed
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        choices = (["skilling"], ["infrastructure", "startups"], [])
        for index in range(runs + 3):
            at.multiselect(key="initiatives").set_value(choices[index % len(choices)])
            at.run()
            if at.exception:
                raise RuntimeError(at.exception[0].message)
    finally:
        script_runner.ScriptRunner._run_script = original
        app_test.ScriptCache, local_script_runner.ScriptCache = cache_factories
    return times[4:]  # drop the first run and the warm-up reruns


def print_rerun(heading: str, times: list[float]) -> None:
    median = statistics.median(times)
    print(f"{heading}, {len(times)}")
    print(
        f"    median {median:.0f} ms (min {min(times):.0f}, max {max(times):.0f}); "
        f"goal <= {GOAL_RERUN_MS} ms: {verdict(median, GOAL_RERUN_MS, ' ms')}"
    )


def websocket_rerun_ms(runs: int = 20) -> list[float]:
    """Round trip of a filter change on a live `streamlit run app.py`, one session driven by
    the raw websocket client (bench/st_client.py, no browser on the CPU): from the rerun
    request to Streamlit's script-finished message. Unlike AppTest it includes what the
    server does around the script (its settings, e.g. runner.postScriptGC; the deltas'
    serialisation and compression)."""
    import asyncio

    from st_client import Reader

    async def drive(url: str) -> list[float]:
        reader = Reader(url)
        await reader.open()
        await reader.rerun()
        options, times = reader.filter_options, []
        for index in range(runs + 4):
            result = await reader.rerun([options[index % len(options)]] if index % 4 else [])
            times.append(result.seconds * 1000)
        await reader.close()
        return times[4:]  # warm-up: the first views are computed, then cached

    with session.running_streamlit(ROOT / "app.py", ROOT) as url:
        return asyncio.run(drive(url))


def main() -> None:
    warnings.filterwarnings("ignore", message="Numba not installed")
    dataset = load_dataset(ROOT / "data")
    with tempfile.TemporaryDirectory() as folder:
        html_path = export_html(Path(folder))
        browser = measure_browser(dataset, html_path)
    print_time_to_map(browser["times"], browser["tops"])
    print_filter(browser["filters"])
    print_first_load(browser["loads"])
    print_map_data(browser["loads"]["app"], explore_html(dataset))
    print_rerun(
        "(e) server rerun after a filter change (AppTest, Streamlit's script run)", rerun_ms()
    )
    print_rerun(
        "(e') the same over a live server's websocket (one raw client)", websocket_rerun_ms()
    )


if __name__ == "__main__":
    main()
