"""The running app in Debian's headless Chromium with every non-local request blocked.

Each step saves a screenshot under tests/output/ (look at them: legend, markers, panel).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, running_app
from helpers import copy_data, edit_csv
from playwright.sync_api import Frame, Page, expect

from geo.core.dataset import load_dataset
from geo.core.errors import DataError
from geo.core.filters import SiteFilter, filter_sites
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.webmap import build_map

pytestmark = pytest.mark.browser

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
IDLE = '[data-test-script-state="notRunning"]'
TIMEOUT_MS = 30_000
# Only the basemap tiles may be requested from the internet; the map must not need them.
TILE_HOST = re.compile(r"^[a-d]\.basemaps\.cartocdn\.com$")
# Sites the map shows: markers drawn one by one plus the numbers on the clusters.
REPRESENTED_JS = """
() => {
    const markers = document.querySelectorAll(".leaflet-marker-icon.site-marker").length;
    const clusters = [...document.querySelectorAll(".leaflet-marker-icon.site-cluster")]
        .reduce((sum, el) => sum + parseInt(el.textContent, 10), 0);
    return markers + clusters;
}
"""
POPUP_SHOWN_JS = """
() => {
    const popup = document.querySelector(".leaflet-popup");
    return popup !== null && getComputedStyle(popup).opacity === "1";
}
"""


def located_count(dataset, **filter_fields) -> int:
    sites = filter_sites(dataset.sites, SiteFilter(**filter_fields))
    return int(sites.geometry.notna().sum())


def wait_idle(page: Page) -> None:
    expect(page.locator(IDLE)).to_have_count(1, timeout=TIMEOUT_MS)


def map_frame(page: Page) -> Frame:
    """The (last) st_folium iframe, once Leaflet has drawn the 18 regions in it.

    The iframe is scrolled fully into view first: Chromium scrolls a partly visible iframe
    during a click, after Playwright has computed where to click.
    """
    frames = page.frame_locator(MAP_IFRAME).last
    expect(frames.locator("path.leaflet-interactive")).to_have_count(18, timeout=TIMEOUT_MS)
    page.locator(MAP_IFRAME).last.scroll_into_view_if_needed()
    return [f for f in page.frames if "streamlit_folium" in f.url][-1]


def wait_represented(frame: Frame, expected: int) -> None:
    frame.wait_for_function(f"({REPRESENTED_JS})() === {expected}", timeout=TIMEOUT_MS)


def assert_offline(page: Page) -> None:
    """Nothing but basemap tiles was requested from outside the machine."""
    outside = [u for u in page.blocked if not TILE_HOST.match(urlsplit(u).hostname or "")]
    assert outside == []


def open_app(page: Page, url: str) -> Frame:
    page.goto(url)
    wait_idle(page)
    return map_frame(page)


def test_map_renders_offline_with_regions_markers_and_legends(page, app_url, dataset, output_dir):
    frame = open_app(page, app_url)
    wait_represented(frame, located_count(dataset))
    inner = page.frame_locator(MAP_IFRAME).last
    expect(inner.locator(".choropleth-legend")).to_contain_text("Sites per region")
    expect(inner.locator(".marker-legend")).to_contain_text("Region only")
    expect(inner.locator(".leaflet-control-scale")).to_be_visible()
    expect(inner.locator(".leaflet-control-zoom-fullscreen")).to_be_visible()
    page.screenshot(path=output_dir / "01-first-load.png", full_page=True)
    page.locator(MAP_IFRAME).last.screenshot(path=output_dir / "01-map.png")
    assert_offline(page)


def test_marker_popup_shows_details_and_source_links(page, app_url, output_dir):
    open_app(page, f"{app_url}/?view=alsace")
    inner = page.frame_locator(MAP_IFRAME).last
    expect(inner.locator(".leaflet-marker-icon.site-marker").first).to_be_visible(
        timeout=TIMEOUT_MS
    )
    inner.locator('.leaflet-marker-icon.site-marker:has([data-site-id="dc-petit-landau"])').click()
    frame = map_frame(page)
    frame.wait_for_function(POPUP_SHOWN_JS, timeout=TIMEOUT_MS)  # after the fade-in
    popup = inner.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Petit-Landau")
    expect(popup).to_contain_text("commune only")
    link = popup.locator("a").first
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    page.locator(MAP_IFRAME).last.screenshot(path=output_dir / "02-popup-alsace.png")
    assert_offline(page)


def test_initiative_filter_changes_markers_and_counts(page, app_url, dataset, output_dir):
    frame = open_app(page, app_url)
    wait_represented(frame, located_count(dataset))
    page.get_by_role("combobox", name="Initiative type").click()
    page.get_by_role("option", name="Startups").click()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"initiative=startups"), timeout=TIMEOUT_MS)
    wait_idle(page)
    expected = located_count(dataset, initiatives=("startups",))
    assert expected != located_count(dataset)
    wait_represented(map_frame(page), expected)
    expect(
        page.locator('[data-testid="stMarkdownContainer"]').filter(has_text="Sites on the map:")
    ).to_contain_text(f"Sites on the map: {expected}")
    page.screenshot(path=output_dir / "03-startups-only.png", full_page=True)
    assert_offline(page)


@pytest.mark.parametrize(
    "query",
    ["", "?initiative=quantum"],  # the hidden dropped-link check; a link notice that leaves
)
def test_a_filter_change_updates_the_map_in_place(page, app_url, dataset, query):
    """The map frame survives a filter change (its layers are swapped), even when a notice
    above it goes away: a remounted frame reloads the whole map (about 0.7 s)."""
    frame = open_app(page, app_url + "/" + query)
    wait_represented(frame, located_count(dataset))
    frame.evaluate("window.sameMapFrame = true")
    page.get_by_role("combobox", name="Initiative type").click()
    page.get_by_role("option", name="Startups").click()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"initiative=startups"), timeout=TIMEOUT_MS)
    wait_idle(page)
    frame = map_frame(page)
    wait_represented(frame, located_count(dataset, initiatives=("startups",)))
    assert frame.evaluate("window.sameMapFrame === true"), "the map frame was mounted anew"


def test_clicking_a_region_opens_its_panel(page, app_url, output_dir):
    open_app(page, app_url)
    page.frame_locator(MAP_IFRAME).last.locator("path.feature-53").click()
    expect(page.get_by_role("heading", name="Brittany")).to_be_visible(timeout=TIMEOUT_MS)
    wait_idle(page)
    panel = page.locator('[data-testid="stColumn"]').filter(
        has=page.get_by_role("heading", name="Brittany")
    )
    expect(panel).to_contain_text("Rennes School of Business")
    expect(panel).to_contain_text("Sites by initiative")
    expect(page).to_have_url(re.compile(r"panel=53"), timeout=TIMEOUT_MS)
    page.screenshot(path=output_dir / "04-region-panel.png", full_page=True)
    # Another region from the box, then Brittany again on the map (a little off the first
    # spot, as a person would click): the second click on the same region reopens it.
    page.get_by_role("combobox", name="Region panel").click()
    page.get_by_role("option", name="Grand Est").click()
    expect(page.get_by_role("heading", name="Grand Est")).to_be_visible(timeout=TIMEOUT_MS)
    wait_idle(page)
    brittany = page.frame_locator(MAP_IFRAME).last.locator("path.feature-53")
    box = brittany.bounding_box()
    brittany.click(position={"x": box["width"] * 0.55, "y": box["height"] * 0.45})
    expect(page.get_by_role("heading", name="Brittany")).to_be_visible(timeout=TIMEOUT_MS)
    assert_offline(page)


def test_shared_url_restores_filters_metric_view_and_departements(page, app_url, output_dir):
    query = "initiative=skilling&metric=partners&view=paris&departements=1"
    frame = open_app(page, f"{app_url}/?{query}")
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.locator('[data-testid="stMultiSelect"]').first).to_contain_text("Skilling")
    expect(page.get_by_role("combobox", name="Colour regions by")).to_have_value(
        "Partner institutions"
    )
    expect(page.get_by_role("combobox", name="View")).to_have_value("Paris region")
    expect(page.get_by_role("switch", name="Show départements")).to_be_checked()
    inner = page.frame_locator(MAP_IFRAME).last
    expect(inner.locator(".choropleth-legend")).to_contain_text("Partner institutions per region")
    expect(inner.locator(".leaflet-departements-pane path").first).to_be_attached(
        timeout=TIMEOUT_MS
    )
    frame.wait_for_function("() => map_div.getZoom() >= 9", timeout=TIMEOUT_MS)
    assert urlsplit(page.url).query == query + "&lang=en"  # the link names its language
    page.screenshot(path=output_dir / "05-shared-link-paris.png", full_page=True)
    page.locator(MAP_IFRAME).last.screenshot(path=output_dir / "05-map-paris.png")
    assert_offline(page)


def test_invalid_link_value_shows_a_warning(page, app_url, output_dir):
    open_app(page, f"{app_url}/?initiative=quantum&view=mars")
    alerts = page.locator('[data-testid="stAlertContentWarning"]')
    expect(alerts.filter(has_text="initiative='quantum'")).to_be_visible()
    expect(alerts.filter(has_text="view='mars'")).to_be_visible()
    page.screenshot(path=output_dir / "06-invalid-link.png")


def test_exported_html_opens_from_disk_with_no_internet(page, tmp_path, dataset, output_dir):
    view = compute_view(dataset, ViewState())
    path = tmp_path / "map.html"
    m = build_map(dataset, view, assets="inline", vendor_dir=ROOT / "static" / "vendor")
    path.write_text(m.get_root().render(), "utf-8")
    page.goto(path.as_uri())
    expect(page.locator("path.leaflet-interactive")).to_have_count(18, timeout=TIMEOUT_MS)
    page.wait_for_function(f"({REPRESENTED_JS})() === {len(view.sites)}", timeout=TIMEOUT_MS)
    page.screenshot(path=output_dir / "07-standalone-export.png")
    assert_offline(page)


def test_broken_data_shows_the_validator_message_line_by_line(page, tmp_path, output_dir):
    data = copy_data(tmp_path)
    edit_csv(data / "sites.csv", "station-f", lat="N/A")
    edit_csv(data / "sites.csv", "edhec-nice", category="*castle* $x$ <i>:red[y]")
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    with running_app(data, "streamlit-broken-data.log") as url:
        page.goto(url)
        wait_idle(page)
        alert = page.locator('[data-testid="stAlertContentError"]')
        expect(alert).to_have_count(1)
        text = alert.locator('[data-testid="stMarkdownContainer"]').inner_text()
        assert text.strip() == str(caught.value)
        expect(page.locator(MAP_IFRAME)).to_have_count(0)
        page.screenshot(path=output_dir / "08-broken-data.png")
