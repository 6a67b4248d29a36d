"""Accessibility in Debian's headless Chromium: axe-core's WCAG 2.1 A/AA rules, keyboard, table.

axe-core comes from the npm registry (tests/a11y/package.json, installed by `make setup-test`).
Screenshots under tests/output/ show the region table open and the focus ring on a marker.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from playwright.sync_api import Frame, Page, expect
from test_browser import IDLE, REPRESENTED_JS, TIMEOUT_MS, map_frame

from geo.core import vocabulary as voc
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.export import render_html
from geo.presentation import format_metric_value, number_or_none

pytestmark = pytest.mark.browser

AXE_JS = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
# Each frame is checked on its own (axe would need itself injected into every frame).
AXE_RUN_JS = """
async (tags) => {
    const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, iframes: false});
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.map(n => n.target.join(" ")),
    }));
}
"""
MAX_TABS = 400
# folium names the map's global variable map_<id>.
MAP_ZOOM_JS = "(() => window[Object.keys(window).find(k => k.startsWith('map_'))].getZoom())"


def axe_violations(frame: Page | Frame) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations in one frame."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS.relative_to(ROOT)} is missing: run `make setup-test`")
    frame.add_script_tag(content=AXE_JS.read_text("utf-8"))
    return [v for v in frame.evaluate(AXE_RUN_JS, WCAG_TAGS) if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["targets"])
        for v in violations
    )


def assert_no_violations(frame: Page | Frame) -> None:
    violations = axe_violations(frame)
    assert violations == [], "axe-core found:\n" + describe(violations)


@pytest.fixture(scope="module")
def standalone_html(tmp_path_factory, dataset) -> Path:
    """The standalone HTML export of the default view, as `python -m geo export` writes it."""
    path = tmp_path_factory.mktemp("a11y") / "map.html"
    view = compute_view(dataset, ViewState())
    path.write_bytes(render_html(dataset, view, ROOT / "static" / "vendor"))
    return path


def open_standalone(page: Page, path: Path, expected_sites: int) -> None:
    page.goto(path.as_uri())
    expect(page.locator("path.leaflet-interactive")).to_have_count(18, timeout=TIMEOUT_MS)
    page.wait_for_function(f"({REPRESENTED_JS})() === {expected_sites}", timeout=TIMEOUT_MS)


def open_app(page: Page, url: str) -> Frame:
    page.goto(url)
    expect(page.locator(IDLE)).to_have_count(1, timeout=2 * TIMEOUT_MS)
    return map_frame(page)


# The default page, and the page with every announced investment drawn and a region's panel
# listing them (the sidebar's investment filters, the totals and their terms shown).
APP_QUERIES = ("", "?investments=1&metric=announced_eur&panel=32")


@pytest.mark.parametrize("query", APP_QUERIES, ids=["default", "investments"])
def test_app_page_has_no_serious_violations(page, app_url, query):
    open_app(page, app_url + query)
    assert_no_violations(page)


@pytest.mark.parametrize("query", APP_QUERIES, ids=["default", "investments"])
def test_app_map_frame_has_no_serious_violations(page, app_url, query):
    assert_no_violations(open_app(page, app_url + query))


def test_standalone_html_has_no_serious_violations(page, standalone_html, dataset):
    open_standalone(page, standalone_html, len(compute_view(dataset, ViewState()).sites))
    assert_no_violations(page)


def tab_to_marker(frame: Page | Frame, keyboard) -> str:
    """Press Tab until a site marker has the focus; return its aria-label."""
    for _ in range(MAX_TABS):
        keyboard.press("Tab")
        label = frame.evaluate(
            """() => { const el = document.activeElement;
                return el && el.classList.contains("site-marker")
                    ? el.getAttribute("aria-label") : null; }"""
        )
        if label:
            return label
    pytest.fail(f"{MAX_TABS} presses of Tab never reached a site marker")


def test_tab_reaches_a_marker_named_by_site_and_category(
    page, standalone_html, dataset, output_dir
):
    view = compute_view(dataset, ViewState())
    page.set_viewport_size({"width": 1366, "height": 768})
    open_standalone(page, standalone_html, len(view.sites))
    label = tab_to_marker(page, page.keyboard)
    names = {f"{s['name']}, {voc.CATEGORIES[s['category']]}" for _, s in view.sites.iterrows()}
    assert label in names
    focused = page.locator(".site-marker:focus")
    expect(focused).to_have_attribute("role", "button")
    expect(focused).to_have_accessible_name(label)
    page.screenshot(path=output_dir / "a11y-marker-focus.png")
    page.keyboard.press("Enter")  # Leaflet's keyboard handler opens the popup
    expect(page.locator(".leaflet-popup .site-popup-body h4")).to_have_text(
        label.rsplit(", ", 1)[0]
    )


def test_clusters_are_focusable_and_say_what_they_hold(page, standalone_html, dataset):
    open_standalone(page, standalone_html, len(compute_view(dataset, ViewState()).sites))
    cluster = page.locator(".leaflet-marker-icon.site-cluster").first
    expect(cluster).to_have_attribute("tabindex", "0")
    count = int(cluster.text_content().split()[0])  # the count is all a sighted reader sees
    expect(cluster).to_have_accessible_name(f"{count} sites close together: zoom in")
    zoom = page.evaluate(f"{MAP_ZOOM_JS}()")
    cluster.focus()
    page.keyboard.press("Enter")  # zooms in, as a click does
    page.wait_for_function(f"{MAP_ZOOM_JS}() > {zoom}", timeout=TIMEOUT_MS)


def region_rows(frame: Page | Frame) -> dict[str, list[str]]:
    return frame.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll(".region-table tbody tr")]
            .map(tr => [tr.dataset.region, [tr.querySelector("th").textContent,
                                           tr.querySelector("td").textContent]]))"""
    )


