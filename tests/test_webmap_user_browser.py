"""A reader's sites on the standalone map in Chromium: a click on a dot shows its popup, as text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_webmap_user import VENDOR_DIR, many_sites

from geo.core.state import ViewState
from geo.core.userdata.model import UserData, UserSites
from geo.core.view import compute_view
from geo.webmap import build_map

pytestmark = pytest.mark.browser

MAP_JS = "window[Object.keys(window).find((k) => k.startsWith('map_'))]"
HOSTILE_NAME = "<b>x</b> Mairie de Lyon"
LYON = (45.7676, 4.8357)


def hostile_sites(n: int = 2000) -> UserSites:
    sites = many_sites(n, seed=7)
    frame = sites.frame.copy()
    frame.loc[0, ["name", "lat", "lon", "insee_commune"]] = [HOSTILE_NAME, *LYON, "69381"]
    frame.loc[0, "url"] = "javascript:alert(1)"
    return UserSites(sites.source, frame, sites.attributes, sites.mapping)


def test_click_on_a_dot_shows_its_escaped_name(dataset, page, output_dir, tmp_path):
    view = compute_view(dataset, ViewState(), UserData(sites=hostile_sites()))
    m = build_map(dataset, view, assets="inline", tiles=False, vendor_dir=VENDOR_DIR)
    path = tmp_path / "map.html"
    path.write_text(m.get_root().render(), encoding="utf-8")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(path.as_uri())
    page.wait_for_selector(".user-points-canvas", state="attached")
    page.wait_for_timeout(500)
    # The first row is drawn first, so its dot is never skipped for another one.
    x, y = page.evaluate(
        f"""() => {{
            const map = {MAP_JS};
            const at = map.latLngToContainerPoint([{LYON[0]}, {LYON[1]}]);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + at.x, box.top + at.y];
        }}"""
    )
    page.mouse.move(x, y)
    expect(page.locator(".user-tooltip")).to_have_text(HOSTILE_NAME)
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content .user-popup-body")
    expect(popup.locator("h4")).to_have_text(HOSTILE_NAME)
    assert popup.locator("h4 b").count() == 0  # the tags are text, not markup
    expect(popup).to_contain_text("69381")
    expect(popup).to_contain_text("From big.csv")
    assert popup.locator("a").count() == 0  # a javascript: URL never becomes a link
    expect(popup).to_contain_text("javascript:alert(1)")
    expect(page.locator(".user-legend")).to_contain_text("Your sites (2,000)")
    page.screenshot(path=str(output_dir / "webmap-user-popup.png"))
    # A click beside every dot opens nothing.
    page.locator(".leaflet-popup-close-button").click()
    far = page.evaluate(
        f"""() => {{
            const map = {MAP_JS};
            const at = map.latLngToContainerPoint([41.0, -4.5]);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + at.x, box.top + at.y];
        }}"""
    )
    page.mouse.click(*far)
    page.wait_for_timeout(300)
    assert page.locator(".user-popup-body").count() == 0
