"""Map payload and speed, side by side with GeoPandas explore() on the same regions + sites.

Prints figures; asserts nothing. Run: `make bench` or `python bench/bench_map.py`.

Measured in one run on this machine (ratios matter, the machine is shared and noisy):
- explore(): HTML bytes and build time of regions (choropleth) + sites, as one would do it
  with GeoPandas alone;
- our map: build time and HTML bytes of the standalone map; the bytes the browser receives
  on first load and on a filter change inside the running app (websocket frames recorded by
  Playwright in Debian's Chromium, plus what the map iframe fetches from /app/static/);
- server time of a filter rerun (AppTest: change the initiative filter, run the script).
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from app_session import record_app_payload  # noqa: E402

from geo.core.dataset import load_dataset  # noqa: E402
from geo.core.state import ViewState  # noqa: E402
from geo.core.view import compute_view  # noqa: E402
from geo.webmap.mapping import build_map  # noqa: E402

RUNS = 5
GOALS = {"filter change": 0.10, "first load": 0.25}
RERUN_GOAL_MS = 150


def median_time(action, runs: int = RUNS) -> tuple[float, object]:
    """Median wall time in seconds of ``action`` over ``runs`` runs (after one warm-up)."""
    result = action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def explore_html(dataset) -> str:
    """The GeoPandas-only baseline: choropleth of sites per region plus the site points."""
    view = compute_view(dataset, ViewState())
    regions = view.metrics[["name_fr", "sites", "geometry"]]
    m = regions.explore(column="sites", scheme="FisherJenks", k=4, legend=True)
    sites = view.sites[["name", "category", "geometry"]]
    sites.explore(m=m, color="black")
    return m.get_root().render()


def our_html(dataset) -> str:
    view = compute_view(dataset, ViewState())
    return build_map(dataset, view, assets="served").get_root().render()


def rerun_ms(runs: int = 12) -> list[float]:
    """Server time of script reruns that change the initiative filter.

    AppTest drives the app; the time is that of Streamlit's own script run (ScriptRunner
    wraps it), so AppTest's polling does not inflate it.
    """
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

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
    return times[4:]  # drop the first run and the warm-up reruns


def main() -> None:
    warnings.filterwarnings("ignore", message="Numba not installed")
    dataset = load_dataset()
    explore_s, explore = median_time(lambda: explore_html(dataset))
    ours_s, ours = median_time(lambda: our_html(dataset))
    explore_bytes = len(explore.encode())
    ours_bytes = len(ours.encode())
    print(
        f"explore() baseline: {explore_bytes / 1024:8.1f} KB HTML, "
        f"built in {explore_s * 1e3:.0f} ms"
    )
    print(f"our standalone map: {ours_bytes / 1024:8.1f} KB HTML, built in {ours_s * 1e3:.0f} ms")
    print()
    payload = record_app_payload(ROOT)
    for action, counts in payload.items():
        received = counts["websocket (wire)"] + counts["polygon files"]
        ratio = received / explore_bytes
        goal = GOALS[action]
        verdict = "met" if ratio < goal else "MISSED"
        print(
            f"app, {action:13s}: {received / 1024:7.1f} KB on the wire = {ratio:6.1%} of "
            f"explore() (goal < {goal:.0%}: {verdict})"
        )
        details = ", ".join(f"{name} {size / 1024:.1f} KB" for name, size in counts.items())
        print(f"    {details}")
    print()
    times = rerun_ms()
    median = statistics.median(times)
    print(
        f"filter rerun (server, AppTest): median {median:.0f} ms, min {min(times):.0f} ms, "
        f"max {max(times):.0f} ms over {len(times)} reruns (goal < {RERUN_GOAL_MS} ms: "
        f"{'met' if median < RERUN_GOAL_MS else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