def drawn_regions(frame: Page | Frame) -> set[str]:
    return set(
        frame.evaluate(
            """() => [...document.querySelectorAll("path.leaflet-interactive")]
                .flatMap(p => [...p.classList]).filter(c => c.startsWith("feature-"))
                .map(c => c.slice(8))"""
        )
    )


def expected_rows(view) -> dict[str, list[str]]:
    names = view.metrics["name_en"]  # English names in English (INSEE French in fr, de)
    return {
        code: [names[code], format_metric_value(number_or_none(value), view.metric)]
        for code, value in view.metrics[view.metric.key].items()
    }


def open_table(frame: Page | Frame) -> None:
    button = frame.get_by_role("button", name="Table")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(frame.locator(".region-table")).to_be_visible()


def test_standalone_table_holds_every_region_drawn_with_its_value(
    page, standalone_html, dataset, output_dir
):
    view = compute_view(dataset, ViewState())
    page.set_viewport_size({"width": 1366, "height": 768})
    open_standalone(page, standalone_html, len(view.sites))
    open_table(page)
    rows = region_rows(page)
    assert set(rows) == drawn_regions(page)
    assert len(rows) == 18
    assert rows == expected_rows(view)
    caption = page.locator(".region-table caption")
    expect(caption).to_contain_text(f"{view.metric.label} per region")
    expect(page.locator('.region-table th[scope="col"]')).to_have_count(2)
    expect(page.locator('.region-table th[scope="row"]')).to_have_count(18)
    assert_no_violations(page)  # the open table passes too
    page.screenshot(path=output_dir / "a11y-table-1366.png")
    page.keyboard.press("Escape")
    expect(page.locator(".region-table")).to_be_hidden()


def test_app_map_table_and_markers_work_in_the_iframe(page, app_url, dataset, output_dir):
    view = compute_view(dataset, ViewState())
    frame = open_app(page, app_url)
    open_table(frame)
    assert region_rows(frame) == expected_rows(view)
    assert_no_violations(frame)
    page.locator("iframe").last.screenshot(path=output_dir / "a11y-app-table.png")
    page.keyboard.press("Escape")
    expect(frame.locator(".region-table")).to_be_hidden()
    frame.locator(".leaflet-container").focus()  # in the app too, Tab reaches a marker
    label = tab_to_marker(frame, page.keyboard)
    expect(frame.locator(".site-marker:focus")).to_have_accessible_name(label)
